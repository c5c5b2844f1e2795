// Each plane in its own region (issue 20): two planes' agents never share a
// place, each region shows its name, fit and focus work per region, a replay
// opened beside them gets a region of its own and takes it away when closed.
// And a plane gone DOWN: its agents say when they were last heard, its flows fade.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import type { RegionInfo } from '../../renderer/src/debug-api.js';
import { Plane } from '../../electron/core/connection/plane.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { TestPlane } from '../helpers/test-plane.js';
import { startWeb, type WebApp } from './start-web.js';

const PER_PLANE = 9;
const RECORDED = 6;
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-regions-'));
let app: WebApp;

test.beforeAll(async () => {
  // A short recording in the recordings folder, to open beside the live planes.
  const sim = new Simulator({ port: 0, agents: RECORDED, rate: 15, seed: 3 });
  await sim.start();
  let rec: Recorder | null = null;
  const plane = new Plane({ id: 'site-r', label: 'Site R', url: sim.url, color: 0x4cc9f0 }, { event: (ev) => rec?.event(ev), inbound: (e, d, b, t) => rec?.inbound('site-r', e, d, b, t) });
  rec = await Recorder.start(await fileSink(join(dir, 'regions.mcap')), [plane]);
  plane.connect();
  await new Promise((r) => setTimeout(r, 4000));
  await rec.stop();
  plane.close();
  await sim.stop();
  app = await startWeb(['--planes', '2', '--agents', String(PER_PLANE), '--rate', '15'], { SWARMDECK_RECORDINGS_DIR: dir });
});
test.afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const box = (pts: { x: number; y: number }[]): Box => ({
  x0: Math.min(...pts.map((p) => p.x)),
  y0: Math.min(...pts.map((p) => p.y)),
  x1: Math.max(...pts.map((p) => p.x)),
  y1: Math.max(...pts.map((p) => p.y)),
});
const regionBox = (r: RegionInfo): Box => ({ x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height });
const regions = (page: Page) => page.evaluate(() => window.__swarmdeck!.regions());
const nodes = (page: Page) => page.evaluate(() => window.__swarmdeck?.scene()?.nodes);
/** Each plane's agents where they are drawn: world units (the export) and canvas pixels (screenOf). */
async function drawn(page: Page): Promise<Map<string, { world: { x: number; y: number }[]; screen: { x: number; y: number }[] }>> {
  const list = await page.evaluate(() => {
    const g = window.__swarmdeck!.sceneDebug!()!.exportGraph() as { nodes: { plane: string; id: number; x: number; y: number }[] };
    return g.nodes.map((n) => ({ plane: n.plane, world: { x: n.x, y: n.y }, screen: window.__swarmdeck!.screenOf(n.plane, n.id) }));
  });
  const out = new Map<string, { world: { x: number; y: number }[]; screen: { x: number; y: number }[] }>();
  for (const n of list) {
    const e = out.get(n.plane) ?? { world: [], screen: [] };
    e.world.push(n.world);
    if (n.screen) e.screen.push(n.screen);
    out.set(n.plane, e);
  }
  return out;
}

test('two planes: each in its own region with its name, their agents never overlap; fit and focus per region', async ({ page }, info) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.url);
  await expect.poll(() => nodes(page)).toBe(app.simAgents);
  await expect.poll(async () => (await regions(page)).map((r) => [r.planeId, r.live + r.stale + r.error])).toEqual([['sim-1', PER_PLANE], ['sim-2', PER_PLANE]]);
  const [a, b] = await regions(page);
  expect(overlaps(regionBox(a!), regionBox(b!))).toBe(false);
  // Each region shows its plane's name.
  expect([a!.label, b!.label]).toEqual(['Simulator 1', 'Simulator 2']);
  expect([a!.title, b!.title]).toEqual(['Simulator 1', 'Simulator 2']);
  // The agents of each plane lie inside its region, in world units and on screen, and the two boxes are apart.
  await page.waitForTimeout(500);
  const d = await drawn(page);
  for (const r of [a!, b!]) {
    const w = box(d.get(r.planeId)!.world);
    expect(d.get(r.planeId)!.world.length).toBe(PER_PLANE);
    expect(w.x0).toBeGreaterThanOrEqual(r.x);
    expect(w.y0).toBeGreaterThanOrEqual(r.y);
    expect(w.x1).toBeLessThanOrEqual(r.x + r.width);
    expect(w.y1).toBeLessThanOrEqual(r.y + r.height);
  }
  expect(overlaps(box(d.get('sim-1')!.world), box(d.get('sim-2')!.world))).toBe(false);
  expect(d.get('sim-1')!.screen.length).toBe(PER_PLANE);
  expect(overlaps(box(d.get('sim-1')!.screen), box(d.get('sim-2')!.screen))).toBe(false);

  for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await page.locator('[data-testid="scene"] canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(600);
    const shot = info.outputPath(`two-planes-${w}x${h}.png`);
    await page.screenshot({ path: shot });
    await info.attach(`two-planes-${w}x${h}`, { path: shot, contentType: 'image/png' });
  }

  // Focus a region: it fills the view, centred, with all its agents.
  const canvas = (await page.locator('[data-testid="scene"] canvas').boundingBox())!;
  expect(await page.evaluate(() => window.__swarmdeck!.focusPlane('sim-2'))).toBe(true);
  expect(await page.evaluate(() => window.__swarmdeck!.focusPlane('no-such-plane'))).toBe(false);
  const corners = async (r: RegionInfo) => page.evaluate(([x0, y0, x1, y1]) => {
    const dbg = window.__swarmdeck!.sceneDebug!()!;
    return [dbg.worldToScreen(x0!, y0!), dbg.worldToScreen(x1!, y1!)];
  }, [r.x, r.y, r.x + r.width, r.y + r.height]);
  const [tl, br] = await corners(b!);
  expect(tl!.x).toBeGreaterThanOrEqual(-1);
  expect(tl!.y).toBeGreaterThanOrEqual(-1);
  expect(br!.x).toBeLessThanOrEqual(canvas.width + 1);
  expect(br!.y).toBeLessThanOrEqual(canvas.height + 1);
  expect(Math.max((br!.x - tl!.x) / canvas.width, (br!.y - tl!.y) / canvas.height)).toBeGreaterThan(0.8);
  expect(Math.abs((tl!.x + br!.x) / 2 - canvas.width / 2)).toBeLessThan(2);
  expect(Math.abs((tl!.y + br!.y) / 2 - canvas.height / 2)).toBeLessThan(2);
  const inView = (p: { x: number; y: number }) => p.x >= 0 && p.y >= 0 && p.x <= canvas.width && p.y <= canvas.height;
  expect((await drawn(page)).get('sim-2')!.screen.filter(inView).length).toBe(PER_PLANE);

  // Fit (F) shows both again; double-clicking the first region's title focuses it (centred).
  await page.keyboard.press('f');
  await expect.poll(async () => (await drawn(page)).get('sim-1')!.screen.filter(inView).length).toBe(PER_PLANE);
  const [atl, abr] = await corners(a!);
  expect((abr!.x - atl!.x) / canvas.width).toBeLessThan(0.6);
  await page.mouse.dblclick(canvas.x + atl!.x + 30, canvas.y + atl!.y + 8);
  await expect.poll(async () => {
    const [p, q] = await corners(a!);
    return [Math.round(Math.max((q!.x - p!.x) / canvas.width, (q!.y - p!.y) / canvas.height) * 10) >= 8, Math.abs((p!.x + q!.x) / 2 - canvas.width / 2) < 2];
  }).toEqual([true, true]);
});

