// A dead plane does not look alive (issue 20): its server killed, the page
// shows it DOWN within a second with one "retrying in N s" countdown, after an
// agent-notification storm the plane's own notification is still raised, and
// it is LIVE again when the server is back. Against the independent test plane.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { TestPlane } from '../helpers/test-plane.js';
import { startWeb, type WebApp } from './start-web.js';

let tp: TestPlane;
let app: WebApp;
test.beforeAll(async () => {
  tp = new TestPlane({ agents: 30, heartbeatIntervalMs: 1000 });
  await tp.start();
  app = await startWeb(['--url', tp.url]);
});
test.afterAll(async () => {
  await app?.stop();
  await tp?.stop();
});

test('killed: DOWN within a second with one countdown, its notification raised despite an agent storm, LIVE again after', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  const state = page.getByTestId('connection-state');
  await expect(state).toHaveText('LIVE');
  // An agent-notification storm: 30 agents to ERROR, past the per-minute budget.
  for (let i = 1; i <= 30; i++) tp.setState(i, 'ERROR', 'IDLE', 'storm');
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.notifications().filter((t) => / is in ERROR$/.test(t)).length)).toBeGreaterThan(0);
  await tp.kill();
  const killedAt = Date.now();
  await expect(state).toHaveText('DOWN', { timeout: 5000 });
  expect(Date.now() - killedAt).toBeLessThan(2500); // DOWN in the core within 1 s; the page shows it with its next frame
  const countdown = page.getByTestId('retry-countdown').first();
  await expect(countdown).toHaveText(/^retrying (in \d+ s|now)$/);
  await expect(page.getByTestId('plane-health')).toHaveText(/^down/);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.notifications())).toContainEqual(expect.stringMatching(/ is DOWN$/));
  // Stays DOWN while it retries.
  await page.waitForTimeout(1500);
  await expect(state).toHaveText('DOWN');
  await tp.start();
  await expect(state).toHaveText('LIVE', { timeout: 60_000 });
  await expect(page.getByTestId('retry-countdown')).toHaveCount(0);
});
