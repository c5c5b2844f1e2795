// Events as a plane's listener hands them to the core, for the monitor tests.
import type { PlaneEvent } from '../../shared/events.js';

export function planeEvent(type: string, payload: PlaneEvent['payload'], extra: Partial<PlaneEvent> = {}): PlaneEvent {
  return { seq: 0, plane: 'p', at: 1000, origin: 'vis', type, priority: 'normal', payload, ...extra };
}

export const connection = (state: string, at: number, extra: Record<string, string | boolean> = {}): PlaneEvent =>
  planeEvent('client.connection', { state, ...extra }, { origin: 'client', at });
