// The flow tables for one view: per shown plane, the flows changed since the
// view's last frame, as typed arrays (FlowFrame in the frame contract). They
// ride in the same coalesced, acknowledged frames as positions, so a view
// gets each flow's latest figures at most once per frame, and updates that a
// newer one replaced first are counted (flowUpdatesSuperseded). A frame
// presumed lost sends again what changed since the last acknowledged one.

import { type FlowFrame, grownCapacity, type PipelineStats, resized, type TypedArray } from '../../../shared/index.js';
import type { PlaneFlows } from './flow-fold.js';

interface Cols {
  slots: Uint32Array;
  from: Uint32Array;
  to: Uint32Array;
  count: Float64Array;
  rate: Float32Array;
  successRate: Float32Array;
  latencyMs: Float32Array;
  minMs: Float32Array;
  maxMs: Float32Array;
  bandwidth: Float32Array;
  ageMs: Float32Array;
  look: Uint8Array;
}

/** Per plane and view: the table version sent and acknowledged, and scratch reused frame to frame. */
interface FlowCursor {
  flows: PlaneFlows;
  sent: number;
  acked: number;
  updatesSeen: number;
  cols: Cols;
}

/** The versions a frame carried, to acknowledge (or send again) with it. */
export type FlowRevs = [FlowCursor, number][];

function fit<T extends TypedArray>(a: T, n: number): T {
  return a.length >= n ? a : resized(a, grownCapacity(a.length, n, 0), 0);
}

function emptyCols(): Cols {
  return {
    slots: new Uint32Array(0),
    from: new Uint32Array(0),
    to: new Uint32Array(0),
    count: new Float64Array(0),
    rate: new Float32Array(0),
    successRate: new Float32Array(0),
    latencyMs: new Float32Array(0),
    minMs: new Float32Array(0),
    maxMs: new Float32Array(0),
    bandwidth: new Float32Array(0),
    ageMs: new Float32Array(0),
    look: new Uint8Array(0),
  };
}

type FlowStats = Required<Pick<PipelineStats, 'flowsSent' | 'flowUpdatesSuperseded'>>;

export class FlowFrames {
  private readonly cursors = new Map<string, FlowCursor>();

  constructor(private readonly flowsOf: (plane: string) => PlaneFlows | undefined) {}

  /** The next frame is complete for every plane (a hello, a new scope). */
  reset(): void {
    this.cursors.clear();
  }

  /**
   * Each plane's flows changed since the last frame sent (marked sent; acknowledged with the frame).
   * Arrays view this view's scratch: valid until the next build.
   */
  build(planes: readonly string[], builtAt: number, stats: FlowStats): { frames: FlowFrame[]; revs: FlowRevs } {
    const frames: FlowFrame[] = [];
    const revs: FlowRevs = [];
    for (const plane of planes) {
      const flows = this.flowsOf(plane);
      if (!flows) continue;
      const t = flows.table;
      let c = this.cursors.get(plane);
      if (!c || c.flows !== flows) {
        c = { flows, sent: 0, acked: 0, updatesSeen: 0, cols: emptyCols() };
        this.cursors.set(plane, c);
      }
      if (t.version === c.sent) continue;
      const complete = c.sent === 0;
      const o = c.cols;
      const cap = t.size;
      o.slots = fit(o.slots, cap);
      const n = t.changedSince(c.sent, o.slots);
      o.from = fit(o.from, n);
      o.to = fit(o.to, n);
      o.count = fit(o.count, n);
      o.rate = fit(o.rate, n);
      o.successRate = fit(o.successRate, n);
      o.latencyMs = fit(o.latencyMs, n);
      o.minMs = fit(o.minMs, n);
      o.maxMs = fit(o.maxMs, n);
      o.bandwidth = fit(o.bandwidth, n);
      o.ageMs = fit(o.ageMs, n);
      o.look = fit(o.look, n);
      const names: [number, string][] = [];
      for (let k = 0; k < n; k++) {
        const s = o.slots[k]!;
        o.from[k] = t.from[s]!;
        o.to[k] = t.to[s]!;
        o.count[k] = t.count[s]!;
        o.rate[k] = t.rate[s]!;
        o.successRate[k] = t.successRate[s]!;
        o.latencyMs[k] = t.latencyMs[s]!;
        o.minMs[k] = t.minMs[s]!;
        o.maxMs[k] = t.maxMs[s]!;
        o.bandwidth[k] = t.bandwidth[s]!;
        o.ageMs[k] = Math.max(0, builtAt - t.lastSeenMs[s]!);
        o.look[k] = t.look[s]!;
        if (t.born[s]! > c.sent) names.push([k, t.ids[s]!]);
      }
      const superseded = t.updates - c.updatesSeen - n;
      if (superseded > 0 && !complete) stats.flowUpdatesSuperseded += superseded;
      stats.flowsSent += n;
      c.updatesSeen = t.updates;
      c.sent = t.version;
      revs.push([c, t.version]);
      frames.push({
        plane,
        complete,
        slots: o.slots.subarray(0, n),
        from: o.from.subarray(0, n),
        to: o.to.subarray(0, n),
        count: o.count.subarray(0, n),
        rate: o.rate.subarray(0, n),
        successRate: o.successRate.subarray(0, n),
        latencyMs: o.latencyMs.subarray(0, n),
        minMs: o.minMs.subarray(0, n),
        maxMs: o.maxMs.subarray(0, n),
        bandwidth: o.bandwidth.subarray(0, n),
        ageMs: o.ageMs.subarray(0, n),
        look: o.look.subarray(0, n),
        names,
        size: t.size,
        evicted: t.evictions,
      });
    }
    return { frames, revs };
  }

  /** The frame that carried `revs` was acknowledged. */
  acked(revs: FlowRevs): void {
    for (const [c, v] of revs) c.acked = Math.max(c.acked, v);
  }

  /** The frame that carried `revs` is presumed lost: its flows go again (everything since the last acknowledged frame). */
  lost(revs: FlowRevs): void {
    for (const [c] of revs) c.sent = c.acked;
  }
}
