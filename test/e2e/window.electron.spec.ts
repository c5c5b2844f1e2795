import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import '../../renderer/src/debug-api.js';
// @ts-expect-error plain ESM helper shared with scripts/start.mjs; no types needed
import { electronBinary } from '../../scripts/electron-binary.mjs';

const AGENTS = 16;
const binary = (electronBinary as () => string | null)();

test.skip(
  binary === null,
  'Electron binary is not installed on this machine (node_modules/electron/dist is missing and it cannot be downloaded here). ' +
    'On a machine with network access run `npx install-electron`, then `npm run build && npx playwright test --project electron`.',
);

test('the Electron window is locked down and draws the embedded simulator', async ({}, info) => {
  // Profiles and window state in a directory of the test's own, not the user's config.
  const configDir = mkdtempSync(join(tmpdir(), 'swarmdeck-window-'));
  const app = await electron.launch({ executablePath: binary!, args: ['.', '--agents', String(AGENTS)], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1', SWARMDECK_CONFIG_DIR: configDir } });
  try {
    const win = await app.firstWindow();
    expect(win.url()).toBe('app://swarmdeck/index.html');
    // Security: isolated, sandboxed, no Node in the page; only the contract's bridge is exposed.
    const page = await win.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys(window.swarmdeck ?? {}).sort(),
    }));
    expect(page).toEqual({ require: 'undefined', process: 'undefined', bridge: ['ack', 'onFrame', 'request'] });
    // getLastWebPreferences is not in Electron's typings; read it where the runtime has it.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
        getLastWebPreferences?: () => { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean } | null;
      };
      const p = wc.getLastWebPreferences?.();
      return p ? { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration } : null;
    });
    if (prefs) expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });

    await expect(win.getByTestId('connection-state')).toHaveText('LIVE');
    await expect(win.getByTestId('agent-count')).toHaveText(String(AGENTS));
    await expect.poll(() => win.evaluate(() => window.__swarmdeck?.scene()?.nodes)).toBe(AGENTS);

    // Navigation and new windows are denied.
    await win.evaluate(() => window.open('https://example.com'));
    await win.evaluate(() => {
      location.href = 'https://example.com';
    });
    await win.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(win.url()).toBe('app://swarmdeck/index.html');

    const shot = info.outputPath('electron-window.png');
    await win.screenshot({ path: shot });
    await info.attach('electron-window', { path: shot, contentType: 'image/png' });
  } finally {
    await app.close();
    rmSync(configDir, { recursive: true, force: true });
  }
});
