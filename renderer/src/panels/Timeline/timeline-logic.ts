// The timeline's plain logic: time <-> x on the track, the speed steps, clock
// and speed text, markers folded per pixel for drawing, tick marks. No DOM.

import { MARKER_KINDS, type TimelineMarker } from '@shared';

export { markerOf } from '@shared';

/** The speeds the speed control steps through (the controller accepts 0.25 to 16). */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

/** x (0..width) of time t on a track showing start..end; clamped to the track. */
export function timeToX(t: number, start: number, end: number, width: number): number {
  if (!(end > start) || width <= 0) return 0;
  return Math.min(width, Math.max(0, ((t - start) / (end - start)) * width));
}

/** The time at x on the track; clamped to start..end. */
export function xToTime(x: number, start: number, end: number, width: number): number {
  if (!(end > start) || width <= 0) return start;
  return start + (Math.min(width, Math.max(0, x)) / width) * (end - start);
}

/** The next speed up (dir 1) or down (-1) from `speed`, staying within SPEEDS. */
export function stepSpeed(speed: number, dir: 1 | -1): number {
  if (dir > 0) return SPEEDS.find((s) => s > speed + 1e-9) ?? SPEEDS[SPEEDS.length - 1]!;
  return [...SPEEDS].reverse().find((s) => s < speed - 1e-9) ?? SPEEDS[0];
}

export function formatSpeed(speed: number): string {
  return `${speed === 0.25 ? '¼' : speed === 0.5 ? '½' : String(speed)}×`;
}

/** Elapsed recording time: "m:ss.t", or "h:mm:ss" from an hour. */
export function formatClock(ms: number): string {
  const neg = ms < 0;
  const t = Math.abs(ms);
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const tenths = Math.floor((t % 1000) / 100);
  const body = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}.${tenths}`;
  return neg ? `-${body}` : body;
}

/** Most severe first: the colour a pixel with several markers gets. */
const SEVERITY: Readonly<Record<TimelineMarker['kind'], number>> = { error: 3, alert: 2, connection: 1, coordination: 0 };

export interface MarkerBin {
  x: number;
  kind: TimelineMarker['kind'];
  count: number;
  /** The first marker of the bin (its label is the tooltip). */
  first: TimelineMarker;
}

/** Markers folded into bins of `px` pixels (one mark each, the most severe kind), in x order. */
export function binMarkers(markers: readonly TimelineMarker[], start: number, end: number, width: number, px = 3): MarkerBin[] {
  const bins = new Map<number, MarkerBin>();
  for (const m of markers) {
    if (m.t < start || m.t > end) continue;
    const b = Math.floor(timeToX(m.t, start, end, width) / px);
    const bin = bins.get(b);
    if (!bin) bins.set(b, { x: b * px, kind: m.kind, count: 1, first: m });
    else {
      bin.count++;
      if (SEVERITY[m.kind] > SEVERITY[bin.kind]) bin.kind = m.kind;
    }
  }
  return [...bins.values()].sort((a, b) => a.x - b.x);
}

/** Counts per kind, for the legend. */
export function countKinds(markers: readonly TimelineMarker[]): Record<TimelineMarker['kind'], number> {
  const out = Object.fromEntries(MARKER_KINDS.map((k) => [k, 0])) as Record<TimelineMarker['kind'], number>;
  for (const m of markers) out[m.kind]++;
  return out;
}

const TICK_STEPS_MS = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/** Ticks at a round step with at least `minPx` between them: [elapsed ms, x]. */
export function ticks(start: number, end: number, width: number, minPx = 80): [number, number][] {
  const span = end - start;
  if (!(span > 0) || width <= 0) return [];
  const step = TICK_STEPS_MS.find((s) => (s / span) * width >= minPx) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
  const out: [number, number][] = [];
  for (let e = 0; e <= span; e += step) out.push([e, timeToX(start + e, start, end, width)]);
  return out;
}
