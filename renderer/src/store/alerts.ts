// Alerts: system.metrics alerts and error events, grouped so a repeat bumps a
// count and a last-seen time instead of adding a row. Bounded: beyond the
// limit the least recently seen group is evicted (and counted).

import type { JsonObject, JsonValue, PlaneEvent } from '@shared';

export type AlertLevel = 'critical' | 'error' | 'warning' | 'info';

export interface AlertGroup {
  key: string;
  plane: string;
  level: AlertLevel;
  /** component (system.metrics) or the event type (errors). */
  source: string;
  message: string;
  code?: string;
  recoverable?: boolean;
  suggestedAction?: string;
  agentId?: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The count when the operator acknowledged; a group is active again once count passes it. */
  ackedAt: number;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function level(v: string | undefined, fallback: AlertLevel): AlertLevel {
  const l = v?.toLowerCase();
  if (l === 'critical' || l === 'fatal') return 'critical';
  if (l === 'error' || l === 'high') return 'error';
  if (l === 'warning' || l === 'warn' || l === 'medium') return 'warning';
  if (l === 'info' || l === 'low' || l === 'normal') return 'info';
  return fallback;
}

/** The alerts one event raises (none for most events). */
export function alertsOf(ev: PlaneEvent): Omit<AlertGroup, 'key' | 'count' | 'firstSeen' | 'lastSeen' | 'ackedAt'>[] {
  const p = ev.payload;
  if (ev.type === 'system.metrics') {
    const list = Array.isArray(p.alerts) ? p.alerts : [];
    return list
      .filter((a): a is JsonObject => typeof a === 'object' && a !== null && !Array.isArray(a))
      .map((a) => ({ plane: ev.plane, level: level(str(a.level), 'warning'), source: str(a.component) ?? 'system', message: str(a.message) ?? 'alert' }));
  }
  if (ev.type === 'error' || ev.type === 'client.error' || ev.type === 'protocol.error' || ev.type === 'protocol.invalid_message') {
    const recoverable = typeof p.recoverable === 'boolean' ? p.recoverable : undefined;
    const a: ReturnType<typeof alertsOf>[number] = {
      plane: ev.plane,
      level: ev.priority === 'critical' || recoverable === false ? 'critical' : 'error',
      source: ev.type,
      message: str(p.message) ?? str(p.reason) ?? 'error',
    };
    const code = str(p.code);
    if (code !== undefined) a.code = code;
    if (recoverable !== undefined) a.recoverable = recoverable;
    const action = str(p.suggestedAction);
    if (action !== undefined) a.suggestedAction = action;
    if (ev.agentId !== undefined) a.agentId = ev.agentId;
    return [a];
  }
  if (ev.type === 'agent.state.changed' && str(p.newState)?.toUpperCase() === 'ERROR') {
    return [{ plane: ev.plane, level: 'error', source: 'agent', message: `${str(p.agentId) ?? '?'} is in ERROR${str(p.reason) ? `: ${str(p.reason)}` : ''}`, agentId: str(p.agentId) ?? '' }];
  }
  if (ev.type === 'client.agent_lost' || ev.type === 'client.stale' || ev.type === 'client.channel_gap' || ev.type === 'client.tls_insecure' || ev.type === 'client.auth_required') {
    return [{ plane: ev.plane, level: 'warning', source: ev.type, message: str(p.message) ?? str(p.reason) ?? ev.type.replace('client.', '').replace('_', ' ') }];
  }
  return [];
}

export class AlertGroups {
  /** Insertion order = least recently seen first (a repeat moves its group to the end). */
  private readonly groups = new Map<string, AlertGroup>();
  evicted = 0;
  constructor(readonly capacity: number) {}

  /** Adds what the event raises; true when anything changed. */
  add(ev: PlaneEvent): boolean {
    const found = alertsOf(ev);
    for (const a of found) {
      // Agent errors group by agent, other alerts by what they say.
      const key = `${a.plane}\u0000${a.level}\u0000${a.source}\u0000${a.code ?? ''}\u0000${a.source === 'agent' ? (a.agentId ?? '') : a.message}`;
      const g = this.groups.get(key);
      if (g) {
        this.groups.delete(key);
        g.count++;
        g.lastSeen = ev.at;
        g.message = a.message;
        this.groups.set(key, g);
      } else {
        this.groups.set(key, { ...a, key, count: 1, firstSeen: ev.at, lastSeen: ev.at, ackedAt: 0 });
        if (this.groups.size > this.capacity) {
          this.groups.delete(this.groups.keys().next().value!);
          this.evicted++;
        }
      }
    }
    return found.length > 0;
  }

  acknowledge(key: string): boolean {
    const g = this.groups.get(key);
    if (!g) return false;
    g.ackedAt = g.count;
    return true;
  }

  /** Most recently seen first. */
  list(): AlertGroup[] {
    return [...this.groups.values()].reverse();
  }

  get size(): number {
    return this.groups.size;
  }
}

export const isActive = (g: AlertGroup): boolean => g.count > g.ackedAt;
