// Which plane events become a native notification, and its text. Only what
// an operator must act on (a plane lost for good, asking for credentials, a
// critical event), at most one per plane per NOTIFY_MIN_INTERVAL_MS. No
// Electron import: tested in Node; notifications.ts shows them.

import { neutraliseText, type PlaneEvent } from '../../shared/index.js';

export const NOTIFY_MIN_INTERVAL_MS = 30_000;
const MAX_BODY = 200;

export interface NotificationText {
  title: string;
  body: string;
}

export function notificationFor(ev: PlaneEvent, planeLabel: string): NotificationText | null {
  const label = neutraliseText(planeLabel).slice(0, 80);
  const p = ev.payload as Record<string, unknown>;
  const reason = typeof p.reason === 'string' ? neutraliseText(p.reason).slice(0, MAX_BODY) : '';
  if (ev.type === 'client.connection') {
    if (p.state === 'AUTH_REQUIRED') return { title: `${label}: sign-in needed`, body: reason || 'The control plane refused the token.' };
    if (p.state === 'FAILED') return { title: `${label}: connection failed`, body: reason || 'The connection will not be retried.' };
    return null;
  }
  if (ev.priority === 'critical') {
    const message = typeof p.message === 'string' ? neutraliseText(p.message).slice(0, MAX_BODY) : '';
    return { title: `${label}: ${neutraliseText(ev.type).slice(0, 80)}`, body: message || reason || 'A critical event arrived.' };
  }
  return null;
}

/** Drops a notification when the same plane had one less than NOTIFY_MIN_INTERVAL_MS ago. */
export class NotifyThrottle {
  private readonly last = new Map<string, number>();
  allow(plane: string, now: number): boolean {
    const at = this.last.get(plane);
    if (at !== undefined && now - at < NOTIFY_MIN_INTERVAL_MS) return false;
    this.last.set(plane, now);
    return true;
  }
  forget(plane: string): void {
    this.last.delete(plane);
  }
}
