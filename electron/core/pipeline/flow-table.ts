// One plane's flow table (issue 22): typed arrays of (from, to, rate, success
// rate, latency, last seen, ...), one slot per flow id, latest wins per flow,
// bounded by MAX_FLOWS_PER_PLANE. Beyond it the least recently updated flow is
// evicted, and counted: the slots form a doubly linked list in update order,
// so finding it costs O(1), never a scan of the table.
//
// Every change stamps the slot with the table's version; a view's pipeline
// sends the slots stamped after the version it last had (changedSince), and
// names the flow of a slot born after it (a new flow, or a reused slot).

import { FLOW_LOOK_FAILED, FLOW_RATE_WINDOW_MS, MAX_FLOWS_PER_PLANE } from '../../../shared/index.js';

/** How far back (by the plane's clock) a flow's stats may arrive out of order and be ignored; further back, its clock was reset. */
export const FLOW_REORDER_MS = 10_000;

/** The figures of a message.flow.stats (any may be missing: NaN is stored). */
export interface FlowStatsUpdate {
  readonly count?: number | undefined;
  readonly successRate?: number | undefined;
  readonly latencyMs?: number | undefined;
  readonly minMs?: number | undefined;
  readonly maxMs?: number | undefined;
  readonly bandwidth?: number | undefined;
}

const NONE = -1;
/** Largest float32: a figure beyond it would reach a view as Infinity (the frame's columns are float32). */
const F32_MAX = 3.4028234663852886e38;
/** A figure as stored: missing is NaN, a huge one is held at what float32 can carry. */
const nan = (v: number | undefined): number => (v === undefined ? NaN : Math.min(F32_MAX, Math.max(-F32_MAX, v)));

export class FlowTable {
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly count: Float64Array;
  readonly rate: Float32Array;
  readonly successRate: Float32Array;
  readonly latencyMs: Float32Array;
  readonly minMs: Float32Array;
  readonly maxMs: Float32Array;
  readonly bandwidth: Float32Array;
  /** Core clock (ms since epoch) of the flow's last update. */
  readonly lastSeenMs: Float64Array;
  /** The last message.sent's look (FLOW_LOOK_* in the frame contract). */
  readonly look: Uint8Array;
  /** Table version of the slot's last change, and of when its flow took the slot. */
  readonly stamp: Float64Array;
  readonly born: Float64Array;
  /** When the event log last kept an update of this flow (the sampler's; -Infinity: never). */
  readonly loggedAt: Float64Array;
  /** Flow id of each slot. */
  readonly ids: string[] = [];
  /** The plane's time of the count the rate was measured from (stats), and the current message.sent window. */
  private readonly countAt: Float64Array;
  private readonly windowStart: Float64Array;
  private readonly windowCount: Uint32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = NONE;
  private tail = NONE;
  private readonly index = new Map<string, number>();
  private n = 0;
  /** Bumped by every change; a slot's stamp is the version of its last change. */
  version = 0;
  /** Updates applied (each message.flow.stats, each receiver of a message.sent). */
  updates = 0;
  evictions = 0;

