// One plane as the scene draws it: slot-indexed typed arrays (ids, states,
// load, style) read in place by the plane's node mesh, its dead reckoning,
// flows, k-d tree and local-layout bookkeeping; how a frame's status and
// positions land in them; and how they grow. Nothing here allocates per agent
// per frame.

import { Container, type Geometry, type Mesh, type Shader } from 'pixi.js';
import { grown, type PlaneFrame, type PlaneStatus, SCENE_MAX_GROUPS, SLOT_EMPTY, isRewindPlane } from '@shared';
import type { Bounds } from './camera.js';
import { Kinematics } from './dead-reckoning.js';
import { FlowTable, type PendingFlow } from './flows.js';
import { nodeMark } from './lod.js';
import { NodeMesh, nodeUniforms, upload, type NodeUniforms } from './meshes.js';
import { stateColor } from './palette.js';
import type { Placement } from './regions.js';
import { DIMMED_ALPHA, DIMMED_FACTOR } from './search-fade.js';
import { SpatialIndex } from './spatial-index.js';

export interface PlaneLayer {
  plane: string;
  index: number;
  color: number;
  /** The plane's shown name (its region's title). */
  label: string;
  replay: boolean;
  /** What its region's title says of its connection: '' when LIVE, else REPLAY, DOWN or the state. */
  shownState: string;
  connection: string;
  /** Where its reported positions are drawn: its region (regions.ts). Everything in `kin` is in world units. */
  place: Placement;
  /** performance.now() of each slot's last report in a frame (the tooltip's "last heard"). */
  heard: Float64Array;
  /** When the plane went DOWN (ms since the epoch), 0 while it is not: nothing of it is newer. */
  downSince: number;
  group: Container;
  kin: Kinematics;
  cap: number;
  ids: Uint32Array;
  states: Uint16Array;
  load: Uint8Array;
  alive: Uint8Array;
  dim: Uint8Array;
  groupOf: Int16Array;
  style: Uint8Array;
  meta: Uint8Array;
  styleDirty: boolean;
  slotCount: number;
  visible: number;
  slotOf: Map<number, number>;
  nodes: NodeMesh;
  mini: Mesh<Geometry, Shader>;
  miniUniforms: NodeUniforms;
  flows: FlowTable;
  pendingFlows: Map<string, PendingFlow>;
  spatial: SpatialIndex;
  /** null until a frame says; false: laid out here (no positions from the plane). */
  positioned: boolean | null;
  /** Ids the layout worker holds. */
  inLayout: Set<number>;
  layoutAlpha: number;
  pinned: Set<number>;
  lost: Set<number>;
  /** Agent id → group (namespace), learned from events. */
  agentGroup: Map<number, string>;
  groups: Map<string, number>;
  groupNames: string[];
  /** Per group: x sum, y sum, count; then centres (x, y). */
  groupSum: Float64Array;
  groupCentre: Float32Array;
  hasGroupFlows: boolean;
  reported: boolean;
  matches: Set<number> | null;
}

/** A new, empty plane: its meshes (nodes and flows in `group`, and the minimap's view of the same node buffers in `mini`). */
export function createPlaneLayer(plane: string, index: number): PlaneLayer {
  const kin = new Kinematics();
  kin.ensure(64);
  const cap = kin.capacity;
  const style = new Uint8Array(cap * 4);
  const meta = new Uint8Array(cap * 4);
  const nodes = new NodeMesh(kin.xy, style, meta);
  const miniUniforms = nodeUniforms(nodes.uniforms.uniforms.uPlaneColor);
  const mini = NodeMesh.meshOf(nodes.geometry, miniUniforms);
  const groupNames: string[] = [];
  const flows = new FlowTable((g) => groupNames[g] ?? '');
  flows.ensure(64);
  const group = new Container();
  // The flows' mesh goes under the nodes when the level of detail first draws them (flow-draw.ts).
  group.addChild(nodes.mesh);
  return {
    plane,
    index,
    color: 0xffffff,
    label: plane,
    replay: false,
    shownState: '',
    connection: '',
    place: { scale: 1, ox: 0, oy: 0 },
    heard: new Float64Array(cap),
    downSince: 0,
    group,
    kin,
    cap,
    ids: new Uint32Array(cap),
    states: new Uint16Array(cap),
    load: new Uint8Array(cap),
    alive: new Uint8Array(cap),
    dim: new Uint8Array(cap),
    groupOf: new Int16Array(cap).fill(-1),
    style,
    meta,
    styleDirty: true,
    slotCount: 0,
    visible: 0,
    slotOf: new Map(),
    nodes,
    mini,
    miniUniforms,
    flows,
    pendingFlows: new Map(),
    spatial: new SpatialIndex(),
    positioned: null,
    inLayout: new Set(),
    layoutAlpha: 0,
    pinned: new Set(),
    lost: new Set(),
    agentGroup: new Map(),
    groups: new Map(),
    groupNames,
    groupSum: new Float64Array(0),
    groupCentre: new Float32Array(0),
    hasGroupFlows: false,
    reported: false,
    matches: null,
  };
}

