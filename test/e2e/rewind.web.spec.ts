// Rewind a live plane (issue 21) against the independent test plane: it runs
// for RUN_MS (60 s; SWARMDECK_E2E_REWIND_RUN_MS shortens it on a slow
// machine), the Timeline's −10 s is pressed three times (30 s back): the
// rewind plane shows the agents where the test plane sent them then,
// clock() says rewind, the status bar says REWIND, a command to the plane is
// refused saying why; LIVE returns with every event received meanwhile.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { TestPlane, testPlanePosition } from '../helpers/test-plane.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const RUN_MS = Number(process.env.SWARMDECK_E2E_REWIND_RUN_MS ?? 60_000);
const PLANE = 'plane-1';

let tp: TestPlane;
let app: WebApp;
let startedAt = 0;
test.beforeAll(async () => {
  startedAt = Date.now();
  tp = new TestPlane({ agents: 20, positionHz: 10, flows: 4, messagesPerSec: 4, heartbeatIntervalMs: 1000 });
  await tp.start();
  app = await startWeb(['--url', tp.url, '--rewind', '5m']);
});
test.afterAll(async () => {
  await app?.stop();
  await tp?.stop();
});

/** The page's event seqs of the plane, ascending. */
const seqs = (ids: string[]): number[] =>
  ids
    .filter((id) => id.startsWith(`${PLANE}#`))
    .map((id) => Number(id.slice(PLANE.length + 1)))
    .sort((a, b) => a - b);

test('rewind 30 s: the agents where they were, clock() rewind, commands refused; LIVE returns with every event', async ({ page }) => {
  test.setTimeout(RUN_MS + 150_000);
  await page.goto(app.url);
  await expect(page.getByTestId('connection-state').first()).toHaveText('LIVE');
  const started = Date.now();
  await page.waitForTimeout(RUN_MS);
  expect(Date.now() - started).toBeGreaterThanOrEqual(RUN_MS);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode)).toBe('live');

  await openPanel(page, 'Timeline');
  const rewind = page.getByTestId('rewind');
  await expect(rewind.getByTestId('rewind-state')).toHaveText('LIVE');
  const before = seqs(await page.evaluate(() => window.__swarmdeck!.session().events));
  expect(before.length).toBeGreaterThan(10);
  // −10 s three times: each from the time shown.
  const pressedAt = Date.now();
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    await rewind.getByTestId('rewind-10s').click();
    if (process.env.REWIND_DEBUG) {
      await page.waitForTimeout(3000);
      console.log('REWIND PANEL:', await rewind.innerText(), '\nOUTPUT:', app.output().slice(-3000));
    }
    await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock()), { timeout: 20_000 }).toMatchObject({ mode: 'rewind', at: expect.any(Number) });
    await expect.poll(async () => (await page.evaluate(() => window.__swarmdeck!.clock().at)) < last - 5000, { timeout: 20_000 }).toBe(true);
    last = await page.evaluate(() => window.__swarmdeck!.clock().at);
  }
  const at = last;
  // About 30 s before the first press (the clicks take a little time each).
  expect(pressedAt - at).toBeGreaterThan(29_000);
  expect(pressedAt - at).toBeLessThan(45_000);
  await expect(page.getByTestId('status-rewind')).toHaveText(/^REWIND −00:(3\d|4\d)$/);
  await expect(rewind.getByTestId('rewind-state')).toHaveText(/^REWIND −/);
  // The rewound plane's region says so too.
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.regions().find((r) => r.planeId === 'rewind:plane-1')?.title ?? '')).toMatch(/REWIND −00:[34]\d/);

  // The rewind plane's agents are where the test plane sent them at that moment (the last send at or before it).
  const rewound = `rewind:${PLANE}`;
  await expect.poll(() => page.evaluate((p) => window.__swarmdeck!.sceneDebug?.()?.nodeSent(p, 7) ?? null, rewound), { timeout: 15_000 }).not.toBeNull();
  const sent = tp.sentPositionsAt.filter((t) => Math.abs(t - at) < 400);
  expect(sent.length).toBeGreaterThan(2);
  for (const id of [1, 7, 20]) {
    const got = (await page.evaluate(([p, n]) => window.__swarmdeck!.sceneDebug!()!.nodeSent(p as string, n as number), [rewound, id] as const))!;
    const match = sent.find((t) => {
      const want = testPlanePosition(id, t);
      return Math.abs(want.x - got.x) < 1e-3 && Math.abs(want.y - got.y) < 1e-3;
    });
    expect(match, `agent ${id} at ${JSON.stringify(got)}: a position sent within 400 ms of ${at}`).toBeDefined();
    // And not where it is now.
    const now = testPlanePosition(id, Date.now());
    expect(Math.hypot(now.x - got.x, now.y - got.y)).toBeGreaterThan(1);
  }
  // The live plane gives way to its rewind plane in the graph.
  await expect.poll(() => page.evaluate((p) => window.__swarmdeck!.planes().some((s) => s.plane === p), rewound)).toBe(true);

  // A command to the rewound plane is refused, saying why.
  await openPanel(page, 'Commands');
  const panel = page.getByTestId('commands');
  const planeSelect = panel.getByTestId('command-plane');
  if (await planeSelect.count()) await planeSelect.selectOption(PLANE);
  await panel.getByTestId('command-name').fill('restart');
  await panel.getByTestId('command-agent').fill('agent-001');
  await panel.getByTestId('command-send').click();
  await panel.getByTestId('command-confirm-send').click();
  const first = panel.getByTestId('command-results').locator('li').first();
  await expect(first).toHaveAttribute('data-state', 'refused');
  await expect(first).toContainText(/rewound .*commands are refused/);
  expect(tp.received.get('command') ?? 0).toBe(0);

  // LIVE: the present again, with every event the plane sent meanwhile.
  await openPanel(page, 'Timeline');
  await rewind.getByTestId('rewind-live').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode), { timeout: 20_000 }).toBe('live');
  await expect(page.getByTestId('status-rewind')).toHaveCount(0);
  await expect.poll(() => page.evaluate((p) => window.__swarmdeck!.planes().some((s) => s.plane === p), rewound)).toBe(false);
  await expect
    .poll(async () => {
      const after = seqs(await page.evaluate(() => window.__swarmdeck!.session().events));
      return after.length > before.length + 5 && after.at(-1)! - after[0]! + 1 === after.length;
    }, { timeout: 20_000 })
    .toBe(true);
  const after = seqs(await page.evaluate(() => window.__swarmdeck!.session().events));
  // No gap: every seq from the first held to the newest, the ones from before the rewind among them.
  for (const s of before) expect(after).toContain(s);
});

