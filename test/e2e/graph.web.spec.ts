import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

const AGENTS = 24;
let app: WebApp;

test.beforeAll(async () => {
  app = await startWeb(['--agents', String(AGENTS), '--rate', '20']);
});
test.afterAll(async () => {
  await app?.stop();
});

test('browser mode draws every agent of the embedded simulator over WebGL', async ({ page }, info) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(app.url);

  await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
  // Three independent counts must agree: the simulator's, the status line's, and the scene's.
  expect(app.simAgents).toBe(AGENTS);
  await expect(page.getByTestId('agent-count')).toHaveText(String(app.simAgents));
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  await expect(page.getByTestId('drawn-count')).toHaveText(String(app.simAgents));
  const scene = await page.evaluate(() => window.__swarmdeck!.scene()!);
  expect(scene.renderer).toBe('webgl');

  // Events flow: the simulator's state changes and messages reach the log.
  await expect(page.getByTestId('events').locator('[data-testid="event-row"][data-type="message.sent"]').first()).toBeVisible();
  await expect(page.getByTestId('events').locator('[data-testid="event-row"][data-type="agent.state.changed"]').first()).toBeVisible();

  // Agents move: the scene keeps applying frames.
  const before = scene.framesApplied;
  await expect.poll(() => page.evaluate(() => window.__swarmdeck!.scene()!.framesApplied)).toBeGreaterThan(before + 5);

  const shot = info.outputPath('browser-mode.png');
  await page.screenshot({ path: shot });
  await info.attach('browser-mode', { path: shot, contentType: 'image/png' });
  // The screenshot is not blank where the scene is: count lit pixels of the real composited image.
  const box = (await page.getByTestId('scene').boundingBox())!;
  const png = await page.screenshot({ clip: box });
  const lit = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 150) n++;
    return n;
  }, png.toString('base64'));
  // Each node is a disc of radius >= 3 px at this size: well over 20 lit pixels per agent.
  expect(lit).toBeGreaterThan(AGENTS * 20);
  expect(problems).toEqual([]);
});

test('browser mode runs under the strict CSP (no eval, no inline script)', async ({ page }) => {
  const res = await page.goto(app.url);
  const csp = res!.headers()['content-security-policy']!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-(eval|inline)/);
  // page.evaluate itself bypasses CSP, so test as an injected script would: neither may run.
  const violations = await page.evaluate(async () => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const w = window as unknown as Record<string, boolean>;
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.appendChild(s);
    try {
      (setTimeout as unknown as (code: string, ms: number) => void)('window.__evalRan = true', 0);
    } catch {
      seen.push('setTimeout threw');
    }
    await new Promise((r) => setTimeout(r, 300));
    return { inline: !!w.__inlineRan, evaled: !!w.__evalRan, seen };
  });
  expect(violations.inline).toBe(false);
  expect(violations.evaled).toBe(false);
  expect(violations.seen.length).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
});

test('a wrong token shows AUTH_REQUIRED with the reason, and nothing is drawn', async ({ page }) => {
  const sim = new Simulator({ agents: 5, token: 'right-token' });
  await sim.start();
  const web = await startWeb(['--url', sim.url, '--token', 'wrong-token']);
  try {
    await page.goto(web.url);
    await expect(page.getByTestId('connection-state')).toHaveText('AUTH_REQUIRED');
    await expect(page.getByTestId('plane').locator('.reason')).toContainText('401');
    await expect(page.getByTestId('agent-count')).toHaveText('0');
    expect(sim.stats.connections).toBe(0);
    // The start-up lines say what happened: refused, never "connected".
    expect(web.output()).toContain(`connecting to ${sim.url}`);
    expect(web.output()).toMatch(new RegExp(`${sim.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not connected \\(AUTH_REQUIRED\\): .*401`));
    expect(web.output()).not.toMatch(/connected to ws/);
    // Connections: "connect" says the token was refused (not RECONNECTING); a token typed there reconnects the plane.
    await openPanel(page, 'Connections');
    const row = page.getByTestId('connection-row');
    await row.getByTestId('plane-connect').click();
    await expect(row.getByTestId('connection-action')).toContainText('refused: the server refused the token');
    await expect(row.getByTestId('connection-row-state')).toHaveText('AUTH_REQUIRED');
    await row.getByTestId('plane-token-input').fill('right-token');
    await row.getByTestId('plane-token-submit').click();
    await expect(row.getByTestId('connection-action')).toContainText('kept for this session');
    await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
    await expect(page.getByTestId('agent-count')).toHaveText('5');
    // The token is nowhere in the page afterwards (the field is emptied, no reply carries it).
    expect(await page.content()).not.toContain('right-token');
  } finally {
    await web.stop();
    await sim.stop();
  }
});