/** Grows the slot arrays to hold `n` slots, and points the node mesh at the new ones. */
export function ensureSlots(l: PlaneLayer, n: number): void {
  if (n <= l.cap) return;
  l.kin.ensure(n);
  const cap = l.kin.capacity;
  l.ids = grown(l.ids, cap);
  l.states = grown(l.states, cap);
  l.load = grown(l.load, cap);
  l.alive = grown(l.alive, cap);
  l.heard = grown(l.heard, cap);
  l.dim = grown(l.dim, cap);
  l.groupOf = grown(l.groupOf, cap, -1);
  l.style = grown(l.style, cap * 4);
  l.meta = grown(l.meta, cap * 4);
  l.cap = cap;
  upload(l.nodes.pos, l.kin.xy, 0);
  upload(l.nodes.style, l.style, 0);
  upload(l.nodes.meta, l.meta, 0);
}

/** Colour, opacity, load and mark of one slot into the node mesh's arrays. */
export function styleSlot(l: PlaneLayer, slot: number): void {
  const code = l.states[slot]!;
  const c = stateColor(code, l.color);
  const o = 4 * slot;
  l.style[o] = (c >> 16) & 255;
  l.style[o + 1] = (c >> 8) & 255;
  l.style[o + 2] = c & 255;
  // Dimmed by search, or faded with its plane gone quiet (STALE, or DOWN: what is drawn is its last-known state).
  l.style[o + 3] = l.alive[slot] ? (l.dim[slot] || l.connection === 'STALE' ? DIMMED_ALPHA : 255) : 0;
  l.meta[o] = Math.round((Math.min(100, l.load[slot]!) / 100) * 255);
  const id = l.ids[slot]!;
  l.meta[o + 1] = nodeMark(l.lost.has(id), code, l.connection === 'STALE', l.pinned.has(id));
  l.meta[o + 2] = 255;
}

/** The index of a group (namespace), added if new; past SCENE_MAX_GROUPS the last one stands in. */
export function groupIndex(l: PlaneLayer, name: string): number {
  let g = l.groups.get(name);
  if (g === undefined) {
    if (l.groupNames.length >= SCENE_MAX_GROUPS) return l.groupNames.length - 1;
    g = l.groupNames.length;
    l.groups.set(name, g);
    l.groupNames.push(name);
    if (l.groupSum.length < 3 * (g + 1)) {
      const cap = 2 * (g + 1);
      l.groupSum = grown(l.groupSum, 3 * cap);
      l.groupCentre = grown(l.groupCentre, 2 * cap);
    }
  }
  return g;
}

/** The plane's colour (its node outline) and connection state (a stale plane marks its nodes). */
export function applyStatus(l: PlaneLayer, s: PlaneStatus): void {
  l.label = s.label;
  l.replay = s.replay === true;
  l.downSince = s.downSince !== undefined && s.state !== 'LIVE' ? s.downSince : 0;
  l.shownState = isRewindPlane(l.plane) ? 'REWIND' : l.replay ? 'REPLAY' : s.state === 'LIVE' ? '' : s.downSince !== undefined ? 'DOWN' : s.state;
  if (s.color !== l.color) {
    l.color = s.color;
    const u = l.nodes.uniforms.uniforms.uPlaneColor;
    u[0] = ((s.color >> 16) & 255) / 255;
    u[1] = ((s.color >> 8) & 255) / 255;
    u[2] = (s.color & 255) / 255;
  }
  // A plane that lost its connection is drawn as a stale one (faded, marked) until it is LIVE again.
  const connection = s.downSince !== undefined && s.state !== 'LIVE' ? 'STALE' : s.state;
  if (connection !== l.connection) {
    l.connection = connection;
    l.styleDirty = true;
    for (let slot = 0; slot < l.slotCount; slot++) if (l.alive[slot]) styleSlot(l, slot);
  }
}

/**
 * Writes a frame's slots into the plane: agents that joined or left, reports
 * to the dead reckoning (planes that send positions), and restyles only what
 * changed. On a locally laid-out plane the ids that joined and left are pushed
 * to `added` and `removed`.
 */
