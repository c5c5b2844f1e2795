// The operator's console in browser mode, against simulators started here
// (so the test can inject messages and switch faults): every panel shows the
// simulator's data, and the operator's questions can be answered from it.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import '../../renderer/src/debug-api.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const PANELS = ['Graph', 'Overview', 'Connections', 'Search', 'Inspector', 'Commands', 'Events', 'Alerts', 'Coordination', 'Flows', 'Metrics'];

async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  await page.getByTestId('theme').selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const live = async (page: Page): Promise<void> => {
  await expect(page.getByTestId('connection-state').first()).toHaveText('LIVE');
};

/** A plane running the simulator at small N with quick rounds, metrics and flows. */
async function busySim(extra: ConstructorParameters<typeof Simulator>[0] = {}): Promise<Simulator> {
  const sim = new Simulator({ agents: 12, rate: 15, messagesPerSecond: 8, stateChangesPerSecond: 2, systemMetricsIntervalMs: 500, flowStatsEveryMs: 700, coordinationEveryMs: 500, capabilityEveryMs: 1000, ...extra });
  await sim.start();
  return sim;
}

test.describe('with a busy simulator', () => {
  let sim: Simulator;
  let app: WebApp;
  test.beforeAll(async () => {
    sim = await busySim();
    app = await startWeb(['--url', sim.url]);
  });
  test.afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  test('each panel shows the simulator data, in both themes', async ({ page }, info) => {
    test.setTimeout(240_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(app.url);
    await live(page);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(12);
    // Data for every panel: an alert, a selected agent, a search, a command.
    sim.inject('control', { id: 'a1', type: 'system.metrics', timestamp: new Date().toISOString(), payload: { activeAgents: 1, totalAgents: 12, alerts: [{ level: 'warning', message: 'Disk almost full', component: 'storage' }] } });
    await openPanel(page, 'Search');
    await page.getByTestId('search-input').fill('agent-00');
    await expect(page.getByTestId('search-count')).toHaveText(/^\d+ match/);
    await page.getByTestId('search-input').press('Enter');
    await expect(page.getByTestId('inspector')).toBeVisible();

    await openPanel(page, 'Overview');
    const card = page.getByTestId('plane');
    await expect(card.getByTestId('plane-health')).toHaveText(/^(healthy|degraded)/);
    await expect(card.getByTestId('state-counts')).toContainText(/\w+ \d+/);
    await openPanel(page, 'Connections');
    await expect(page.getByTestId('connection-row')).toHaveAttribute('data-state', 'LIVE');
    await expect(page.getByTestId('counters').locator('[data-key="messagesIn"] dd')).not.toHaveText('0');
    // The plane's limit counters (docs/SECURITY.md): none reached by a well-behaved simulator.
    await expect(page.getByTestId('limits').locator('[data-key="channelsRefused"] dd')).toHaveText('0');
    await expect(page.getByTestId('limits').locator('[data-key="dedupeKeysHashed"] dd')).toHaveText('0');
    await expect(page.getByTestId('endpoints').locator('tbody tr')).toHaveCount(3);
    await openPanel(page, 'Events');
    await expect(page.locator('[data-testid="event-row"][data-type="message.sent"]').first()).toBeVisible();
    await openPanel(page, 'Alerts');
    await expect(page.getByTestId('alert').filter({ hasText: 'Disk almost full' })).toBeVisible();
    await openPanel(page, 'Coordination');
    await expect(page.getByTestId('round').first()).toBeVisible();
    await openPanel(page, 'Flows');
    await expect(page.getByTestId('flow').first()).toBeVisible();
    await openPanel(page, 'Metrics');
    await expect(page.getByTestId('metric-chart')).toHaveCount(11);
    await expect(page.locator('[data-metric="totalAgents"] [data-testid="metric-latest"]')).toHaveText(/^\d+$/);
    await openPanel(page, 'Commands');
    await expect(page.getByTestId('commands').getByTestId('command-send')).toBeVisible();

    for (const theme of ['dark', 'light'] as const) {
      await setTheme(page, theme);
      for (const title of PANELS) {
        await openPanel(page, title);
        await page.waitForTimeout(150);
        await page.screenshot({ path: info.outputPath(`${theme}-${title.toLowerCase()}.png`) });
      }
      await page.getByTestId('status-more').click();
      await page.screenshot({ path: info.outputPath(`${theme}-status-details.png`) });
      await page.getByTestId('status-more').click();
      await page.keyboard.press('Control+K');
      await expect(page.getByTestId('palette')).toBeVisible();
      await page.screenshot({ path: info.outputPath(`${theme}-palette.png`) });
      await page.keyboard.press('Escape');
      await page.getByTestId('help-button').click();
      await expect(page.getByTestId('help')).toContainText('Fit the graph');
      await page.screenshot({ path: info.outputPath(`${theme}-help.png`) });
      await page.keyboard.press('Escape');
    }
    expect(problems).toEqual([]);
  });

  test('the event filter narrows the log, and pause keeps what arrives until resume', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    const rows = page.getByTestId('events').getByTestId('event-row');
    await expect(rows.first()).toBeVisible();
    await page.getByTestId('log-type').selectOption('message.sent');
    await expect.poll(async () => new Set(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-type')))).size).toBe(1);
    await expect(rows.first()).toHaveAttribute('data-type', 'message.sent');
    await page.getByTestId('log-type').selectOption('');
    await page.getByTestId('log-filter').fill('agent-00');
    await expect(rows.first()).toContainText('agent-00');
    await page.getByTestId('log-filter').fill('');
    // Pause: the shown log stops moving while events keep arriving (counted on the resume button).
    await page.getByTestId('log-pause').click();
    const frozen = await page.getByTestId('log-count').textContent();
    await expect(page.getByTestId('log-pause')).toHaveText(/resume \(\d+ new\)/);
    expect(await page.getByTestId('log-count').textContent()).toBe(frozen);
    // The p shortcut resumes; the log then holds everything that arrived meanwhile.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('p');
    await expect(page.getByTestId('log-pause')).toHaveText('pause');
    await expect.poll(async () => Number(/of (\d+)/.exec((await page.getByTestId('log-count').textContent()) ?? '')?.[1])).toBeGreaterThan(Number(/of (\d+)/.exec(frozen ?? '')?.[1]));
  });

  test('an export downloads the filtered view as valid NDJSON', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await expect(page.locator('[data-testid="log-type"] option[value="message.sent"]')).toHaveCount(1);
    await page.getByTestId('log-type').selectOption('message.sent');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-export').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const ev = JSON.parse(l) as { type: string; plane: string; seq: number };
      expect(ev.type).toBe('message.sent');
      expect(typeof ev.seq).toBe('number');
    }
    expect(download.suggestedFilename()).toMatch(/\.ndjson$/);
  });

  test('a consensus round shows who voted how, and its outcome', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Coordination');
    // A round seen from its start: its observer is listed (with no vote) beside the voters.
    const done = page.locator('[data-testid="round"][data-status="COMPLETED"]').filter({ has: page.locator('[data-vote="—"]') }).first();
    await expect(done).toBeVisible({ timeout: 30_000 });
    await expect(done.getByTestId('round-outcome')).toHaveText(/approved|rejected/);
    const votes = await done.getByTestId('vote').evaluateAll((r) => r.map((x) => x.getAttribute('data-vote')));
    // The simulator's rounds have 4 voters (initiator included) and an observer.
    expect(votes.filter((v) => v === 'approve' || v === 'reject')).toHaveLength(4);
    expect(votes).toContain('—');
  });

  test('repeated alerts are grouped with a count, and can be acknowledged', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Alerts');
    const msg = `Repeat ${Date.now()}`;
    for (let i = 0; i < 3; i++) sim.inject('control', { id: `rep-${msg}-${i}`, type: 'system.metrics', timestamp: new Date().toISOString(), payload: { activeAgents: 12, totalAgents: 12, alerts: [{ level: 'critical', message: msg, component: 'bus' }] } });
    for (let i = 0; i < 2; i++) sim.sendError('control', 'RATE_LIMIT_EXCEEDED', `slow down ${msg}`);
    const row = page.getByTestId('alert').filter({ hasText: msg }).filter({ hasText: 'bus' });
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-count', '3');
    await expect(row.getByTestId('alert-count')).toHaveText('×3');
    const err = page.getByTestId('alert').filter({ hasText: `slow down ${msg}` });
    await expect(err).toHaveAttribute('data-count', '2');
    await expect(err).toContainText('RATE_LIMIT_EXCEEDED');
    await row.getByTestId('alert-ack').click();
    await expect(row).toContainText('acknowledged');
  });

  test('a command round trip shows its response; a command with no answer shows TIMEOUT', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Commands');
    const panel = page.getByTestId('commands');
    await panel.getByTestId('command-name').fill('fetch_logs');
    await panel.getByTestId('command-agent').fill('agent-002');
    await panel.getByTestId('command-params').fill('lines=3');
    await panel.getByTestId('command-send').click();
    await expect(panel.getByTestId('command-confirm')).toContainText('fetch_logs to agent-002');
    await panel.getByTestId('command-confirm-send').click();
    const first = panel.getByTestId('command-results').locator('li').first();
    await expect(first).toHaveAttribute('data-state', 'success');
    await expect(first.getByTestId('logs')).toHaveText(/simulated log line 1\n.*simulated log line 2\n.*simulated log line 3/);
    sim.setFault('commandNoAnswer', true);
    try {
      await panel.getByTestId('command-name').fill('restart');
      await panel.getByTestId('command-params').fill('');
      await panel.getByTestId('command-timeout').fill('1');
      await panel.getByTestId('command-send').click();
      await panel.getByTestId('command-confirm-send').click();
      await expect(first).toHaveAttribute('data-state', /sent|waiting/);
      await expect(first).toHaveAttribute('data-state', 'timeout');
      await expect(first).toContainText('TIMEOUT');
    } finally {
      sim.setFault('commandNoAnswer', false);
    }
    // control.multi-agent.configure is validated, then answered.
    await panel.getByTestId('command-kind').selectOption('configure');
    await panel.getByTestId('cfg-redundancy').fill('-3');
    await panel.getByTestId('command-send').click();
    await expect(panel.getByTestId('command-error')).toHaveText(/redundancy/);
    await panel.getByTestId('cfg-redundancy').fill('2');
    await panel.getByTestId('command-send').click();
    await panel.getByTestId('command-confirm-send').click();
    await expect(first).toHaveAttribute('data-state', 'success');
    await expect(first).toContainText('control.multi-agent.configure');
  });

  test('search dims the agents that do not match, and Enter focuses the first match', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(12);
    await openPanel(page, 'Search');
    // The legend, open on a first launch in a large graph panel, would cover part of the graph: fold it, as an operator would.
    if ((await page.getByTestId('graph-legend').getAttribute('open')) !== null) await page.getByTestId('graph-legend').locator('summary').click();
    await expect(page.getByTestId('graph-legend')).not.toHaveAttribute('open', '');
    // Agents move between the position read and the screenshot, and one may sit under the
    // legend or another agent: a sample only counts an agent that is clear of both.
    const sample = async (): Promise<{ lum: number[]; clear: boolean[] }> => {
      const at = await page.evaluate(() => Array.from({ length: 12 }, (_, i) => window.__swarmdeck!.screenOf('plane-1', i + 1)));
      const box = (await page.getByTestId('scene').boundingBox())!;
      const legend = await page.getByTestId('graph-legend').boundingBox();
      const png = PNG.sync.read(await page.screenshot({ clip: box }));
      // The brightest pixel within 2 px of the agent's centre: its disc (inside the plane-coloured ring), lit or dimmed.
      const lum = (p: { x: number; y: number } | null): number => {
        if (!p) return NaN;
        let max = 0;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const x = Math.round(p.x) + dx;
            const y = Math.round(p.y) + dy;
            if (x < 0 || y < 0 || x >= png.width || y >= png.height) continue;
            const i = (y * png.width + x) * 4;
            max = Math.max(max, png.data[i]! + png.data[i + 1]! + png.data[i + 2]!);
          }
        return max;
      };
      const clear = at.map((p, i) => {
        if (!p || p.x < 12 || p.y < 12 || p.x > box.width - 12 || p.y > box.height - 12) return false;
        if (legend) {
          const lx = legend.x - box.x, ly = legend.y - box.y;
          if (p.x > lx - 12 && p.x < lx + legend.width + 12 && p.y > ly - 12 && p.y < ly + legend.height + 12) return false;
        }
        return at.every((q, j) => j === i || !q || Math.hypot(q.x - p.x, q.y - p.y) > 16);
      });
      return { lum: at.map(lum), clear };
    };
    const median = (xs: number[]): number => { const s = xs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b); return s[s.length >> 1] ?? NaN; };
    /** The median brightness of the clear agents other than `skip`. */
    const others = (s: { lum: number[]; clear: boolean[] }, skip: number): number => median(s.lum.filter((_, i) => i !== skip && s.clear[i]));
    // Calibrate on a frame where the discs were sampled lit, and pick as the match an agent clear of everything.
    let before = 0;
    let pick = -1;
    await expect.poll(async () => {
      const s = await sample();
      before = others(s, -1);
      pick = s.clear.indexOf(true);
      return before > 200 && pick >= 0;
    }, { timeout: 15_000 }).toBe(true);
    const id = pick + 1;
    const name = `agent-${String(id).padStart(3, '0')}`;
    await page.getByTestId('search-input').fill(name);
    await expect(page.getByTestId('search-count')).toHaveText(/^1 match/);
    await expect(page.getByTestId('search-results').locator('li')).toHaveCount(1);
    let dim = 0;
    await expect.poll(async () => (dim = others(await sample(), pick)), { timeout: 10_000 }).toBeLessThan(before * 0.6);
    // The match itself stays lit (judged on a frame where it is clear of the legend and its neighbours).
    await expect.poll(async () => {
      const s = await sample();
      return s.clear[pick]! && s.lum[pick]! > others(s, pick) * 1.5;
    }, { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => window.__swarmdeck!.graphMatches())).toEqual([{ plane: 'plane-1', id }]);
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.selected())).toEqual({ plane: 'plane-1', id });
    await page.getByTestId('search-input').fill('state:NOSUCHSTATE');
    await expect(page.getByTestId('search-count')).toHaveText(/^0 matches/);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.graphMatches())).toEqual([]);
    await page.getByTestId('search-input').fill('');
    // Cleared: the graph is told to show all again (what it then draws is the scene's own test).
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.graphMatches())).toBeNull();
    expect(dim).toBeGreaterThan(0);
  });

  test('the layout survives a reload, and reset brings the default back', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Metrics');
    // Close the Alerts tab.
    await page.locator('.dv-tab', { hasText: 'Alerts' }).click();
    await page.locator('.dv-tab', { hasText: 'Alerts' }).locator('.dv-default-tab-action').click({ force: true });
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.layout())).not.toContain('alerts');
    await page.reload();
    await live(page);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.layout())).not.toContain('alerts');
    expect(await page.evaluate(() => window.__swarmdeck!.layout())).toContain('metrics');
    await expect(page.getByTestId('metrics')).toBeVisible();
    await page.getByTestId('menu-button').click();
    await page.getByTestId('reset-layout').click();
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.layout())).toContain('alerts');
    await page.reload();
    await live(page);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.layout())).toContain('alerts');
  });

  test('an agent name containing markup is shown as text, everywhere', async ({ page }) => {
    await page.goto(app.url);
    await live(page);
    const name = '<img src=x onerror="window.__pwned=1"><b>Bold</b>\u202Egnp.exe';
    sim.inject('agents', { id: 'mk1', type: 'agent.state.changed', timestamp: new Date().toISOString(), payload: { agentId: 'agent-004', newState: 'EXECUTING', reason: name, metadata: { name, namespace: '<i>ns</i>' } } });
    const shown = name.replace('\u202E', '‹U+202E›');
    await openPanel(page, 'Search');
    await page.getByTestId('search-input').fill('Bold');
    await expect(page.getByTestId('search-count')).toHaveText(/^1 match/);
    await expect(page.getByTestId('search-results')).toContainText(shown);
    await page.getByTestId('search-input').press('Enter');
    await expect(page.getByTestId('inspector-name')).toHaveText(shown);
    await expect(page.getByTestId('inspector-namespace')).toHaveText('<i>ns</i>');
    await page.getByTestId('log-filter').fill('Bold');
    await expect(page.getByTestId('events').getByTestId('event-row').first()).toContainText(shown);
    // Nothing was parsed as markup: no element from the name exists, and no script ran.
    expect(await page.locator('img[src="x"], b:text("Bold"), i:text("ns")').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

test('an injected fault shows in Connections and recovers; disconnect and connect work', async ({ page }) => {
  const sim = await busySim();
  const app = await startWeb(['--url', sim.url]);
  try {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Connections');
    const row = page.getByTestId('connection-row');
    await expect(row).toHaveAttribute('data-state', 'LIVE');
    // A server that refuses every version the client offers: every endpoint fails with the reason.
    sim.setFault('refuseVersions', true);
    sim.dropAll();
    await expect(row).not.toHaveAttribute('data-state', 'LIVE');
    await expect(row.getByTestId('connection-reason')).toBeVisible();
    await expect(row.getByTestId('counters').locator('[data-key="reconnects"] dd')).not.toHaveText('0');
    sim.setFault('refuseVersions', false);
    await row.getByTestId('plane-reconnect').click();
    await expect(row).toHaveAttribute('data-state', 'LIVE', { timeout: 30_000 });
    await row.getByTestId('plane-disconnect').click();
    await expect(row).toHaveAttribute('data-state', 'CLOSED');
    await row.getByTestId('plane-connect').click();
    await expect(row).toHaveAttribute('data-state', 'LIVE');
  } finally {
    await app.stop();
    await sim.stop();
  }
});

test('an unrelated store change does not re-render a panel; its own slice does', async ({ page }) => {
  // Quiet: no flows, metrics or rounds, so only what the test does changes the Flows panel's slice.
  const sim = new Simulator({ ...QUIET, agents: 6 });
  await sim.start();
  const app = await startWeb(['--url', sim.url]);
  try {
    await page.goto(app.url);
    await live(page);
    await openPanel(page, 'Flows');
    await expect(page.getByTestId('flows')).toContainText('No message.flow.stats yet');
    await page.waitForTimeout(500);
    const renders = () => page.evaluate(() => window.__swarmdeck!.renders());
    const before = await renders();
    // Unrelated: a search (the search slice), a selection (the inspector's), the theme, and a second of plane status updates.
    await openPanel(page, 'Search');
    await page.getByTestId('search-input').fill('agent-002');
    await expect(page.getByTestId('search-count')).toHaveText(/^1 match/);
    await page.getByTestId('search-input').press('Enter');
    await setTheme(page, 'dark');
    await page.waitForTimeout(1500);
    const after = await renders();
    expect(after.search!).toBeGreaterThan(before.search ?? 0);
    expect(after.inspector!).toBeGreaterThan(before.inspector!);
    expect(after.flows).toBe(before.flows);
    // Its own slice: a flow's statistics arrive.
    sim.inject('graph', { id: 'f1', type: 'message.flow.stats', timestamp: new Date().toISOString(), payload: { flowId: 'a-b', statistics: { messageCount: 3, averageLatency: 12 } } });
    await openPanel(page, 'Flows');
    await expect(page.getByTestId('flow')).toHaveCount(1);
    expect((await renders()).flows!).toBeGreaterThan(before.flows!);
  } finally {
    await app.stop();
    await sim.stop();
  }
});
