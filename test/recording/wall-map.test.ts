// This console's clock → the recording time a replay showed (recording/wall-map.ts): how an alert of a replayed plane is opened at its moment.
import { describe, expect, it } from 'vitest';
import { WallMap } from '../../electron/core/recording/wall-map.js';
import { REPLAY_WALL_SEGMENTS } from '../../shared/index.js';

describe('WallMap', () => {
  it('steady playback is one piece, read in proportion; a seek is a jump, not a slope', () => {
    const m = new WallMap();
    expect(m.recAt(5)).toBeNull();
    // Playing at 2x from recording 1000 at wall 0, a sample per 16 ms tick.
    for (let w = 0; w <= 1600; w += 16) m.note(w, 1000 + 2 * w);
    expect(m.recAt(800)).toBeCloseTo(2600, 0);
    // A seek back to 500 at wall 2000, then paused there.
    m.note(2000, 500);
    m.note(3000, 500);
    expect(m.recAt(1800)).toBeCloseTo(1000 + 2 * 1600, 0); // between the piece's end and the jump: where it was
    expect(m.recAt(2500)).toBe(500);
    expect(m.recAt(10_000)).toBe(500);
    expect(m.recAt(-1)).toBeNull();
  });

  it(`keeps at most REPLAY_WALL_SEGMENTS (${REPLAY_WALL_SEGMENTS}) samples: the oldest go`, () => {
    const m = new WallMap();
    // Every sample a jump (back and forth): none coalesce.
    for (let i = 0; i < REPLAY_WALL_SEGMENTS + 10; i++) m.note(i * 10, i % 2 ? 0 : 100_000 + i);
    expect(m.recAt(0)).toBeNull();
    expect(m.recAt(9 * 10)).toBeNull();
    expect(m.recAt(10 * 10)).toBe(100_010);
    expect(m.recAt((REPLAY_WALL_SEGMENTS + 9) * 10)).toBe(0);
  });
});
