// Level of detail for flows (issue 22, "Draw less, draw it once"): which
// edges a plane's flows become on screen at the current zoom. Pure: typed
// arrays in, typed arrays out, no pixi, nothing allocated per frame once the
// arrays have grown to the load.
//
// Per frame, for each flow whose ends are known:
//  * culled: its segment's box misses the view;
//  * hidden: shorter on screen than a node's radius (it lies under its own
//    ends), or every point sampled along it falls in a dense cell (a cell of
//    the screen grid whose nodes' discs cover it FLOW_LOD_DENSE_COVERAGE times
//    over: the edge runs under the disc of a cluster and would never be seen);
//  * otherwise a candidate.
// When the candidates fit the budget every one is drawn as itself (detail:
// what the operator sees zoomed in). Past it, flows are aggregated between
// cells of a world-anchored screen grid (FLOW_LOD_CELL_PX): one edge per
// (source cell, target cell) pair carrying the summed rate, drawn between the
// mean positions of its members' ends (a pair of one flow is that flow); flows
// inside one cell are hidden; and when the pairs still exceed the budget only
// the top pairs by rate (then by members) of each source cell are drawn.
// Zooming in shrinks the cells in world units, so the pairs become single
// flows again: detail returns on zoom.

/** Screen cell of the aggregation and density grid, in CSS pixels. */
export const FLOW_LOD_CELL_PX = 24;
/** Edges drawn per plane at most, by default (about one per 480 px² of a 1200×800 view). */
export const FLOW_LOD_BUDGET = 2_000;
/** A cell is dense when its nodes' discs add up to this many times its area. */
export const FLOW_LOD_DENSE_COVERAGE = 2;
/** At most this many pairs kept per source cell. */
const MAX_PER_CELL = 16;
/** Points sampled along an edge at most to tell whether it runs under dense cells. */
const MAX_SAMPLES = 12;
/** Cells of the grid at most (so a pair key fits an int32: cells² < 2^31). */
const MAX_CELLS = 46_000;

/** One plane's flows, as typed arrays. */
export interface FlowLodFlows {
  /** Flows: indices 0..n-1 of the arrays below. */
  n: number;
  /** Each flow's ends as node indices into `xy`; -1: the end is not a node (a group centre): it is read from `ends`. */
  from: Int32Array;
  to: Int32Array;
  /** World ends (ax, ay, bx, by), 4 per flow; read only for ends that are not nodes. */
  ends: Float32Array;
  /** Weight of each flow (messages/s); NaN counts as 0. */
  rate: Float32Array;
  /** Opacity per flow, at `alpha[alphaStride * k + alphaOffset]`: 0 is not drawn (an end unknown, faded out). */
  alpha: Uint8Array;
  alphaStride: number;
  alphaOffset: number;
}

/** The nodes, for positions and density. */
export interface FlowLodNodes {
  /** World positions, 2 per node. */
  xy: Float32Array;
  /** Nodes 0..count-1. */
  count: number;
  /** 1 where a node is drawn (null: all of 0..count-1). */
  alive: Uint8Array | null;
}

export interface FlowLodView {
  /** Screen pixels per world unit. */
  zoom: number;
  /** The world rectangle in view. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Node radius on screen, in pixels. */
  radiusPx: number;
  /** Edges to draw at most. */
  budget: number;
  /** A flow always drawn as itself when it is drawn at all (the highlighted one), or -1. */
  keep: number;
}

/** What one `update` decided, for probes and the bench. */
export interface FlowLodCounts {
  /** Flows with both ends known and opacity > 0. */
  flows: number;
  culled: number;
  hidden: number;
  /** Flows drawn inside an aggregate edge of several. */
  merged: number;
  /** Flows left out with their pairs (cell to cell) by the top cut. */
  cut: number;
  /** Edges drawn. */
  drawn: number;
  aggregated: boolean;
}

