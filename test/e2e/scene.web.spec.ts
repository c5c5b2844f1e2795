// The graph at operator scale, in browser mode against the simulator at small
// N (and against a JSON-only plane that sends no positions): flows, particles,
// dead reckoning, local layout and pinning, picking across overlapping
// planes, labels on zoom, coordination highlights, exports.
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import '../../renderer/src/debug-api.js';
import type { SceneDebug, SceneProbe } from '../../renderer/src/debug-api.js';
import { GraphExportSchema } from '../../renderer/src/scene/export-schema.js';
import { labelBudget } from '../../renderer/src/scene/lod.js';
import { startJsonPlane } from './scene-json-plane.js';
import { startWeb, type WebApp } from './start-web.js';

const AGENTS = 60;
let app: WebApp;

test.beforeAll(async () => {
  app = await startWeb(['--agents', String(AGENTS), '--rate', '10']);
});
test.afterAll(async () => {
  await app?.stop();
});

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

const probe = (page: Page): Promise<SceneProbe> => page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe());

async function open(page: Page, url: string, agents: number): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0)).toBe(agents);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.sceneDebug?.() !== null)).toBe(true);
}

async function canvasBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return (await page.locator('canvas').boundingBox())!;
}

test('message.flow.stats draws persistent flows between namespace centres; a tooltip gives the latency', async ({ page }, info) => {
  const problems = watchProblems(page);
  await open(page, app.url, AGENTS);
  // The simulator sends flow stats every 3 s, namespace to namespace ("research-analysis").
  await expect.poll(async () => (await probe(page)).flows, { timeout: 15_000 }).toBeGreaterThan(0);
  // Agents move between the two reads (export, then the flow): on a loaded machine they may be far apart in time, so read both again until they agree.
  let flow!: ReturnType<typeof GraphExportSchema.parse>['flows'][number];
  await expect(async () => {
    const graph = GraphExportSchema.parse(await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.exportGraph()));
    flow = graph.flows.find((f) => f.from.kind === 'group' && f.to.kind === 'group' && f.from.name !== f.to.name)!;
    expect(flow).toBeDefined();
    const drawn = (await page.evaluate(([p, id]) => window.__swarmdeck!.sceneDebug!()!.flow(p, id), [flow.plane, flow.flowId] as const))!;
    expect(drawn.widthPx).toBeGreaterThanOrEqual(1.5);
    expect(drawn.alpha).toBeGreaterThan(0);
    // Drawn between the groups' centres: the mean position of each namespace's agents.
    const centre = (ns: string) => {
      const members = graph.nodes.filter((n) => n.group === ns);
      return [members.reduce((s, n) => s + n.x, 0) / members.length, members.reduce((s, n) => s + n.y, 0) / members.length];
    };
    const [fx, fy] = centre((flow.from as { name: string }).name);
    const [tx, ty] = centre((flow.to as { name: string }).name);
    const tol = 0.15 * Math.hypot(tx! - fx!, ty! - fy!) + 20;
    expect(Math.hypot(drawn.ends[0] - fx!, drawn.ends[1] - fy!)).toBeLessThan(tol);
    expect(Math.hypot(drawn.ends[2] - tx!, drawn.ends[3] - ty!)).toBeLessThan(tol);
  }).toPass({ timeout: 15_000 });
  // Hover along the flow until the tooltip gives its latency: an agent drawn on part of it is named instead, and the
  // agents move, so sweep again until a pass lands on the flow's own body.
  const box = await canvasBox(page);
  let said = '';
  await expect(async () => {
    for (let t = 0.2; t <= 0.8 && !/latency \d/.test(said); t += 0.04) {
      const f = (await page.evaluate(([p, id]) => window.__swarmdeck!.sceneDebug!()!.flow(p, id), [flow.plane, flow.flowId] as const))!;
      const s = await page.evaluate(([x, y]) => window.__swarmdeck!.sceneDebug!()!.worldToScreen(x!, y!), [f.ends[0] + (f.ends[2] - f.ends[0]) * t, f.ends[1] + (f.ends[3] - f.ends[1]) * t]);
      await page.mouse.move(box.x + s.x, box.y + s.y);
      await page.waitForTimeout(120);
      const tip = page.getByTestId('graph-tooltip');
      if (await tip.isVisible()) said = (await tip.textContent()) ?? '';
    }
    expect(said).toMatch(/latency \d/);
  }).toPass({ timeout: 20_000 });
  expect(said).toMatch(/→/);
  expect(said).toMatch(/latency \d+(\.\d)? ms/);
  const shot = info.outputPath('flows.png');
  await page.screenshot({ path: shot });
  await info.attach('flows', { path: shot, contentType: 'image/png' });
  expect(problems).toEqual([]);
});

