// Electron main process: the desktop host of the app. The app itself (core,
// services, contract handlers) is assembled once by electron/core/app
// (createApp), as browser mode does; this file adds only the transport and
// the windows. It serves the built renderer on app://swarmdeck with the app's
// CSP, opens locked-down windows, and carries the IPC contract over
// ipcMain/webContents, checking every sender's frame URL against the app's own origin.

import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, dialog, ipcMain, protocol, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { type App, createApp, parseStartupArgs, type View } from './core/app/index.js';
import { tokenArgWarning } from './core/args/index.js';
import { contentSecurityPolicy, decodedPath, fileInside } from './core/host/index.js';
import { type ConsentPort, defaultConfigDir, describeConsent } from './core/profiles/index.js';
import { CONTRACT, IPC_CHANNELS, isAllowedSender, MAX_WINDOWS, scopeQuery } from '../shared/index.js';
import { denyPermissions, hardenContents, openExternalSafely } from './shell/harden.js';
import { installMenu } from './shell/menu.js';
import { notifyOnEvents } from './shell/notifications.js';
import { openElectronProfileStore } from './shell/profiles.js';
import { acquireSingleInstance } from './shell/single-instance.js';
import { WindowShell } from './shell/windows.js';

const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://swarmdeck`;
const MIME: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', png: 'image/png', map: 'application/json' };

// Must run before `ready`: a standard, secure scheme gets a real origin for the CSP and the sender check.
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let swarm: App | null = null;
let windows: WindowShell | null = null;
/** One core view per window, by webContents id. */
const views = new Map<number, View>();

function rendererRoot(): string {
  return join(app.getAppPath(), 'dist', 'renderer');
}

const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };

function serveRenderer(): void {
  const root = rendererRoot();
  protocol.handle(SCHEME, async (req) => {
    // Any request is answered, never thrown on: bad URLs and bad percent-encoding are 400s.
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return new Response('bad request', { status: 400, headers: TEXT_HEADERS });
    }
    if (url.host !== 'swarmdeck') return new Response('forbidden', { status: 403, headers: TEXT_HEADERS });
    const rel = decodedPath(url.pathname);
    if (rel === null) return new Response('bad request', { status: 400, headers: TEXT_HEADERS });
    // The prefix check includes the separator: "<root>-private" is not inside "<root>".
    const file = fileInside(root, rel);
    if (file === null) return new Response('forbidden', { status: 403, headers: TEXT_HEADERS });
    try {
      const body = await readFile(file);
      const ext = file.slice(file.lastIndexOf('.') + 1);
      return new Response(body, {
        headers: { 'content-type': MIME[ext] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy(), 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404, headers: TEXT_HEADERS });
    }
  });
}

function lockDown(): void {
  // Nothing the renderer may ask for: camera, notifications, geolocation, ...
  denyPermissions();
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, APP_ORIGIN));
}

function trusted(e: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const ok = isAllowedSender(e.senderFrame?.url, APP_ORIGIN);
  if (!ok) console.warn(`swarmdeck: refused IPC from ${e.senderFrame?.url ?? 'an unknown frame'}`);
  return ok;
}

/** A window and its view; `planes` scopes it to those planes (the page's URL names them, and its hello passes them on). False at MAX_WINDOWS. */
function createWindow(a: App, planes: readonly string[] | null = null): boolean {
  // Saved size and position, locked-down webPreferences (electron/shell/windows.ts); null at MAX_WINDOWS.
  const win = windows!.create();
  if (!win) return false;
  const wc = win.webContents;
  const id = wc.id;
  views.set(
    id,
    a.core.openView((frame) => {
      if (!wc.isDestroyed()) wc.send(IPC_CHANNELS.frame, frame);
    }),
  );
  win.on('closed', () => {
    views.get(id)?.close();
    views.delete(id);
  });
  win.loadURL(`${APP_ORIGIN}/index.html${scopeQuery(planes)}`).catch((e: unknown) => console.error(`swarmdeck: window did not load: ${e instanceof Error ? e.message : String(e)}`));
  return true;
}

