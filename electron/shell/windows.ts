// The desktop shell's windows: each window is its own view (main.ts opens a
// core view with its own pipeline per window), up to MAX_WINDOWS, with the
// locked-down webPreferences, and its size and position saved in
// window-state.json and restored on the next launch.

import { BrowserWindow, screen } from 'electron';
import { MAX_PROFILE_FILE_BYTES, MAX_WINDOWS } from '../../shared/index.js';
import { readTextBounded } from '../core/profiles/index.js';
import { electronStoreFile } from './electron-store-file.js';
import { parseWindowState, placeWindow, type Rect, type WindowState } from './window-state.js';

const SAVE_DELAY_MS = 500;

export class WindowShell {
  private readonly file;
  private state: WindowState;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    configDir: string,
    private readonly preload: string,
  ) {
    this.file = electronStoreFile(configDir, 'window-state');
    let raw: unknown = null;
    try {
      raw = JSON.parse(readTextBounded(this.file.path, MAX_PROFILE_FILE_BYTES) ?? 'null');
    } catch {
      raw = null;
    }
    this.state = parseWindowState(raw);
  }

  /** A new app window, placed where the window of that slot was last time; null at MAX_WINDOWS. */
  create(): BrowserWindow | null {
    const open = BrowserWindow.getAllWindows();
    if (open.length >= MAX_WINDOWS) return null;
    const slot = open.length;
    const displays: Rect[] = screen.getAllDisplays().map((d) => d.workArea);
    const saved = this.state.windows[slot];
    const place = placeWindow(saved, displays, slot);
    const win = new BrowserWindow({
      ...place,
      minWidth: 640,
      minHeight: 400,
      title: 'Swarmdeck',
      backgroundColor: '#0d1117',
      show: false,
      // Every security-relevant preference spelled out here, where Electronegativity reads them (electronjs.org security checklist).
      webPreferences: {
        preload: this.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        // Middle-click would open links in a new window; window.open is denied anyway.
        disableBlinkFeatures: 'Auxclick',
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    if (saved?.maximized) win.maximize();
    const remember = (): void => this.remember(win, slot);
    win.on('resize', remember);
    win.on('move', remember);
    win.on('maximize', remember);
    win.on('unmaximize', remember);
    win.on('close', () => this.remember(win, slot, true));
    win.once('ready-to-show', () => win.show());
    return win;
  }

  private remember(win: BrowserWindow, slot: number, now = false): void {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const windows = [...this.state.windows];
    windows[slot] = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    // A hole (slot 2 saved before slot 1) takes slot 0's place: every entry is a real rect.
    this.state = parseWindowState({ windows: windows.map((w) => w ?? windows[0]) });
    if (this.timer) clearTimeout(this.timer);
    if (now) this.flush();
    else this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.file.write(this.state as unknown as Record<string, unknown>);
    } catch (e) {
      console.warn(`swarmdeck: could not save window state: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