export class FlowLod {
  /** Edges to draw: 0..count-1 of the arrays below. */
  count = 0;
  /** World ends (ax, ay, bx, by), 4 per edge. */
  ends = new Float32Array(0);
  /** The flow an edge draws: itself, or the heaviest member of an aggregate. */
  flow = new Int32Array(0);
  /** Flows an edge carries (1: the flow itself). */
  members = new Uint32Array(0);
  /** Summed rate of an edge's flows. */
  rate = new Float32Array(0);
  readonly counts: FlowLodCounts = { flows: 0, culled: 0, hidden: 0, merged: 0, cut: 0, drawn: 0, aggregated: false };

  // Scratch, grown on demand.
  private cand = new Int32Array(0);
  private candA = new Float32Array(0);
  private count16 = new Uint16Array(0);
  private dense = new Uint8Array(0);
  private candCell = new Int32Array(0);
  private srcCell = new Int32Array(0);
  private table = new Int32Array(0);
  private pairKey = new Int32Array(0);
  private pairSum = new Float64Array(0);
  private pairRate = new Float64Array(0);
  private pairMembers = new Uint32Array(0);
  private pairTop = new Int32Array(0);
  private pairTopRate = new Float32Array(0);
  private cellTop = new Int32Array(0);
  private cellTopN = new Uint8Array(0);
  private cols = 0;
  private rows = 0;
  private gx0 = 0;
  private gy0 = 0;
  private cw = 1;

  /** Decides the edges for this frame (see the file's head). */
  update(f: FlowLodFlows, nodes: FlowLodNodes, v: FlowLodView): void {
    const c = this.counts;
    c.merged = c.cut = 0;
    c.aggregated = false;
    this.count = 0;
    this.grid(v);
    this.densityOf(nodes, v);
    const n = f.n;
    if (this.cand.length < n) {
      this.cand = new Int32Array(cap(n));
      this.candA = new Float32Array(4 * cap(n));
    }
    if (this.candCell.length < 2 * n) this.candCell = new Int32Array(2 * cap(n));
    const xy = nodes.xy, ends = f.ends, cand = this.cand, ca = this.candA, cc = this.candCell, dense = this.dense;
    const from = f.from, to = f.to, alpha = f.alpha, stride = f.alphaStride, off = f.alphaOffset, keep = v.keep;
    const minLen = Math.max(1, v.radiusPx) / v.zoom;
    const minLen2 = minLen * minLen;
    const vx0 = v.x0, vy0 = v.y0, vx1 = v.x1, vy1 = v.y1;
    const gx0 = this.gx0, gy0 = this.gy0, inv = 1 / this.cw, cols = this.cols, cmax = this.cols - 1, rmax = this.rows - 1;
    let m = 0, flows = 0, culled = 0, hidden = 0;
    for (let k = 0; k < n; k++) {
      if (alpha[stride * k + off] === 0) continue;
      const a = from[k]!, b = to[k]!;
      let ax: number, ay: number, bx: number, by: number;
      if (a >= 0) (ax = xy[2 * a]!), (ay = xy[2 * a + 1]!);
      else (ax = ends[4 * k]!), (ay = ends[4 * k + 1]!);
      if (b >= 0) (bx = xy[2 * b]!), (by = xy[2 * b + 1]!);
      else (bx = ends[4 * k + 2]!), (by = ends[4 * k + 3]!);
      flows++;
      if ((ax < vx0 && bx < vx0) || (ax > vx1 && bx > vx1) || (ay < vy0 && by < vy0) || (ay > vy1 && by > vy1)) {
        culled++;
        continue;
      }
      let gx = Math.floor((ax - gx0) * inv), gy = Math.floor((ay - gy0) * inv);
      const cs = (gy < 0 ? 0 : gy > rmax ? rmax : gy) * cols + (gx < 0 ? 0 : gx > cmax ? cmax : gx);
      gx = Math.floor((bx - gx0) * inv);
      gy = Math.floor((by - gy0) * inv);
      const cd = (gy < 0 ? 0 : gy > rmax ? rmax : gy) * cols + (gx < 0 ? 0 : gx > cmax ? cmax : gx);
      const dx = bx - ax, dy = by - ay;
      if (k !== keep && (dx * dx + dy * dy < minLen2 || (dense[cs] === 1 && dense[cd] === 1 && this.underDense(ax, ay, bx, by)))) {
        hidden++;
        continue;
      }
      cand[m] = k;
      cc[2 * m] = cs;
      cc[2 * m + 1] = cd;
      ca[4 * m] = ax;
      ca[4 * m + 1] = ay;
      ca[4 * m + 2] = bx;
      ca[4 * m + 3] = by;
      m++;
    }
    c.flows = flows;
    c.culled = culled;
    c.hidden = hidden;
    if (m <= v.budget) {
      this.ensureOut(m);
      for (let i = 0; i < m; i++) this.emit(ca[4 * i]!, ca[4 * i + 1]!, ca[4 * i + 2]!, ca[4 * i + 3]!, cand[i]!, 1, rateOf(f.rate[cand[i]!]!));
    } else {
      c.aggregated = true;
      this.aggregate(f, m, v);
    }
    c.drawn = this.count;
  }

