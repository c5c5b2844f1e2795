// The application menu as plain data, so it is tested in Node: the app's own
// commands (New Window, Open Recording) and the console's
// shortcuts. A console shortcut is the key the renderer already handles: its
// accelerator is shown but not registered (the page keeps the key), and a
// click from the menu sends that key press to the focused window.
// Keep CONSOLE_SHORTCUTS in step with the renderer's key bindings.

export interface ConsoleShortcut {
  id: string;
  label: string;
  /** Electron accelerator, shown in the menu. */
  accelerator: string;
  /** The key press sent to the page when the item is clicked. */
  key: { keyCode: string; modifiers: ('control' | 'meta' | 'shift' | 'alt')[] };
}

export const CONSOLE_SHORTCUTS: readonly ConsoleShortcut[] = [
  { id: 'command-palette', label: 'Command Palette…', accelerator: 'CmdOrCtrl+K', key: { keyCode: 'K', modifiers: ['control'] } },
  { id: 'search-agents', label: 'Find Agent…', accelerator: 'CmdOrCtrl+F', key: { keyCode: 'F', modifiers: ['control'] } },
  { id: 'fit-graph', label: 'Fit Graph', accelerator: 'F', key: { keyCode: 'F', modifiers: [] } },
  { id: 'pause-stream', label: 'Pause / Resume', accelerator: 'Space', key: { keyCode: 'Space', modifiers: [] } },
  { id: 'clear-selection', label: 'Clear Selection', accelerator: 'Escape', key: { keyCode: 'Escape', modifiers: [] } },
];

export interface MenuActions {
  newWindow(): void;
  /** File ▸ Open Recording…: choose MCAP files to replay. */
  openRecording(): void;
  sendShortcut(s: ConsoleShortcut): void;
  openExternal(url: string): void;
}

/** Electron's MenuItemConstructorOptions, the subset used here. */
export interface MenuItemSpec {
  id?: string;
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  registerAccelerator?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export const DOCS_URL = 'https://github.com/swarmdeck/swarmdeck#readme';

export function menuTemplate(a: MenuActions, platform: NodeJS.Platform = process.platform): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  return [
    ...(mac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [
        { id: 'new-window', label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => a.newWindow() },
        { id: 'open-recording', label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => a.openRecording() },
        sep,
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'Console',
      submenu: CONSOLE_SHORTCUTS.map((s) => ({ id: s.id, label: s.label, accelerator: s.accelerator, registerAccelerator: false, click: () => a.sendShortcut(s) })),
    },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ id: 'docs', label: 'Documentation', click: () => a.openExternal(DOCS_URL) }] },
  ];
}
