// uPlot data for one metric across planes (pure: tested): each plane's
// window of samples, NaN turned into gaps, joined on a shared time axis.

import type { MetricSeries } from '../../store/metric-series.js';

export type Table = [xs: number[], ...ys: (number | null)[][]];

/** Window choices of the Metrics panel, minutes. */
export const WINDOWS_MIN = [5, 15, 30, 60] as const;

/** [times, plane1 values, plane2 values, ...] for metric column `k` (index into METRIC_FIELDS), planes in the given order. */
export function metricTable(series: readonly (MetricSeries | undefined)[], k: number, since: number): Table {
  const perPlane = series.map((s) => {
    if (!s) return { t: [] as number[], v: [] as (number | null)[] };
    const w = s.window(since);
    const t = Array.from(w[0]!);
    const v = Array.from(w[k + 1]!, (x) => (Number.isFinite(x) ? x : null));
    return { t, v };
  });
  // Merge the time axes; each plane's value sits at its own times, null elsewhere.
  const times = [...new Set(perPlane.flatMap((p) => p.t))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = perPlane.map((p) => {
    const col: (number | null)[] = new Array<number | null>(times.length).fill(null);
    p.t.forEach((t, i) => (col[index.get(t)!] = p.v[i]!));
    return col;
  });
  return [times, ...ys];
}
