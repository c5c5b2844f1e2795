// Per agent, what the inspector shows beside the core's details: recent
// messages in and out, capability changes and the agent's namespace, from
// the event stream. Bounded both ways: CONSOLE_AGENTS_TRACKED agents (least
// recently active evicted) and CONSOLE_AGENT_MESSAGES entries each.

import type { JsonValue, PlaneEvent } from '@shared';
import { Ring } from './ring.js';

export interface ActivityEntry {
  at: number;
  kind: 'in' | 'out' | 'capability';
  /** The peer (messages) or "add/remove name" (capabilities). */
  text: string;
  messageType?: string;
}

export interface AgentActivity {
  namespace?: string;
  entries: Ring<ActivityEntry>;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const idOf = (v: JsonValue | undefined): { id?: string; namespace?: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? { id: str(v.id), namespace: str(v.namespace) } : {};

export class ActivityLog {
  private readonly agents = new Map<string, AgentActivity>();
  evictedAgents = 0;
  constructor(
    readonly maxAgents: number,
    readonly perAgent: number,
  ) {}

  private touch(plane: string, agent: string): AgentActivity {
    const key = `${plane}\u0000${agent}`;
    let a = this.agents.get(key);
    if (a) this.agents.delete(key);
    else a = { entries: new Ring<ActivityEntry>(this.perAgent) };
    this.agents.set(key, a);
    if (this.agents.size > this.maxAgents) {
      this.agents.delete(this.agents.keys().next().value!);
      this.evictedAgents++;
    }
    return a;
  }

  add(ev: PlaneEvent): boolean {
    const p = ev.payload;
    if (ev.type === 'message.sent') {
      const from = idOf(p.from);
      const to = Array.isArray(p.to) ? p.to.map(idOf) : [];
      const messageType = str(p.messageType);
      const extra = messageType === undefined ? {} : { messageType };
      if (from.id !== undefined) {
        const a = this.touch(ev.plane, from.id);
        if (from.namespace !== undefined) a.namespace = from.namespace;
        a.entries.push({ at: ev.at, kind: 'out', text: to.map((t) => t.id ?? '?').join(', '), ...extra });
      }
      for (const t of to) {
        if (t.id === undefined) continue;
        const a = this.touch(ev.plane, t.id);
        if (t.namespace !== undefined) a.namespace = t.namespace;
        a.entries.push({ at: ev.at, kind: 'in', text: from.id ?? '?', ...extra });
      }
      return true;
    }
    if (ev.type === 'agent.capability.update' && ev.agentId !== undefined) {
      const cap = typeof p.capability === 'object' && p.capability !== null && !Array.isArray(p.capability) ? str(p.capability.name) : undefined;
      this.touch(ev.plane, ev.agentId).entries.push({ at: ev.at, kind: 'capability', text: `${str(p.action) ?? 'update'} ${cap ?? '?'}` });
      return true;
    }
    return false;
  }

  of(plane: string, agent: string): AgentActivity | undefined {
    return this.agents.get(`${plane}\u0000${agent}`);
  }
}
