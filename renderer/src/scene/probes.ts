// The scene's debug probes (window.__swarmdeck.sceneDebug, probe-types.ts):
// read-only summaries of what is drawn (flows, particles, labels, rounds,
// camera, layout) for devtools and the end-to-end tests, plus the few actions
// tests drive (zoom, pin, exports). Computed on demand, never per frame.

import type { Camera } from './camera.js';
import type { Rounds } from './coordination.js';
import { flowLodCounts } from './flow-draw.js';
import { blobBase64 } from './graph-export.js';
import type { AgentRef, GraphView } from './graph-view.js';
import { hex } from './palette.js';
import { PARTICLE_MS, type ParticlePool } from './particles.js';
import { fromWorld, worldOf, type PlaneLayer } from './plane-layer.js';
import type { FlowProbe, RegionInfo, SceneDebug, SceneProbe } from './probe-types.js';

/** What the probes read of the scene. */
export interface ProbeSource {
  readonly view: Pick<GraphView, 'exportPng' | 'exportGraph' | 'pin' | 'unpin'>;
  readonly layers: readonly PlaneLayer[];
  readonly byPlane: ReadonlyMap<string, PlaneLayer>;
  readonly rounds: Rounds;
  readonly particles: ParticlePool;
  /** Particles started from flow rates, and those the per-frame cap let go (flow-intake.ts). */
  readonly flowParticles: { readonly started: number; readonly capped: number };
  readonly camera: Camera;
  describeAt(sx: number, sy: number): string | null;
  /** Zooms as the wheel does (the operator moved the camera). */
  zoomAt(sx: number, sy: number, factor: number): void;
  /** Each plane's region. */
  regions(): RegionInfo[];
  /** The scene's own state at the last frame. */
  state(): { labels: number; minimap: boolean; minimapBox: { x: number; y: number; w: number; h: number }; nodeDots: boolean; dotsPlotted: number; selected: AgentRef | null; ticks: number; updateMs: number };
}

export function sceneDebug(src: ProbeSource): SceneDebug {
  return {
    probe: () => probe(src),
    nodeWorld: (plane, id) => worldOf(src.byPlane, plane, id),
    zoomAt: (sx, sy, factor) => src.zoomAt(sx, sy, factor),
    exportPng: async () => blobBase64(await src.view.exportPng()),
    exportGraph: () => src.view.exportGraph(),
    flow: (plane, flowId) => flowProbe(src.byPlane.get(plane), flowId, performance.now()),
    describeAt: (sx, sy) => src.describeAt(sx, sy),
    pin: (plane, id, x, y) => src.view.pin({ plane, id }, x, y),
    unpin: (plane, id) => src.view.unpin({ plane, id }),
    worldToScreen: (x, y) => ({ x: src.camera.worldToScreenX(x), y: src.camera.worldToScreenY(y) }),
    nodeReported: (plane, id) => {
      const l = src.byPlane.get(plane);
      const slot = l?.slotOf.get(id);
      return l && slot !== undefined ? { x: l.kin.reportedX(slot), y: l.kin.reportedY(slot) } : null;
    },
    nodeSent: (plane, id) => {
      const l = src.byPlane.get(plane);
      const slot = l?.slotOf.get(id);
      return l && slot !== undefined ? fromWorld(l, l.kin.reportedX(slot), l.kin.reportedY(slot)) : null;
    },
    particleSample: (born) => particleSample(src.particles, src.layers, performance.now(), born),
    regions: () => src.regions(),
  };
}

