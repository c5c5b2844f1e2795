// Synced timelines (issue 21): two recordings of the same test plane, the
// second run started 5 s after the first, opened beside a live plane, put on
// one timeline in the Timeline panel. Aligned by start, the same agent is at
// the same place at the same timeline time (where the scripted run had it
// then); aligned by clock time, it is not. One scrubber and one play/pause
// move both; the Overview compares their agents per state over time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { recordRuns } from '../helpers/synced-runs.js';
import { TestPlane, testPlanePosition } from '../helpers/test-plane.js';
import { startWeb, type WebApp } from './start-web.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-synced-'));
const AGENT = 2;
const GAP_MS = 5000;
let app: WebApp;
let live: TestPlane;

test.beforeAll(async () => {
  await recordRuns([join(dir, 'yesterday.mcap'), join(dir, 'today.mcap')], { gapMs: GAP_MS, durationMs: 12_000, agents: 6, positionHz: 20, snapshotEveryMs: 1000 });
  live = new TestPlane({ agents: 3, positionHz: 5 });
  await live.start();
  app = await startWeb(['--url', live.url, '--open', join(dir, 'yesterday.mcap'), '--open', join(dir, 'today.mcap')]);
});

test.afterAll(async () => {
  await app?.stop();
  await live?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Pt = { x: number; y: number };
const dist = (p: Pt, q: Pt): number => Math.hypot(p.x - q.x, p.y - q.y);
const reported = (page: Page, plane: string): Promise<Pt | null> => page.evaluate(([p, id]) => window.__swarmdeck!.sceneDebug?.()?.nodeSent(p, id) ?? null, [plane, AGENT] as const);
/** Both recordings' agent, once they agree with each other and with where the script had it at timeline time `t`; the last reading otherwise. */
async function together(page: Page, t: () => Promise<number>): Promise<{ a: Pt; b: Pt; t: number }> {
  let last = { a: { x: NaN, y: NaN }, b: { x: NaN, y: NaN }, t: NaN };
  await expect
    .poll(
      async () => {
        const [a, b, at] = [await reported(page, 'rec:tp'), await reported(page, 'rec:tp-2'), await t()];
        if (!a || !b) return 'not drawn';
        last = { a, b, t: at };
        const want = testPlanePosition(AGENT, at);
        return dist(a, b) < 3 && dist(a, want) < 4 && dist(b, want) < 4 ? 'together' : `a ${JSON.stringify(a)} b ${JSON.stringify(b)} want ${JSON.stringify(want)} at ${at}`;
      },
      { timeout: 15_000 },
    )
    .toBe('together');
  return last;
}

test('two runs 5 s apart, aligned by start: the same agent at the same place at the same timeline time; one scrubber, one play/pause', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane).sort())).toEqual(['plane-1', 'rec:tp', 'rec:tp-2']);
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Timeline' }).click();
  const panel = page.getByTestId('timeline-panel');
  await panel.getByTestId('timeline-sync').click();
  const synced = panel.getByTestId('timeline-synced');
  await expect(synced).toBeVisible();
  await expect(synced.getByTestId('timeline-member')).toHaveCount(2);
  await expect(synced.getByTestId('timeline-align')).toHaveValue('start');
  for (const f of await synced.getByTestId('timeline-offset').all()) await expect(f).toHaveValue('0.0');
  // Synced is paused: the play button is offered.
  await expect(synced.getByTestId('timeline-play')).toBeVisible();

  const track = synced.getByTestId('timeline-track');
  const box = (await track.boundingBox())!;
  const now = async (): Promise<number> => Number(await track.getAttribute('aria-valuenow'));
  /** Clicks the track at fraction `f`, and waits until the timeline says it is there (never reading the place before). */
  const clickAt = async (f: number): Promise<void> => {
    const end = Number(await track.getAttribute('aria-valuemax'));
    await page.mouse.click(box.x + box.width * f, box.y + box.height / 2);
    await expect.poll(async () => Math.abs((await now()) - f * end)).toBeLessThan(0.03 * end);
  };

  // One scrubber moves both: at 40 % and at 75 % of the timeline, the agent is where the scripted run had it.
  await clickAt(0.4);
  const first = await together(page, now);
  expect(first.t).toBeGreaterThan(3000);
  await clickAt(0.75);
  const second = await together(page, now);
  expect(second.t - first.t).toBeGreaterThan(3000);
  // It moved in between (so "together" is not two agents standing still).
  expect(dist(first.a, second.a)).toBeGreaterThan(10);

  // The Overview compares them: agents per state over the synced timeline, one chart per recording, the same states.
  const compare = page.getByTestId('overview-compare');
  await expect(compare).toHaveAttribute('data-synced', 'yes');
  const charts = compare.getByTestId('compare-chart');
  await expect(charts).toHaveCount(2);
  await expect(charts.nth(0)).toHaveAttribute('data-plane', 'rec:tp');
  await expect(charts.nth(1)).toHaveAttribute('data-plane', 'rec:tp-2');
  for (const c of await charts.all()) {
    expect(Number(await c.getAttribute('data-points'))).toBeGreaterThanOrEqual(10);
    await expect(c).toHaveAttribute('data-states', /EXECUTING.*WAITING.*ERROR/);
  }
  expect(await charts.nth(0).getAttribute('data-states')).toBe(await charts.nth(1).getAttribute('data-states'));
  await expect(charts.nth(0).getByTestId('compare-now')).toContainText('executing');

  // Play moves both, pause stops both, together.
  await clickAt(0.2);
  await together(page, now);
  await synced.getByTestId('timeline-play').click();
  const t0 = await now();
  await expect.poll(now, { timeout: 10_000 }).toBeGreaterThan(t0 + 1000);
  await synced.getByTestId('timeline-pause').click();
  await expect(synced.getByTestId('timeline-play')).toBeVisible();
  await together(page, now);

  // Aligned by clock time: the second run starts 5 s later on the timeline; at the same timeline time the agents part.
  await synced.getByTestId('timeline-align').selectOption('time');
  await expect.poll(async () => Number(await synced.getByTestId('timeline-offset').nth(1).inputValue())).toBeGreaterThan(4.5);
  await clickAt(0.7);
  await expect.poll(async () => {
    const [a, b] = [await reported(page, 'rec:tp'), await reported(page, 'rec:tp-2')];
    return a && b ? dist(a, b) : 0;
  }).toBeGreaterThan(10);

  // An offset typed: the second back to 0 s: together again, aligned "by offsets".
  const offset = synced.getByTestId('timeline-offset').nth(1);
  await offset.fill('0');
  await offset.press('Enter');
  await expect(synced.getByTestId('timeline-align')).toHaveValue('offset');
  await clickAt(0.5);
  await together(page, now);

  // Unsync: each recording on its own timeline again.
  await synced.getByTestId('timeline-unsync').click();
  await expect(panel.getByTestId('timeline-sync')).toBeVisible();
});

