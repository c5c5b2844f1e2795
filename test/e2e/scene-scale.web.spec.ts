// Screenshots of the graph at 200 and at 10,000 agents (kept under
// test-results/, not in git), fitted and zoomed in, for a person to look at;
// the assertions check what the pictures must show.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { labelBudget } from '../../renderer/src/scene/lod.js';
import { startWeb } from './start-web.js';

for (const agents of [200, 10_000]) {
  test(`the graph at ${agents} agents: fitted, then zoomed in with labels and the minimap`, async ({ page }, info) => {
    test.setTimeout(180_000);
    const app = await startWeb(['--agents', String(agents), '--rate', '10']);
    try {
      await page.goto(app.url);
      await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0), { timeout: 90_000 }).toBe(agents);
      const probe = () => page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe());
      await expect.poll(async () => (await probe()).flows, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(async () => (await probe()).particles, { timeout: 30_000 }).toBeGreaterThan(0);
      const fitted = info.outputPath(`graph-${agents}.png`);
      await page.screenshot({ path: fitted });
      await info.attach(`graph-${agents}`, { path: fitted, contentType: 'image/png' });
      expect((await probe()).labels).toBe(0);
      const box = (await page.locator('canvas').boundingBox())!;
      await page.evaluate(([x, y]) => window.__swarmdeck!.sceneDebug!()!.zoomAt(x!, y!, 6), [box.width * 0.6, box.height * 0.4]);
      await expect.poll(async () => (await probe()).labels).toBeGreaterThan(0);
      const p = await probe();
      expect(p.labels).toBeLessThanOrEqual(labelBudget(box.width, box.height));
      expect(p.minimap).toBe(true);
      await page.waitForTimeout(500);
      const zoomed = info.outputPath(`graph-${agents}-zoomed.png`);
      await page.screenshot({ path: zoomed });
      await info.attach(`graph-${agents}-zoomed`, { path: zoomed, contentType: 'image/png' });
    } finally {
      await app.stop();
    }
  });
}
