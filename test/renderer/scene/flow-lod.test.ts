import { describe, expect, it } from 'vitest';
import { FLOW_LOD_CELL_PX, FlowLod, type FlowLodFlows, type FlowLodNodes, type FlowLodView } from '../../../renderer/src/scene/flow-lod.js';

/** Flows between node indices, with rates; opacity 255 unless given. */
function flows(pairs: [number, number][], rates?: number[], alpha?: number[]): FlowLodFlows {
  const n = pairs.length;
  const a = new Uint8Array(4 * n);
  for (let k = 0; k < n; k++) a[4 * k + 3] = alpha?.[k] ?? 255;
  return {
    n,
    from: Int32Array.from(pairs.map((p) => p[0])),
    to: Int32Array.from(pairs.map((p) => p[1])),
    ends: new Float32Array(4 * n),
    rate: Float32Array.from(rates ?? pairs.map(() => NaN)),
    alpha: a,
    alphaStride: 4,
    alphaOffset: 3,
  };
}

function nodes(points: [number, number][]): FlowLodNodes {
  return { xy: Float32Array.from(points.flat()), count: points.length, alive: null };
}

/** A 1200×800 view of world (0,0)-(1200,800) at `zoom` 1 unless given. */
function view(over: Partial<FlowLodView> = {}): FlowLodView {
  return { zoom: 1, x0: 0, y0: 0, x1: 1200, y1: 800, radiusPx: 2, budget: 100, keep: -1, ...over };
}

function edges(lod: FlowLod): { ends: number[]; flow: number; members: number; rate: number }[] {
  return Array.from({ length: lod.count }, (_, i) => ({ ends: Array.from(lod.ends.subarray(4 * i, 4 * i + 4)), flow: lod.flow[i]!, members: lod.members[i]!, rate: lod.rate[i]! }));
}

