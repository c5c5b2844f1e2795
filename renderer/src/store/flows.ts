// The core's flow tables as this view holds them (issue 22): per plane, one
// row per flow, updated in place from each frame's FlowFrame (latest wins; a
// complete frame replaces the plane's rows). Bounded by the core's table
// (MAX_FLOWS_PER_PLANE per plane, enforced by the frame contract); the
// evictions shown are the core's. The Flows panel, the Inspector and the
// Events panel's flow rows read it.

import type { FlowFrame } from '@shared';

export interface FlowRow {
  key: string;
  plane: string;
  flowId: string;
  count: number;
  /** Messages per second (the core's: count growth over the plane's time, or message.sent counted). */
  rate: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  /** 0..1 */
  successRate: number;
  bandwidth: number;
  /** When the core last updated the flow (core clock, ms since epoch). */
  lastActivity: number;
  updatedAt: number;
}

interface PlaneFlows {
  /** Core table slot → its row. */
  slots: Map<number, FlowRow>;
  evicted: number;
  size: number;
}

export class Flows {
  private readonly planes = new Map<string, PlaneFlows>();

  /** Takes one plane's flow table changes; returns whether any row changed. */
  apply(ff: FlowFrame, builtAt: number): boolean {
    let p = this.planes.get(ff.plane);
    if (!p || ff.complete) this.planes.set(ff.plane, (p = { slots: new Map(), evicted: 0, size: 0 }));
    p.evicted = ff.evicted;
    p.size = ff.size;
    for (const [k, flowId] of ff.names) {
      p.slots.set(ff.slots[k]!, {
        key: `${ff.plane}\u0000${flowId}`,
        plane: ff.plane,
        flowId,
        count: NaN,
        rate: NaN,
        avgMs: NaN,
        minMs: NaN,
        maxMs: NaN,
        successRate: NaN,
        bandwidth: NaN,
        lastActivity: 0,
        updatedAt: 0,
      });
    }
    let changed = ff.names.length > 0;
    for (let k = 0; k < ff.slots.length; k++) {
      const r = p.slots.get(ff.slots[k]!);
      if (!r) continue;
      r.count = ff.count[k]!;
      r.rate = ff.rate[k]!;
      r.avgMs = ff.latencyMs[k]!;
      r.minMs = ff.minMs[k]!;
      r.maxMs = ff.maxMs[k]!;
      r.successRate = ff.successRate[k]!;
      r.bandwidth = ff.bandwidth[k]!;
      r.lastActivity = r.updatedAt = builtAt - ff.ageMs[k]!;
      changed = true;
    }
    return changed;
  }

  /** Drops the flows of planes no longer shown. */
  keepOnly(planes: ReadonlySet<string>): void {
    for (const id of this.planes.keys()) if (!planes.has(id)) this.planes.delete(id);
  }

  list(): FlowRow[] {
    const out: FlowRow[] = [];
    for (const p of this.planes.values()) for (const r of p.slots.values()) out.push(r);
    return out;
  }

  /** One flow's row, or undefined. */
  find(plane: string, flowId: string): FlowRow | undefined {
    const p = this.planes.get(plane);
    if (!p) return undefined;
    for (const r of p.slots.values()) if (r.flowId === flowId) return r;
    return undefined;
  }

  get size(): number {
    let n = 0;
    for (const p of this.planes.values()) n += p.slots.size;
    return n;
  }

  /** The core's flow tables' evictions, all planes. */
  get evicted(): number {
    let n = 0;
    for (const p of this.planes.values()) n += p.evicted;
    return n;
  }
}
