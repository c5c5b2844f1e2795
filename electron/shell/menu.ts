// Installs the application menu built by menu-template.ts.

import { BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from './menu-template.js';

export function installMenu(actions: Omit<MenuActions, 'sendShortcut'>): void {
  const sendShortcut: MenuActions['sendShortcut'] = (s) => {
    const wc = BrowserWindow.getFocusedWindow()?.webContents;
    if (!wc) return;
    for (const type of ['keyDown', 'char', 'keyUp'] as const) {
      if (type === 'char' && s.key.keyCode.length !== 1) continue;
      wc.sendInputEvent({ type, keyCode: s.key.keyCode, modifiers: s.key.modifiers });
    }
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ ...actions, sendShortcut }) as MenuItemConstructorOptions[]));
}