test('clicking an agent opens the inspector with what the core knows about it', async ({ page }, info) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  const canvas = page.getByTestId('scene').locator('canvas');
  const box = (await canvas.boundingBox())!;
  // Agent 5 of the embedded plane; positions move, so read and click at once.
  const at = await page.evaluate(() => window.__swarmdeck!.screenOf('sim', 5));
  expect(at).not.toBeNull();
  await page.mouse.click(box.x + at!.x, box.y + at!.y);
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toBeVisible();
  // The nearest agent to the click is agent 5 unless another passed within a few pixels.
  await expect(page.getByTestId('inspector-agent')).toHaveText(/^agent-\d{3}$/);
  await expect(page.getByTestId('inspector-state')).toHaveText(/^(IDLE|INITIALIZING|EXECUTING|WAITING|COMMUNICATING|COORDINATING|ERROR|TERMINATED|UNKNOWN)/);
  const shot = info.outputPath('inspector.png');
  await page.screenshot({ path: shot });
  await info.attach('inspector', { path: shot, contentType: 'image/png' });
  await inspector.getByRole('button', { name: 'close inspector' }).click();
  await expect(inspector).toHaveCount(0);
});

test('a command sent from the inspector is tracked to its result; bad parameters are refused before sending', async ({ page }, info) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  const box = (await page.getByTestId('scene').locator('canvas').boundingBox())!;
  const inspector = page.getByTestId('inspector');
  // The agent moves: on a loaded machine it may have left the spot between reading it and clicking it, so click again.
  await expect(async () => {
    const at = (await page.evaluate(() => window.__swarmdeck!.screenOf('sim', 3)))!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await expect(inspector).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  // The inspector's own command form (the Commands panel has one too).
  const panel = inspector.getByTestId('command-panel');
  await expect(panel).toBeVisible();
  const results = inspector.getByTestId('command-results').locator('li');
  // Bad input: a clear error, and nothing sent (not even a confirmation asked).
  await panel.getByTestId('command-params').fill('delay_seconds=5\nnot a pair');
  await panel.getByTestId('command-send').click();
  await expect(panel.getByTestId('command-error')).toHaveText(/line 2: expected key=value/);
  await expect(panel.getByTestId('command-confirm')).toHaveCount(0);
  await expect(results).toHaveCount(0);
  // A good one: confirmed, then the simulator answers and the result is shown with its status.
  await panel.getByTestId('command-params').fill('delay_seconds=5');
  await panel.getByTestId('command-name').fill('restart');
  await panel.getByTestId('command-send').click();
  await expect(results).toHaveCount(0);
  await panel.getByTestId('command-confirm-send').click();
  const result = results.first();
  await expect(result).toHaveAttribute('data-status', 'success');
  await expect(result).toContainText(/restart success in \d+ ms/);
  // An unknown command: the plane's error comes back as such.
  // Another command starts with its own (empty) parameters; going back shows the first one's again.
  await panel.getByTestId('command-name').fill('self_destruct');
  await expect(panel.getByTestId('command-params')).toHaveValue('');
  await panel.getByTestId('command-name').fill('restart');
  await expect(panel.getByTestId('command-params')).toHaveValue('delay_seconds=5');
  await panel.getByTestId('command-name').fill('self_destruct');
  await panel.getByTestId('command-send').click();
  await panel.getByTestId('command-confirm-send').click();
  await expect(results.first()).toHaveAttribute('data-status', 'error');
  await expect(results.first()).toContainText('INVALID_COMMAND');
  const shot = info.outputPath('commands.png');
  await page.screenshot({ path: shot });
  await info.attach('commands', { path: shot, contentType: 'image/png' });
});
