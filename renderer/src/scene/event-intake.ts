// The events a frame carries, as the graph shows them: messages become
// particles, message.flow.stats persistent flows, an agent lost or recovered
// a mark, and any namespace seen groups its agent (coordination rounds are
// the core's: GraphView.applyRounds). Each payload is read by the one reader
// (readEvent, shared/payloads.ts); one that does not read is not drawn.
// Bounded: unresolved flows wait at most MAX_PENDING_FLOWS per plane, groups
// and lost agents at most MAX_SLOTS.

import { agentNumber, type EventView, type FlowStatsPayload, MAX_SLOTS, namespaceHint, type PlaneEvent, readEvent } from '@shared';
import { resolveFlowId } from './flow-id.js';
import type { LocalLayout } from './local-layout.js';
import { particleColor, particleLook, type ParticlePool } from './particles.js';
import { groupIndex, styleSlot, uploadFlowArrays, type PlaneLayer } from './plane-layer.js';

type MessageView = Extract<EventView, { kind: 'message' }>;

/** Unresolved flow stats kept for a retry, per plane. */
const MAX_PENDING_FLOWS = 4_096;

export class EventIntake {
  constructor(
    /** The plane's layer, created on first mention. */
    private readonly layer: (plane: string) => PlaneLayer,
    private readonly particles: ParticlePool,
    private readonly layout: LocalLayout,
  ) {}

  apply(ev: PlaneEvent, now: number): void {
    const v = readEvent(ev);
    if (v.kind === 'message') this.addMessage(ev.plane, v, now);
    else if (v.kind === 'flow') this.applyFlowStats(this.layer(ev.plane), { flowId: v.flowId, statistics: v.statistics }, now);
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

  /** One particle per receiver drawn on this plane, flying from the sender. */
  private addMessage(plane: string, m: MessageView, now: number): void {
    const l = this.layer(plane);
    if (m.from.namespace) this.learnGroup(l, m.from.id, m.from.namespace);
    const from = agentNumber(m.from.id);
    const failed = m.failed;
    const color = particleColor(m.messageType, failed);
    const look = particleLook(m.priority, failed);
    for (const t of m.to) {
      if (t.namespace) this.learnGroup(l, t.id, t.namespace);
      const to = agentNumber(t.id);
      if (from === null || to === null) continue;
      const a = l.slotOf.get(from), b = l.slotOf.get(to);
      if (a === undefined || b === undefined) continue;
      this.particles.add(l.index, from, a, to, b, color, look.sizePx, look.shape, now);
    }
  }

  /** A flow whose ends are known agents or groups is drawn; otherwise its stats wait for them (bounded). */
  private applyFlowStats(l: PlaneLayer, s: FlowStatsPayload, now: number): void {
    const ends = resolveFlowId(
      s.flowId,
      (name) => {
        const id = agentNumber(name);
        return id !== null && l.slotOf.has(id) ? id : null;
      },
      (name) => l.groups.has(name),
    );
    if (!ends) {
      if (l.pendingFlows.size < MAX_PENDING_FLOWS || l.pendingFlows.has(s.flowId)) l.pendingFlows.set(s.flowId, s);
      return;
    }
    l.pendingFlows.delete(s.flowId);
    if (ends.from.kind === 'group' || ends.to.kind === 'group') l.hasGroupFlows = true;
    const grew = l.flows.n;
    const k = l.flows.update(s.flowId, ends, (name) => groupIndex(l, name), s.statistics, now);
    if (k >= 0 && l.flows.n > grew) uploadFlowArrays(l);
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
