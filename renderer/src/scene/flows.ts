// One plane's persistent flows (the core's flow table, from frames:
// flow-intake.ts), struct-of-arrays, with the instance arrays the flow mesh
// draws from. A flow's ends are agents (by id, with the slot cached) or
// groups (namespaces). Figures update in place; a flow quiet for long fades
// out and is removed. Each flow also holds its particle credit (particles
// start from its rate: flow-intake.ts) and its last message's look. No pixi here.

import { type FlowStatsPayload, grown, grownCapacity, SCENE_MAX_FLOWS } from '@shared';
import type { FlowEnd, FlowEnds } from './flow-id.js';
import { flowColor, flowFade, flowWidthPx } from './lod.js';

export const END_AGENT = 0;
export const END_GROUP = 1;

export interface FlowRecord {
  flowId: string;
  from: FlowEnd;
  to: FlowEnd;
  messageCount: number;
  ratePerSec: number | null;
  successRate: number | null;
  averageLatency: number | null;
  minLatency: number | null;
  maxLatency: number | null;
  lastUpdateAgoMs: number;
}

const nanOr = (v: number | undefined): number => (v === undefined ? NaN : v);

/** A flow's latest figures as the core's flow table gives them (NaN: not known). */
export interface FlowFigures {
  count: number;
  rate: number;
  successRate: number;
  averageLatency: number;
  minLatency: number;
  maxLatency: number;
  /** The last message.sent's look (FLOW_LOOK_* in the frame contract). */
  look: number;
}
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** A flow of the core's table whose ends the page does not know yet (kept for a retry: flow-intake.ts). */
export interface PendingFlow {
  from: number;
  to: number;
  figures: FlowFigures;
  /** Page time of its last update. */
  at: number;
}

export class FlowTable {
  n = 0;
  private cap = 0;
  /** New flowIds refused at SCENE_MAX_FLOWS. */
  refused = 0;
  readonly keys: string[] = [];
  private readonly byKey = new Map<string, number>();
  fromKind = new Uint8Array(0);
  fromRef = new Uint32Array(0);
  fromSlot = new Int32Array(0);
  toKind = new Uint8Array(0);
  toRef = new Uint32Array(0);
  toSlot = new Int32Array(0);
  count = new Float64Array(0);
  rate = new Float32Array(0);
  success = new Float32Array(0);
  avgLatency = new Float32Array(0);
  minLatency = new Float32Array(0);
  maxLatency = new Float32Array(0);
  lastAt = new Float64Array(0);
  /** Particles owed to the flow by its rate, not yet started (flow-intake.ts). */
  credit = new Float32Array(0);
  look = new Uint8Array(0);
  /** Mesh instance arrays: ends (ax, ay, bx, by), colour (r, g, b, a), meta (width/8, highlight, -, -). */
  ends = new Float32Array(0);
  color = new Uint8Array(0);
  meta = new Uint8Array(0);
  /** Opacity from age (quiet flows fade), refreshed by `fade`. */
  alpha = new Float32Array(0);
  highlighted = -1;
  /** `meta` changed since the mesh last uploaded it (widths, highlight). */
  metaDirty = true;

  constructor(private readonly groupName: (g: number) => string) {}

  indexOf(flowId: string): number {
    return this.byKey.get(flowId) ?? -1;
  }

  /** Applies message.flow.stats for a resolved flow, the rate from successive counts; returns its index, or -1 when refused (counted). */
  update(flowId: string, ends: FlowEnds, groupIndex: (name: string) => number, stats: FlowStatsPayload['statistics'], now: number): number {
    const k0 = this.byKey.get(flowId);
    let rate = k0 === undefined ? NaN : this.rate[k0]!;
    const count = stats.messageCount;
    if (count !== undefined && k0 !== undefined) {
      const prev = this.count[k0]!;
      const dt = (now - this.lastAt[k0]!) / 1000;
      // A rate once two counts are known (a count that went down is a restarted plane: no rate from it).
      if (!Number.isNaN(prev) && dt > 0.05 && count >= prev) rate = (count - prev) / dt;
    }
    const fig: FlowFigures = {
      count: count ?? (k0 === undefined ? NaN : this.count[k0]!),
      rate,
      successRate: nanOr(stats.successRate),
      averageLatency: nanOr(stats.averageLatency),
      minLatency: nanOr(stats.minLatency),
      maxLatency: nanOr(stats.maxLatency),
      look: k0 === undefined ? 0 : this.look[k0]!,
    };
    return this.set(flowId, ends, groupIndex, fig, now);
  }

