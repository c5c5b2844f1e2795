// message.flow.stats per flow: the latest statistics of each, bounded (the
// least recently updated flow is evicted beyond the limit, and counted).
// Derived from the events this view holds (the core's log: a backfill brings
// the newest again after a reload), read through the one payload reader.

import { type PlaneEvent, readEvent } from '@shared';

export interface FlowRow {
  key: string;
  plane: string;
  flowId: string;
  count: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  /** 0..1 */
  successRate: number;
  bandwidth: number;
  /** The flow's lastActivity (ms since epoch), or when the stats arrived. */
  lastActivity: number;
  updatedAt: number;
}

const n = (v: number | undefined): number => v ?? NaN;

export class Flows {
  private readonly byKey = new Map<string, FlowRow>();
  evicted = 0;
  constructor(readonly capacity: number) {}

  add(ev: PlaneEvent): boolean {
    const v = readEvent(ev);
    if (v.kind !== 'flow') return false;
    const s = v.statistics;
    const key = `${ev.plane}\u0000${v.flowId}`;
    const had = this.byKey.get(key);
    // A backfilled or paged-in older event does not replace newer stats.
    if (had && had.updatedAt > ev.at) return false;
    const last = s.lastActivity !== undefined ? Date.parse(s.lastActivity) : NaN;
    this.byKey.delete(key);
    this.byKey.set(key, {
      key,
      plane: ev.plane,
      flowId: v.flowId,
      count: n(s.messageCount),
      avgMs: n(s.averageLatency),
      minMs: n(s.minLatency),
      maxMs: n(s.maxLatency),
      successRate: n(s.successRate),
      bandwidth: n(s.bandwidth),
      lastActivity: Number.isFinite(last) ? last : ev.at,
      updatedAt: ev.at,
    });
    if (this.byKey.size > this.capacity) {
      this.byKey.delete(this.byKey.keys().next().value!);
      this.evicted++;
    }
    return true;
  }

  list(): FlowRow[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
