// The synced timeline's plain logic (renderer/src/panels/Timeline/synced-logic.ts).
import { describe, expect, it } from 'vitest';
import type { ReplayGroupState, ReplayState } from '@shared';
import { groupAsState, groupMarkers, memberSpan, parseOffsetSeconds, timelineOf } from '../../../../renderer/src/panels/Timeline/synced-logic.js';

const T = 1_700_000_000_000;
const rec = (startMs: number, endMs: number, plane: string, extra: Partial<ReplayState> = {}): ReplayState => ({ path: `/r/${plane}.mcap`, playing: false, speed: 1, startMs, endMs, positionMs: startMs, planes: { tp: plane }, complete: true, problem: null, error: null, ...extra });
const group: ReplayGroupState = {
  align: 'offset',
  playing: true,
  speed: 2,
  positionMs: 12_000,
  endMs: 50_000,
  members: [
    { id: 1, offsetMs: 0, state: rec(T, T + 40_000, 'rec:tp') },
    { id: 2, offsetMs: 10_000, state: rec(T + 86_400_000, T + 86_400_000 + 40_000, 'rec:tp-2', { error: 'chunk 3 is bad' }) },
  ],
};

describe('the synced timeline', () => {
  it('is drawn as a state from 0 to its end, with every plane and the first error', () => {
    const s = groupAsState(group);
    expect([s.startMs, s.endMs, s.positionMs, s.playing, s.speed]).toEqual([0, 50_000, 12_000, true, 2]);
    expect(s.planes).toEqual({ tp: 'rec:tp-2' }); // recorded ids may repeat: the names are for display only
    expect(s.error).toBe('chunk 3 is bad');
  });

  it('puts each recording\'s markers at its timeline time, in order', () => {
    const markers = new Map([
      [1, { markers: [{ t: T + 20_000, kind: 'alert' as const, plane: 'rec:tp', label: 'a' }], dropped: 0 }],
      [2, { markers: [{ t: T + 86_400_000 + 5_000, kind: 'error' as const, plane: 'rec:tp-2', label: 'b' }], dropped: 0 }],
    ]);
    expect(groupMarkers(group, markers).map((m) => [m.label, m.t])).toEqual([
      ['b', 15_000],
      ['a', 20_000],
    ]);
    expect(timelineOf(group, 2, T + 86_400_000 + 1_000)).toBe(11_000);
  });

  it('each recording\'s lane; offsets typed in seconds', () => {
    expect(memberSpan(group, 2)).toEqual([0.2, 1]);
    expect(memberSpan(group, 1)).toEqual([0, 0.8]);
    expect(parseOffsetSeconds('5')).toBe(5000);
    expect(parseOffsetSeconds(' -2,5 ')).toBe(-2500);
    expect(parseOffsetSeconds('')).toBeNull();
    expect(parseOffsetSeconds('soon')).toBeNull();
  });
});
