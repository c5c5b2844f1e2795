// The timeline panel in Chromium against a real replay: a simulator session
// recorded here, opened with the Replay controller (in this Node process),
// the panel's buttons and track driving it through exposed functions. Until
// the panel is wired into the app over IPC, this is its end-to-end test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { Plane } from '../../electron/core/connection/plane.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import './recording/timeline-harness-api.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-timeline-'));
const file = join(dir, 'session.mcap');
const AGENTS = 30;
const planes = new Map<string, Plane>();
let replay: Replay;

test.beforeAll(async () => {
  const sim = new Simulator({ port: 0, agents: AGENTS, rate: 20, coordinationEveryMs: 300, systemMetricsIntervalMs: 300, stateChangesPerSecond: 10 });
  await sim.start();
  let rec: Recorder | null = null;
  const plane = new Plane(
    { id: 'sim', label: 'Simulator', url: sim.url, color: 0x4cc9f0 },
    { event: (ev) => rec?.event(ev), inbound: (e, d, b, t) => rec?.inbound('sim', e, d, b, t) },
  );
  rec = await Recorder.start(await fileSink(file), [plane], { snapshotEveryMs: 500 });
  plane.connect();
  await new Promise((r) => setTimeout(r, 4000));
  await rec.stop();
  plane.close();
  await sim.stop();
  replay = await Replay.open(file, {
    listenerFor: () => ({ event: () => undefined }),
    putPlane: (p) => void planes.set(p.config.id, p),
    removePlane: (id) => planes.delete(id),
    plane: (id) => planes.get(id),
  });
});

test.afterAll(async () => {
  await replay?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('play, pause, speed, drag to seek, step; markers shown', async ({ page }) => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bundle = await build({
    entryPoints: [join(root, 'test/e2e/recording/timeline-harness.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    outdir: join(dir, 'out'),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const js = bundle.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const css = bundle.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  await page.exposeFunction('replayCall', async (name: string, arg?: number) => {
    if (name === 'play') replay.play();
    else if (name === 'pause') replay.pause();
    else if (name === 'speed') replay.setSpeed(arg!);
    else if (name === 'seek') await replay.seek(arg!);
    else if (name === 'step') await replay.step();
  });
  await page.setContent('<!doctype html><html><body style="background:#0d1117;color:#e6edf3"><div id="root" style="width:900px"></div></body></html>');
  await page.addStyleTag({ content: `:root{--bg:#0d1117;--panel:#161b22;--line:#30363d;--text:#e6edf3;--muted:#8b949e;--warn:#d29922;--bad:#f85149} ${css}` });
  await page.addScriptTag({ content: js });
  let last = 0;
  const push = (force = false): void => {
    const now = Date.now();
    if (!force && now - last < 50) return;
    last = now;
    void page.evaluate((s) => window.__setReplay?.(s), replay.state()).catch(() => undefined);
  };
  const off = replay.onState(() => push());
  await expect.poll(() => page.evaluate(() => typeof window.__setReplay)).toBe('function');
  push(true);
  const { markers } = await replay.markers();
  await page.evaluate((m) => window.__setMarkers!(m), markers);

  // Markers: the session's connection changes and coordination rounds are on the track.
  await expect(page.getByTestId('timeline-marker').first()).toBeVisible();
  await expect(page.getByTestId('timeline-count-connection')).not.toHaveText('connection 0');
  await expect(page.getByTestId('timeline-count-coordination')).not.toHaveText('coordination 0');

  // Play, then pause: the clock moved, the controller played messages.
  const clock = page.getByTestId('timeline-clock');
  const p0 = replay.state().positionMs;
  await page.getByTestId('timeline-play').click();
  await expect.poll(() => replay.state().positionMs - p0, { timeout: 10_000 }).toBeGreaterThan(500);
  await page.getByTestId('timeline-pause').click();
  await expect.poll(() => replay.state().playing).toBe(false);
  push(true);
  await expect(clock).not.toHaveText(/^0:00\.0 \//);
  expect(planes.get('rec:sim')!.store.agents).toBe(AGENTS);

  // Speed: two steps up from 1x is 4x, in the panel and the controller.
  // Each click steps from the speed the panel shows; the harness pushes state at most every 50 ms, so
  // the second click waits until the panel shows the first one's result (as an operator's would).
  await page.getByTestId('timeline-faster').click();
  await expect.poll(() => replay.state().speed).toBe(2);
  push(true);
  await expect(page.getByTestId('timeline-speed')).toHaveText('2×');
  await page.getByTestId('timeline-faster').click();
  await expect.poll(() => replay.state().speed).toBe(4);
  push(true);
  await expect(page.getByTestId('timeline-speed')).toHaveText('4×');

  // Drag the head from 10% to 80% of the track: seeks on the way and lands at 80%.
  const box = (await page.getByTestId('timeline-track').boundingBox())!;
  const { startMs, endMs } = replay.state();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 7; i++) {
    await page.mouse.move(box.x + box.width * (0.1 + i * 0.1), box.y + box.height / 2);
    await page.waitForTimeout(60);
  }
  await page.mouse.up();
  const target = startMs + 0.8 * (endMs - startMs);
  await expect.poll(() => Math.abs(replay.state().positionMs - target), { timeout: 10_000 }).toBeLessThan((endMs - startMs) * 0.02);
  const seeks = await page.evaluate(() => window.__seeks.length);
  expect(seeks).toBeGreaterThanOrEqual(2); // while dragging and on release
  expect(planes.get('rec:sim')!.store.agents).toBe(AGENTS);

  // Step: exactly one more message into the replay plane.
  const before = planes.get('rec:sim')!.counters.messagesIn;
  await page.getByTestId('timeline-step').click();
  await expect.poll(() => planes.get('rec:sim')!.counters.messagesIn).toBe(before + 1);
  off();
});