test('a replay opened beside two live planes gets a region of its own; closing it returns the scene to the live planes', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => nodes(page)).toBe(app.simAgents);
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Timeline' }).click();
  const row = page.locator('[data-testid="recording-file"][data-name="regions.mcap"]');
  await expect(row).toBeVisible();
  await row.getByTestId('recording-file-open').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane).sort()), { timeout: 40_000 }).toContain('rec:site-r');
  await expect.poll(async () => (await regions(page)).map((r) => r.planeId)).toEqual(['sim-1', 'sim-2', 'rec:site-r']);
  await expect.poll(() => nodes(page)).toBe(app.simAgents + RECORDED);
  const all = await regions(page);
  // Its title (cut to the region's width when small): its name.
  expect(all[2]!.label).toBe('Site R (recording)');
  expect(all[2]!.title).toMatch(/^Site R/);
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(regionBox(all[i]!), regionBox(all[j]!))).toBe(false);
  await page.waitForTimeout(500);
  const d = await drawn(page);
  const replayBox = box(d.get('rec:site-r')!.world);
  for (const live of ['sim-1', 'sim-2']) expect(overlaps(box(d.get(live)!.world), replayBox)).toBe(false);
  await page.getByTestId('timeline-panel').getByTestId('timeline-close').click();
  await expect.poll(async () => (await regions(page)).map((r) => r.planeId)).toEqual(['sim-1', 'sim-2']);
  await expect.poll(() => nodes(page)).toBe(app.simAgents);
});

test('a plane gone DOWN: its agents say when they were last heard, its flows fade, its region counts them stale', async ({ page }) => {
  const tp = new TestPlane({ agents: 6, positionHz: 10, flows: 6, heartbeatIntervalMs: 1000 });
  await tp.start();
  const web = await startWeb(['--url', tp.url]);
  try {
    await page.goto(web.url);
    await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
    const plane = await page.evaluate(() => window.__swarmdeck!.planes()[0]!.plane);
    await expect.poll(() => nodes(page)).toBe(6);
    const flowAlpha = () => page.evaluate((p) => window.__swarmdeck!.sceneDebug!()!.flow(p, 'agent-001-agent-002')?.alpha ?? null, plane);
    await expect.poll(flowAlpha).toBeGreaterThan(0.3);
    const live = (await flowAlpha())!;
    const tip = () => page.evaluate((p) => {
      const at = window.__swarmdeck!.screenOf(p, 1);
      return at ? window.__swarmdeck!.sceneDebug!()!.describeAt(at.x, at.y) : null;
    }, plane);
    expect(await tip()).not.toMatch(/last heard/);
    await tp.kill();
    await expect(page.getByTestId('connection-state')).toHaveText('DOWN', { timeout: 5000 });
    await expect.poll(tip, { timeout: 10_000 }).toMatch(/\nlast heard [1-9]\d* s ago$/);
    await expect.poll(flowAlpha).toBeLessThan(live * 0.5);
    await expect.poll(async () => (await regions(page))[0]).toMatchObject({ planeId: plane, live: 0, stale: 6, error: 0, title: expect.stringMatching(/ · DOWN$/) });
    // A view opened while the plane is DOWN is sent its agents at once: they are no fresher for it.
    await page.waitForTimeout(3000);
    await page.reload();
    await expect.poll(() => nodes(page)).toBe(6);
    await expect.poll(tip).toMatch(/\nlast heard ([3-9]|\d\d+) s ago$/);
  } finally {
    await web.stop();
    await tp.stop();
  }
});
