// Every simulator dialect works end to end in browser mode: the embedded
// simulator started with --dialect, every endpoint LIVE, its agents drawn,
// and the plane's details listing the conformance notes of that dialect. And
// a plane written from the seeds alone (test/conformance/seed-server.ts)
// drawn too. Each leaves a screenshot.

import { expect, test, type Page } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { DIALECT_NAMES } from '../../electron/core/sim/dialects.js';
import { SeedServer } from '../conformance/seed-server.js';
import { startWeb } from './start-web.js';

const AGENTS = 12;
/** A phrase of the note each dialect must show (none for strict). */
const NOTE: Record<(typeof DIALECT_NAMES)[number], RegExp | null> = {
  strict: null,
  'seed-echo': /has no "selected"/,
  'silent-negotiation': /version assumed 1\.1/,
  v1: /version assumed 1\.1/,
  minimal: /no handshake_ack within/,
  'snake-case': /snake_case/,
};

/** The plane's conformance notes are in the Connections panel. */
async function openConnections(page: Page): Promise<void> {
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Connections', exact: true }).click();
  await expect(page.getByTestId('connection-row').first()).toBeVisible();
}

for (const dialect of DIALECT_NAMES) {
  test(`dialect ${dialect}: LIVE, agents drawn, conformance notes shown`, async ({ page }, info) => {
    const app = await startWeb(['--agents', String(AGENTS), '--rate', '15', '--dialect', dialect]);
    try {
      await page.goto(app.url);
      await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
      await expect(page.getByTestId('agent-count')).toHaveText(String(AGENTS));
      await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(AGENTS);
      const planes = await page.evaluate(() => window.__swarmdeck!.planes());
      expect(planes[0]!.endpoints!.every((e) => e.state === 'LIVE')).toBe(true);
      expect(planes[0]!.counters.reconnects).toBe(0);
      await openConnections(page);
      const notes = page.getByTestId('conformance-note');
      const want = NOTE[dialect];
      if (want) await expect(notes.filter({ hasText: want }).first()).toBeVisible();
      else await expect(notes).toHaveCount(0);
      const shot = info.outputPath(`dialect-${dialect}.png`);
      await page.screenshot({ path: shot });
      await info.attach(`dialect-${dialect}`, { path: shot, contentType: 'image/png' });
    } finally {
      await app.stop();
    }
  });
}

test('a plane written from the seeds alone: its agents are drawn', async ({ page }, info) => {
  const seed = new SeedServer({ agents: 7 });
  const url = await seed.start();
  const app = await startWeb(['--url', url]);
  try {
    await page.goto(app.url);
    await expect(page.getByTestId('connection-state')).toHaveText('LIVE');
    await expect(page.getByTestId('agent-count')).toHaveText('7');
    await expect.poll(() => page.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(7);
    await openConnections(page);
    await expect(page.getByTestId('conformance-note').filter({ hasText: /has no "selected"/ }).first()).toBeVisible();
    const shot = info.outputPath('seed-server.png');
    await page.screenshot({ path: shot });
    await info.attach('seed-server', { path: shot, contentType: 'image/png' });
  } finally {
    await app.stop();
    await seed.stop();
  }
});