test('clicking an alert rewinds to 10 s before it fired, its agent selected; a command entry opens the moment it was sent', async ({ page }) => {
  test.setTimeout(120_000);
  // The buffer must reach 10 s before the alert (this test may run alone).
  const wait = startedAt + 15_000 - Date.now();
  if (wait > 0) await page.waitForTimeout(wait);
  await page.goto(app.url);
  await expect(page.getByTestId('connection-state').first()).toHaveText('LIVE');
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode)).toBe('live');
  tp.setState(5, 'ERROR', 'IDLE', 'e2e: open my moment');
  await openPanel(page, 'Alerts');
  const row = page.locator('[data-testid="alert"][data-kind="agent_error"]').filter({ hasText: 'agent-005' }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  const firedAt = await page.evaluate(() => window.__swarmdeck!.session().alerts.find((a) => a.agent === 'agent-005' && a.kind === 'agent_error')?.firedAt ?? null);
  expect(firedAt).not.toBeNull();
  await row.locator('.alert-msg').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode), { timeout: 20_000 }).toBe('rewind');
  const at = await page.evaluate(() => window.__swarmdeck!.clock().at);
  // 10 s before it fired (the seek lands on the buffer's nearest position update, 10 Hz).
  expect(Math.abs(firedAt! - 10_000 - at)).toBeLessThan(1500);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.selected())).toEqual({ plane: `rewind:${PLANE}`, id: 5 });
  // LIVE again, then a command's entry: the moment it was sent.
  await openPanel(page, 'Timeline');
  await page.getByTestId('rewind').getByTestId('rewind-live').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode), { timeout: 20_000 }).toBe('live');
  await openPanel(page, 'Commands');
  const panel = page.getByTestId('commands');
  await panel.getByTestId('command-name').fill('restart');
  await panel.getByTestId('command-agent').fill('agent-009');
  await panel.getByTestId('command-send').click();
  await panel.getByTestId('command-confirm-send').click();
  const entry = panel.getByTestId('command-results').getByTestId('command-entry').first();
  await expect(entry).toBeVisible();
  const sentAt = async () => page.evaluate(() => window.__swarmdeck!.session().commands.find((c) => c.target === 'agent-009')?.sentAt ?? null);
  await expect.poll(sentAt).not.toBeNull();
  const sent = (await sentAt())!;
  const ours = panel.getByTestId('command-results').getByTestId('command-entry').filter({ hasText: 'agent-009' }).first();
  await ours.locator('.cmd-meta').click();
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.clock().mode), { timeout: 20_000 }).toBe('rewind');
  expect(Math.abs(sent - 10_000 - (await page.evaluate(() => window.__swarmdeck!.clock().at)))).toBeLessThan(1500);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.selected())).toEqual({ plane: `rewind:${PLANE}`, id: 9 });
});