  /** The world-anchored grid over the view (one ring of cells around it collects what lies beyond). */
  private grid(v: FlowLodView): void {
    let cw = FLOW_LOD_CELL_PX / v.zoom;
    const span = (): number => (Math.floor(v.x1 / cw) - Math.floor(v.x0 / cw) + 3) * (Math.floor(v.y1 / cw) - Math.floor(v.y0 / cw) + 3);
    while (span() > MAX_CELLS) cw *= 1.5;
    this.cw = cw;
    this.gx0 = (Math.floor(v.x0 / cw) - 1) * cw;
    this.gy0 = (Math.floor(v.y0 / cw) - 1) * cw;
    this.cols = Math.floor(v.x1 / cw) - Math.floor(v.x0 / cw) + 3;
    this.rows = Math.floor(v.y1 / cw) - Math.floor(v.y0 / cw) + 3;
  }

  /** Marks the inner cells whose nodes' discs cover them FLOW_LOD_DENSE_COVERAGE times over. */
  private densityOf(nodes: FlowLodNodes, v: FlowLodView): void {
    const cells = this.cols * this.rows;
    if (this.count16.length < cells) {
      this.count16 = new Uint16Array(cap(cells));
      this.dense = new Uint8Array(cap(cells));
    }
    const d = this.count16, dense = this.dense;
    d.fill(0, 0, cells);
    dense.fill(0, 0, cells);
    const cellPx = this.cw * v.zoom;
    // A node's disc on average: load adds up to 60% to its radius.
    const disc = Math.PI * 1.69 * v.radiusPx * v.radiusPx;
    if (!(disc > 0)) return;
    const need = Math.max(2, Math.ceil((FLOW_LOD_DENSE_COVERAGE * cellPx * cellPx) / disc));
    if (need > 65535) return;
    const xy = nodes.xy, alive = nodes.alive, inv = 1 / this.cw, cols = this.cols, rows = this.rows, gx0 = this.gx0, gy0 = this.gy0;
    for (let s = 0; s < nodes.count; s++) {
      if (alive && !alive[s]) continue;
      const gx = Math.floor((xy[2 * s]! - gx0) * inv), gy = Math.floor((xy[2 * s + 1]! - gy0) * inv);
      // Only the cells in view count: the outer ring gathers everything beyond and is never dense.
      if (gx < 1 || gy < 1 || gx >= cols - 1 || gy >= rows - 1) continue;
      const i = gy * cols + gx;
      const c = d[i]! + 1;
      d[i] = c;
      if (c === need) dense[i] = 1;
    }
  }

  /**
   * Whether a segment whose ends lie in dense cells runs under dense cells all along: sampled every cell length,
   * at most MAX_SAMPLES times (so a long edge is judged on a coarser sampling).
   */
  private underDense(ax: number, ay: number, bx: number, by: number): boolean {
    const dx = bx - ax, dy = by - ay;
    const inv = 1 / this.cw;
    const steps = Math.min(MAX_SAMPLES, Math.ceil(Math.sqrt(dx * dx + dy * dy) * inv));
    if (steps < 2) return true;
    // Both ends are in inner cells, so every point between is in the grid: no clamping.
    const sx = (dx * inv) / steps, sy = (dy * inv) / steps;
    let gx = (ax - this.gx0) * inv, gy = (ay - this.gy0) * inv;
    const dense = this.dense, cols = this.cols;
    for (let i = 1; i < steps; i++) {
      gx += sx;
      gy += sy;
      if (dense[Math.floor(gy) * cols + Math.floor(gx)] !== 1) return false;
    }
    return true;
  }

