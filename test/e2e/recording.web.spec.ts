// `npm run start:web -- --url LIVE --open FILE`: a recording opens as a plane
// beside a live one, through the same pipeline to the page, and plays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { Plane } from '../../electron/core/connection/plane.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { startWeb, type WebApp } from './start-web.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-open-'));
const file = join(dir, 'recorded.mcap');
const RECORDED = 12;
const LIVE = 7;
let app: WebApp;
let live: Simulator;

test.beforeAll(async () => {
  const sim = new Simulator({ port: 0, agents: RECORDED, rate: 15, seed: 5 });
  await sim.start();
  let rec: Recorder | null = null;
  const plane = new Plane({ id: 'site-a', label: 'Site A', url: sim.url, color: 0xf72585 }, { event: (ev) => rec?.event(ev), inbound: (e, d, b, t) => rec?.inbound('site-a', e, d, b, t) });
  rec = await Recorder.start(await fileSink(file), [plane]);
  plane.connect();
  // Long enough to still be playing when the page looks (--open plays at 1x from the start).
  await new Promise((r) => setTimeout(r, 12_000));
  await rec.stop();
  plane.close();
  await sim.stop();
  live = new Simulator({ port: 0, agents: LIVE, rate: 15 });
  await live.start();
  app = await startWeb(['--url', live.url, '--open', file]);
});

test.afterAll(async () => {
  await app?.stop();
  await live?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the recording is a plane beside the live one: its agents drawn, moving as recorded', async ({ page }) => {
  expect(app.output()).toMatch(/opened recording .*rec:site-a/);
  await page.goto(app.url);
  const planes = () => page.evaluate(() => window.__swarmdeck!.planes().map((p) => ({ plane: p.plane, label: p.label, agents: p.agents })));
  await expect.poll(async () => (await planes()).map((p) => p.plane).sort()).toEqual(['plane-1', 'rec:site-a']);
  await expect.poll(async () => (await planes()).find((p) => p.plane === 'rec:site-a')?.agents).toBe(RECORDED);
  expect((await planes()).find((p) => p.plane === 'rec:site-a')!.label).toBe('Site A (recording)');
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(RECORDED + LIVE);
  // Playing: a recorded agent's drawn position changes over time.
  const at = () => page.evaluate(() => window.__swarmdeck!.screenOf('rec:site-a', 1));
  const first = await at();
  expect(first).not.toBeNull();
  await expect.poll(async () => JSON.stringify(await at()), { timeout: 10_000 }).not.toBe(JSON.stringify(first));
});

test('the Timeline panel drives the replay through the core: pause, speed, seek', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Timeline' }).click();
  const panel = page.getByTestId('timeline-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('recorded.mcap');
  const clock = panel.getByTestId('timeline-clock');
  // The 12 s recording may have played to its end while other tests ran: start it again from near the start.
  const track = (await panel.getByTestId('timeline-track').boundingBox())!;
  await page.mouse.click(track.x + track.width * 0.02, track.y + track.height / 2);
  await expect.poll(() => clock.textContent()).toMatch(/^0:0[0-4]/);
  if (await panel.getByTestId('timeline-play').isVisible()) await panel.getByTestId('timeline-play').click();
  // Playing at 1x: the clock moves.
  const t0 = await clock.textContent();
  await expect.poll(() => clock.textContent(), { timeout: 10_000 }).not.toBe(t0);
  // Pause: the clock stops, and Play is offered.
  await panel.getByTestId('timeline-pause').click();
  await expect(panel.getByTestId('timeline-play')).toBeVisible();
  const paused = await clock.textContent();
  await page.waitForTimeout(1000);
  expect(await clock.textContent()).toBe(paused);
  // Speed goes through the core and comes back in the state.
  await panel.getByTestId('timeline-faster').click();
  await expect(panel.getByTestId('timeline-speed')).toHaveText(/2\s*×/);
  // Seek by clicking the track at 60 % (about 0:07 of 0:12; the pause happened within the first seconds, so the
  // target is never where the clock already stands): the clock jumps there, and the recorded agent is drawn where it
  // was then.
  const before = await page.evaluate(() => window.__swarmdeck!.screenOf('rec:site-a', 1));
  await page.mouse.click(track.x + track.width * 0.6, track.y + track.height / 2);
  await expect.poll(() => clock.textContent()).toMatch(/^0:0[6-8]/);
  expect(await clock.textContent()).not.toBe(paused);
  await expect.poll(async () => JSON.stringify(await page.evaluate(() => window.__swarmdeck!.screenOf('rec:site-a', 1)))).not.toBe(JSON.stringify(before));
});

test('record buttons: one click records every live plane; the indicator shows elapsed time and size; stop writes a file that opens', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Timeline' }).click();
  const controls = page.getByTestId('record-controls');
  await expect(controls).toBeVisible();
  // The replayed plane is not offered: only the live one.
  await expect(controls.getByTestId('record-plane').locator('option')).toHaveText(['one plane…', /127\.0\.0\.1/]);
  await controls.getByTestId('record-all').click();
  const indicator = controls.getByTestId('record-indicator');
  await expect(indicator).toContainText(/REC \d+:\d\d/);
  await expect(page.getByTestId('status-recording')).toContainText('REC');
  // Time and size move while it records.
  const first = await indicator.textContent();
  await expect.poll(() => indicator.textContent(), { timeout: 10_000 }).not.toBe(first);
  const path = (await indicator.getAttribute('title'))!;
  expect(path).toMatch(/\.mcap$/);
  await page.waitForTimeout(1500);
  await indicator.getByTestId('record-stop').click();
  await expect(indicator).toHaveCount(0);
  await expect(page.getByTestId('status-recording')).toHaveCount(0);
  // The file is a complete recording of the live plane.
  const { Recording } = await import('../../electron/core/recording/reader.js');
  const rec = await Recording.open(path);
  try {
    expect(rec.complete).toBe(true);
    expect(rec.meta?.planes.map((p) => new URL(p.url).host)).toEqual([new URL(live.url).host]);
    expect(rec.endMs - rec.startMs).toBeGreaterThan(1000);
  } finally {
    await rec.close();
  }
  // The file is listed in the recordings folder, and replays from there beside the live plane and the other recording.
  const planes = () => page.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane).sort());
  const name = path.split(/[\\/]/).pop()!;
  const row = page.locator(`[data-testid="recording-file"][data-name="${name}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('recording-file-open').click();
  await expect.poll(planes).toEqual(['plane-1', 'rec:plane-1', 'rec:site-a']);
  // The one just opened is the one the timeline shows; closing it takes its plane away, and only its.
  await expect(page.getByTestId('timeline-recording').locator('option:checked')).toHaveText(path);
  await page.getByTestId('timeline-close').click();
  await expect.poll(planes).toEqual(['plane-1', 'rec:site-a']);
  await expect(page.getByTestId('timeline-recording')).toHaveCount(0);
});

test('closing the replay removes everything it drew: the scene holds the live plane\'s agents only', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(RECORDED + LIVE);
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Timeline' }).click();
  const panel = page.getByTestId('timeline-panel');
  await panel.getByTestId('timeline-close').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.planes().map((p) => p.plane))).toEqual(['plane-1']);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(LIVE);
  // A reload draws the same: nothing of the replay comes back.
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(LIVE);
});
