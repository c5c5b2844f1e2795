import { describe, expect, it } from 'vitest';
import { SCENE_MAX_EXTRAPOLATION_MS } from '../../../shared/limits.js';
import { CORRECTION_MS, Kinematics } from '../../../renderer/src/scene/dead-reckoning.js';

function drawn(k: Kinematics, slot: number, now: number): [number, number] {
  k.advance(slot + 1, now);
  return [k.xy[2 * slot]!, k.xy[2 * slot + 1]!];
}

describe('dead reckoning', () => {
  it('moves a node along its velocity between updates', () => {
    const k = new Kinematics();
    k.ensure(4);
    k.report(2, 10, 20, 100, -50, 1000); // units per second
    expect(drawn(k, 2, 1000)).toEqual([10, 20]);
    const [x, y] = drawn(k, 2, 1100);
    expect(x).toBeCloseTo(20, 4);
    expect(y).toBeCloseTo(15, 4);
  });

  it('does not jump when a report disagrees with the extrapolation, and converges to the report', () => {
    const k = new Kinematics();
    k.ensure(1);
    k.report(0, 0, 0, 100, 0, 0);
    const before = drawn(k, 0, 50); // 5, 0
    k.report(0, 8, 1, 100, 0, 50); // the plane says it is really at (8, 1)
    const after = drawn(k, 0, 50);
    expect(after[0]).toBeCloseTo(before[0], 5);
    expect(after[1]).toBeCloseTo(before[1], 5);
    // Each 16 ms frame moves a little, never the whole 3-unit error at once.
    let prev = after;
    for (let t = 66; t < 50 + CORRECTION_MS * 7; t += 16) {
      const p = drawn(k, 0, t);
      expect(Math.abs(p[0] - prev[0] - 1.6)).toBeLessThan(0.9); // velocity 1.6/frame ± a share of the error
      prev = p;
    }
    const late = 50 + CORRECTION_MS * 7.5; // still inside the extrapolation horizon
    const [x, y] = drawn(k, 0, late);
    expect(x).toBeCloseTo(8 + (100 * (late - 50)) / 1000, 1);
    expect(y).toBeCloseTo(1, 2);
  });

  it('stops extrapolating after SCENE_MAX_EXTRAPOLATION_MS: a silent plane does not drift away', () => {
    const k = new Kinematics();
    k.ensure(1);
    k.report(0, 0, 0, 10, 0, 0);
    const atLimit = drawn(k, 0, SCENE_MAX_EXTRAPOLATION_MS)[0];
    expect(atLimit).toBeCloseTo((10 * SCENE_MAX_EXTRAPOLATION_MS) / 1000, 4);
    expect(drawn(k, 0, SCENE_MAX_EXTRAPOLATION_MS * 5)[0]).toBeCloseTo(atLimit, 4);
  });

  it('keeps extrapolating through an identical re-report (a full frame of an unmoved record)', () => {
    const k = new Kinematics();
    k.ensure(1);
    k.report(0, 0, 0, 10, 0, 0);
    k.report(0, 0, 0, 10, 0, 500);
    expect(drawn(k, 0, 500)[0]).toBeCloseTo(5, 4);
  });

  it('places a first report exactly, and again after the slot was cleared', () => {
    const k = new Kinematics();
    k.ensure(1);
    k.report(0, 5, 5, 0, 0, 0);
    k.clear(0);
    k.report(0, -100, 40, 0, 0, 10);
    expect(drawn(k, 0, 10)).toEqual([-100, 40]);
  });

  it('ignores non-finite positions and treats non-finite velocity as rest', () => {
    const k = new Kinematics();
    k.ensure(1);
    k.report(0, 1, 2, 0, 0, 0);
    k.report(0, NaN, 2, 0, 0, 10);
    expect(drawn(k, 0, 10)).toEqual([1, 2]);
    k.clear(0);
    k.report(0, 3, 4, Infinity, NaN, 0);
    expect(drawn(k, 0, 500)).toEqual([3, 4]);
  });

  it('grows keeping what it holds', () => {
    const k = new Kinematics();
    k.ensure(2);
    k.report(1, 7, 8, 0, 0, 0);
    expect(k.ensure(1000)).toBe(true);
    expect(drawn(k, 1, 0)).toEqual([7, 8]);
    expect(k.capacity).toBeGreaterThanOrEqual(1000);
  });
});

describe('dead reckoning growth', () => {
  it('grows to the slots asked for, keeping what was reported', () => {
    const k = new Kinematics();
    k.ensure(2);
    k.report(1, 8, 9, 0, 0, 0);
    expect(k.ensure(500)).toBe(true);
    expect(k.capacity).toBe(500);
    expect(k.xy.length).toBe(1_000);
    expect([k.xy[2], k.xy[3], k.reportedX(1), k.reportedY(1)]).toEqual([8, 9, 8, 9]);
    expect(k.ensure(500)).toBe(false);
  });
  it('remaps a slot into a moved, rescaled region: drawn and reported positions, velocity and correction alike', () => {
    const k = new Kinematics();
    k.ensure(2);
    k.report(0, 0, 0, 100, 0, 0);
    k.report(0, 8, 1, 100, 0, 50); // a correction in flight
    const plain = new Kinematics();
    plain.ensure(2);
    plain.report(0, 0, 0, 100, 0, 0);
    plain.report(0, 8, 1, 100, 0, 50);
    k.remap(1, 2, 1000, -500);
    for (const t of [50, 80, 200, 400]) {
      const [x, y] = drawn(k, 0, t), [px, py] = drawn(plain, 0, t);
      expect(x).toBeCloseTo(px * 2 + 1000, 3);
      expect(y).toBeCloseTo(py * 2 - 500, 3);
    }
    expect(k.reportedX(0)).toBe(8 * 2 + 1000);
    expect(k.reportedY(0)).toBe(1 * 2 - 500);
  });
  it('measures the rectangle its placed slots are drawn in, leaving out slots never reported or cleared', () => {
    const k = new Kinematics();
    k.ensure(4);
    k.report(0, 10, 20, 0, 0, 0);
    k.report(2, -5, 40, 100, 0, 0);
    k.report(3, 1000, 1000, 0, 0, 0);
    k.clear(3);
    k.advance(4, 100); // slot 2 moved 10 along x; slot 1 never reported
    expect(k.drawnBounds).toEqual({ x0: 5, y0: 20, x1: 10, y1: 40 });
    k.clear(0);
    k.clear(2);
    k.advance(4, 200);
    expect(k.drawnBounds.x1 >= k.drawnBounds.x0).toBe(false);
  });
});
