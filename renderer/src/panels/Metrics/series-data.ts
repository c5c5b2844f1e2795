// uPlot data for one metric across planes (pure: tested): each plane's
// samples from the core (averaged buckets where no raw sample remains, then
// the raw ones) within the window, missing values as gaps, joined on a
// shared time axis.

import type { MetricSample } from '@shared';

export type Table = [xs: number[], ...ys: (number | null)[][]];

/** Window choices of the Metrics panel, minutes. */
export const WINDOWS_MIN = [5, 15, 30, 60] as const;

/** A plane's samples to plot, oldest first: averaged buckets older than its oldest raw sample, then the raw samples. */
export function plotted(samples: readonly MetricSample[]): MetricSample[] {
  let oldestRaw = Infinity;
  for (const s of samples) if (s.kind === 'raw' && s.at < oldestRaw) oldestRaw = s.at;
  return samples.filter((s) => s.kind === 'raw' || s.at < oldestRaw).sort((a, b) => a.at - b.at);
}

/** [times (s), plane1 values, plane2 values, ...] for metric column `k` (index into METRIC_FIELDS), planes in the given order. */
export function metricTable(series: readonly (readonly MetricSample[] | undefined)[], k: number, since: number): Table {
  const perPlane = series.map((s) => {
    const w = plotted(s ?? []).filter((x) => x.at >= since);
    return { t: w.map((x) => x.at / 1000), v: w.map((x) => x.values[k] ?? null) };
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

/**
 * The x range (s) uPlot draws for times `xs`, given its own [min, max]. One
 * sample has no span: uPlot then spans a whole day (ticks at midnight read
 * "00:00:00" three times), so a minute around it instead.
 */
export function xRange(xs: ArrayLike<number> | undefined, min: number, max: number): [number, number] {
  if (xs && xs.length === 1) return [xs[0]! - 30, xs[0]! + 30];
  return min === max ? [min - 30, max + 30] : [min, max];
}
