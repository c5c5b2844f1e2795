// The core holds the truth; a tab is a view. Two tabs of one console: the
// second opens 20 s after the first and is reloaded once. Both show the same
// events (from the plane's very first one, paged in from the core through the
// Events panel), the same alerts with the same counts, and the same rounds.
import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

let sim: Simulator;
let app: WebApp;
test.beforeAll(async () => {
  // No random state changes, so every alert is one the test made and its count is known (agent-099 is none of the simulator's: its snapshots never clear it).
  sim = new Simulator({ ...QUIET, agents: 8, rate: 5, messagesPerSecond: 4, agentHeartbeatMs: 1000, systemMetricsIntervalMs: 1000, coordinationEveryMs: 3000, flowStatsEveryMs: 2000 });
  await sim.start();
  app = await startWeb(['--url', sim.url]);
});
test.afterAll(async () => {
  await app?.stop();
  await sim?.stop();
});

const now = (): string => new Date().toISOString();
const metricsAlert = (i: number): object => ({ id: `m-${i}`, type: 'system.metrics', timestamp: now(), payload: { activeAgents: 8, totalAgents: 8, alerts: [{ level: 'critical', message: 'Disk almost full', component: 'disk' }] } });
const agentError = (i: number): object => ({ id: `e-${i}`, type: 'agent.state.changed', timestamp: now(), payload: { agentId: 'agent-099', previousState: 'ACTIVE', newState: 'ERROR', reason: 'test' } });

/** Pages every older event in through the Events panel, until it says it holds them from the start. */
async function loadAll(page: Page): Promise<void> {
  await openPanel(page, 'Events');
  const panel = page.getByTestId('events-panel');
  for (let i = 0; i < 50; i++) {
    if (await panel.getByTestId('log-start').isVisible()) return;
    const older = panel.getByTestId('log-older');
    if (await older.isEnabled().catch(() => false)) await older.click().catch(() => undefined);
    await page.waitForTimeout(200);
  }
  await expect(panel.getByTestId('log-start')).toBeVisible();
}

const session = (page: Page) => page.evaluate(() => window.__swarmdeck!.session());
const seqOf = (id: string): number => Number(id.slice(id.lastIndexOf('#') + 1));

test('a tab opened 20 s late, and reloaded, shows the same events, alerts and rounds as one open all along', async ({ context }) => {
  test.setTimeout(180_000);
  // The start-up lines: "connecting to", then this plane's own outcome.
  expect(app.output()).toContain(`connecting to ${sim.url}`);
  await expect.poll(() => app.output()).toContain(`connected to ${sim.url}`);
  // Before any tab: the plane's first events, and alerts raised more than once.
  for (let i = 0; i < 3; i++) sim.inject('control', metricsAlert(i));
  for (let i = 0; i < 2; i++) sim.inject('agents', agentError(i));
  const a = await context.newPage();
  await a.goto(app.url);
  await expect(a.getByTestId('connection-state').first()).toHaveText('LIVE');
  const plane = (await a.evaluate(() => window.__swarmdeck!.planes()[0]!.plane)) as string;

  await a.waitForTimeout(20_000);
  // While only the first tab is open: an error repeated.
  for (let i = 0; i < 2; i++) sim.sendError('control', 'RATE_LIMIT_EXCEEDED', 'slow down');
  const b = await context.newPage();
  await b.goto(app.url);
  await expect(b.getByTestId('connection-state').first()).toHaveText('LIVE');
  await b.reload();
  await expect(b.getByTestId('connection-state').first()).toHaveText('LIVE');

  await loadAll(a);
  await loadAll(b);
  const [sa, sb] = [await session(a), await session(b)];
  expect(sa.olderInCore).toEqual([]);
  expect(sb.olderInCore).toEqual([]);
  // The same events up to the newest both hold, from the plane's first (seq 0).
  const upTo = Math.min(...[sa, sb].map((s) => Math.max(...s.events.filter((id) => id.startsWith(`${plane}#`)).map(seqOf))));
  const held = (s: typeof sa): string[] => s.events.filter((id) => id.startsWith(`${plane}#`) && seqOf(id) <= upTo).sort((x, y) => seqOf(x) - seqOf(y));
  expect(upTo).toBeGreaterThan(100);
  expect(held(sa)[0]).toBe(`${plane}#0`);
  expect(held(sb)).toEqual(held(sa));
  expect(held(sa)).toHaveLength(upTo + 1);
  // The first event the plane sent is shown in both Events panels (newest first: at the end of the list).
  for (const p of [a, b]) {
    await openPanel(p, 'Events');
    await p.getByTestId('log-level').selectOption('debug');
    const list = p.getByTestId('events');
    await expect(async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect(list.locator(`[data-testid="event-row"][data-plane="${plane}"][data-seq="0"]`)).toBeVisible({ timeout: 1000 });
    }).toPass();
  }

  // The same alerts with the same counts: the disk alert raised 3 times (resolved when the plane stopped listing it), the agent error twice, the error twice.
  const alerts = (s: typeof sa) => s.alerts.map((x) => `${x.key} ${x.state} ×${x.count}`).sort();
  await expect.poll(async () => alerts(await session(b))).toEqual(alerts(await session(a)));
  const byKey = new Map((await session(b)).alerts.map((x) => [x.key, x]));
  expect(byKey.get(`${plane}/plane_alert/disk`)).toMatchObject({ count: 3, state: 'resolved' });
  expect(byKey.get(`${plane}/agent_error/agent-099`)).toMatchObject({ count: 2, state: 'firing' });
  expect(byKey.get(`${plane}/error/RATE_LIMIT_EXCEEDED`)).toMatchObject({ count: 2, state: 'firing' });
  // And the Alerts panels say so.
  for (const p of [a, b]) {
    await openPanel(p, 'Alerts');
    await expect(p.locator(`[data-testid="alert"][data-key="${plane}/agent_error/agent-099"]`)).toHaveAttribute('data-count', '2');
    await expect(p.locator(`[data-testid="alert"][data-key="${plane}/plane_alert/disk"]`)).toHaveAttribute('data-state', 'resolved');
  }

  // The same rounds: every round either holds, finished ones with the same outcome.
  const rounds = (s: typeof sa) =>
    s.rounds
      .filter((r) => r.result !== null)
      .map((r) => `${r.key} ${r.status} ${r.result} ${r.votes}`)
      .sort();
  const roundKeys = (s: typeof sa) => s.rounds.map((r) => r.key).sort();
  // Rounds keep coming while the tabs are compared: read both tabs afresh each time until they agree.
  const agree = async (): Promise<string> => {
    const [x, y] = await Promise.all([session(a), session(b)]);
    return roundKeys(x).join(' ') === roundKeys(y).join(' ') ? 'same' : `a: ${roundKeys(x).join(' ')} / b: ${roundKeys(y).join(' ')}`;
  };
  await expect.poll(agree).toBe('same');
  expect((await session(a)).rounds.length).toBeGreaterThan(3);
  expect(rounds(await session(a)).length).toBeGreaterThan(2);
  // Every round finished in the first tab is finished alike in the second (which may have seen newer ones too).
  await expect.poll(async () => {
    const [x, y] = await Promise.all([session(a), session(b)]);
    const inB = new Set(rounds(y));
    return rounds(x).filter((r) => !inB.has(r));
  }).toEqual([]);
  for (const p of [a, b]) {
    await openPanel(p, 'Coordination');
    await expect.poll(() => p.getByTestId('round').count()).toBeGreaterThan(3);
  }
});