  /** Sets a resolved flow's figures (the core's flow table); returns its index, or -1 when refused (counted). */
  set(flowId: string, ends: FlowEnds, groupIndex: (name: string) => number, fig: FlowFigures, now: number): number {
    let k = this.byKey.get(flowId);
    if (k === undefined) {
      if (this.n >= SCENE_MAX_FLOWS) {
        this.refused++;
        return -1;
      }
      k = this.n++;
      this.ensure(this.n);
      this.keys[k] = flowId;
      this.byKey.set(flowId, k);
      this.count[k] = NaN;
      this.rate[k] = NaN;
      this.fromSlot[k] = -1;
      this.toSlot[k] = -1;
      this.credit[k] = 0;
    }
    const setEnd = (e: FlowEnd, kinds: Uint8Array, refs: Uint32Array, slots: Int32Array): void => {
      const kind = e.kind === 'agent' ? END_AGENT : END_GROUP;
      const ref = e.kind === 'agent' ? e.id : groupIndex(e.name);
      if (kinds[k] !== kind || refs[k] !== ref) slots[k] = -1;
      kinds[k] = kind;
      refs[k] = ref;
    };
    setEnd(ends.from, this.fromKind, this.fromRef, this.fromSlot);
    setEnd(ends.to, this.toKind, this.toRef, this.toSlot);
    this.count[k] = fig.count;
    this.rate[k] = fig.rate;
    this.success[k] = fig.successRate;
    this.avgLatency[k] = fig.averageLatency;
    this.minLatency[k] = fig.minLatency;
    this.maxLatency[k] = fig.maxLatency;
    this.look[k] = fig.look;
    this.lastAt[k] = now;
    this.style(k, now);
    return k;
  }

  /** Width of flow k as drawn, in screen pixels (`meta` keeps width / 8 in a byte). */
  drawnWidthPx(k: number): number {
    return (this.meta[4 * k]! / 255) * 8;
  }

  /** Colour, width and fade of flow k. */
  private style(k: number, now: number): void {
    const c = flowColor(Number.isNaN(this.success[k]!) ? 1 : this.success[k]!);
    const width = flowWidthPx(Number.isNaN(this.rate[k]!) ? (Number.isNaN(this.count[k]!) ? 0 : this.count[k]!) : this.rate[k]!);
    this.color[4 * k] = (c >> 16) & 255;
    this.color[4 * k + 1] = (c >> 8) & 255;
    this.color[4 * k + 2] = c & 255;
    this.meta[4 * k] = Math.round((width / 8) * 255);
    this.meta[4 * k + 1] = k === this.highlighted ? 255 : 0;
    this.metaDirty = true;
    this.alpha[k] = flowFade(now - this.lastAt[k]!);
  }

  highlight(flowId: string | null): void {
    if (this.highlighted >= 0 && this.highlighted < this.n) this.meta[4 * this.highlighted + 1] = 0;
    this.highlighted = flowId === null ? -1 : this.indexOf(flowId);
    if (this.highlighted >= 0) this.meta[4 * this.highlighted + 1] = 255;
    this.metaDirty = true;
  }

