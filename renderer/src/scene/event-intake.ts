// The events a frame carries, as the graph shows them: a failed, dropped or
// expired message becomes a particle, an agent lost or recovered a mark, and
// any namespace seen groups its agent (coordination rounds are the core's:
// GraphView.applyRounds). Flows and the particles of message.sent come from
// the core's flow tables, not events (flow-intake.ts): the sampled
// message.flow.stats and message.sent a frame carries only teach groups.
// Each payload is read by the one reader (readEvent, shared/payloads.ts); one
// that does not read is not drawn. Bounded: groups and lost agents at most MAX_SLOTS.

import { agentNumber, type EventView, MAX_SLOTS, namespaceHint, type PlaneEvent, readEvent } from '@shared';
import type { LocalLayout } from './local-layout.js';
import { particleColor, particleLook, type ParticlePool } from './particles.js';
import { groupIndex, styleSlot, type PlaneLayer } from './plane-layer.js';

type MessageView = Extract<EventView, { kind: 'message' }>;

export class EventIntake {
  constructor(
    /** The plane's layer, created on first mention. */
    private readonly layer: (plane: string) => PlaneLayer,
    private readonly particles: ParticlePool,
    private readonly layout: LocalLayout,
  ) {}

  apply(ev: PlaneEvent, now: number): void {
    const v = readEvent(ev);
    if (v.kind === 'message') this.addMessage(ev.plane, v, ev.type !== 'message.sent', now);
    else if (v.kind === 'flow') return;
    else if (v.kind === 'agent_lost' || v.kind === 'agent_recovered') {
      const id = agentNumber(v.agentId);
      if (id === null) return;
      const l = this.layer(ev.plane);
      if (v.kind === 'agent_lost') {
        if (l.lost.size < MAX_SLOTS) l.lost.add(id);
      } else l.lost.delete(id);
      const slot = l.slotOf.get(id);
      if (slot !== undefined) {
        styleSlot(l, slot);
        l.styleDirty = true;
      }
    } else if (v.kind !== 'coordination') {
      const h = namespaceHint(ev);
      if (h) this.learnGroup(this.layer(ev.plane), h.agentId, h.namespace);
    }
  }

  /** Learns the namespaces a message names; a failed one (not folded into the flows) is one particle per receiver, flying from the sender. */
  private addMessage(plane: string, m: MessageView, particle: boolean, now: number): void {
    const l = this.layer(plane);
    if (m.from.namespace) this.learnGroup(l, m.from.id, m.from.namespace);
    const from = agentNumber(m.from.id);
    const failed = m.failed;
    const color = particleColor(m.messageType, failed);
    const look = particleLook(m.priority, failed);
    for (const t of m.to) {
      if (t.namespace) this.learnGroup(l, t.id, t.namespace);
      if (!particle) continue;
      const to = agentNumber(t.id);
      if (from === null || to === null) continue;
      const a = l.slotOf.get(from), b = l.slotOf.get(to);
      if (a === undefined || b === undefined) continue;
      this.particles.add(l.index, from, a, to, b, color, look.sizePx, look.shape, now);
    }
  }

  private learnGroup(l: PlaneLayer, agent: string, ns: string): void {
    const id = agentNumber(agent);
    if (id === null || l.agentGroup.get(id) === ns) return;
    if (!l.agentGroup.has(id) && l.agentGroup.size >= MAX_SLOTS) return;
    l.agentGroup.set(id, ns);
    const slot = l.slotOf.get(id);
    if (slot !== undefined) l.groupOf[slot] = groupIndex(l, ns);
    this.layout.group(l, id, ns);
  }
}