test('a replayed plane\'s alert opens the moment it fired: its recording 10 s before, the agent selected and centred', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.planes().length)).toBe(3);
  const openPanel = async (name: string): Promise<void> => {
    await page.getByTestId('menu-button').click();
    await page.getByRole('menuitem', { name }).click();
  };
  await openPanel('Timeline');
  const panel = page.getByTestId('timeline-panel');
  if (await panel.getByTestId('timeline-sync').isVisible()) await panel.getByTestId('timeline-sync').click();
  const synced = panel.getByTestId('timeline-synced');
  await expect(synced).toBeVisible();
  const track = synced.getByTestId('timeline-track');
  const box = (await track.boundingBox())!;
  const now = async (): Promise<number> => Number(await track.getAttribute('aria-valuenow'));
  // Play the last few seconds: the script puts agent 5 in ERROR 11 s into each run (an agent_error alert).
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
  await expect.poll(now).toBeLessThan(9500);
  await synced.getByTestId('timeline-play').click();
  await expect.poll(now, { timeout: 15_000 }).toBeGreaterThan(11_800);

  await openPanel('Alerts');
  const row = page.locator('[data-testid="alert"][data-plane="rec:tp"][data-kind="agent_error"][data-key*="agent-005"]');
  await expect(row).toBeVisible();
  await row.locator('.alert-msg').click();
  // The agent is selected, and the camera centres on it.
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.selected())).toEqual({ plane: 'rec:tp', id: 5 });
  const canvas = (await page.getByTestId('scene').locator('canvas').boundingBox())!;
  await expect
    .poll(async () => {
      const p = await page.evaluate(() => window.__swarmdeck!.screenOf('rec:tp', 5));
      return p ? Math.max(Math.abs(p.x - canvas.width / 2), Math.abs(p.y - canvas.height / 2)) : Infinity;
    })
    .toBeLessThan(40);
  // The recordings went back to 10 s before it fired (about 11 s in): about 1 s into the timeline, paused.
  await openPanel('Timeline');
  await expect(synced.getByTestId('timeline-play')).toBeVisible();
  const t = await now();
  expect(t).toBeGreaterThan(600);
  expect(t).toBeLessThan(2200);
});
