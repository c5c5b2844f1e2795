import { describe, expect, it } from 'vitest';
import { CLICK_SLOP_PX, Press, wheelZoomFactor } from '../../../renderer/src/scene/input.js';

describe('a pointer press', () => {
  it('stays a click while it moves less than the slop', () => {
    const p = new Press(100, 100, null);
    expect(p.move(100 + CLICK_SLOP_PX - 1, 100)).toBe(false);
    expect(p.move(100, 100 - (CLICK_SLOP_PX - 1))).toBe(false);
    expect(p.moved).toBe(false);
  });

  it('once past the slop moves in steps: the first from where it started, then from the last move', () => {
    const p = new Press(100, 100, null);
    expect(p.move(103, 103)).toBe(true); // √18 ≈ 4.24 px
    expect([p.dx, p.dy]).toEqual([3, 3]);
    // Back within the slop of the start: still a drag now.
    expect(p.move(101, 100)).toBe(true);
    expect([p.dx, p.dy]).toEqual([-2, -3]);
    expect(p.moved).toBe(true);
  });

  it('remembers the node it drags', () => {
    expect(new Press(0, 0, { plane: 'p', id: 4 }).node).toEqual({ plane: 'p', id: 4 });
  });
});

describe('the wheel', () => {
  it('zooms in when scrolled up, out when down, and the two cancel', () => {
    expect(wheelZoomFactor(0)).toBe(1);
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100)).toBeLessThan(1);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
    // One notch (100) is a gentle step, not a jump.
    expect(wheelZoomFactor(-100)).toBeCloseTo(Math.exp(0.15), 12);
  });
});
