// Native notifications through the shell, for the events notify-rules.ts picks,
// shown only while no app window has focus.

import { BrowserWindow, Notification } from 'electron';
import type { PlaneEvent } from '../../shared/index.js';
import { NotifyThrottle, notificationFor } from './notify-rules.js';

export function notifyOnEvents(onEvent: (l: (ev: PlaneEvent) => void) => () => void, labelOf: (plane: string) => string): () => void {
  const throttle = new NotifyThrottle();
  return onEvent((ev) => {
    if (!Notification.isSupported() || BrowserWindow.getFocusedWindow()) return;
    const n = notificationFor(ev, labelOf(ev.plane));
    if (!n || !throttle.allow(ev.plane, Date.now())) return;
    const shown = new Notification({ title: n.title, body: n.body, silent: false });
    shown.on('click', () => BrowserWindow.getAllWindows()[0]?.focus());
    shown.show();
  });
}