  /** Cell-to-cell aggregation of the m candidates, then the per-cell top cut. */
  private aggregate(f: FlowLodFlows, m: number, v: FlowLodView): void {
    const c = this.counts, cand = this.cand, ca = this.candA;
    const cells = this.cols * this.rows;
    let size = 1024;
    while (size < 2 * m) size *= 2;
    if (this.table.length < size) this.table = new Int32Array(size);
    const table = this.table;
    table.fill(-1, 0, size);
    if (this.pairKey.length < m) {
      const pc = cap(m);
      this.pairKey = new Int32Array(pc);
      this.pairSum = new Float64Array(4 * pc);
      this.pairRate = new Float64Array(pc);
      this.pairMembers = new Uint32Array(pc);
      this.pairTop = new Int32Array(pc);
      this.pairTopRate = new Float32Array(pc);
      this.srcCell = new Int32Array(pc);
    }
    const key = this.pairKey, sum = this.pairSum, prate = this.pairRate, mem = this.pairMembers, top = this.pairTop, topRate = this.pairTopRate;
    const mask = size - 1;
    let pairs = 0;
    let keepPair = -1;
    for (let i = 0; i < m; i++) {
      const k = cand[i]!;
      const ax = ca[4 * i]!, ay = ca[4 * i + 1]!, bx = ca[4 * i + 2]!, by = ca[4 * i + 3]!;
      const cs = this.candCell[2 * i]!, cd = this.candCell[2 * i + 1]!;
      if (cs === cd && k !== v.keep) {
        c.hidden++;
        continue;
      }
      // The kept flow gets a pair of its own (key -1 - i can match no other).
      const kk = k === v.keep ? -1 - i : cs * cells + cd;
      let h = Math.imul(kk, 0x9e3779b1) >>> 0;
      let p: number;
      for (;;) {
        h &= mask;
        p = table[h]!;
        if (p < 0 || key[p] === kk) break;
        h++;
      }
      const r = rateOf(f.rate[k]!);
      if (p < 0) {
        p = pairs++;
        table[h] = p;
        key[p] = kk;
        sum[4 * p] = sum[4 * p + 1] = sum[4 * p + 2] = sum[4 * p + 3] = 0;
        prate[p] = 0;
        mem[p] = 0;
        top[p] = k;
        topRate[p] = r;
        this.srcCell[p] = cs;
        if (k === v.keep) keepPair = p;
      } else if (r > topRate[p]!) {
        top[p] = k;
        topRate[p] = r;
      }
      sum[4 * p] = sum[4 * p]! + ax;
      sum[4 * p + 1] = sum[4 * p + 1]! + ay;
      sum[4 * p + 2] = sum[4 * p + 2]! + bx;
      sum[4 * p + 3] = sum[4 * p + 3]! + by;
      prate[p] = prate[p]! + r;
      mem[p] = mem[p]! + 1;
    }
    // Pairs that run under dense cells all along are hidden with their flows.
    let live = 0;
    for (let p = 0; p < pairs; p++) {
      const q = mem[p]!;
      if (q > 1 && p !== keepPair && this.dense[this.srcCell[p]!] === 1 && this.dense[key[p]! % cells] === 1 && this.underDense(sum[4 * p]! / q, sum[4 * p + 1]! / q, sum[4 * p + 2]! / q, sum[4 * p + 3]! / q)) {
        c.hidden += q;
        mem[p] = 0;
      } else if (q > 0) live++;
    }
    this.ensureOut(Math.min(live, v.budget + 1));
    if (live <= v.budget) {
      for (let p = 0; p < pairs; p++) this.emitPair(p);
      return;
    }
    // Top pairs per source cell: K from the budget over the cells that send.
    if (this.cellTopN.length < cells) {
      this.cellTopN = new Uint8Array(cap(cells));
      this.cellTop = new Int32Array(cap(cells) * MAX_PER_CELL);
    }
    const topN = this.cellTopN, cellTop = this.cellTop;
    topN.fill(0, 0, cells);
    let senders = 0;
    for (let p = 0; p < pairs; p++) {
      if (mem[p] === 0) continue;
      const s = this.srcCell[p]!;
      if (topN[s] === 0) {
        topN[s] = 1;
        senders++;
      }
    }
    const per = Math.max(1, Math.min(MAX_PER_CELL, Math.floor(v.budget / Math.max(1, senders))));
    topN.fill(0, 0, cells);
    for (let p = 0; p < pairs; p++) {
      if (mem[p] === 0 || p === keepPair) continue;
      const s = this.srcCell[p]!, base = s * MAX_PER_CELL;
      let j = topN[s]!;
      if (j === per) {
        // Full: replace the lightest when heavier.
        if (!heavier(prate, mem, p, cellTop[base + per - 1]!)) {
          c.cut += mem[p]!;
          continue;
        }
        c.cut += mem[cellTop[base + per - 1]!]!;
        j = per - 1;
      } else topN[s] = j + 1;
      while (j > 0 && heavier(prate, mem, p, cellTop[base + j - 1]!)) {
        cellTop[base + j] = cellTop[base + j - 1]!;
        j--;
      }
      cellTop[base + j] = p;
    }
    // More cells send than the budget has edges: the heaviest of the cells' tops, across the view.
    let kept = 0;
    const list = this.srcCell; // free now: reused for the kept pairs
    for (let s = 0; s < cells; s++) for (let j = 0; j < topN[s]!; j++) list[kept++] = cellTop[s * MAX_PER_CELL + j]!;
    if (kept > v.budget) {
      list.subarray(0, kept).sort((a, b) => prate[b]! - prate[a]! || mem[b]! - mem[a]!);
      for (let i = v.budget; i < kept; i++) c.cut += mem[list[i]!]!;
      kept = v.budget;
    }
    this.ensureOut(kept + 1);
    if (keepPair >= 0) this.emitPair(keepPair);
    for (let i = 0; i < kept; i++) this.emitPair(list[i]!);
  }