test('a message.sent particle is drawn mid-flight between sender and receiver', async ({ page }) => {
  await open(page, app.url, AGENTS);
  await expect.poll(async () => (await probe(page)).particles).toBeGreaterThan(0);
  let sample: ReturnType<SceneDebug['particleSample']> = null;
  // Sampled in an animation frame, right after the scene drew it: a position frame arriving between the draw and
  // the sample would move the ends the particle was drawn between.
  await expect
    .poll(async () => (sample = await page.evaluate(() => new Promise<ReturnType<SceneDebug['particleSample']>>((r) => requestAnimationFrame(() => r(window.__swarmdeck!.sceneDebug!()!.particleSample()))))))
    .not.toBeNull();
  const s = sample!;
  const d = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
  const span = d(s.from, s.to);
  expect(span).toBeGreaterThan(0);
  // On the segment (within float error), and away from both ends.
  expect(d(s.from, s) + d(s, s.to)).toBeCloseTo(span, 0);
  expect(d(s.from, s)).toBeGreaterThan(span * 0.02);
  expect(d(s, s.to)).toBeGreaterThan(span * 0.02);
});

test('dead reckoning moves a node between two updates, without a jump at the update', async ({ page }) => {
  await open(page, app.url, AGENTS);
  // Sampled each animation frame until there are enough frames of both kinds (with and without a new report): a
  // loaded machine draws few frames a second, and most of them may bring a report.
  const samples = await page.evaluate(async () => {
    const dbg = window.__swarmdeck!.sceneDebug!()!;
    const out: { at: number; drawn: { x: number; y: number }; reported: { x: number; y: number } }[] = [];
    let between = 0, atUpdate = 0;
    const end = performance.now() + 15_000;
    while (performance.now() < end && (out.length < 30 || between < 6 || atUpdate < 6)) {
      await new Promise((r) => requestAnimationFrame(r));
      const drawn = dbg.nodeWorld('sim', 5), reported = dbg.nodeReported('sim', 5);
      if (!drawn || !reported) continue;
      const prev = out[out.length - 1];
      const sample = { at: performance.now(), drawn: dbg.worldToScreen(drawn.x, drawn.y), reported: dbg.worldToScreen(reported.x, reported.y) };
      if (prev) {
        const moved = Math.hypot(sample.drawn.x - prev.drawn.x, sample.drawn.y - prev.drawn.y) > 0.05;
        if (sample.reported.x === prev.reported.x && sample.reported.y === prev.reported.y) between += moved ? 1 : 0;
        else atUpdate++;
      }
      out.push(sample);
    }
    return out;
  });
  expect(samples.length).toBeGreaterThan(10);
  // Movement per 60 Hz frame's worth of time: a loaded machine's frames come at uneven intervals.
  const step = (i: number) =>
    Math.hypot(samples[i]!.drawn.x - samples[i - 1]!.drawn.x, samples[i]!.drawn.y - samples[i - 1]!.drawn.y) / Math.max(1, (samples[i]!.at - samples[i - 1]!.at) / 16.7);
  const same = (i: number) => samples[i]!.reported.x === samples[i - 1]!.reported.x && samples[i]!.reported.y === samples[i - 1]!.reported.y;
  const between: number[] = [], atUpdate: number[] = [];
  for (let i = 1; i < samples.length; i++) (same(i) ? between : atUpdate).push(step(i));
  // Frames with no new report still move the node (the simulator's agents orbit).
  expect(between.filter((s) => s > 0.05).length).toBeGreaterThan(3);
  expect(atUpdate.length).toBeGreaterThan(3);
  // At an update the node keeps its pace: no frame moves it much more than a typical frame does.
  const typical = [...between, ...atUpdate].sort((a, b) => a - b)[Math.floor((between.length + atUpdate.length) / 2)]!;
  expect(Math.max(...atUpdate)).toBeLessThan(typical * 4 + 3);
});

