// Browser mode's twin of the desktop app's several windows: two tabs are two
// independent views, each with its own frame pipeline in the core.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { startWeb, type WebApp } from './start-web.js';

let app: WebApp;
test.beforeAll(async () => {
  app = await startWeb(['--agents', '12', '--rate', '15']);
});
test.afterAll(async () => {
  await app?.stop();
});

test('two tabs are two views: each its own frame sequence, and one closing leaves the other live', async ({ context }) => {
  const a = await context.newPage();
  await a.goto(app.url);
  const seq = (p: typeof a) => p.evaluate(() => window.__swarmdeck?.lastFrameSeq() ?? -1);
  await expect.poll(() => seq(a), { timeout: 30_000 }).toBeGreaterThan(30);

  const b = await context.newPage();
  await b.goto(app.url);
  await expect.poll(() => b.evaluate(() => window.__swarmdeck?.planes().map((p) => p.agents)[0])).toBe(12);
  // A shared pipeline would hand the new tab the running sequence; its own starts again from the beginning.
  const [seqA, seqB] = [await seq(a), await seq(b)];
  expect(seqB).toBeGreaterThanOrEqual(0);
  expect(seqB).toBeLessThan(seqA - 20);

  await a.close();
  const before = await seq(b);
  await expect.poll(() => seq(b)).toBeGreaterThan(before + 10);
});
