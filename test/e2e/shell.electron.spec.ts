// The desktop shell: several windows (each its own view), the application
// menu, saved window bounds, --profile, first launch, and the single-instance
// hand-over. Skips with a clear message where the Electron binary is missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import '../../renderer/src/debug-api.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { openPanel } from './console-page.js';
// @ts-expect-error plain ESM helper shared with scripts/start.mjs; no types needed
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = (electronBinary as () => string | null)();

test.skip(
  binary === null,
  'Electron binary is not installed on this machine (node_modules/electron/dist is missing and it cannot be downloaded here). ' +
    'On a machine with network access run `npx install-electron`, then `npm run build && npx playwright test --project electron`.',
);

let configDir: string;
test.beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'swarmdeck-shell-'));
});
test.afterEach(() => rmSync(configDir, { recursive: true, force: true }));

const launch = (args: string[]): Promise<ElectronApplication> =>
  electron.launch({ executablePath: binary!, args: ['.', ...args], env: { ...process.env, SWARMDECK_CONFIG_DIR: configDir, ELECTRON_ENABLE_LOGGING: '1' } });

async function addTinySim(): Promise<void> {
  const s = await ProfileStore.open({ dir: configDir, secrets: null });
  await s.add({ id: 'tiny', name: 'Tiny', simulator: { agents: 7, rate: 10 }, color: '#f72585' });
}

test('first launch creates the "Local simulator" profile and connects it', async () => {
  const app = await launch([]);
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('connection-state')).toHaveText('LIVE');
    await expect.poll(() => win.evaluate(() => window.__swarmdeck?.planes().map((p) => p.label))).toEqual(['Local simulator']);
    const file = JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')) as { profiles: { name: string }[] };
    expect(file.profiles.map((p) => p.name)).toEqual(['Local simulator']);
  } finally {
    await app.close();
  }
});

test('New Window from the menu opens a second window with its own view; the menu has the console shortcuts', async () => {
  const app = await launch(['--agents', '8']);
  try {
    const first = await app.firstWindow();
    await expect(first.getByTestId('agent-count')).toHaveText('8');
    const ids = await app.evaluate(({ Menu }) => {
      const menu = Menu.getApplicationMenu();
      const all: string[] = [];
      const walk = (items: Electron.MenuItem[]): void => {
        for (const i of items) {
          if (i.id) all.push(i.id);
          if (i.submenu) walk(i.submenu.items);
        }
      };
      walk(menu?.items ?? []);
      return all;
    });
    expect(ids).toEqual(expect.arrayContaining(['new-window', 'command-palette', 'fit-graph', 'docs']));
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('new-window')?.click());
    await expect.poll(() => app.windows().length).toBe(2);
    const second = app.windows().find((w) => w !== first)!;
    await expect(second.getByTestId('agent-count')).toHaveText('8');
    // Its own view: its frame sequence starts again, well below the first window's.
    await expect.poll(() => first.evaluate(() => window.__swarmdeck?.lastFrameSeq() ?? 0)).toBeGreaterThan(40);
    const [a, b] = [await first.evaluate(() => window.__swarmdeck!.lastFrameSeq()), await second.evaluate(() => window.__swarmdeck!.lastFrameSeq())];
    expect(b).toBeLessThan(a);
  } finally {
    await app.close();
  }
});

test('a plane opens in a window of its own, showing only that plane', async () => {
  const app = await launch(['--planes', '2', '--agents', '5']);
  try {
    const first = await app.firstWindow();
    await expect.poll(() => first.evaluate(() => window.__swarmdeck?.planes().length)).toBe(2);
    const second = await first.evaluate(() => window.__swarmdeck!.planes()[1]!.plane);
    await openPanel(first, 'Connections');
    await first.locator(`[data-testid="connection-row"][data-plane="${second}"]`).getByTestId('plane-window').click();
    await expect.poll(() => app.windows().length).toBe(2);
    const win = app.windows().find((w) => w !== first)!;
    expect(new URL(win.url()).searchParams.getAll('plane')).toEqual([second]);
    await expect.poll(() => win.evaluate(() => window.__swarmdeck?.planes().map((p) => p.plane))).toEqual([second]);
    await expect(win.getByTestId('view-scope')).toHaveAttribute('data-planes', second);
    // The first window still shows both.
    expect(await first.evaluate(() => window.__swarmdeck!.planes().length)).toBe(2);
  } finally {
    await app.close();
  }
});

test('window size and position are saved and restored', async () => {
  const wanted = { x: 60, y: 70, width: 900, height: 640 };
  let app = await launch(['--agents', '4']);
  const win = await app.firstWindow();
  await app.evaluate(({ BrowserWindow }, b) => BrowserWindow.getAllWindows()[0]!.setBounds(b), wanted);
  await expect.poll(() => existsSync(join(configDir, 'window-state.json'))).toBe(true);
  await win.waitForTimeout(800);
  await app.close();
  app = await launch(['--agents', '4']);
  try {
    await app.firstWindow();
    const b = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
    expect(b.width).toBe(wanted.width);
    expect(b.height).toBe(wanted.height);
  } finally {
    await app.close();
  }
});

test('--profile NAME connects that saved profile', async () => {
  await addTinySim();
  const app = await launch(['--profile', 'Tiny']);
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('agent-count')).toHaveText('7');
    expect(await win.evaluate(() => window.__swarmdeck!.planes().map((p) => p.label))).toEqual(['Tiny']);
  } finally {
    await app.close();
  }
});

test('a second launch focuses the running app, hands over its --profile, and exits', async () => {
  await addTinySim();
  const app = await launch(['--agents', '5']);
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('agent-count')).toHaveText('5');
    const second = spawn(binary!, ['.', '--profile', 'Tiny'], { env: { ...process.env, SWARMDECK_CONFIG_DIR: configDir }, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    await expect.poll(() => win.evaluate(() => window.__swarmdeck!.planes().map((p) => p.label).sort())).toEqual(['Embedded simulator', 'Tiny']);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