test('labels appear on zoom (never more than the screen holds), with the minimap', async ({ page }, info) => {
  await open(page, app.url, AGENTS);
  await page.waitForTimeout(500);
  expect((await probe(page)).labels).toBe(0);
  expect((await probe(page)).minimap).toBe(false);
  const box = await canvasBox(page);
  // Zoom with the wheel at a point off-centre: the world point under the cursor stays under it.
  const at = { x: box.width * 0.7, y: box.height * 0.35 };
  const under = (c: SceneProbe['camera']) => ({ x: (at.x - box.width / 2) / c.zoom + c.x, y: (at.y - box.height / 2) / c.zoom + c.y });
  const before = under((await probe(page)).camera);
  await page.mouse.move(box.x + at.x, box.y + at.y);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -150);
  await expect.poll(async () => (await probe(page)).labels).toBeGreaterThan(0);
  const p = await probe(page);
  expect(p.camera.zoom / p.camera.fitZoom).toBeGreaterThan(3);
  expect(p.labels).toBeLessThanOrEqual(labelBudget(box.width, box.height));
  expect(p.minimap).toBe(true);
  const after = under(p.camera);
  const onePixel = 1 / p.camera.fitZoom;
  expect(Math.hypot(after.x - before.x, after.y - before.y)).toBeLessThan(onePixel);
  const shot = info.outputPath('labels-zoomed.png');
  await page.screenshot({ path: shot });
  await info.attach('labels-zoomed', { path: shot, contentType: 'image/png' });
});

test('a coordination round highlights its initiator and participants, shows votes and then the outcome', async ({ page }, info) => {
  await open(page, app.url, AGENTS);
  await expect.poll(async () => (await probe(page)).highlighted.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  // The simulator puts a round's voters in COORDINATING: the highlighted agents include them. Rounds come and go
  // (an ended one stays lit for its outcome while its voters move on), so each look reads both at one moment.
  const coordinatingLit = async (): Promise<number> => {
    const p = await probe(page);
    const graph = GraphExportSchema.parse(await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.exportGraph()));
    const lit = new Set(p.highlighted.map((h) => h.id));
    return graph.nodes.filter((n) => n.stateName === 'COORDINATING' && lit.has(n.id)).length;
  };
  await expect.poll(coordinatingLit, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => (await probe(page)).votes, { timeout: 20_000 }).toBeGreaterThan(0);
  const shot = info.outputPath('coordination.png');
  await page.screenshot({ path: shot });
  await info.attach('coordination', { path: shot, contentType: 'image/png' });
  await expect.poll(async () => (await probe(page)).outcomes.length, { timeout: 30_000 }).toBeGreaterThan(0);
  expect((await probe(page)).outcomes[0]).toMatch(/approved|rejected/);
});

