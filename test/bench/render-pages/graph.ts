// The benchmark's graph, the same for both renderers: N agents orbiting in 16
// clusters (positions and velocities are closed-form in t) and 2N persistent
// edges, 80% inside a cluster. Deterministic (a seeded hash), no Math.random.

export interface BenchGraph {
  n: number;
  /** Edge ends as node indices (0..n-1), 2 per edge. */
  edges: Uint32Array;
  states: Uint16Array;
  load: Uint8Array;
  /** Positions and velocities at time t (seconds) into xy / vxy (2 per node). */
  at(t: number, xy: Float32Array, vxy: Float32Array): void;
}

function hash(i: number, salt: number): number {
  let h = Math.imul(i ^ salt, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

const CLUSTERS = 16;

export function benchGraph(n: number): BenchGraph {
  const cx = new Float32Array(n), cy = new Float32Array(n), r = new Float32Array(n), w = new Float32Array(n), ph = new Float32Array(n);
  const spread = 40 * Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    const c = i % CLUSTERS;
    cx[i] = ((c % 4) - 1.5) * spread;
    cy[i] = (Math.floor(c / 4) - 1.5) * spread;
    r[i] = spread * (0.05 + 0.4 * Math.sqrt(hash(i, 1)));
    w[i] = (0.1 + 0.3 * hash(i, 2)) * (hash(i, 3) < 0.5 ? -1 : 1);
    ph[i] = hash(i, 4) * Math.PI * 2;
  }
  const edges = new Uint32Array(4 * n);
  for (let e = 0; e < 2 * n; e++) {
    const a = Math.floor(hash(e, 5) * n);
    let b: number;
    if (hash(e, 6) < 0.8) {
      // Same cluster: a + k * CLUSTERS.
      const k = 1 + Math.floor(hash(e, 7) * Math.max(1, Math.floor(n / CLUSTERS) - 1));
      b = (a + k * CLUSTERS) % n;
    } else b = Math.floor(hash(e, 8) * n);
    if (b === a) b = (a + 1) % n;
    edges[2 * e] = a;
    edges[2 * e + 1] = b;
  }
  const states = new Uint16Array(n), load = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    states[i] = Math.floor(hash(i, 9) * 8);
    load[i] = Math.floor(hash(i, 10) * 100);
  }
  return {
    n,
    edges,
    states,
    load,
    at(t, xy, vxy) {
      for (let i = 0; i < n; i++) {
        const a = ph[i]! + w[i]! * t;
        const c = Math.cos(a), s = Math.sin(a);
        xy[2 * i] = cx[i]! + r[i]! * c;
        xy[2 * i + 1] = cy[i]! + r[i]! * s;
        vxy[2 * i] = -r[i]! * w[i]! * s;
        vxy[2 * i + 1] = r[i]! * w[i]! * c;
      }
    },
  };
}

export interface BenchResult {
  renderer: string;
  n: number;
  /** Edges (flows) held. */
  edges: number;
  /** Edges drawn at the end of the run, where the renderer has a level of detail (ours: aggregates count once). */
  edgesDrawn?: number;
  /** Of the edges held at the end: inside an aggregate, hidden (under dense nodes or a node), off screen, cut. */
  lod?: { merged: number; hidden: number; culled: number; cut: number };
  setupMs: number;
  frames: number;
  fps: number;
  /** JS ms per frame: everything the page ran for the frame (update + render call). */
  jsMean: number;
  jsP95: number;
  jsMax: number;
  /** JS ms per frame updating the scene's data (before its draw calls). */
  updateMean: number;
}

/**
 * Once per animation frame for `seconds` after a warm-up: `prepare(t)` (the
 * plane's new positions, not timed), then `step()` (timed; it returns the ms
 * of its scene-update part). Summarises.
 */
export async function measure(renderer: string, n: number, edges: number, setupMs: number, seconds: number, prepare: (t: number) => void, step: () => number): Promise<BenchResult> {
  const js: number[] = [], upd: number[] = [], stamps: number[] = [];
  // Warm up for 2 frames and 500 ms; then measure for `seconds` and at least 3 frames (software GL can take seconds per frame), at most 4x longer.
  let warm = 0, measureFrom = 0;
  const start = performance.now();
  window.__benchMeasuring = true;
  await new Promise<void>((done) => {
    const loop = (ts: number): void => {
      prepare((performance.now() - start) / 1000);
      const t0 = performance.now();
      const u = step();
      const t1 = performance.now();
      if (warm < 2 || t0 - start < 500) {
        warm++;
        measureFrom = t1;
      } else {
        js.push(t1 - t0);
        upd.push(u);
        stamps.push(ts);
      }
      const elapsed = t1 - measureFrom;
      const more = measureFrom === 0 || elapsed < seconds * 1000 || (js.length < 3 && elapsed < seconds * 4000);
      if (more) requestAnimationFrame(loop);
      else done();
    };
    requestAnimationFrame(loop);
  });
  const sorted = [...js].sort((a, b) => a - b);
  // Frames completed over the measured window (frames can be seconds apart in software GL).
  const span = performance.now() - measureFrom;
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
  return {
    renderer,
    n,
    edges,
    setupMs,
    frames: js.length,
    fps: (stamps.length / span) * 1000,
    jsMean: mean(js),
    jsP95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    jsMax: sorted.at(-1) ?? 0,
    updateMean: mean(upd),
  };
}

export function params(): { n: number; seconds: number } {
  const q = new URLSearchParams(location.search);
  return { n: Number(q.get('n') ?? 1000), seconds: Number(q.get('seconds') ?? 3) };
}

declare global {
  interface Window {
    __benchResult?: BenchResult | { error: string };
    /** Set once setup is done and the measured loop starts (the profiler starts then). */
    __benchMeasuring?: boolean;
  }
}
