// The Overview's comparison of open recordings (renderer/src/panels/Overview/compare-logic.ts).
import { describe, expect, it } from 'vitest';
import type { ReplayEntry, ReplayGroupState, ReplaySeries, ReplayState } from '@shared';
import { compareCharts, countsAt, sharedRange } from '../../../../renderer/src/panels/Overview/compare-logic.js';

const T = 1_700_000_000_000;
const DAY = 86_400_000;
const rec = (startMs: number, positionMs: number, plane: string): ReplayState => ({ path: 'x', playing: false, speed: 1, startMs, endMs: startMs + 30_000, positionMs, planes: { tp: plane }, complete: true, problem: null, error: null });
const entries: ReplayEntry[] = [
  { id: 1, state: rec(T, T + 10_000, 'rec:tp') },
  { id: 2, state: rec(T + DAY, T + DAY + 4_000, 'rec:tp-2') },
];
const series = new Map<number, ReplaySeries>([
  [1, { planes: [{ plane: 'rec:tp', t: [T, T + 5_000, T + 10_000], states: { 'UNKNOWN(256)': [3, 2, 0], ERROR: [0, 0, 1], EXECUTING: [0, 1, 2] } }] }],
  [2, { planes: [{ plane: 'rec:tp-2', t: [T + DAY, T + DAY + 5_000], states: { EXECUTING: [1, 3] } }] }],
]);

describe('recordings compared', () => {
  it('unsynced: seconds since each start; states in protocol order, unknown codes last', () => {
    const c = compareCharts(entries, series, null);
    expect(c.map((x) => x.plane)).toEqual(['rec:tp', 'rec:tp-2']);
    expect(c[0]!.x).toEqual([0, 5, 10]);
    expect(c[1]!.x).toEqual([0, 5]);
    expect(c[0]!.series.map((s) => s.state)).toEqual(['EXECUTING', 'ERROR', 'UNKNOWN(256)']);
    expect([c[0]!.nowS, c[1]!.nowS]).toEqual([10, 4]);
    expect(sharedRange(entries, null)).toEqual([0, 30]);
  });

  it('synced: on the timeline, through each offset; a recording without its series yet is left out', () => {
    const group: ReplayGroupState = { align: 'offset', playing: false, speed: 1, positionMs: 0, endMs: 37_000, members: [{ id: 1, offsetMs: 0, state: entries[0]!.state }, { id: 2, offsetMs: 7_000, state: entries[1]!.state }] };
    const c = compareCharts(entries, series, group);
    expect(c[1]!.x).toEqual([7, 12]);
    expect(c[1]!.nowS).toBe(11);
    expect(sharedRange(entries, group)).toEqual([0, 37]);
    expect(compareCharts(entries, new Map([[2, series.get(2)!]]), group).map((x) => x.plane)).toEqual(['rec:tp-2']);
  });

  it('the counts now: the point at or before, states with agents only', () => {
    const c = compareCharts(entries, series, null)[0]!;
    expect(countsAt(c, 7)).toEqual([
      { state: 'EXECUTING', n: 1 },
      { state: 'UNKNOWN(256)', n: 2 },
    ]);
    expect(countsAt(c, -1)).toEqual([{ state: 'UNKNOWN(256)', n: 3 }]);
  });
});
