// Issue 22: window.__swarmdeck.perf() and the status bar's data age, against
// the simulator. perf() has its shape and plausible values; the data age is
// shown, and when the plane goes silent (the simulator's `silence` fault) it
// keeps growing and turns amber past 1 s; it is fresh again once the plane
// sends again. No timing is asserted beyond "grows" and "past 1 s".
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { startWeb, type WebApp } from './start-web.js';

let sim: Simulator;
let app: WebApp;
test.beforeAll(async () => {
  sim = new Simulator({ ...QUIET, agents: 20, rate: 10, heartbeatIntervalMs: 2000 });
  await sim.start();
  app = await startWeb(['--url', sim.url]);
});
test.afterAll(async () => {
  await app?.stop();
  await sim?.stop();
});

const ageText = (t: string): number => {
  const m = /^(\d+(?:\.\d)?) (ms|s)$/.exec(t);
  if (!m) throw new Error(`data age reads "${t}"`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
};

test('perf() over the last 5 s; the data age in the status bar grows and turns amber while the plane is silent', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(app.url);
  await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.scene()?.nodes ?? 0)).toBe(20);
  const perf = () => page.evaluate(() => window.__swarmdeck!.perf());
  // A few seconds of a live plane at 10 Hz: frames drawn and applied, ages measured.
  await expect.poll(async () => (await perf()).framesApplied, { timeout: 30_000 }).toBeGreaterThan(3);
  const p = await perf();
  expect(Object.keys(p).sort()).toEqual(['dataAgeMs', 'dropped', 'fps', 'framesApplied', 'windowMs']);
  expect(Object.keys(p.dataAgeMs).sort()).toEqual(['p50', 'p95']);
  expect(p.fps).toBeGreaterThan(0);
  expect(p.fps).toBeLessThan(1000);
  expect(p.windowMs).toBeGreaterThan(0);
  expect(p.windowMs).toBeLessThanOrEqual(5000);
  // At most one applied frame per position message (10 Hz) over the window, plus the first full one.
  expect(p.framesApplied).toBeLessThanOrEqual(Math.ceil((p.windowMs / 1000) * 10) + 2);
  expect(p.dataAgeMs.p50).not.toBeNull();
  expect(p.dataAgeMs.p50!).toBeGreaterThanOrEqual(0);
  expect(p.dataAgeMs.p95!).toBeGreaterThanOrEqual(p.dataAgeMs.p50!);
  // A live local plane's data is seconds fresh even on a loaded machine.
  expect(p.dataAgeMs.p50!).toBeLessThan(5000);
  expect(p.dropped).toBeGreaterThanOrEqual(0);

  const age = page.getByTestId('data-age');
  const box = page.getByTestId('data-age-box');
  await expect(age).toHaveText(/^\d+(\.\d)? (ms|s)$/);

  // Silent, sockets open: nothing arrives; what is drawn gets older, amber past 1 s, and keeps growing.
  sim.setFault('silence', true);
  await expect(box).toHaveClass(/warn/, { timeout: 20_000 });
  const first = ageText((await age.textContent()) ?? '');
  expect(first).toBeGreaterThan(1000);
  await expect.poll(async () => ageText((await age.textContent()) ?? ''), { timeout: 10_000 }).toBeGreaterThan(first + 500);
  await expect.poll(async () => (await perf()).dataAgeMs.p50 ?? 0, { timeout: 10_000 }).toBeGreaterThan(1000);

  // The plane sends again (after a reconnect, if the silence got it declared stale): fresh, not amber.
  sim.setFault('silence', false);
  await expect(box).not.toHaveClass(/warn/, { timeout: 60_000 });
  expect(ageText((await age.textContent()) ?? '')).toBeLessThan(1000);
});
