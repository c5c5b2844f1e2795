import { describe, expect, it } from 'vitest';
import type { Bounds } from '../../../renderer/src/scene/camera.js';
import {
  HOLD_MARGIN,
  heldBounds,
  layoutRegions,
  placeAbout,
  placeInto,
  regionAt,
  regionColumns,
  regionsBounds,
  type Region,
  type RegionInput,
} from '../../../renderer/src/scene/regions.js';

/** Bounds of very different sizes and places: unit square, a huge plane, a thin line, a far-off one, a point, none. */
const SAMPLES: (Bounds | null)[] = [
  { x0: 0, y0: 0, x1: 1, y1: 1 },
  { x0: -50_000, y0: -20_000, x1: 50_000, y1: 20_000 },
  { x0: 3, y0: 5, x1: 3.001, y1: 900 },
  { x0: 1e6, y0: 1e6, x1: 1e6 + 40, y1: 1e6 + 10 },
  { x0: 7, y0: 7, x1: 7, y1: 7 },
  null,
];

function planes(n: number): RegionInput[] {
  // Ids not in order, and replays among them: the layout sorts.
  return Array.from({ length: n }, (_, i) => ({ plane: i % 3 === 2 ? `rec:p${(7 * i) % n}-${i}` : `p${(5 * i) % n}-${i}`, replay: i % 3 === 2, bounds: SAMPLES[i % SAMPLES.length]! }));
}

const overlap = (a: Region, b: Region) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** Where a plane's reported point lands. */
const placed = (r: Region, x: number, y: number) => ({ x: x * r.scale + r.ox, y: y * r.scale + r.oy });

