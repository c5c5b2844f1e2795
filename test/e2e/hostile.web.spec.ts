// Browser mode in a real page under a hostile plane (test/hostile/hostile-plane.ts):
// after each attack the page still renders, good data sent after it arrives,
// and what the bounds did shows in the plane status the page holds
// (window.__swarmdeck.planes(), the same objects the UI shows).
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { MAX_JSON_DEPTH } from '../../shared/limits.js';
import { concat, HostilePlane, positionFrames, stateFrame, visEvent } from '../hostile/hostile-plane.js';
import { startWeb, type WebApp } from './start-web.js';

let plane: HostilePlane;
let app: WebApp;

test.beforeAll(async () => {
  plane = new HostilePlane();
  const url = await plane.start();
  app = await startWeb(['--url', url]);
});
test.afterAll(async () => {
  await app?.stop();
  await plane?.stop();
});

test('a hostile plane: long strings, deep metadata and an event flood are bounded and counted; the page keeps up', async ({ page }) => {
  await page.goto(app.url);
  const status = () => page.evaluate(() => window.__swarmdeck?.planes()[0] ?? null);
  await expect.poll(async () => (await status())?.state).toBe('LIVE');
  const agents = await plane.ready('agents/ws');
  const graph = await plane.ready('graph/ws');
  await plane.send(agents, concat(positionFrames([1, 2, 3])));
  await expect.poll(async () => (await status())?.agents).toBe(3);

  // A 10 MB string: cut, counted.
  await plane.send(graph, visEvent('agent.state.changed', { agentId: 'agent-1', newState: 'ACTIVE', reason: 'R'.repeat(10_000_000) }, 'big-1'));
  await expect.poll(async () => (await status())?.limits?.stringsTruncated).toBe(1);

  // Metadata nested 32,758 deep: a protocol error, the agent's state kept out; at the JSON limit it is kept.
  const errorsBefore = (await status())!.counters.protocolErrors;
  await plane.send(agents, stateFrame(4, 1, `{"a":${'['.repeat(32_757)}${']'.repeat(32_757)}}`));
  await plane.send(agents, stateFrame(5, 1, `{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`));
  await expect.poll(async () => (await status())!.counters.protocolErrors).toBeGreaterThan(errorsBefore);
  await expect.poll(async () => (await status())?.agents).toBe(4);

  // 30,000 events as fast as the socket takes them.
  for (let i = 0; i < 30_000; i++) graph.send(visEvent('agent.performance.update', { agentId: `agent-${1 + (i % 3)}`, metrics: { tasksCompleted: i } }, `f-${i}`, 'low'));
  await plane.send(graph, visEvent('agent.state.changed', { agentId: 'agent-2', newState: 'IDLE' }, 'after-flood', 'high'));
  await expect.poll(async () => (await status())?.counters.messagesIn ?? 0, { timeout: 60_000 }).toBeGreaterThan(30_000);

  // Good data after the attacks arrives and is drawn.
  const seq = await page.evaluate(() => window.__swarmdeck!.lastFrameSeq());
  await plane.send(agents, concat(positionFrames([6, 7])));
  await expect.poll(async () => (await status())?.agents).toBe(6);
  expect(await page.evaluate(() => window.__swarmdeck!.lastFrameSeq())).toBeGreaterThan(seq);
  expect(app.output()).not.toMatch(/uncaught exception|unhandled rejection/);
});