/** File ▸ Open Recording…: the native dialog's files, each opened for replay; one that fails says why. */
async function chooseRecordings(a: App): Promise<void> {
  const options = { title: 'Open Recording', properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[], filters: [{ name: 'Swarmdeck recordings (MCAP)', extensions: ['mcap'] }] };
  const win = BrowserWindow.getFocusedWindow();
  const chosen = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  if (chosen.canceled) return;
  for (const path of chosen.filePaths) {
    try {
      await a.openRecording(path);
    } catch (e) {
      dialog.showErrorBox('Recording not opened', `${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** A second launch's --profile names: connect those not open yet, and bring a window forward. */
async function openProfiles(a: App, names: string[]): Promise<void> {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  } else createWindow(a);
  await a.connectProfiles(names);
}

/** The channel table over ipcMain, for every window: requests and sends alike pass the sender check first. */
function serveIpc(a: App): void {
  for (const spec of Object.values(CONTRACT)) {
    if (spec.kind === 'request') {
      ipcMain.handle(spec.name, (e, payload: unknown) => {
        const view = views.get(e.sender.id);
        if (!view || !trusted(e)) throw new Error('refused');
        return a.contract.request(view, spec.name, payload);
      });
    } else if (spec.kind === 'send') {
      ipcMain.on(spec.name, (e: IpcMainEvent, payload: unknown) => {
        const view = views.get(e.sender.id);
        if (!view || !trusted(e)) return;
        try {
          a.contract.message(view, spec.name, payload);
        } catch (err) {
          console.warn(`swarmdeck: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    }
  }
}

async function main(): Promise<void> {
  // Chromium's own switches may sit among ours: read only the options we know.
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const options = parseStartupArgs(argv, { lenient: true });
  const tokenWarning = tokenArgWarning(argv);
  if (tokenWarning !== null) console.warn(tokenWarning);
  let pending: string[] = [];
  const single = acquireSingleInstance(options.profiles, (names) => {
    if (swarm) void openProfiles(swarm, names).catch((e: unknown) => console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}`));
    else pending = names;
  });
  if (!single) {
    app.quit();
    return;
  }
  await app.whenReady();
  lockDown();
  serveRenderer();
  const configDir = defaultConfigDir();
  windows = new WindowShell(configDir, join(__dirname, 'preload.cjs'));
  // The window service is called only by pages, so after `swarm` is set.
  const a = await createApp({
    host: 'electron',
    argv,
    options,
    openProfileStore: () => openElectronProfileStore(configDir),
    consent: nativeConsent,
    windows: { open: (planes) => (createWindow(swarm!, planes) ? { opened: true } : { opened: false, message: `at most ${MAX_WINDOWS} windows are open at once` }) },
    log: (line) => console.log(`swarmdeck: ${line}`),
  });
  swarm = a;
  installMenu({ newWindow: () => void createWindow(a), openRecording: () => void chooseRecordings(a), openExternal: openExternalSafely });
  notifyOnEvents((l) => a.core.onEvent(l), (id) => a.core.plane(id)?.config.label ?? id);
  if (pending.length > 0) void openProfiles(a, pending);
  serveIpc(a);
  createWindow(a);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(a);
  });
}

/**
 * The trusted side's consent (core/profiles/consent.ts): a native dialog the
 * page cannot draw or answer, naming the program and its arguments, or the
 * old and new hosts a saved token would go to. The default button is No.
 */
const nativeConsent: ConsentPort = {
  async confirm(r) {
    const parent = BrowserWindow.getFocusedWindow();
    const detail =
      r.kind === 'program'
        ? `Program: ${r.command}\nArguments: ${r.args.length ? r.args.map((x) => JSON.stringify(x)).join(' ') : '(none)'}\n\nSwarmdeck will run it to get the plane's token.`
        : `Saved for: ${r.from.join(', ')}\nWould go to: ${r.to.join(', ')}\n\nSwarmdeck will send the profile's saved token to the new host.`;
    const opts = { type: 'warning' as const, buttons: ['No', 'Yes'], defaultId: 0, cancelId: 0, noLink: true, title: 'Swarmdeck', message: `Allow this? ${describeConsent(r)}`, detail };
    const { response } = parent ? await dialog.showMessageBox(parent, opts) : await dialog.showMessageBox(opts);
    return response === 1;
  },
};

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  windows?.flush();
  void swarm?.stop();
});

main().catch((e: unknown) => {
  console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}`);
  app.exit(1);
});