describe('plane regions', () => {
  it('never overlap, for 1 to 12 planes of very different bounds, and each plane lands inside its own content area', () => {
    for (let n = 1; n <= 12; n++) {
      const input = planes(n);
      const regions = layoutRegions(input);
      expect(regions.map((r) => r.plane).sort()).toEqual(input.map((p) => p.plane).sort());
      for (let i = 0; i < regions.length; i++) for (let j = i + 1; j < regions.length; j++) expect(overlap(regions[i]!, regions[j]!), `${n} planes: ${i} and ${j}`).toBe(false);
      for (const r of regions) {
        const c = r.content;
        expect(c.x0).toBeGreaterThan(r.x);
        expect(c.x1).toBeLessThan(r.x + r.width);
        expect(c.y0).toBeGreaterThan(r.y);
        expect(c.y1).toBeLessThan(r.y + r.height);
        expect(Number.isFinite(r.scale) && r.scale > 0).toBe(true);
        const b = input.find((p) => p.plane === r.plane)!.bounds;
        if (!b) continue;
        for (const [x, y] of [[b.x0, b.y0], [b.x1, b.y1], [b.x0, b.y1], [b.x1, b.y0]] as const) {
          const p = placed(r, x, y);
          const eps = 1e-6 * (r.width + Math.abs(p.x));
          expect(p.x).toBeGreaterThanOrEqual(c.x0 - eps);
          expect(p.x).toBeLessThanOrEqual(c.x1 + eps);
          expect(p.y).toBeGreaterThanOrEqual(c.y0 - eps);
          expect(p.y).toBeLessThanOrEqual(c.y1 + eps);
        }
      }
    }
  });

  it('fills the content area on the tighter axis, keeping the plane\'s aspect (one scale for x and y)', () => {
    const [r] = layoutRegions([{ plane: 'wide', bounds: { x0: -100, y0: 0, x1: 300, y1: 100 } }]);
    const a = placed(r!, -100, 0), b = placed(r!, 300, 100);
    expect(a.x).toBeCloseTo(r!.content.x0, 6);
    expect(b.x).toBeCloseTo(r!.content.x1, 6);
    expect((b.y - a.y) / (b.x - a.x)).toBeCloseTo(100 / 400, 9);
    expect((a.y + b.y) / 2).toBeCloseTo((r!.content.y0 + r!.content.y1) / 2, 6);
  });

  it('has a stable order: live planes by id, then replays by id, whatever order they come in', () => {
    const input: RegionInput[] = [
      { plane: 'rec:b', replay: true, bounds: null },
      { plane: 'zeta', bounds: null },
      { plane: 'alpha', bounds: null },
      { plane: 'rec:a', replay: true, bounds: null },
    ];
    const one = layoutRegions(input);
    const two = layoutRegions([...input].reverse());
    expect(one.map((r) => r.plane)).toEqual(['alpha', 'zeta', 'rec:a', 'rec:b']);
    expect(two).toEqual(one);
  });

  it('is deterministic when a plane leaves: the others keep their order and their placement within their region; the ones before it do not move', () => {
    // 10 planes and 9 take the same columns (regionColumns).
    const input = planes(10);
    expect(regionColumns(10)).toBe(regionColumns(9));
    const all = layoutRegions(input);
    const last = all[all.length - 1]!;
    // The last in order leaves (a replay closed): the grid keeps its columns, nobody moves.
    const without = layoutRegions(input.filter((p) => p.plane !== last.plane));
    expect(without).toEqual(all.slice(0, -1));
    // One in the middle leaves: those before it stay, the rest keep their order and are only translated.
    const gone = all[4]!.plane;
    const after = layoutRegions(input.filter((p) => p.plane !== gone));
    expect(after.map((r) => r.plane)).toEqual(all.map((r) => r.plane).filter((p) => p !== gone));
    expect(after.slice(0, 4)).toEqual(all.slice(0, 4));
    for (const r of after) {
      const was = all.find((a) => a.plane === r.plane)!;
      expect(r.scale).toBe(was.scale);
      expect(r.ox - r.x).toBeCloseTo(was.ox - was.x, 6);
      expect(r.oy - r.y).toBeCloseTo(was.oy - was.y, 6);
    }
    // And it comes back where it was.
    expect(layoutRegions(input)).toEqual(all);
    // A replay closing returns the live planes to where they were before it opened.
    const live: RegionInput[] = [{ plane: 'sim', bounds: SAMPLES[0]! }, { plane: 'sim-2', bounds: SAMPLES[1]! }];
    const before = layoutRegions(live);
    expect(layoutRegions([...live, { plane: 'rec:sim', replay: true, bounds: SAMPLES[2]! }]).slice(0, 2)).toEqual(before);
  });

  it('places no bounds, and a single point, at the content centre', () => {
    const c = { x0: 0, y0: 0, x1: 100, y1: 50 };
    const none = placeInto(null, c);
    expect([none.ox, none.oy]).toEqual([50, 25]);
    const pt = placeInto({ x0: 7, y0: 9, x1: 7, y1: 9 }, c);
    expect([7 * pt.scale + pt.ox, 9 * pt.scale + pt.oy]).toEqual([50, 25]);
  });

  it('holds bounds with slack: agents moving inside them do not rescale; leaving or shrinking far does', () => {
    const first = heldBounds(null, { x0: 0, y0: 0, x1: 100, y1: 50 })!;
    expect(first).toEqual({ x0: -100 * HOLD_MARGIN, y0: -100 * HOLD_MARGIN, x1: 100 + 100 * HOLD_MARGIN, y1: 50 + 100 * HOLD_MARGIN });
    expect(heldBounds(first, { x0: 5, y0: -3, x1: 104, y1: 52 })).toBe(first);
    expect(heldBounds(first, null)).toBe(first);
    const grown = heldBounds(first, { x0: 0, y0: 0, x1: 200, y1: 50 })!;
    expect(grown.x1).toBeGreaterThan(200);
    const shrunk = heldBounds(first, { x0: 10, y0: 10, x1: 20, y1: 15 })!;
    expect(shrunk.x1 - shrunk.x0).toBeLessThan(20);
  });

  it('lays the grid out wider than tall, as screens are', () => {
    expect([1, 2, 3, 4, 7, 12].map(regionColumns)).toEqual([1, 2, 3, 3, 4, 5]);
    const b = regionsBounds(layoutRegions(planes(7)))!;
    expect((b.x1 - b.x0) / (b.y1 - b.y0)).toBeGreaterThan(1.5);
  });

  it('finds the region under a world point, and the bounds of all', () => {
    const regions = layoutRegions(planes(4));
    for (const r of regions) expect(regionAt(regions, r.x + r.width / 2, r.y + 1)?.plane).toBe(r.plane);
    expect(regionAt(regions, -10, -10)).toBeNull();
    const b = regionsBounds(regions)!;
    expect(b.x0).toBe(0);
    expect(b.x1).toBe(Math.max(...regions.map((r) => r.x + r.width)));
    expect(regionsBounds([])).toBeNull();
  });
  it('places a local layout about its origin, unscaled while it fits, so agents joining it move nothing else', () => {
    const c = { x0: 0, y0: 0, x1: 900, y1: 800 };
    const small = placeAbout({ x0: -200, y0: -150, x1: 180, y1: 210 }, c);
    expect(small).toEqual({ scale: 1, ox: 450, oy: 400 });
    expect(placeAbout({ x0: -220, y0: -150, x1: 180, y1: 260 }, c)).toEqual(small);
    const big = placeAbout({ x0: -900, y0: -100, x1: 300, y1: 100 }, c);
    expect(big.scale).toBeCloseTo(0.5, 9);
    expect(-900 * big.scale + big.ox).toBeCloseTo(0, 9);
    const [r] = layoutRegions([{ plane: 'local', local: true, bounds: { x0: -10, y0: -10, x1: 10, y1: 10 } }]);
    expect(r!.scale).toBe(1);
  });
});