  /** Refreshes fades; removes flows faded out, compacting in one pass. Returns whether any was removed. */
  fade(now: number): boolean {
    const highlightedKey = this.highlighted >= 0 ? this.keys[this.highlighted] : undefined;
    let w = 0;
    for (let k = 0; k < this.n; k++) {
      const a = flowFade(now - this.lastAt[k]!);
      if (a <= 0) {
        this.byKey.delete(this.keys[k]!);
        continue;
      }
      if (w !== k) this.move(k, w);
      this.alpha[w] = a;
      w++;
    }
    const removed = w !== this.n;
    if (removed) {
      this.keys.length = w;
      this.n = w;
      this.metaDirty = true;
      this.highlighted = highlightedKey === undefined ? -1 : this.indexOf(highlightedKey);
    }
    return removed;
  }

  /** Moves flow `from` to index `to` (a free place). */
  private move(from: number, to: number): void {
    const key = this.keys[from]!;
    this.keys[to] = key;
    this.byKey.set(key, to);
    this.fromKind[to] = this.fromKind[from]!;
    this.fromRef[to] = this.fromRef[from]!;
    this.fromSlot[to] = this.fromSlot[from]!;
    this.toKind[to] = this.toKind[from]!;
    this.toRef[to] = this.toRef[from]!;
    this.toSlot[to] = this.toSlot[from]!;
    this.count[to] = this.count[from]!;
    this.rate[to] = this.rate[from]!;
    this.success[to] = this.success[from]!;
    this.avgLatency[to] = this.avgLatency[from]!;
    this.minLatency[to] = this.minLatency[from]!;
    this.maxLatency[to] = this.maxLatency[from]!;
    this.lastAt[to] = this.lastAt[from]!;
    this.credit[to] = this.credit[from]!;
    this.look[to] = this.look[from]!;
    this.ends.copyWithin(4 * to, 4 * from, 4 * from + 4);
    this.color.copyWithin(4 * to, 4 * from, 4 * from + 4);
    this.meta.copyWithin(4 * to, 4 * from, 4 * from + 4);
  }

  record(k: number, now: number): FlowRecord {
    const end = (kind: number, ref: number): FlowEnd => (kind === END_AGENT ? { kind: 'agent', id: ref } : { kind: 'group', name: this.groupName(ref) });
    return {
      flowId: this.keys[k]!,
      from: end(this.fromKind[k]!, this.fromRef[k]!),
      to: end(this.toKind[k]!, this.toRef[k]!),
      messageCount: Number.isNaN(this.count[k]!) ? 0 : this.count[k]!,
      ratePerSec: orNull(this.rate[k]!),
      successRate: orNull(this.success[k]!),
      averageLatency: orNull(this.avgLatency[k]!),
      minLatency: orNull(this.minLatency[k]!),
      maxLatency: orNull(this.maxLatency[k]!),
      lastUpdateAgoMs: Math.max(0, now - this.lastAt[k]!),
    };
  }

  /** Grows every column to hold n flows (doubling); returns whether the mesh arrays were replaced. */
  ensure(n: number): boolean {
    if (n <= this.cap) return false;
    const cap = grownCapacity(this.cap, n);
    this.fromKind = grown(this.fromKind, cap);
    this.fromRef = grown(this.fromRef, cap);
    this.fromSlot = grown(this.fromSlot, cap);
    this.toKind = grown(this.toKind, cap);
    this.toRef = grown(this.toRef, cap);
    this.toSlot = grown(this.toSlot, cap);
    this.count = grown(this.count, cap);
    this.rate = grown(this.rate, cap);
    this.success = grown(this.success, cap);
    this.avgLatency = grown(this.avgLatency, cap);
    this.minLatency = grown(this.minLatency, cap);
    this.maxLatency = grown(this.maxLatency, cap);
    this.lastAt = grown(this.lastAt, cap);
    this.credit = grown(this.credit, cap);
    this.look = grown(this.look, cap);
    this.alpha = grown(this.alpha, cap);
    this.ends = grown(this.ends, cap * 4);
    this.color = grown(this.color, cap * 4);
    this.meta = grown(this.meta, cap * 4);
    this.cap = cap;
    return true;
  }
}
