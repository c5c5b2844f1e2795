import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestSlot, SpatialIndex } from '../../../renderer/src/scene/spatial-index.js';

describe('spatial index', () => {
  it('finds the same nearest agent as a brute-force scan, skipping empty slots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ min: -1000, max: 1000, noNaN: true }), fc.float({ min: -1000, max: 1000, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 300 }),
        fc.float({ min: -1000, max: 1000, noNaN: true }),
        fc.float({ min: -1000, max: 1000, noNaN: true }),
        fc.float({ min: 1, max: 200, noNaN: true }),
        (pts, qx, qy, r) => {
          const xy = new Float32Array(pts.flatMap(([x, y]) => [x, y]));
          const alive = (s: number) => pts[s]![2];
          const idx = new SpatialIndex();
          idx.build(xy, pts.length, alive, 0);
          const got = nearestSlot(idx.within(qx, qy, r), xy, qx, qy, r);
          let best = -1, bestD = r * r;
          for (let s = 0; s < pts.length; s++) {
            if (!alive(s)) continue;
            const d = (xy[2 * s]! - qx) ** 2 + (xy[2 * s + 1]! - qy) ** 2;
            if (d <= bestD) {
              bestD = d;
              best = s;
            }
          }
          if (best < 0) expect(got.slot).toBe(-1);
          else expect(got.d2).toBeCloseTo(bestD, 3);
          if (got.slot >= 0) expect(alive(got.slot)).toBe(true);
        },
      ),
    );
  });

  it('answers a rectangle with exactly the live slots inside it', () => {
    const xy = new Float32Array([0, 0, 5, 5, 10, 10, 5, 5]);
    const idx = new SpatialIndex();
    idx.build(xy, 4, (s) => s !== 3, 0);
    expect(idx.range(4, 4, 11, 11).sort()).toEqual([1, 2]);
    expect(idx.size).toBe(3);
  });

  it('says when it is stale, and copes with no live slots', () => {
    const idx = new SpatialIndex();
    expect(idx.stale(0)).toBe(true);
    idx.build(new Float32Array(4), 2, () => false, 100);
    expect(idx.stale(100)).toBe(false);
    expect(idx.stale(10_000)).toBe(true);
    expect(idx.within(0, 0, 10)).toEqual([]);
  });
});
