// Browser mode's twin of the desktop app's several windows: two tabs are two
// independent views, each with its own frame pipeline in the core.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { openPanel } from './console-page.js';
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

test('a plane opens in a tab of its own: only that plane is sent and drawn, and "all planes" widens it', async ({ context }) => {
  const two = await startWeb(['--planes', '2', '--agents', '5', '--rate', '15']);
  try {
    const main = await context.newPage();
    await main.goto(two.url);
    await expect.poll(() => main.evaluate(() => window.__swarmdeck?.planes().length)).toBe(2);
    const [, second] = (await main.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane))) as [string, string];
    await openPanel(main, 'Connections');
    const tabOpened = context.waitForEvent('page');
    await main.locator(`[data-testid="connection-row"][data-plane="${second}"]`).getByTestId('plane-window').click();
    const tab = await tabOpened;
    await tab.waitForLoadState();
    // Drawn only while shown (requestAnimationFrame sleeps in a background tab), as an operator would look at it.
    await tab.bringToFront();
    expect(new URL(tab.url()).searchParams.getAll('plane')).toEqual([second]);
    // The core sends this view the one plane: its statuses, and the scene's nodes.
    await expect.poll(() => tab.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(5);
    expect(await tab.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane))).toEqual([second]);
    await expect(tab.getByTestId('view-scope')).toHaveAttribute('data-planes', second);
    // The badge is not glued to its neighbours in the top bar (issue 23): a gap on both sides, inside and out.
    const gaps = await tab.getByTestId('view-scope').evaluate((b) => {
      const r = b.getBoundingClientRect();
      const prev = b.previousElementSibling?.getBoundingClientRect();
      const next = b.nextElementSibling?.getBoundingClientRect();
      const text = b.querySelector('strong')!.getBoundingClientRect();
      const button = b.querySelector('button')!.getBoundingClientRect();
      return { before: prev ? r.left - prev.right : 99, after: next ? next.left - r.right : 99, inside: button.left - text.right, pad: text.left - r.left };
    });
    for (const [k, v] of Object.entries(gaps)) expect(v, k).toBeGreaterThanOrEqual(4);
    expect(await tab.title()).toMatch(/ · Swarmdeck$/);
    // The first tab is unchanged.
    expect(await main.evaluate(() => window.__swarmdeck!.scene()?.nodes)).toBe(10);
    // Widened in place: every plane, and the URL no longer names one (a reload keeps it so).
    await tab.getByTestId('view-scope-all').click();
    await expect.poll(() => tab.evaluate(() => window.__swarmdeck?.planes().length)).toBe(2);
    await expect.poll(() => tab.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(10);
    await expect(tab.getByTestId('view-scope')).toHaveCount(0);
    expect(new URL(tab.url()).search).toBe('');
    expect(new URL(tab.url()).hash).toBe(new URL(two.url).hash);
    // A URL naming a plane list the core would refuse says so, and shows every plane.
    const bad = await context.newPage();
    const badUrl = new URL(two.url);
    badUrl.search = '?plane=';
    await bad.goto(badUrl.href);
    await expect(bad.getByTestId('scope-problem')).toContainText('showing every plane');
    await expect.poll(() => bad.evaluate(() => window.__swarmdeck?.planes().length)).toBe(2);
  } finally {
    await two.stop();
  }
});
