import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { startWeb, type WebApp } from './start-web.js';

let app: WebApp;

test.beforeAll(async () => {
  app = await startWeb(['--agents', '60', '--rate', '20']);
});
test.afterAll(async () => {
  await app?.stop();
});

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  return problems;
}

const probe = (page: Page) => page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe());

test('smoke', async ({ page }, info) => {
  const problems = watchProblems(page);
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  await page.waitForTimeout(5000);
  console.log(JSON.stringify(await probe(page)));
  await page.screenshot({ path: info.outputPath('smoke.png') });
  console.log(problems);
});
