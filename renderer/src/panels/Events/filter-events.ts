// The Events panel's filter and export, as plain functions.

import { eventAgent, type PlaneEvent } from '@shared';
import { eventLevel, eventText, type EventLevel } from './event-text.js';

export interface EventFilter {
  /** Event types shown; empty: all. */
  types: readonly string[];
  plane: string;
  agent: string;
  /** Lowest level shown ("info" hides debug: heartbeats and status updates). */
  level: EventLevel;
  text: string;
}

export const DEFAULT_FILTER: EventFilter = { types: [], plane: '', agent: '', level: 'info', text: '' };
const RANK: Record<EventLevel, number> = { error: 3, warn: 2, info: 1, debug: 0 };

export function matches(ev: PlaneEvent, f: EventFilter): boolean {
  if (f.types.length && !f.types.includes(ev.type)) return false;
  if (f.plane && ev.plane !== f.plane) return false;
  if (RANK[eventLevel(ev)] < RANK[f.level]) return false;
  if (f.agent) {
    const a = eventAgent(ev)?.toLowerCase() ?? '';
    if (!a.includes(f.agent.trim().toLowerCase())) return false;
  }
  const t = f.text.trim().toLowerCase();
  if (t && !`${ev.type} ${eventText(ev)}`.toLowerCase().includes(t)) return false;
  return true;
}

/** The flow a message.flow.stats names, for one row per flow; null for any other event. */
function flowKey(ev: PlaneEvent): string | null {
  if (ev.type !== 'message.flow.stats' || typeof ev.payload.flowId !== 'string') return null;
  return `${ev.plane}\u0000${ev.payload.flowId}`;
}

/**
 * Newest first, as the log shows them. With `onePerFlow`, message.flow.stats
 * (a sample the core logs: docs/PROTOCOL.md, "Flows are hot data") are one
 * row per flow, its newest: the row is updated in place as samples arrive.
 */
export function filterEvents(oldestFirst: readonly PlaneEvent[], f: EventFilter, onePerFlow = false): PlaneEvent[] {
  const out: PlaneEvent[] = [];
  const flows = new Set<string>();
  for (let i = oldestFirst.length - 1; i >= 0; i--) {
    const ev = oldestFirst[i]!;
    if (!matches(ev, f)) continue;
    const k = onePerFlow ? flowKey(ev) : null;
    if (k !== null) {
      if (flows.has(k)) continue;
      flows.add(k);
    }
    out.push(ev);
  }
  return out;
}

/** One JSON object per line, oldest first: the events exactly as the console holds them. */
export function toNdjson(newestFirst: readonly PlaneEvent[]): string {
  let s = '';
  for (let i = newestFirst.length - 1; i >= 0; i--) s += `${JSON.stringify(newestFirst[i])}\n`;
  return s;
}

/** The types seen, for the type filter's choices. */
export function typesOf(events: readonly PlaneEvent[]): string[] {
  return [...new Set(events.map((e) => e.type))].sort();
}

/** While a plane is rewound, its events after the moment shown are hidden (they are kept, and come back at LIVE). */
export function beforeRewind(events: readonly PlaneEvent[], rewound: readonly { plane: string; at: number }[]): readonly PlaneEvent[] {
  if (rewound.length === 0) return events;
  const at = new Map(rewound.map((r) => [r.plane, r.at]));
  return events.filter((ev) => {
    const t = at.get(ev.plane);
    return t === undefined || ev.at <= t;
  });
}
