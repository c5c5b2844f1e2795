// A plane's flows as drawn: the flow table's gathered ends (graph-scene.ts)
// pass through the level of detail (flow-lod.ts), and the edges it keeps go
// into one instanced flow mesh of the plane's own, updated in place (one
// upload of the used prefix per frame, arrays replaced only when they grow).
// The flow table's own arrays (ends, colour, meta per flow) stay what the
// probes, export and tooltip read.

import { grown } from '@shared';
import type { Camera } from './camera.js';
import { FLOW_LOD_BUDGET, FlowLod, type FlowLodCounts } from './flow-lod.js';
import { flowWidthPx } from './lod.js';
import { FlowMesh, upload } from './meshes.js';
import type { PlaneLayer } from './plane-layer.js';

/** The level of detail and the mesh of one plane's flows. */
interface LodDraw {
  readonly lod: FlowLod;
  readonly mesh: FlowMesh;
  color: Uint8Array;
  meta: Uint8Array;
}

const draws = new WeakMap<PlaneLayer, LodDraw>();

function drawOf(l: PlaneLayer): LodDraw {
  let d = draws.get(l);
  if (!d) {
    const lod = new FlowLod();
    const color = new Uint8Array(256), meta = new Uint8Array(256);
    d = { lod, mesh: new FlowMesh(new Float32Array(256), color, meta), color, meta };
    // Under the nodes.
    l.group.addChildAt(d.mesh.mesh, 0);
    draws.set(l, d);
  }
  return d;
}

/** Edges drawn at the last frame over the visible planes, and the planes with flows (the budget is shared). */
export function flowLodTotals(layers: readonly PlaneLayer[]): { drawn: number; planes: number } {
  let drawn = 0, planes = 0;
  for (const l of layers) {
    if (!l.group.visible || l.flows.n === 0) continue;
    planes++;
    const d = draws.get(l);
    drawn += d ? d.lod.count : l.flows.n;
  }
  return { drawn, planes };
}

/** What the level of detail decided for a plane at its last frame, or null before its first. */
export function flowLodCounts(l: PlaneLayer): Readonly<FlowLodCounts> | null {
  return draws.get(l)?.lod.counts ?? null;
}

/**
 * Draws plane `l`'s flows at this frame: call after the table's ends and
 * opacities were gathered. `planes` share FLOW_LOD_BUDGET.
 */
export function drawFlowLod(l: PlaneLayer, cam: Camera, radiusPx: number, pixel: number, hair: number, planes: number): void {
  const d = drawOf(l);
  const f = l.flows, lod = d.lod;
  const hw = cam.width / 2 / cam.zoom, hh = cam.height / 2 / cam.zoom;
  lod.update(
    { n: f.n, from: f.fromSlot, to: f.toSlot, ends: f.ends, rate: f.rate, alpha: f.color, alphaStride: 4, alphaOffset: 3 },
    { xy: l.kin.xy, count: l.slotCount, alive: l.alive },
    { zoom: cam.zoom, x0: cam.x - hw, y0: cam.y - hh, x1: cam.x + hw, y1: cam.y + hh, radiusPx, budget: Math.max(200, Math.floor(FLOW_LOD_BUDGET / Math.max(1, planes))), keep: f.highlighted },
  );
  const n = lod.count;
  if (d.color.length < 4 * n) {
    d.color = grown(d.color, 8 * n);
    d.meta = grown(d.meta, 8 * n);
  }
  const color = d.color, meta = d.meta, fc = f.color, fm = f.meta;
  for (let i = 0; i < n; i++) {
    const k = lod.flow[i]!, o = 4 * i, s = 4 * k;
    color[o] = fc[s]!;
    color[o + 1] = fc[s + 1]!;
    color[o + 2] = fc[s + 2]!;
    color[o + 3] = fc[s + 3]!;
    if (lod.members[i] === 1) {
      meta[o] = fm[s]!;
      meta[o + 1] = fm[s + 1]!;
    } else {
      // An aggregate: as wide as its summed rate (at least its heaviest member), never highlighted.
      meta[o] = Math.max(fm[s]!, Math.round((flowWidthPx(lod.rate[i]!) / 8) * 255));
      meta[o + 1] = 0;
    }
  }
  const m = d.mesh;
  m.uniforms.uniforms.uPixel = pixel;
  m.uniforms.uniforms.uHair = hair;
  m.geometry.instanceCount = n;
  upload(m.ends, lod.ends, 16 * n);
  upload(m.color, color, 4 * n);
  upload(m.meta, meta, 4 * n);
}
