// The profile manager in browser mode, against a simulator started here and
// a profile store in a temporary SWARMDECK_CONFIG_DIR: create a profile,
// connect it (its agents appear), edit it, delete it, undo. Each step is
// checked in the page and in the profile file the host wrote.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const AGENTS = 9;
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-profiles-e2e-'));
let sim: Simulator;
let app: WebApp;

/** The names in the profile file the host keeps. */
const savedNames = (): string[] => (JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as { profiles: { name: string }[] }).profiles.map((p) => p.name);

test.beforeAll(async () => {
  sim = new Simulator({ ...QUIET, agents: AGENTS, rate: 10, seed: 7 });
  await sim.start();
  // The console's own plane: a small embedded simulator, so the test plane is the only one with AGENTS agents.
  app = await startWeb(['--agents', '3'], { SWARMDECK_CONFIG_DIR: dir });
});
test.afterAll(async () => {
  await app?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('create, connect, edit, delete, undo', async ({ page }, info) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(app.url);
  await openPanel(page, 'Profiles');
  const panel = page.getByTestId('profiles-panel');
  // First launch: the store was created with the "Local simulator" profile.
  await expect(panel.getByTestId('profile-name').filter({ hasText: 'Local simulator' })).toBeVisible();
  // The running-simulator cap and count (this host runs its own embedded one, not a profile's).
  await expect(page.getByTestId('profiles-simulators')).toHaveText(/^simulators running: \d+ of at most 8$/);

  // Create.
  await panel.getByTestId('profile-new').click();
  await panel.getByTestId('profile-input-name').fill('Test plane');
  await panel.getByTestId('profile-input-url').fill(sim.url);
  await panel.getByTestId('profile-input-group').fill('Lab');
  await panel.getByTestId('profile-save').click();
  const row = panel.locator('[data-testid^="profile-row-"]').filter({ hasText: 'Test plane' });
  await expect(row).toHaveCount(1);
  const id = (await row.getAttribute('data-testid'))!.replace('profile-row-', '');
  expect(savedNames()).toContain('Test plane');

  // Connect: the profile's plane opens in the console and its agents arrive.
  await row.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect
    .poll(() => page.evaluate((pid) => window.__swarmdeck?.planes().find((p) => p.plane === pid), id), { timeout: 30_000 })
    .toMatchObject({ label: 'Test plane', state: 'LIVE', agents: AGENTS });
  await expect(row.getByText('connected', { exact: true })).toBeVisible();
  await expect(page.getByTestId('profiles-status')).toHaveText('Test plane: connected');

  // Test: probe's report against the plane.
  await row.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(row.getByTestId('profile-test-report')).toContainText(/usable \(exit 0\)/, { timeout: 20_000 });
  await page.screenshot({ path: info.outputPath('profiles.png') });

  // Edit.
  await panel.getByTestId(`profile-edit-${id}`).click();
  await expect(panel.getByTestId('profile-input-name')).toHaveValue('Test plane');
  await page.screenshot({ path: info.outputPath('profiles-editor.png') });
  await panel.getByTestId('profile-input-name').fill('Lab plane');
  await panel.getByTestId('profile-save').click();
  const edited = panel.getByTestId(`profile-row-${id}`);
  await expect(edited.getByTestId('profile-name')).toHaveText('Lab plane');
  expect(savedNames()).toContain('Lab plane');
  expect(savedNames()).not.toContain('Test plane');

  // Delete, then undo.
  await panel.getByTestId(`profile-delete-${id}`).click();
  await expect(panel.getByTestId(`profile-row-${id}`)).toHaveCount(0);
  await expect(panel.getByRole('status').filter({ hasText: 'Deleted “Lab plane”' })).toBeVisible();
  expect(savedNames()).not.toContain('Lab plane');
  await panel.getByTestId('profile-undo').click();
  await expect(panel.getByTestId(`profile-row-${id}`).getByTestId('profile-name')).toHaveText('Lab plane');
  await expect(panel.getByTestId('profile-undo')).toHaveCount(0);
  expect(savedNames()).toContain('Lab plane');
  expect(problems).toEqual([]);
});