describe('flow level of detail', () => {
  it('draws every flow as itself when they fit the budget, culling what is off screen and what lies under its own ends', () => {
    const nd = nodes([[100, 100], [500, 300], [2000, 2000], [2100, 2500], [101, 100.5], [-500, 400]]);
    // 0→1 on screen; 2→3 off screen; 0→4 shorter than a node's radius; 5→1 crosses into the view; 1→0 the reverse; 4→0 invisible (opacity 0).
    const f = flows([[0, 1], [2, 3], [0, 4], [5, 1], [1, 0], [4, 0]], [3, 1, 1, 2, 5, 9], [255, 255, 255, 255, 255, 0]);
    const lod = new FlowLod();
    lod.update(f, nd, view());
    expect(lod.counts).toMatchObject({ flows: 5, culled: 1, hidden: 1, drawn: 3, aggregated: false, merged: 0 });
    expect(edges(lod)).toEqual([
      { ends: [100, 100, 500, 300], flow: 0, members: 1, rate: 3 },
      { ends: [-500, 400, 500, 300], flow: 3, members: 1, rate: 2 },
      { ends: [500, 300, 100, 100], flow: 4, members: 1, rate: 5 },
    ]);
  });

  it('reads an end that is not a node (a group centre) from the flow ends', () => {
    const nd = nodes([[100, 100]]);
    const f = flows([[0, -1]], [1]);
    f.ends.set([0, 0, 700, 650]);
    const lod = new FlowLod();
    lod.update(f, nd, view());
    expect(edges(lod)).toEqual([{ ends: [100, 100, 700, 650], flow: 0, members: 1, rate: 1 }]);
  });

  it('past the budget, aggregates flows between cells into one edge with the summed rate, between the mean ends, and hides flows inside a cell', () => {
    // Two groups of 10 nodes, each inside one 24 px cell, 600 px apart; every node of A sends to one of B; plus flows inside A.
    const pts: [number, number][] = [];
    for (let i = 0; i < 10; i++) pts.push([49 + i, 50 + (i % 3)]);
    for (let i = 0; i < 10; i++) pts.push([650 + (i % 4), 410 + i]);
    const pairs: [number, number][] = [];
    const rates: number[] = [];
    for (let i = 0; i < 10; i++) (pairs.push([i, 10 + i]), rates.push(i + 1));
    for (let i = 0; i < 5; i++) (pairs.push([i, i + 5]), rates.push(100));
    const f = flows(pairs, rates);
    const nd = nodes(pts);
    const lod = new FlowLod();
    lod.update(f, nd, view({ budget: 4 }));
    expect(lod.counts).toMatchObject({ flows: 15, culled: 0, hidden: 5, merged: 10, drawn: 1, aggregated: true });
    const [e] = edges(lod);
    const mean = (k: number, ids: number[]): number => ids.reduce((s, i) => s + pts[i]![k]!, 0) / ids.length;
    const from = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], to = from.map((i) => i + 10);
    expect(e!.members).toBe(10);
    expect(e!.rate).toBe(55);
    expect(e!.flow).toBe(9); // the heaviest member gives the edge its colour
    expect(e!.ends[0]).toBeCloseTo(mean(0, from), 3);
    expect(e!.ends[1]).toBeCloseTo(mean(1, from), 3);
    expect(e!.ends[2]).toBeCloseTo(mean(0, to), 3);
    expect(e!.ends[3]).toBeCloseTo(mean(1, to), 3);
  });

  it('keeps only the top pairs by rate per source cell when the pairs exceed the budget', () => {
    // One sender; 12 receivers spread across the view (each its own cell), rates 1..12; budget 3.
    const pts: [number, number][] = [[600, 400]];
    for (let i = 0; i < 12; i++) pts.push([60 + 90 * i, 60 + (i % 2) * 600]);
    const pairs: [number, number][] = Array.from({ length: 12 }, (_, i) => [0, i + 1]);
    const lod = new FlowLod();
    lod.update(flows(pairs, pairs.map((_, i) => i + 1)), nodes(pts), view({ budget: 3 }));
    expect(lod.counts).toMatchObject({ drawn: 3, cut: 9, aggregated: true });
    expect(edges(lod).map((e) => e.flow).sort((a, b) => a - b)).toEqual([9, 10, 11]);
  });

  it('the highlighted flow is always drawn as itself', () => {
    const pts: [number, number][] = [[600, 400]];
    for (let i = 0; i < 12; i++) pts.push([60 + 90 * i, 60 + (i % 2) * 600]);
    pts.push([601, 401]);
    const pairs: [number, number][] = Array.from({ length: 12 }, (_, i) => [0, i + 1]);
    pairs.push([0, 13]); // sub-pixel, but kept
    const lod = new FlowLod();
    lod.update(flows(pairs, pairs.map((_, i) => (i < 12 ? i + 1 : 0))), nodes(pts), view({ budget: 3, keep: 2 }));
    const drawn = edges(lod);
    expect(drawn.find((e) => e.flow === 2)).toEqual({ ends: [600, 400, 60 + 180, 60], flow: 2, members: 1, rate: 3 });
    lod.update(flows(pairs, pairs.map((_, i) => (i < 12 ? i + 1 : 0))), nodes(pts), view({ budget: 3, keep: 12 }));
    expect(edges(lod).some((e) => e.flow === 12)).toBe(true);
  });

  it('hides flows that run under a dense cluster of nodes all along, and keeps those that leave it', () => {
    // 4,000 nodes packed into 96×96 px around (300, 300): ~250 per 24 px cell, far past twice the cell covered by 2 px discs.
    const pts: [number, number][] = [];
    for (let i = 0; i < 4000; i++) pts.push([252 + ((i * 37) % 96), 252 + ((i * 61) % 96) + (i % 7) / 7]);
    pts.push([900, 600]); // 4000: outside the cluster
    const pairs: [number, number][] = [[0, 1], [10, 20], [30, 40], [1, 4000]];
    const lod = new FlowLod();
    lod.update(flows(pairs, [1, 1, 1, 1]), nodes(pts), view());
    const hiddenInside = pairs.slice(0, 3).filter(([a, b]) => Math.hypot(pts[a]![0] - pts[b]![0], pts[a]![1] - pts[b]![1]) >= 2).length;
    expect(lod.counts.hidden).toBe(3);
    expect(hiddenInside).toBeGreaterThan(0);
    expect(edges(lod).map((e) => e.flow)).toEqual([3]);
  });

  it('detail returns on zoom: the flows merged at a fit are drawn one by one zoomed in', () => {
    // 10 flows between two tight groups 50 world units apart.
    const pts: [number, number][] = [];
    for (let i = 0; i < 10; i++) pts.push([100 + i, 100]);
    for (let i = 0; i < 10; i++) pts.push([150 + i, 100 + i]);
    const pairs: [number, number][] = Array.from({ length: 10 }, (_, i) => [i, 10 + i]);
    const f = flows(pairs, pairs.map(() => 1));
    const lod = new FlowLod();
    lod.update(f, nodes(pts), view({ zoom: 1, budget: 5 }));
    expect(lod.counts).toMatchObject({ drawn: 1, merged: 10 });
    // Zoomed 40× about (125, 100): the view is 30×20 world units; the cells are 0.6 units, the nodes 1 apart.
    const z = 40, hw = 600 / z, hh = 400 / z;
    lod.update(f, nodes(pts), view({ zoom: z, x0: 125 - hw, x1: 125 + hw, y0: 100 - hh, y1: 100 + hh, budget: 5 }));
    expect(FLOW_LOD_CELL_PX / z).toBeLessThan(1);
    expect(lod.counts).toMatchObject({ aggregated: true, merged: 0 });
    expect(lod.count).toBeGreaterThanOrEqual(5);
    // With room for them all, all ten as themselves.
    lod.update(f, nodes(pts), view({ zoom: z, x0: 125 - hw, x1: 125 + hw, y0: 100 - hh, y1: 100 + hh, budget: 100 }));
    expect(edges(lod).map((e) => e.flow)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('allocates nothing per frame once grown: the same arrays frame after frame', () => {
    const pts: [number, number][] = Array.from({ length: 2000 }, (_, i) => [(i * 97) % 1200, (i * 53) % 800]);
    const pairs: [number, number][] = Array.from({ length: 4000 }, (_, i) => [i % 2000, (i * 7 + 1) % 2000]);
    const f = flows(pairs, pairs.map((_, i) => i % 13));
    const nd = nodes(pts);
    const lod = new FlowLod();
    lod.update(f, nd, view({ budget: 300 }));
    const first = [lod.ends, lod.flow, lod.members, lod.rate];
    const drawn = lod.count;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThanOrEqual(300);
    // Every flow is accounted for: off screen, hidden, cut, or drawn (alone or inside an aggregate).
    const singles = edges(lod).filter((e) => e.members === 1).length;
    expect(lod.counts.culled + lod.counts.hidden + lod.counts.cut + lod.counts.merged + singles).toBe(lod.counts.flows);
    expect(lod.counts.cut).toBeGreaterThan(0);
    for (let t = 0; t < 5; t++) lod.update(f, nd, view({ budget: 300 }));
    expect([lod.ends, lod.flow, lod.members, lod.rate]).toEqual(first);
    expect(lod.ends).toBe(first[0]);
    expect(lod.count).toBe(drawn);
  });
});