test('exports: the PNG decodes to the canvas size, the JSON validates against its schema', async ({ page }) => {
  await open(page, app.url, AGENTS);
  await expect.poll(async () => (await probe(page)).flows, { timeout: 15_000 }).toBeGreaterThan(0);
  const b64 = await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.exportPng());
  const png = PNG.sync.read(Buffer.from(b64, 'base64'));
  const size = await page.evaluate(() => ({ w: document.querySelector('canvas')!.width, h: document.querySelector('canvas')!.height }));
  expect([png.width, png.height]).toEqual([size.w, size.h]);
  let lit = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! > 200) lit++;
  expect(lit).toBeGreaterThan(AGENTS * 10); // the nodes are in it, not a blank frame
  const json: unknown = await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.exportGraph());
  const graph = GraphExportSchema.parse(JSON.parse(JSON.stringify(json)));
  expect(graph.nodes).toHaveLength(AGENTS);
  expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(AGENTS);
  expect(graph.flows.length).toBeGreaterThan(0);
  expect(graph.flows.every((f) => f.messageCount > 0 && f.successRate !== null)).toBe(true);
  // The schema is strict enough to fail: a node without a position does not validate.
  const broken = JSON.parse(JSON.stringify(json)) as { nodes: Record<string, unknown>[] };
  delete broken.nodes[0]!.x;
  expect(GraphExportSchema.safeParse(broken).success).toBe(false);
});

test('picking selects the right agent among overlapping planes, and skips hidden ones', async ({ page }) => {
  // Two simulated planes share the same world (same namespace centres): their agents overlap.
  const two = await startWeb(['--planes', '2', '--agents', '30', '--rate', '10']);
  try {
    await open(page, two.url, two.simAgents);
    const box = await canvasBox(page);
    for (const plane of ['sim-2', 'sim-1']) {
      // An agent of `plane` with no other agent (of either plane) near it on screen, so the click is unambiguous.
      const target = await page.evaluate((pl) => {
        const dbg = window.__swarmdeck!.sceneDebug!()!;
        const g = dbg.exportGraph() as { nodes: { plane: string; id: number; x: number; y: number }[] };
        const scr = g.nodes.map((n) => ({ ...n, s: dbg.worldToScreen(n.x, n.y) }));
        // Not under the panel's overlays (the legend, the tools): a click there is theirs, as for an operator.
        const canvas = document.querySelector('canvas')!.getBoundingClientRect();
        const covers = Array.from(document.querySelectorAll('.graph-legend, .graph-tools'), (e) => e.getBoundingClientRect());
        const free = (x: number, y: number): boolean =>
          covers.every((r) => x + canvas.left < r.left - 10 || x + canvas.left > r.right + 10 || y + canvas.top < r.top - 10 || y + canvas.top > r.bottom + 10);
        const ok = scr.filter((n) => n.plane === pl && free(n.s.x, n.s.y) && scr.every((m) => m === n || Math.hypot(m.s.x - n.s.x, m.s.y - n.s.y) > 28));
        return ok[0] ?? null;
      }, plane);
      expect(target).not.toBeNull();
      const at = (await page.evaluate(([p, id]) => window.__swarmdeck!.screenOf(p, id), [plane, target!.id] as const))!;
      await page.mouse.click(box.x + at.x, box.y + at.y);
      await expect.poll(async () => (await probe(page)).selected).toEqual({ plane, id: target!.id });
    }
    // Hide sim-2: clicking where one of its agents is never selects it.
    const id = await page.evaluate(() => {
      const g = window.__swarmdeck!.sceneDebug!()!.exportGraph() as { nodes: { plane: string; id: number }[] };
      return g.nodes.find((n) => n.plane === 'sim-2')!.id;
    });
    await page.locator('[data-testid="plane"][data-plane="sim-2"]').getByTestId('plane-visible').uncheck();
    await expect.poll(() => page.evaluate((i) => window.__swarmdeck!.screenOf('sim-2', i), id)).toBeNull();
    const pos = await page.evaluate((i) => window.__swarmdeck!.sceneDebug!()!.nodeWorld('sim-2', i), id);
    const s = await page.evaluate(([x, y]) => window.__swarmdeck!.sceneDebug!()!.worldToScreen(x!, y!), [pos!.x, pos!.y]);
    await page.mouse.click(box.x + s.x, box.y + s.y);
    await page.waitForTimeout(300);
    expect((await probe(page)).selected?.plane ?? 'none').not.toBe('sim-2');
  } finally {
    await two.stop();
  }
});

