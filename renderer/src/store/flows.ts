// message.flow.stats per flow: the latest statistics of each, bounded (the
// least recently updated flow is evicted beyond the limit, and counted).

import type { JsonObject, JsonValue, PlaneEvent } from '@shared';

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

const num = (v: JsonValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

export class Flows {
  private readonly byKey = new Map<string, FlowRow>();
  evicted = 0;
  constructor(readonly capacity: number) {}

  add(ev: PlaneEvent): boolean {
    if (ev.type !== 'message.flow.stats') return false;
    const p = ev.payload;
    const flowId = typeof p.flowId === 'string' ? p.flowId : undefined;
    if (flowId === undefined) return false;
    const s: JsonObject = typeof p.statistics === 'object' && p.statistics !== null && !Array.isArray(p.statistics) ? p.statistics : {};
    const key = `${ev.plane}\u0000${flowId}`;
    const last = typeof s.lastActivity === 'string' ? Date.parse(s.lastActivity) : NaN;
    this.byKey.delete(key);
    this.byKey.set(key, {
      key,
      plane: ev.plane,
      flowId,
      count: num(s.messageCount),
      avgMs: num(s.averageLatency),
      minMs: num(s.minLatency),
      maxMs: num(s.maxLatency),
      successRate: num(s.successRate),
      bandwidth: num(s.bandwidth),
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