  constructor(readonly capacity: number = MAX_FLOWS_PER_PLANE) {
    this.from = new Uint32Array(capacity);
    this.to = new Uint32Array(capacity);
    this.count = new Float64Array(capacity);
    this.rate = new Float32Array(capacity);
    this.successRate = new Float32Array(capacity);
    this.latencyMs = new Float32Array(capacity);
    this.minMs = new Float32Array(capacity);
    this.maxMs = new Float32Array(capacity);
    this.bandwidth = new Float32Array(capacity);
    this.lastSeenMs = new Float64Array(capacity);
    this.look = new Uint8Array(capacity);
    this.stamp = new Float64Array(capacity);
    this.born = new Float64Array(capacity);
    this.loggedAt = new Float64Array(capacity);
    this.countAt = new Float64Array(capacity);
    this.windowStart = new Float64Array(capacity);
    this.windowCount = new Uint32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** The slot of a flow held, or -1. */
  slotOf(flowId: string): number {
    return this.index.get(flowId) ?? NONE;
  }

  /**
   * The slot of `flowId`, made most recently updated; a new flow takes a free
   * slot, or the least recently updated flow's (evicted, counted). Stamps it.
   */
  private touch(flowId: string, from: number, to: number): number {
    let slot = this.index.get(flowId);
    const v = ++this.version;
    if (slot === undefined) {
      if (this.n < this.capacity) slot = this.n++;
      else {
        slot = this.head;
        this.unlink(slot);
        this.index.delete(this.ids[slot]!);
        this.evictions++;
      }
      this.index.set(flowId, slot);
      this.ids[slot] = flowId;
      this.from[slot] = from;
      this.to[slot] = to;
      this.count[slot] = NaN;
      this.rate[slot] = NaN;
      this.successRate[slot] = NaN;
      this.latencyMs[slot] = NaN;
      this.minMs[slot] = NaN;
      this.maxMs[slot] = NaN;
      this.bandwidth[slot] = NaN;
      this.look[slot] = 0;
      this.countAt[slot] = NaN;
      this.windowStart[slot] = NaN;
      this.windowCount[slot] = 0;
      this.loggedAt[slot] = -Infinity;
      this.born[slot] = v;
    } else this.unlink(slot);
    this.append(slot);
    this.stamp[slot] = v;
    this.updates++;
    return slot;
  }

  /**
   * A message.flow.stats: latest wins (one older than the stored, by the
   * plane's time `sourceMs`, by up to FLOW_REORDER_MS, arrived out of order and
   * is ignored: returns -1; older by more, the plane's clock went back, and it
   * is taken, with no rate from it). The rate is the count's growth over the
   * plane's time between two stats. Returns the slot.
   */
  applyStats(flowId: string, from: number, to: number, s: FlowStatsUpdate, sourceMs: number, seenMs: number): number {
    const known = this.index.get(flowId);
    if (known !== undefined) {
      const back = this.countAt[known]! - sourceMs;
      if (back > 0 && back <= FLOW_REORDER_MS) return NONE;
    }
    const slot = this.touch(flowId, from, to);
    const c = s.count;
    if (c !== undefined) {
      const prev = this.count[slot]!;
      const dt = (sourceMs - this.countAt[slot]!) / 1000;
      // A count that went down is a restarted plane: no rate from it.
      if (!Number.isNaN(prev) && dt > 0.05 && c >= prev) this.rate[slot] = (c - prev) / dt;
      this.count[slot] = c;
      this.countAt[slot] = sourceMs;
    }
    this.successRate[slot] = nan(s.successRate);
    this.latencyMs[slot] = nan(s.latencyMs);
    this.minMs[slot] = nan(s.minMs);
    this.maxMs[slot] = nan(s.maxMs);
    this.bandwidth[slot] = nan(s.bandwidth);
    this.lastSeenMs[slot] = seenMs;
    return slot;
  }

  /**
   * One receiver of a message.sent: counted in the flow's current window; a
   * window of at least FLOW_RATE_WINDOW_MS closes into the rate. A flow no
   * message.flow.stats describes counts the message (count, success rate).
   * Returns the slot.
   */
  applySent(flowId: string, from: number, to: number, look: number, seenMs: number): number {
    const slot = this.touch(flowId, from, to);
    const start = this.windowStart[slot]!;
    if (Number.isNaN(start)) {
      this.windowStart[slot] = seenMs;
      this.windowCount[slot] = 1;
      // Until a window closes, a new flow is taken as one message a second.
      if (Number.isNaN(this.rate[slot]!)) this.rate[slot] = 1;
    } else if (seenMs - start >= FLOW_RATE_WINDOW_MS) {
      this.rate[slot] = (this.windowCount[slot]! * 1000) / (seenMs - start);
      this.windowStart[slot] = seenMs;
      this.windowCount[slot] = 1;
    } else this.windowCount[slot]!++;
    // A flow without message.flow.stats counts its messages itself, and its success rate is the share not failed.
    if (Number.isNaN(this.countAt[slot]!)) {
      const n = (Number.isNaN(this.count[slot]!) ? 0 : this.count[slot]!) + 1;
      const ok = (look & FLOW_LOOK_FAILED) === 0 ? 1 : 0;
      this.successRate[slot] = n === 1 ? ok : (this.successRate[slot]! * (n - 1) + ok) / n;
      this.count[slot] = n;
    }
    this.look[slot] = look;
    this.lastSeenMs[slot] = seenMs;
    return slot;
  }

  /** Slots changed after `version`, into `out` (grown by the caller to `size`); returns how many. */
  changedSince(version: number, out: Uint32Array): number {
    let k = 0;
    // Newest first from the tail: stop at the first slot not changed since (the list is in update order).
    for (let s = this.tail; s !== NONE && this.stamp[s]! > version; s = this.prev[s]!) out[k++] = s;
    return k;
  }

  private unlink(s: number): void {
    const p = this.prev[s]!, nx = this.next[s]!;
    if (p === NONE) this.head = nx;
    else this.next[p] = nx;
    if (nx === NONE) this.tail = p;
    else this.prev[nx] = p;
  }

  private append(s: number): void {
    this.prev[s] = this.tail;
    this.next[s] = NONE;
    if (this.tail === NONE) this.head = s;
    else this.next[this.tail] = s;
    this.tail = s;
  }
}
