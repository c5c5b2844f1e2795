// system.metrics of one plane as time series: one Float64Array ring per field
// (typed arrays, no object per sample), read out oldest first for uPlot.

import type { JsonObject, JsonValue } from '@shared';

/** The series the Metrics panel plots, each read from a system.metrics payload. */
export const METRIC_FIELDS = [
  { key: 'activeAgents', label: 'active agents', unit: '', read: (p: JsonObject) => num(p.activeAgents) },
  { key: 'totalAgents', label: 'total agents', unit: '', read: (p: JsonObject) => num(p.totalAgents) },
  { key: 'cpu', label: 'cpu load', unit: '%', read: (p: JsonObject) => pct(obj(p.systemLoad).cpu) },
  { key: 'memory', label: 'memory load', unit: '%', read: (p: JsonObject) => pct(obj(p.systemLoad).memory) },
  { key: 'gpu', label: 'gpu load', unit: '%', read: (p: JsonObject) => pct(obj(p.systemLoad).gpu) },
  { key: 'messageRate', label: 'message rate', unit: '/s', read: (p: JsonObject) => num(obj(p.messageMetrics).rate) },
  { key: 'queueDepth', label: 'queue depth', unit: '', read: (p: JsonObject) => num(obj(p.messageMetrics).queueDepth) },
  { key: 'latency', label: 'latency', unit: 'ms', read: (p: JsonObject) => num(obj(p.messageMetrics).averageLatency) },
  { key: 'errorRate', label: 'error rate', unit: '%', read: (p: JsonObject) => pct(obj(p.messageMetrics).errorRate) },
  { key: 'networkHealth', label: 'network health', unit: '%', read: (p: JsonObject) => pct(p.networkHealth) },
  { key: 'coordinationEfficiency', label: 'coordination efficiency', unit: '%', read: (p: JsonObject) => pct(p.coordinationEfficiency) },
] as const;
export type MetricKey = (typeof METRIC_FIELDS)[number]['key'];

function num(v: JsonValue | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}
/** Fractions 0..1 on the wire, shown as percentages. */
function pct(v: JsonValue | undefined): number {
  const n = num(v);
  return Number.isNaN(n) ? n : n * 100;
}
function obj(v: JsonValue | undefined): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}

export class MetricSeries {
  private readonly t: Float64Array;
  private readonly cols: Float64Array[];
  private head = 0;
  private n = 0;
  evicted = 0;
  /** The latest payload's values by key (NaN for a missing field). */
  latest: Record<MetricKey, number> | null = null;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.cols = METRIC_FIELDS.map(() => new Float64Array(capacity));
  }

  get size(): number {
    return this.n;
  }

  /** Appends one system.metrics payload received at `at` (ms). */
  push(at: number, payload: JsonObject): void {
    let i: number;
    if (this.n < this.capacity) i = (this.head + this.n++) % this.capacity;
    else {
      i = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.evicted++;
    }
    this.t[i] = at;
    const latest = {} as Record<MetricKey, number>;
    METRIC_FIELDS.forEach((f, k) => {
      const v = f.read(payload);
      this.cols[k]![i] = v;
      latest[f.key] = v;
    });
    this.latest = latest;
  }

  /** Samples at or after `since` (ms), oldest first: [seconds, ...one column per METRIC_FIELDS]. */
  window(since: number): Float64Array[] {
    let first = 0;
    while (first < this.n && this.t[(this.head + first) % this.capacity]! < since) first++;
    const m = this.n - first;
    const out = [new Float64Array(m), ...this.cols.map(() => new Float64Array(m))];
    for (let j = 0; j < m; j++) {
      const i = (this.head + first + j) % this.capacity;
      out[0]![j] = this.t[i]! / 1000;
      for (let k = 0; k < this.cols.length; k++) out[k + 1]![j] = this.cols[k]![i]!;
    }
    return out;
  }
}
