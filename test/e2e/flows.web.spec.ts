// Flows arrive by the flow-table path (issue 22), in browser mode against the
// independent test plane at small size: the plane sends message.flow.stats
// for known flows, each count growing at a known rate. The page holds one
// row per flow, the graph draws each with the rate, width and latency the
// plane's figures give, particles fly along them (started from the rates,
// not per message), and the Events panel shows a sample of the stats, never
// one row per update.
import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import type { SceneDebug } from '../../renderer/src/debug-api.js';
import { flowWidthPx } from '../../renderer/src/scene/lod.js';
import { FLOW_LOG_SAMPLE_MS } from '../../shared/limits.js';
import { agentName, TestPlane, testPlaneFlowRate } from '../helpers/test-plane.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const AGENTS = 12;
const FLOWS = 6;
const BASE_RATE = 2;
let tp: TestPlane;
let app: WebApp;
let startedAt = 0;

test.beforeAll(async () => {
  tp = new TestPlane({ agents: AGENTS, positionHz: 5, flows: FLOWS, flowRate: BASE_RATE });
  await tp.start();
  startedAt = Date.now();
  app = await startWeb(['--url', tp.url]);
});
test.afterAll(async () => {
  await app?.stop();
  await tp?.stop();
});

const flowId = (i: number): string => `${agentName(i)}-${agentName(i + 1)}`;
const sample = (page: Page, born?: number): Promise<ReturnType<SceneDebug['particleSample']>> =>
  // In an animation frame, right after the scene drew it: the ends are where the particle was drawn between.
  page.evaluate((b) => new Promise((r) => requestAnimationFrame(() => r(window.__swarmdeck!.sceneDebug!()!.particleSample(b ?? undefined)))), born ?? null);

test('flows come in frames: counts, rates, widths and latencies as sent; particles fly along them; events are sampled', async ({ page }) => {
  test.setTimeout(90_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0), { timeout: 20_000 }).toBe(AGENTS);
  const plane = await page.evaluate(() => window.__swarmdeck!.planes()[0]!.plane);
  // The page holds exactly the flows the plane sent.
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.histories().flows), { timeout: 15_000 }).toBe(FLOWS);
  // Each drawn with the rate its count grows at (over the plane's timestamps), the width that rate gives, and its latency.
  for (let i = 1; i <= FLOWS; i++) {
    await expect(async () => {
      const f = (await page.evaluate(([p, id]) => window.__swarmdeck!.sceneDebug!()!.flow(p, id), [plane, flowId(i)] as const))!;
      expect(f, flowId(i)).not.toBeNull();
      expect(f.from).toEqual({ kind: 'agent', id: i });
      expect(f.to).toEqual({ kind: 'agent', id: i + 1 });
      expect(f.ratePerSec).toBeCloseTo(testPlaneFlowRate(i, BASE_RATE), 3);
      expect(f.widthPx).toBeCloseTo(flowWidthPx(testPlaneFlowRate(i, BASE_RATE)), 1);
      expect(f.averageLatency).toBe(10 + (i % 50));
      expect(f.messageCount).toBeGreaterThanOrEqual(100 + i);
      expect(f.alpha).toBeGreaterThan(0);
    }).toPass({ timeout: 15_000 });
  }

  // Particles start from the rates and fly from sender to receiver of a flow that was sent.
  await expect.poll(async () => (await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe())).particlesStarted, { timeout: 10_000 }).toBeGreaterThan(0);
  const d = (p: { x: number; y: number }, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);
  // A loaded machine may let a particle land between two reads: take pairs until one is read in flight twice.
  await expect(async () => {
    const a = (await sample(page))!;
    expect(a).not.toBeNull();
    expect(a.plane).toBe(plane);
    expect(a.toId).toBe(a.fromId + 1);
    expect(a.fromId).toBeGreaterThanOrEqual(1);
    expect(a.fromId).toBeLessThanOrEqual(FLOWS);
    expect(d(a.from, a) + d(a, a.to)).toBeCloseTo(d(a.from, a.to), 0);
    // The same particle a moment later: further along, still on its flow.
    const b = (await sample(page, a.born))!;
    expect(b).not.toBeNull();
    expect([b.fromId, b.toId]).toEqual([a.fromId, a.toId]);
    expect(b.t).toBeGreaterThan(a.t);
    expect(d(b, b.to) / d(b.from, b.to)).toBeLessThan(d(a, a.to) / d(a.from, a.to));
    expect(d(b.from, b) + d(b, b.to)).toBeCloseTo(d(b.from, b.to), 0);
  }).toPass({ timeout: 20_000 });
  const probe = await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe());
  expect(probe.flows).toBe(FLOWS);
  expect(probe.flowsUnresolved).toBe(0);

  // The Flows panel: one row per flow, its msg/s the rate sent.
  await openPanel(page, 'Flows');
  await expect(page.getByTestId('flow')).toHaveCount(FLOWS);
  for (let i = 1; i <= FLOWS; i++) {
    await expect(page.locator(`[data-testid="flow"][data-flow="${flowId(i)}"] td:nth-child(4)`)).toHaveText(testPlaneFlowRate(i, BASE_RATE).toFixed(1));
  }

  // Events: a sample of the stats (one per flow per FLOW_LOG_SAMPLE_MS), not one row per update (each flow sends one a second).
  await openPanel(page, 'Events');
  const flowRows = () => page.evaluate(() => document.querySelectorAll('[data-testid="event-row"][data-type="message.flow.stats"]').length);
  await expect.poll(flowRows, { timeout: 10_000 }).toBeGreaterThan(0);
  const rows = await flowRows();
  const seconds = (Date.now() - startedAt) / 1000;
  const counts = await page.evaluate(() => Object.values(window.__swarmdeck!.session().counts));
  const folded = counts.reduce((n, c) => n + (c.flowUpdatesFolded ?? 0), 0);
  const updates = folded + rows;
  expect(rows).toBeGreaterThan(0);
  // One row per flow, updated in place as samples come.
  expect(rows).toBeLessThanOrEqual(FLOWS);
  // Every update the plane sent is accounted for: folded, or a sampled row.
  expect(folded).toBeGreaterThan(rows);
  expect(updates).toBeGreaterThanOrEqual(FLOWS * 2);
  // The sample the core logged: at most one per flow per FLOW_LOG_SAMPLE_MS (each flow sent about one update a second).
  expect(folded / updates).toBeGreaterThan(1 - (FLOWS * (Math.ceil((seconds * 1000) / FLOW_LOG_SAMPLE_MS) + 1)) / updates - 0.001);
  expect(problems).toEqual([]);
});
