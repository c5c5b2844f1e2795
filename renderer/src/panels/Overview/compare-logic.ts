// The Overview's comparison of open recordings: each recording's agents per
// state over time (the core's replaySeries, one point per snapshot) on one
// time axis: seconds of the synced timeline when the recordings are synced
// (so yesterday's and today's line up as they play), else seconds since each
// recording's start. No DOM.

import { AGENT_STATES, type ReplayEntry, type ReplayGroupState, type ReplaySeries } from '@shared';

export interface CompareChart {
  /** Replay plane id (rec:…). */
  plane: string;
  /** Open recording id. */
  id: number;
  /** Seconds on the shared axis. */
  x: number[];
  /** State names with their counts per point, protocol order first. */
  series: { state: string; counts: number[] }[];
  /** Where the recording is now on the same axis, s. */
  nowS: number;
}

/** Where the recording's start sits on the axis (its offset when synced, else 0), ms. */
function offsetOf(entry: ReplayEntry, group: ReplayGroupState | null): number {
  return group?.members.find((m) => m.id === entry.id)?.offsetMs ?? 0;
}

const ORDER = (name: string): number => {
  const i = (AGENT_STATES as readonly string[]).indexOf(name);
  return i < 0 ? AGENT_STATES.length : i;
};

/** One chart per replay plane of every open recording whose series is known. */
export function compareCharts(entries: readonly ReplayEntry[], series: ReadonlyMap<number, ReplaySeries>, group: ReplayGroupState | null): CompareChart[] {
  const out: CompareChart[] = [];
  for (const e of entries) {
    const s = series.get(e.id);
    if (!s) continue;
    const off = offsetOf(e, group);
    const toS = (ms: number): number => (ms - e.state.startMs + off) / 1000;
    for (const p of s.planes) {
      out.push({
        plane: p.plane,
        id: e.id,
        x: p.t.map(toS),
        series: Object.entries(p.states)
          .sort(([a], [b]) => ORDER(a) - ORDER(b) || (a < b ? -1 : 1))
          .map(([state, counts]) => ({ state, counts })),
        nowS: toS(e.state.positionMs),
      });
    }
  }
  return out;
}

/** The axis every chart shares, s: the synced timeline's length, else the longest recording. */
export function sharedRange(entries: readonly ReplayEntry[], group: ReplayGroupState | null): [number, number] {
  const end = group ? group.endMs : Math.max(0, ...entries.map((e) => e.state.endMs - e.state.startMs));
  return [0, Math.max(1, end / 1000)];
}

/** The counts at the point at or before `s` (the first point before it): "STATE n" per state with agents. */
export function countsAt(c: CompareChart, s: number): { state: string; n: number }[] {
  let i = 0;
  while (i + 1 < c.x.length && c.x[i + 1]! <= s) i++;
  return c.x.length ? c.series.map((x) => ({ state: x.state, n: x.counts[i] ?? 0 })).filter((x) => x.n > 0) : [];
}
