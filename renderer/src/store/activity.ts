// Per agent, what the inspector shows beside the core's details: recent
// messages in and out, capability changes and the agent's namespace, from
// the events this view holds (the core's log), read through the one payload
// reader. Bounded both ways: CONSOLE_AGENTS_TRACKED agents (least recently
// active evicted) and CONSOLE_AGENT_MESSAGES entries each.

import { type PlaneEvent, readEvent } from '@shared';
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
    const v = readEvent(ev);
    if (v.kind === 'message' && ev.type === 'message.sent') {
      const extra = v.messageType === undefined ? {} : { messageType: v.messageType };
      const from = this.touch(ev.plane, v.from.id);
      if (v.from.namespace !== undefined) from.namespace = v.from.namespace;
      from.entries.push({ at: ev.at, kind: 'out', text: v.to.map((t) => t.id).join(', '), ...extra });
      for (const t of v.to) {
        const a = this.touch(ev.plane, t.id);
        if (t.namespace !== undefined) a.namespace = t.namespace;
        a.entries.push({ at: ev.at, kind: 'in', text: v.from.id, ...extra });
      }
      return true;
    }
    if (v.kind === 'capability') {
      this.touch(ev.plane, v.agentId).entries.push({ at: ev.at, kind: 'capability', text: `${v.action} ${v.name}` });
      return true;
    }
    return false;
  }

  of(plane: string, agent: string): AgentActivity | undefined {
    return this.agents.get(`${plane}\u0000${agent}`);
  }
}
