// Timeline markers: which events mark a recording (errors, alerts,
// coordination rounds, connection changes). The recorder's reader and the
// renderer's timeline both use markerOf.

import type { TimelineMarker } from './model.js';
import type { PlaneEvent } from './events.js';

/** The marker an event makes, or null. */
export function markerOf(ev: Pick<PlaneEvent, 'type' | 'priority' | 'payload' | 'at' | 'plane'>): TimelineMarker | null {
  const p = ev.payload;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  if (ev.type === 'client.connection') return { t: ev.at, kind: 'connection', plane: ev.plane, label: `${str(p.previous)} → ${str(p.state)}` };
  if (ev.type === 'error' || ev.type === 'client.error' || ev.type.startsWith('protocol.')) {
    return { t: ev.at, kind: 'error', plane: ev.plane, label: `${str(p.code) || ev.type}${p.message ? `: ${str(p.message)}` : ''}`.slice(0, 200) };
  }
  if (ev.type === 'coordination.initiated') return { t: ev.at, kind: 'coordination', plane: ev.plane, label: `round ${str(p.coordinationId)}`.trim() };
  const alerts = Array.isArray(p.alerts) ? p.alerts.length : 0;
  if (alerts > 0 || ev.priority === 'critical' || ev.type.includes('alert')) {
    return { t: ev.at, kind: 'alert', plane: ev.plane, label: alerts > 0 ? `${alerts} alert${alerts > 1 ? 's' : ''}` : ev.type };
  }
  return null;
}