test('a plane that sends no positions is laid out locally, namespaces cluster, and dragging pins a node', async ({ page }, info) => {
  const plane = await startJsonPlane();
  const web = await startWeb(['--url', plane.url]);
  try {
    const problems = watchProblems(page);
    await page.goto(web.url);
    await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
    // Announced while the view is open: namespaces come in the events' metadata, which a view sees only live.
    plane.announce(30, ['alpha', 'beta', 'gamma']);
    await open(page, web.url, 30);
    const id = await page.evaluate(() => window.__swarmdeck!.planes()[0]!.plane);
    await expect.poll(async () => (await probe(page)).localPlanes).toEqual([id]);
    type G = { nodes: { id: number; x: number; y: number; group: string | null; pinned: boolean }[] };
    const graph = () => page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.exportGraph() as G);
    // Laid out: spread out, not all at the plane's (0, 0).
    await expect.poll(async () => {
      const g = await graph();
      const xs = g.nodes.map((n) => n.x), ys = g.nodes.map((n) => n.y);
      return Math.max(...xs) - Math.min(...xs) + Math.max(...ys) - Math.min(...ys);
    }).toBeGreaterThan(50);
    await page.waitForTimeout(3000); // let it settle
    const settled = await graph();
    // Namespaces cluster: each agent is nearer its own group's centre than any other group's.
    const centres = new Map<string, [number, number]>();
    for (const ns of ['alpha', 'beta', 'gamma']) {
      const m = settled.nodes.filter((n) => n.group === ns);
      expect(m.length).toBe(10);
      centres.set(ns, [m.reduce((s, n) => s + n.x, 0) / m.length, m.reduce((s, n) => s + n.y, 0) / m.length]);
    }
    const nearestOwn = settled.nodes.filter((n) => {
      const own = centres.get(n.group!)!;
      const d = Math.hypot(n.x - own[0], n.y - own[1]);
      return [...centres.entries()].every(([g, c]) => g === n.group || Math.hypot(n.x - c[0], n.y - c[1]) > d);
    });
    expect(nearestOwn.length).toBeGreaterThanOrEqual(27);
    // Stable as agents come and go: three more arrive; the others barely move.
    plane.announce(3, ['alpha', 'beta', 'gamma']);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.scene()!.nodes)).toBe(33);
    await page.waitForTimeout(3000);
    const later = await graph();
    const span = Math.max(...settled.nodes.map((n) => n.x)) - Math.min(...settled.nodes.map((n) => n.x));
    const moved = settled.nodes.map((n) => {
      const m = later.nodes.find((k) => k.id === n.id)!;
      return Math.hypot(m.x - n.x, m.y - n.y);
    });
    moved.sort((a, b) => a - b);
    expect(moved[Math.floor(moved.length / 2)]!).toBeLessThan(span * 0.2);
    // Drag agent 1 by 120 px: it is pinned where it was dropped, and stays there.
    const box = await canvasBox(page);
    const at = (await page.evaluate((p) => window.__swarmdeck!.screenOf(p, 1), id))!;
    await page.mouse.move(box.x + at.x, box.y + at.y);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + at.x + 20 * i, box.y + at.y + 8 * i);
    await page.mouse.up();
    await expect.poll(async () => (await probe(page)).pinned).toEqual([{ plane: id, id: 1 }]);
    await page.waitForTimeout(1500);
    const pinnedAt = (await page.evaluate((p) => window.__swarmdeck!.screenOf(p, 1), id))!;
    expect(Math.hypot(pinnedAt.x - (at.x + 120), pinnedAt.y - (at.y + 48))).toBeLessThan(3);
    const shot = info.outputPath('local-layout.png');
    await page.screenshot({ path: shot });
    await info.attach('local-layout', { path: shot, contentType: 'image/png' });
    // Double-click unpins.
    await page.mouse.dblclick(box.x + pinnedAt.x, box.y + pinnedAt.y);
    await expect.poll(async () => (await probe(page)).pinned).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await web.stop();
    await plane.stop();
  }
});
