// Screenshots of the graph at 200 and at 10,000 agents (kept under
// test-results/, not in git), fitted and zoomed in, for a person to look at;
// the assertions check what the pictures must show.
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import '../../renderer/src/debug-api.js';
import { labelBudget } from '../../renderer/src/scene/lod.js';
import { RASTER_SCALE } from '../../renderer/src/scene/node-raster.js';
import { startWeb } from './start-web.js';

/**
 * Zoomed out past the fit, 10,000 nodes are under 2 px and drawn as dots (node-raster.ts): every agent is plotted,
 * an agent alone in its raster cell lights its pixel in the exported picture, and an empty cell stays dark. Then the
 * fit again: discs.
 */
async function dotsWhenZoomedOut(page: Page, agents: number): Promise<void> {
  const box = (await page.locator('canvas').boundingBox())!;
  await page.evaluate(([x, y]) => window.__swarmdeck!.sceneDebug!()!.zoomAt(x!, y!, 0.5), [box.width / 2, box.height / 2]);
  await expect.poll(async () => (await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe())).nodeDots).toBe(true);
  await expect.poll(async () => (await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe())).dotsPlotted).toBe(agents);
  // The picture and the agents' screen positions from the same tick (exportPng draws synchronously, then encodes).
  const { png, cells } = await page.evaluate(async ([n, scale]) => {
    const dbg = window.__swarmdeck!.sceneDebug!()!;
    const pending = dbg.exportPng();
    const cells: [number, number][] = [];
    for (let id = 1; id <= n!; id++) {
      const w = dbg.nodeWorld('sim', id);
      if (!w) continue;
      const s = dbg.worldToScreen(w.x, w.y);
      cells.push([Math.floor(s.x / scale!), Math.floor(s.y / scale!)]);
    }
    return { png: await pending, cells };
  }, [agents, RASTER_SCALE]);
  const pic = PNG.sync.read(Buffer.from(png, 'base64'));
  const count = new Map<string, number>();
  for (const [x, y] of cells) count.set(`${x},${y}`, (count.get(`${x},${y}`) ?? 0) + 1);
  const lone = cells.filter(([x, y]) => count.get(`${x},${y}`) === 1);
  expect(lone.length).toBeGreaterThan(20);
  const lit = (sx: number, sy: number): boolean => {
    const o = 4 * (sy * pic.width + sx);
    // The background is 0x0d1117.
    return Math.abs(pic.data[o]! - 0x0d) + Math.abs(pic.data[o + 1]! - 0x11) + Math.abs(pic.data[o + 2]! - 0x17) > 40;
  };
  const shown = lone.filter(([x, y]) => lit(x * RASTER_SCALE, y * RASTER_SCALE) && lit(x * RASTER_SCALE + 1, y * RASTER_SCALE + 1));
  expect(shown.length / lone.length).toBeGreaterThan(0.97);
  // A corner of the canvas far from every agent stays dark.
  expect(lit(3, pic.height - 3)).toBe(false);
  // Back where it was: the inverse zoom about the same point.
  await page.evaluate(([x, y]) => window.__swarmdeck!.sceneDebug!()!.zoomAt(x!, y!, 2), [box.width / 2, box.height / 2]);
  await expect.poll(async () => (await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe())).nodeDots).toBe(false);
}

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
      if (agents === 10_000) await dotsWhenZoomedOut(page, agents);
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