export function writePositions(l: PlaneLayer, frame: PlaneFrame, now: number, added: number[], removed: number[]): void {
  const { ids, xy, states, vxy, load, slots } = frame;
  const n = slots ? slots.length : frame.slotCount;
  const local = l.positioned === false;
  const { scale: sc, ox, oy } = l.place;
  let visible = l.visible;
  for (let k = 0; k < n; k++) {
    const slot = slots ? slots[k]! : k;
    const empty = states[k] === SLOT_EMPTY;
    const id = ids[k]!;
    const was = l.alive[slot] === 1;
    if (was && (empty || l.ids[slot] !== id)) {
      // The slot's agent left (or the slot changed hands).
      l.slotOf.delete(l.ids[slot]!);
      l.kin.clear(slot);
      l.alive[slot] = 0;
      visible--;
      if (local) removed.push(l.ids[slot]!);
    }
    if (empty) {
      if (l.style[4 * slot + 3] !== 0) l.styleDirty = true;
      l.style[4 * slot + 3] = 0;
      continue;
    }
    const fresh = !l.alive[slot];
    if (fresh) {
      l.alive[slot] = 1;
      l.ids[slot] = id;
      l.slotOf.set(id, slot);
      visible++;
      const g = l.agentGroup.get(id);
      l.groupOf[slot] = g === undefined ? -1 : groupIndex(l, g);
      l.dim[slot] = l.matches !== null && !l.matches.has(id) ? 1 : 0;
      if (local) added.push(id);
    }
    l.heard[slot] = now;
    if (!local) l.kin.report(slot, xy[2 * k]! * sc + ox, xy[2 * k + 1]! * sc + oy, vxy ? vxy[2 * k]! * sc : 0, vxy ? vxy[2 * k + 1]! * sc : 0, now);
    // Restyle only what changed: a full frame of moving agents keeps its styles.
    const ld = load ? load[k]! : l.load[slot]!;
    if (fresh || l.states[slot] !== states[k] || l.load[slot] !== ld) {
      l.states[slot] = states[k]!;
      l.load[slot] = ld;
      styleSlot(l, slot);
      l.styleDirty = true;
    }
  }
  l.visible = visible;
  l.slotCount = Math.max(l.slotCount, frame.slotCount);
}

/** Draws the plane at placement `p` from now on: what is drawn moves with it (its region moved or was rescaled). */
export function setPlacement(l: PlaneLayer, p: Placement): boolean {
  const o = l.place;
  if (o.scale === p.scale && o.ox === p.ox && o.oy === p.oy) return false;
  const k = p.scale / o.scale;
  l.kin.remap(l.slotCount, k, p.ox - o.ox * k, p.oy - o.oy * k);
  l.place = { scale: p.scale, ox: p.ox, oy: p.oy };
  l.spatial.builtAt = -Infinity;
  return true;
}

/** A plane's reported (x, y) as drawn in the world, and back. */
export const toWorld = (l: Pick<PlaneLayer, 'place'>, x: number, y: number): { x: number; y: number } => ({ x: x * l.place.scale + l.place.ox, y: y * l.place.scale + l.place.oy });
export const fromWorld = (l: Pick<PlaneLayer, 'place'>, x: number, y: number): { x: number; y: number } => ({ x: (x - l.place.ox) / l.place.scale, y: (y - l.place.oy) / l.place.scale });

/** Opacity factor of what a plane draws besides its agents (flows, messages): faded while the plane is STALE or DOWN, as its agents are. */
export function planeFade(l: Pick<PlaneLayer, 'connection'>): number {
  return l.connection === 'STALE' ? DIMMED_FACTOR : 1;
}

/** Empties and hides a plane that left the view (its meshes stay, unused). */
export function retireLayer(l: PlaneLayer): void {
  l.group.visible = false;
  l.mini.visible = false;
  l.alive.fill(0);
  l.visible = 0;
  l.slotCount = 0;
  l.slotOf.clear();
}

/** Where an agent is drawn, in world units, or null. */
export function worldOf(layers: ReadonlyMap<string, PlaneLayer>, plane: string, id: number): { x: number; y: number } | null {
  const l = layers.get(plane);
  const slot = l?.slotOf.get(id);
  if (!l || slot === undefined) return null;
  return { x: l.kin.xy[2 * slot]!, y: l.kin.xy[2 * slot + 1]! };
}

/** The world rectangle the planes' live agents cover, or null when there are none. */
export function boundsOf(layers: readonly Pick<PlaneLayer, 'kin' | 'slotCount' | 'alive'>[]): Bounds | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const l of layers) {
    const xy = l.kin.xy;
    for (let s = 0; s < l.slotCount; s++) {
      if (!l.alive[s]) continue;
      const x = xy[2 * s]!, y = xy[2 * s + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 >= x0 ? { x0, y0, x1, y1 } : null;
}