/** One particle in mid-flight, with where its sender and receiver are drawn (as of the last frame, like the particle). */
function particleSample(p: ParticlePool, layers: readonly PlaneLayer[], now: number, born?: number): ReturnType<SceneDebug['particleSample']> {
  for (let k = 0; k < p.n; k++) {
    const t = (now - p.born[k]!) / PARTICLE_MS;
    if (born !== undefined ? p.born[k] !== born : t <= 0.15 || t >= 0.85 || p.color[4 * k + 3] === 0) continue;
    const l = layers[p.layer[k]!]!;
    const a = p.fromSlot[k]!, b = p.toSlot[k]!;
    if (a < 0 || b < 0) continue;
    const from = { x: l.kin.xy[2 * a]!, y: l.kin.xy[2 * a + 1]! }, to = { x: l.kin.xy[2 * b]!, y: l.kin.xy[2 * b + 1]! };
    return { x: p.pos[2 * k]!, y: p.pos[2 * k + 1]!, t, from, to, plane: l.plane, fromId: p.fromId[k]!, toId: p.toId[k]!, born: p.born[k]! };
  }
  return null;
}

function flowProbe(l: PlaneLayer | undefined, flowId: string, now: number): FlowProbe | null {
  const k = l ? l.flows.indexOf(flowId) : -1;
  if (!l || k < 0) return null;
  const f = l.flows;
  const r = f.record(k, now);
  return {
    ...r,
    widthPx: f.drawnWidthPx(k),
    color: hex((f.color[4 * k]! << 16) | (f.color[4 * k + 1]! << 8) | f.color[4 * k + 2]!),
    alpha: f.color[4 * k + 3]! / 255,
    ends: [f.ends[4 * k]!, f.ends[4 * k + 1]!, f.ends[4 * k + 2]!, f.ends[4 * k + 3]!],
  };
}

function probe(src: ProbeSource): SceneProbe {
  let flows = 0, refused = 0, pending = 0, flowEdges = 0;
  const flowLod = { merged: 0, hidden: 0, culled: 0, cut: 0 };
  for (const l of src.layers) {
    if (!l.group.visible) continue;
    for (let k = 0; k < l.flows.n; k++) if (l.flows.color[4 * k + 3]! > 0) flows++;
    refused += l.flows.refused;
    pending += l.pendingFlows.size;
    const c = flowLodCounts(l);
    if (!c) continue;
    flowEdges += c.drawn;
    flowLod.merged += c.merged;
    flowLod.hidden += c.hidden;
    flowLod.culled += c.culled;
    flowLod.cut += c.cut;
  }
  const highlighted: AgentRef[] = [];
  let votes = 0;
  const outcomes: string[] = [];
  for (const r of src.rounds.rounds.values()) {
    for (const id of r.participants.keys()) highlighted.push({ plane: r.plane, id });
    if (r.initiator !== null && !r.participants.has(r.initiator)) highlighted.push({ plane: r.plane, id: r.initiator });
    for (const v of r.votes.values()) if (v.vote !== 'pending') votes++;
    if (r.outcome !== null) outcomes.push(r.outcome);
  }
  let inFlight = 0;
  const p = src.particles;
  for (let k = 0; k < p.n; k++) if (p.color[4 * k + 3]! > 0) inFlight++;
  const cam = src.camera;
  const s = src.state();
  return {
    flows,
    flowEdges,
    flowLod,
    flowsRefused: refused,
    flowsUnresolved: pending,
    particles: inFlight,
    particlesReplaced: p.replaced,
    particlesStarted: src.flowParticles.started,
    particlesCapped: src.flowParticles.capped,
    labels: s.labels,
    highlighted,
    votes,
    outcomes,
    roundsEvicted: src.rounds.evicted,
    camera: { x: cam.x, y: cam.y, zoom: cam.zoom, fitZoom: cam.fitZoom },
    localPlanes: src.layers.filter((l) => l.positioned === false).map((l) => l.plane),
    pinned: src.layers.flatMap((l) => [...l.pinned].map((id) => ({ plane: l.plane, id }))),
    minimap: s.minimap,
    minimapBox: s.minimap ? { ...s.minimapBox } : null,
    nodeDots: s.nodeDots,
    dotsPlotted: s.dotsPlotted,
    selected: s.selected,
    ticks: s.ticks,
    updateMs: s.updateMs,
  };
}
