// The core's flow tables, as frames bring them (FlowFrame: issue 22), into
// each plane's drawn flows, and the particles that fly along them. A flow's
// ends are the agents the core read from its id when the page knows them,
// else the flow-id rule (flow-id.ts: agents, then groups); a flow whose ends
// are not known yet waits (bounded) and is retried. Particles are started
// here from each agent-to-agent flow's rate, not one per message: at most
// SCENE_PARTICLES_PER_FRAME per display frame across planes (the rest are
// counted as capped and not owed), at most PARTICLE_MAX_RATE a second per flow.

import { agentNumber, FLOW_END_NONE, FLOW_LOOK_FAILED, FLOW_LOOK_PRIORITIES, FLOW_LOOK_TYPES, type FlowFrame, SCENE_PARTICLES_PER_FRAME } from '@shared';
import { resolveFlowId } from './flow-id.js';
import { END_AGENT, type FlowFigures } from './flows.js';
import { particleColor, particleLook, type ParticlePool } from './particles.js';
import { groupIndex, type PlaneLayer } from './plane-layer.js';

/** Flows waiting for their ends, per plane; beyond it new ones are not kept. */
const MAX_PENDING_FLOWS = 4_096;
/** Waiting flows retried per frame of a plane. */
const RETRIES_PER_FRAME = 256;
/** A flow not updated for this long starts no particles (nor for two of its message intervals, when longer than PARTICLE_QUIET_MS). */
export const PARTICLE_ACTIVE_MS = 5_000;
export const PARTICLE_QUIET_MS = 1_500;
/** Particles a second one flow starts at most, whatever its rate. */
export const PARTICLE_MAX_RATE = 10;

export class FlowIntake {
  /** Per plane, table slot → flow id (a frame names a slot's flow when it is new to this view). */
  private readonly names = new Map<string, Map<number, string>>();
  private lastEmit = -1;
  private start = 0;
  /** Particles started from flow rates, and those the per-frame cap let go. */
  started = 0;
  capped = 0;

  constructor(private readonly layer: (plane: string) => PlaneLayer) {}

  apply(ff: FlowFrame, now: number): void {
    const l = this.layer(ff.plane);
    let names = this.names.get(ff.plane);
    if (!names || ff.complete) this.names.set(ff.plane, (names = new Map()));
    for (const [k, id] of ff.names) names.set(ff.slots[k]!, id);
    for (let k = 0; k < ff.slots.length; k++) {
      const id = names.get(ff.slots[k]!);
      if (id === undefined) continue;
      const figures: FlowFigures = {
        count: ff.count[k]!,
        rate: ff.rate[k]!,
        successRate: ff.successRate[k]!,
        averageLatency: ff.latencyMs[k]!,
        minLatency: ff.minMs[k]!,
        maxLatency: ff.maxMs[k]!,
        look: ff.look[k]!,
      };
      this.place(l, id, ff.from[k]!, ff.to[k]!, figures, now - ff.ageMs[k]!);
    }
    this.retry(l);
  }

  /** Flows waiting for their ends (every plane). */
  unresolved(layers: readonly PlaneLayer[]): number {
    let n = 0;
    for (const l of layers) n += l.pendingFlows.size;
    return n;
  }

  private place(l: PlaneLayer, flowId: string, from: number, to: number, figures: FlowFigures, at: number): boolean {
    // The core's reading of the id first (the agents it names), else the flow-id rule over what this page knows.
    const ends =
      from !== FLOW_END_NONE && to !== FLOW_END_NONE && l.slotOf.has(from) && l.slotOf.has(to)
        ? { from: { kind: 'agent' as const, id: from }, to: { kind: 'agent' as const, id: to } }
        : resolveFlowId(
            flowId,
            (name) => {
              const id = agentNumber(name);
              return id !== null && l.slotOf.has(id) ? id : null;
            },
            (name) => l.groups.has(name),
          );
    if (!ends) {
      if (l.pendingFlows.size < MAX_PENDING_FLOWS || l.pendingFlows.has(flowId)) l.pendingFlows.set(flowId, { from, to, figures, at });
      return false;
    }
    l.pendingFlows.delete(flowId);
    if (ends.from.kind === 'group' || ends.to.kind === 'group') l.hasGroupFlows = true;
    l.flows.set(flowId, ends, (name) => groupIndex(l, name), figures, at);
    return true;
  }

  private retry(l: PlaneLayer): void {
    if (l.pendingFlows.size === 0) return;
    let tries = 0;
    for (const [id, p] of l.pendingFlows) {
      if (tries++ >= RETRIES_PER_FRAME) break;
      this.place(l, id, p.from, p.to, p.figures, p.at);
    }
  }

  /** Starts the particles the flows' rates owe since the last display frame (capped per frame). */
  emit(now: number, layers: readonly PlaneLayer[], particles: ParticlePool): void {
    const dt = this.lastEmit < 0 ? 0 : Math.min(250, now - this.lastEmit);
    this.lastEmit = now;
    if (dt <= 0) return;
    let budget = SCENE_PARTICLES_PER_FRAME;
    // A different flow first each frame, so the cap starves none for long.
    const first = this.start++;
    for (const l of layers) {
      const f = l.flows;
      if (f.n === 0 || !l.group.visible) continue;
      for (let j = 0; j < f.n; j++) {
        const k = (first + j) % f.n;
        if (f.fromKind[k] !== END_AGENT || f.toKind[k] !== END_AGENT) continue;
        const rate = f.rate[k]!;
        // Active while the next update is due: two of its message intervals, at least PARTICLE_QUIET_MS, at most PARTICLE_ACTIVE_MS.
        if (!(rate > 0) || now - f.lastAt[k]! > Math.min(PARTICLE_ACTIVE_MS, Math.max(PARTICLE_QUIET_MS, 2000 / rate))) {
          f.credit[k] = 0;
          continue;
        }
        let c = f.credit[k]! + (Math.min(rate, PARTICLE_MAX_RATE) * dt) / 1000;
        while (c >= 1) {
          c -= 1;
          if (budget <= 0) {
            this.capped++;
            continue;
          }
          const a = l.slotOf.get(f.fromRef[k]!), b = l.slotOf.get(f.toRef[k]!);
          if (a === undefined || b === undefined) continue;
          const look = f.look[k]!;
          const failed = (look & FLOW_LOOK_FAILED) !== 0;
          const type = FLOW_LOOK_TYPES[look & 7] ?? '';
          const priority = FLOW_LOOK_PRIORITIES[(look >> 3) & 3];
          const p = particleLook(priority, failed);
          particles.add(l.index, f.fromRef[k]!, a, f.toRef[k]!, b, particleColor(type, failed), p.sizePx, p.shape, now);
          budget--;
          this.started++;
        }
        f.credit[k] = c;
      }
    }
  }
}
