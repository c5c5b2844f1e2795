// The console at an operator's window sizes (issue 23): at 1024 × 700 the
// legend starts folded (open, it covered ~40% of the graph), at 1920 × 1080
// it starts open, unless more than four planes share it; the operator's own
// choice then sticks. Times are 24-hour,
// and UTC on request; the Events panel's time column is whole at 1024 px.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { TestPlane } from '../helpers/test-plane.js';
import { openPanel } from './console-page.js';
import { startWeb, type WebApp } from './start-web.js';

let app: WebApp;
test.beforeAll(async () => {
  app = await startWeb(['--agents', '20', '--rate', '10']);
});
test.afterAll(async () => {
  await app?.stop();
});

test('at 1024 × 700 the legend starts folded and covers little of the graph; at 1920 × 1080 it starts open', async ({ browser }, info) => {
  for (const [width, height, open] of [
    [1024, 700, false],
    [1920, 1080, true],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(app.url);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
    const legend = page.getByTestId('graph-legend');
    if (open) await expect(legend).toHaveAttribute('open', '');
    else await expect(legend).not.toHaveAttribute('open', '');
    const scene = (await page.getByTestId('scene').boundingBox())!;
    const box = (await legend.boundingBox())!;
    const covered = (box.width * box.height) / (scene.width * scene.height);
    if (!open) expect(covered).toBeLessThan(0.05);
    await page.screenshot({ path: info.outputPath(`console-${width}x${height}.png`) });
    await page.close();
  }
});

test('at 1920 × 1080 with five planes the legend starts folded: its list of planes would cover the first regions', async ({ browser }) => {
  const planes = Array.from({ length: 5 }, () => new TestPlane({ agents: 10, positionHz: 5 }));
  await Promise.all(planes.map((p) => p.start()));
  const many = await startWeb(planes.flatMap((p) => ['--url', p.url]));
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(many.url);
    await expect.poll(() => page.evaluate(() => window.__swarmdeck?.planes().length)).toBe(5);
    await expect(page.getByTestId('graph-legend')).not.toHaveAttribute('open', '');
    await page.close();
  } finally {
    await many.stop();
    await Promise.all(planes.map((p) => p.stop()));
  }
});

test('the operator\'s fold sticks across a reload', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(app.url);
  const legend = page.getByTestId('graph-legend');
  await expect(legend).toHaveAttribute('open', '');
  await legend.locator('summary').click();
  await expect(legend).not.toHaveAttribute('open', '');
  // The choice is saved by the details' toggle event, a task after the click.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('swarmdeck.legend.open'))).toBe('false');
  await page.reload();
  await expect(page.getByTestId('graph-legend')).not.toHaveAttribute('open', '');
  await page.close();
});

test('times are 24-hour, UTC on request, and whole in the Events panel at 1024 px', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 }, locale: 'en-US', timezoneId: 'America/New_York' });
  await page.goto(app.url);
  await openPanel(page, 'Events');
  const time = page.getByTestId('event-time').first();
  await expect(time).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  // The column is not clipped: its text fits its box.
  expect(await time.evaluate((e) => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= (e.closest('[data-testid="event-row"]') as HTMLElement).getBoundingClientRect().right)).toBe(true);
  const utcHour = new Date().getUTCHours();
  await page.getByTestId('time-zone').selectOption('utc');
  await expect(page.getByTestId('event-time').first()).toHaveText(new RegExp(`^(${String(utcHour).padStart(2, '0')}|${String((utcHour + 1) % 24).padStart(2, '0')}):\\d{2}:\\d{2}$`));
  await page.close();
});

test('the Timeline has padding at 1024 × 700', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(app.url);
  await openPanel(page, 'Timeline');
  const body = page.locator('.panel-root[data-panel="timeline"] .panel-body').first();
  await expect(body).toBeVisible();
  const pad = await body.evaluate((e) => getComputedStyle(e).paddingLeft);
  expect(parseFloat(pad)).toBeGreaterThanOrEqual(6);
  await page.close();
});

test('at 1024 × 700 the minimap keeps out of the way: small, in its corner, clear of the open legend', async ({ browser }, info) => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.sceneDebug?.() != null)).toBe(true);
  const canvas = (await page.locator('canvas').first().boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -150);
  const mini = async () => (await page.evaluate(() => window.__swarmdeck!.sceneDebug!()!.probe())).minimapBox;
  await expect.poll(mini).not.toBeNull();
  await page.getByTestId('graph-legend').locator('summary').click();
  await expect(page.getByTestId('graph-legend')).toHaveAttribute('open', '');
  const m = (await mini())!;
  const legend = (await page.getByTestId('graph-legend').boundingBox())!;
  // Canvas pixels to page pixels.
  const box = { x0: canvas.x + m.x, y0: canvas.y + m.y, x1: canvas.x + m.x + m.w, y1: canvas.y + m.y + m.h };
  expect((m.w * m.h) / (canvas.width * canvas.height)).toBeLessThan(0.05);
  expect(box.x1).toBeLessThanOrEqual(canvas.x + canvas.width);
  expect(box.y1).toBeLessThanOrEqual(canvas.y + canvas.height);
  const overlaps = box.x0 < legend.x + legend.width && legend.x < box.x1 && box.y0 < legend.y + legend.height && legend.y < box.y1;
  expect(overlaps).toBe(false);
  await page.screenshot({ path: info.outputPath('minimap-1024x700.png') });
  await page.close();
});