  private emitPair(p: number): void {
    const q = this.pairMembers[p]!;
    if (q === 0) return;
    const s = this.pairSum;
    if (q > 1) this.counts.merged += q;
    this.emit(s[4 * p]! / q, s[4 * p + 1]! / q, s[4 * p + 2]! / q, s[4 * p + 3]! / q, this.pairTop[p]!, q, this.pairRate[p]!);
  }

  private emit(ax: number, ay: number, bx: number, by: number, flow: number, members: number, rate: number): void {
    const i = this.count++;
    this.ends[4 * i] = ax;
    this.ends[4 * i + 1] = ay;
    this.ends[4 * i + 2] = bx;
    this.ends[4 * i + 3] = by;
    this.flow[i] = flow;
    this.members[i] = members;
    this.rate[i] = rate;
  }

  /** Room for `n` output edges; the arrays are replaced only when they grow (callers re-point their buffers). */
  private ensureOut(n: number): void {
    if (this.flow.length >= n) return;
    const c = cap(n);
    const ends = new Float32Array(4 * c);
    ends.set(this.ends.subarray(0, 4 * this.count));
    this.ends = ends;
    this.flow = new Int32Array(c);
    this.members = new Uint32Array(c);
    this.rate = new Float32Array(c);
  }
}

const rateOf = (r: number): number => (r > 0 ? r : 0);

/** Pair p outweighs pair o: by summed rate, then by flows carried. */
function heavier(rate: Float64Array, mem: Uint32Array, p: number, o: number): boolean {
  return rate[p]! > rate[o]! || (rate[p] === rate[o] && mem[p]! > mem[o]!);
}

/** Capacity for n, rounded up to a power of two (arrays grow by doubling). */
function cap(n: number): number {
  let c = 64;
  while (c < n) c *= 2;
  return c;
}
