// The Flows table's sort (pure: tested). NaN (a field the plane did not send) sorts last either way.

import type { FlowRow } from '../../store/flows.js';

export type FlowKey = 'flowId' | 'plane' | 'count' | 'rate' | 'avgMs' | 'minMs' | 'maxMs' | 'successRate' | 'bandwidth' | 'lastActivity';

export function sortFlows(rows: readonly FlowRow[], key: FlowKey, desc: boolean): FlowRow[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'string' || typeof y === 'string') return (desc ? -1 : 1) * String(x).localeCompare(String(y));
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
    return desc ? y - x : x - y;
  });
}

/** A flow is slow when its average latency is this many times the median of all flows' averages. */
export const SLOW_FACTOR = 1.5;

export function slowFlows(rows: readonly FlowRow[]): Set<string> {
  const avgs = rows.map((r) => r.avgMs).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (avgs.length < 2) return new Set();
  const median = avgs[avgs.length >> 1]!;
  return new Set(rows.filter((r) => r.avgMs > median * SLOW_FACTOR).map((r) => r.key));
}
