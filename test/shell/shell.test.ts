// The desktop shell's logic that needs no Electron: the external-link scheme
// check, window placement, the menu, and which events notify.

import { describe, expect, it, vi } from 'vitest';
import { isSafeExternalUrl } from '../../electron/shell/external-links.js';
import { CONSOLE_SHORTCUTS, menuTemplate, type MenuItemSpec } from '../../electron/shell/menu-template.js';
import { NOTIFY_MIN_INTERVAL_MS, NotifyThrottle, notificationFor } from '../../electron/shell/notify-rules.js';
import { DEFAULT_SIZE, parseWindowState, placeWindow } from '../../electron/shell/window-state.js';
import type { PlaneEvent } from '../../shared/events.js';

describe('external links', () => {
  it.each([
    ['https://example.com/docs', true],
    ['mailto:ops@example.com', true],
    ['http://example.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://host/share', false],
    ['https://user:pw@example.com', false],
    ['app://swarmdeck/index.html', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok);
  });
});

describe('window placement', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 };
  it('restores a saved rect that is on a display', () => {
    expect(placeWindow({ x: 100, y: 50, width: 900, height: 700 }, [screen])).toEqual({ x: 100, y: 50, width: 900, height: 700 });
  });
  it('moves a window whose display is gone back onto the first one, and cascades new windows', () => {
    const a = placeWindow({ x: 4000, y: 50, width: 900, height: 700 }, [screen], 0);
    const b = placeWindow(undefined, [screen], 1);
    expect(a).toEqual({ x: 320, y: 140, ...DEFAULT_SIZE });
    expect([b.x - a.x, b.y - a.y]).toEqual([32, 32]);
  });
  it('never opens smaller than the minimum, and reads a damaged state file as empty', () => {
    expect(placeWindow({ x: 0, y: 0, width: 10, height: 10 }, [screen])).toMatchObject({ width: 640, height: 400 });
    expect(parseWindowState({ windows: [{ x: 'a' }] })).toEqual({ windows: [] });
    expect(parseWindowState(null)).toEqual({ windows: [] });
  });
});

describe('application menu', () => {
  const flat = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  it('has New Window, Open Recording and every console shortcut, which the page keeps and a click sends', () => {
    const actions = { newWindow: vi.fn(), openRecording: vi.fn(), sendShortcut: vi.fn(), openExternal: vi.fn() };
    const items = flat(menuTemplate(actions, 'linux'));
    items.find((i) => i.id === 'new-window')!.click!();
    expect(actions.newWindow).toHaveBeenCalledOnce();
    const open = items.find((i) => i.id === 'open-recording')!;
    expect(open.accelerator).toBe('CmdOrCtrl+O');
    open.click!();
    expect(actions.openRecording).toHaveBeenCalledOnce();
    for (const s of CONSOLE_SHORTCUTS) {
      const item = items.find((i) => i.id === s.id)!;
      expect(item).toMatchObject({ label: s.label, accelerator: s.accelerator, registerAccelerator: false });
      item.click!();
      expect(actions.sendShortcut).toHaveBeenLastCalledWith(s);
    }
    items.find((i) => i.id === 'docs')!.click!();
    expect(isSafeExternalUrl(actions.openExternal.mock.calls[0]![0] as string)).toBe(true);
    expect(new Set(CONSOLE_SHORTCUTS.map((s) => s.accelerator)).size).toBe(CONSOLE_SHORTCUTS.length);
  });
  it('macOS gets the app menu', () => {
    expect(menuTemplate({ newWindow: vi.fn(), openRecording: vi.fn(), sendShortcut: vi.fn(), openExternal: vi.fn() }, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });
});

describe('notifications', () => {
  const ev = (type: string, payload: Record<string, unknown>, priority: PlaneEvent['priority'] = 'normal'): PlaneEvent =>
    ({ seq: 1, plane: 'p', type, source: 'client', priority, receivedAt: 0, payload }) as unknown as PlaneEvent;
  it('notifies for a plane needing sign-in or failing, and for critical events, with neutralised text', () => {
    expect(notificationFor(ev('client.connection', { state: 'AUTH_REQUIRED', reason: 'AUTH_FAILED' }), 'Prod')).toEqual({ title: 'Prod: sign-in needed', body: 'AUTH_FAILED' });
    expect(notificationFor(ev('client.connection', { state: 'FAILED' }), 'Prod\u202eevil')!.title).toBe('Prod‹U+202E›evil: connection failed');
    expect(notificationFor(ev('alert.raised', { message: 'disk full' }, 'critical'), 'Prod')).toEqual({ title: 'Prod: alert.raised', body: 'disk full' });
    expect(notificationFor(ev('client.connection', { state: 'LIVE' }), 'Prod')).toBeNull();
    expect(notificationFor(ev('agent.state.changed', {}), 'Prod')).toBeNull();
  });
  it('at most one per plane per interval', () => {
    const t = new NotifyThrottle();
    expect([t.allow('a', 0), t.allow('a', 1000), t.allow('b', 1000), t.allow('a', NOTIFY_MIN_INTERVAL_MS)]).toEqual([true, false, true, true]);
  });
});
