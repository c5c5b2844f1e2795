// One plane's flow table (issue 22): typed arrays of (from, to, rate, success
// rate, latency, last seen), latest wins per flow, bounded by
// MAX_FLOWS_PER_PLANE with evictions counted. The oldest-seen flow is evicted.

import { MAX_FLOWS_PER_PLANE } from '../../../shared/index.js';

export interface FlowUpdate {
  readonly from: number;
  readonly to: number;
  readonly rate: number;
  readonly successRate: number;
  readonly latencyMs: number;
  readonly seenMs: number;
}

export class FlowTable {
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly rate: Float32Array;
  readonly successRate: Float32Array;
  readonly latencyMs: Float32Array;
  readonly lastSeenMs: Float64Array;
  private readonly index = new Map<string, number>();
  private count = 0;
  evictions = 0;

  constructor(readonly capacity: number = MAX_FLOWS_PER_PLANE) {
    this.from = new Uint32Array(capacity);
    this.to = new Uint32Array(capacity);
    this.rate = new Float32Array(capacity);
    this.successRate = new Float32Array(capacity);
    this.latencyMs = new Float32Array(capacity);
    this.lastSeenMs = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Latest wins per (from, to); an older update than the stored one is ignored. */
  apply(u: FlowUpdate): void {
    const key = `${u.from}>${u.to}`;
    let slot = this.index.get(key);
    if (slot !== undefined && this.lastSeenMs[slot]! > u.seenMs) return;
    if (slot === undefined) {
      if (this.count < this.capacity) {
        slot = this.count++;
      } else {
        slot = this.oldestSlot();
        this.index.delete(`${this.from[slot]}>${this.to[slot]}`);
        this.evictions++;
      }
      this.index.set(key, slot);
    }
    this.from[slot] = u.from;
    this.to[slot] = u.to;
    this.rate[slot] = u.rate;
    this.successRate[slot] = u.successRate;
    this.latencyMs[slot] = u.latencyMs;
    this.lastSeenMs[slot] = u.seenMs;
  }

  private oldestSlot(): number {
    let best = 0;
    for (let i = 1; i < this.count; i++) if (this.lastSeenMs[i]! < this.lastSeenMs[best]!) best = i;
    return best;
  }
}
