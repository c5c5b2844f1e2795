// The events a frame carries, as the graph shows them: messages become
// particles, message.flow.stats persistent flows, coordination.* rounds, an
// agent lost or recovered a mark, and any namespace seen groups its agent.
// Each payload is validated here (scene-events.ts); one that does not parse
// is not drawn. Bounded: unresolved flows wait at most MAX_PENDING_FLOWS per
// plane, groups and lost agents at most MAX_SLOTS.

import { agentNumber, MAX_SLOTS, type PlaneEvent } from '@shared';
import type { Rounds } from './coordination.js';
import { resolveFlowId } from './flow-id.js';
import type { LocalLayout } from './local-layout.js';
import { particleColor, particleLook, type ParticlePool } from './particles.js';
import { groupIndex, styleSlot, uploadFlowArrays, type PlaneLayer } from './plane-layer.js';
import {
  AgentRefPayloadSchema,
  CoordinationEndSchema,
  CoordinationInitiatedSchema,
  CoordinationProgressSchema,
  FlowStatsPayloadSchema,
  MessagePayloadSchema,
  messageFailed,
  NamespaceHintSchema,
  type FlowStatsPayload,
  type MessagePayload,
} from './scene-events.js';

/** Unresolved flow stats kept for a retry, per plane. */
const MAX_PENDING_FLOWS = 4_096;

export class EventIntake {
  constructor(
    /** The plane's layer, created on first mention. */
    private readonly layer: (plane: string) => PlaneLayer,
    private readonly particles: ParticlePool,
    private readonly rounds: Rounds,
    private readonly layout: LocalLayout,
  ) {}

  apply(ev: PlaneEvent, now: number): void {
    const t = ev.type;
    const p = ev.payload;
    if (t === 'message.sent' || t === 'message.failed' || t === 'message.dropped' || t === 'message.expired') {
      const m = MessagePayloadSchema.safeParse(p);
      if (m.success) this.addMessage(ev.plane, t, m.data, now);
    } else if (t === 'message.flow.stats') {
      const s = FlowStatsPayloadSchema.safeParse(p);
      if (s.success) this.applyFlowStats(this.layer(ev.plane), s.data, now);
    } else if (t === 'coordination.initiated') {
      const c = CoordinationInitiatedSchema.safeParse(p);
      if (c.success) this.rounds.initiated(ev.plane, c.data.coordinationId, c.data.pattern, c.data.initiator?.id, c.data.participants, now);
    } else if (t === 'coordination.progress') {
      const c = CoordinationProgressSchema.safeParse(p);
      if (c.success) this.rounds.progress(ev.plane, c.data.coordinationId, c.data.votes, c.data.status, c.data.result, now);
    } else if (t.startsWith('coordination.') && /completed|failed|timeout|ended|cancelled/.test(t)) {
      const c = CoordinationEndSchema.safeParse(p);
      if (c.success) this.rounds.end(ev.plane, c.data.coordinationId, c.data.result ?? c.data.status ?? t.slice('coordination.'.length), now);
    } else if (t === 'client.agent_lost' || t === 'client.agent_recovered') {
      const a = AgentRefPayloadSchema.safeParse(p);
      const id = a.success ? agentNumber(a.data.agentId) : null;
      if (id === null) return;
      const l = this.layer(ev.plane);
      if (t === 'client.agent_lost') {
        if (l.lost.size < MAX_SLOTS) l.lost.add(id);
      } else l.lost.delete(id);
      const slot = l.slotOf.get(id);
      if (slot !== undefined) {
        styleSlot(l, slot);
        l.styleDirty = true;
      }
    } else if ('namespace' in p || 'metadata' in p) {
      const h = NamespaceHintSchema.safeParse(p);
      const ns = h.success ? (h.data.namespace ?? h.data.metadata?.namespace) : undefined;
      if (h.success && ns !== undefined) this.learnGroup(this.layer(ev.plane), h.data.agentId, ns);
    }
  }

  /** One particle per receiver drawn on this plane, flying from the sender. */
  private addMessage(plane: string, type: string, m: MessagePayload, now: number): void {
    const l = this.layer(plane);
    if (m.from.namespace) this.learnGroup(l, m.from.id, m.from.namespace);
    const from = agentNumber(m.from.id);
    const failed = messageFailed(type, m);
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
