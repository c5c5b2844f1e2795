import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const PER_PLANE = 9;
let app: WebApp;

test.beforeAll(async () => {
  app = await startWeb(['--planes', '2', '--agents', String(PER_PLANE), '--rate', '15']);
});
test.afterAll(async () => {
  await app?.stop();
});

test('several planes are drawn together, one at a time, and keep their own agents', async ({ page }, info) => {
  await page.goto(app.url);
  const states = page.getByTestId('connection-state');
  await expect(states).toHaveCount(2);
  await expect(states.nth(0)).toHaveText('LIVE');
  await expect(states.nth(1)).toHaveText('LIVE');
  // Both simulators number their agents 1..9: separate stores keep 18 agents, not 9.
  expect(app.simAgents).toBe(2 * PER_PLANE);
  await expect(page.getByTestId('agent-count')).toHaveText(String(app.simAgents));
  const drawn = () => page.evaluate(() => window.__swarmdeck?.scene()?.nodes);
  await expect.poll(drawn).toBe(app.simAgents);
  const planes = await page.evaluate(() => window.__swarmdeck!.planes().map((p) => [p.plane, p.agents, p.color]));
  expect(planes.map(([, n]) => n)).toEqual([PER_PLANE, PER_PLANE]);
  expect(new Set(planes.map(([, , c]) => c)).size).toBe(2); // each plane its own colour

  const shot = info.outputPath('two-planes.png');
  await page.screenshot({ path: shot });
  await info.attach('two-planes', { path: shot, contentType: 'image/png' });

  // Hide the first plane: only the second's agents are drawn.
  await page.getByTestId('plane-visible').nth(0).uncheck();
  await expect.poll(drawn).toBe(PER_PLANE);
  await page.getByTestId('plane-visible').nth(0).check();
  await expect.poll(drawn).toBe(2 * PER_PLANE);
  // "only" the first.
  await page.getByTestId('plane-only').nth(0).click();
  await expect.poll(drawn).toBe(PER_PLANE);
  await expect(page.getByTestId('plane-visible').nth(1)).not.toBeChecked();

  // Latency from the core's socket to this page is measured and shown.
  await expect(page.getByTestId('latency')).toHaveText(/^\d+(\.\d)? ms$/);
});

test('search: plane: takes a plane shown name by prefix, any case; an unknown key says which keys there are', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  await openPanel(page, 'Search');
  const input = page.getByTestId('search-input');
  const count = page.getByTestId('search-count');
  // Both planes are "Simulator 1" and "Simulator 2": their shown name, in capitals, cut short.
  await input.fill('plane:SIMULATOR');
  await expect(count).toHaveText(new RegExp(`^${2 * PER_PLANE} matches`));
  await input.fill('plane:sim-2');
  await expect(count).toHaveText(new RegExp(`^${PER_PLANE} matches`));
  const plane2 = await page.evaluate(() => window.__swarmdeck!.planes().find((p) => p.plane === 'sim-2')!.label);
  expect(plane2).toBe('Simulator 2');
  await expect(page.getByTestId('search-results').locator('li').first()).toContainText('Simulator 2');
  await expect(page.getByTestId('search-unknown-key')).toHaveCount(0);
  await input.fill('colour:red');
  await expect(page.getByTestId('search-unknown-key')).toHaveText('unknown key colour; keys are ns, state, cap, plane');
});

test('the console\'s own events read as sentences in the Events panel, not as JSON', async ({ page }) => {
  await page.goto(app.url);
  await openPanel(page, 'Events');
  await page.getByTestId('log-level').selectOption('debug');
  await page.getByTestId('log-filter').fill('session on');
  const rows = page.locator('[data-testid="event-row"][data-type="client.session"]');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText(/session on \w+: protocol [\d.]+, compression \w+, heartbeat every/);
  for (const t of await rows.allTextContents()) expect(t).not.toMatch(/\{"/);
});
