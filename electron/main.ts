// Electron main process: a thin adapter around the core (electron/core). It
// serves the built renderer on app://swarmdeck with the app's CSP, opens one
// locked-down window, and carries the IPC contract over ipcMain/webContents,
// checking every sender's frame URL against the app's own origin.

import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, ipcMain, protocol, session, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { SwarmCore, type View } from './core/app/core.js';
import { parseStartupArgs, resolveStartup } from './core/app/startup.js';
import { contentSecurityPolicy } from './core/host/csp.js';
import { decodedPath, fileInside } from './core/host/request-path.js';
import { AckSchema, InspectRequestSchema, IPC_CHANNELS, PlaneCommandSchema, isAllowedSender, parseOrThrow } from './core/ipc/contract.js';
import type { Simulator } from './core/sim/simulator.js';

const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://swarmdeck`;
const MIME: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', png: 'image/png', map: 'application/json' };

// Must run before `ready`: a standard, secure scheme gets a real origin for the CSP and the sender check.
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let core: SwarmCore | null = null;
let simulators: Simulator[] = [];
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
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function trusted(e: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const ok = isAllowedSender(e.senderFrame?.url, APP_ORIGIN);
  if (!ok) console.warn(`swarmdeck: refused IPC from ${e.senderFrame?.url ?? 'an unknown frame'}`);
  return ok;
}

async function createWindow(c: SwarmCore): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Swarmdeck',
    backgroundColor: '#0d1117',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const wc = win.webContents;
  const id = wc.id;
  views.set(
    id,
    c.openView((frame) => {
      if (!wc.isDestroyed()) wc.send(IPC_CHANNELS.frame, frame);
    }),
  );
  win.on('closed', () => {
    views.get(id)?.close();
    views.delete(id);
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function main(): Promise<void> {
  // Chromium's own switches may sit among ours: read only the options we know.
  const options = parseStartupArgs(process.argv.slice(app.isPackaged ? 1 : 2), { lenient: true });
  await app.whenReady();
  lockDown();
  serveRenderer();
  const startup = await resolveStartup(options);
  simulators = startup.simulators;
  core = new SwarmCore(startup.planes);
  core.start();
  const c = core;
  ipcMain.handle(IPC_CHANNELS.hello, (e) => {
    const view = views.get(e.sender.id);
    if (!view || !trusted(e)) throw new Error('refused');
    return view.hello('electron');
  });
  ipcMain.handle(IPC_CHANNELS.inspect, (e, payload: unknown) => {
    if (!views.has(e.sender.id) || !trusted(e)) throw new Error('refused');
    return c.inspect(parseOrThrow(IPC_CHANNELS.inspect, InspectRequestSchema, payload));
  });
  ipcMain.handle(IPC_CHANNELS.command, (e, payload: unknown) => {
    if (!views.has(e.sender.id) || !trusted(e)) throw new Error('refused');
    return c.command(parseOrThrow(IPC_CHANNELS.command, PlaneCommandSchema, payload));
  });
  ipcMain.on(IPC_CHANNELS.ack, (e: IpcMainEvent, payload: unknown) => {
    const view = views.get(e.sender.id);
    if (!view || !trusted(e)) return;
    try {
      view.ack(parseOrThrow(IPC_CHANNELS.ack, AckSchema, payload).seq);
    } catch (err) {
      console.warn(`swarmdeck: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  await createWindow(c);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(c);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  core?.stop();
  for (const s of simulators) void s.stop();
});

main().catch((e: unknown) => {
  console.error(`swarmdeck: ${e instanceof Error ? e.message : String(e)}`);
  app.exit(1);
});
