// The command palette (issue 23): every character typed right after Ctrl+K
// lands in it, none fires a single-key shortcut, a second Ctrl+K keeps it
// open, and a panel opened from it has the keyboard.
import { expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { startWeb, type WebApp } from './start-web.js';

let app: WebApp;
test.beforeAll(async () => {
  app = await startWeb(['--agents', '12', '--rate', '10']);
});
test.afterAll(async () => {
  await app?.stop();
});

test('Ctrl+K then typing at once: every character lands in the palette, five times out of five', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  const input = page.getByTestId('palette-input');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Control+K');
    // No wait: "n", "p" and "f" are single-key shortcuts outside the palette.
    await page.keyboard.type('open events panel', { delay: 0 });
    await expect(input).toHaveValue('open events panel');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('palette')).toHaveCount(0);
  }
  // The log was never paused by a stray "p".
  await expect(page.getByTestId('log-pause')).toHaveAttribute('aria-pressed', 'false');
});

test('a second Ctrl+K keeps the palette open; a panel opened from it has the keyboard', async ({ page }) => {
  await page.goto(app.url);
  await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(app.simAgents);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('palette')).toBeVisible();
  await page.keyboard.type('Open Search', { delay: 0 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('palette')).toHaveCount(0);
  await expect(page.getByTestId('search-input')).toBeFocused();
  // Typing now searches.
  await page.keyboard.type('agent-00');
  await expect(page.getByTestId('search-count')).toHaveText(/^\d+ match/);
});
