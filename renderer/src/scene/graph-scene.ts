// The graph, drawn with pixi.js v8 (WebGL). Per plane, nodes and persistent
// flows are each one instanced mesh over typed arrays indexed by the store's
// slot (meshes.ts); message particles are one more mesh for all planes. A
// frame is applied by walking its typed arrays, and every tick dead-reckons
// positions (dead-reckoning.ts), gathers flow ends and particle positions into
// the instance arrays and uploads them in place: nothing is allocated per
// agent per frame. The camera (camera.ts) is the one world ↔ screen mapping;
// picking and labels query a k-d tree (spatial-index.ts). Planes that send no
// positions are laid out by d3-force in a worker (layout.worker.ts).

// pixi generates shader sync code with new Function unless this polyfill is
// loaded; with it the app runs under a CSP without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, BitmapText, Container, Graphics, type Mesh, type Shader, type Geometry } from 'pixi.js';
import { agentLabel, agentNumber, type FrameMessage, MAX_SLOTS, type PlaneEvent, type PlaneFrame, type PlaneStatus, SCENE_MAX_GROUPS, SLOT_EMPTY, stateName } from '@shared';
import type { FlowProbe, SceneDebug, SceneProbe, SceneStats } from '../debug-api.js';
import { Camera, type Bounds } from './camera.js';
import { CoordinationEndSchema, CoordinationInitiatedSchema, CoordinationProgressSchema, AgentRefPayloadSchema, FlowStatsPayloadSchema, MessagePayloadSchema, NamespaceHintSchema, messageFailed, type FlowStatsPayload } from './scene-events.js';
import { Rounds, VOTE_PULSE_MS } from './coordination.js';
import { Kinematics } from './dead-reckoning.js';
import type { GraphExport } from './export-schema.js';
import { resolveFlowId } from './flow-id.js';
import { END_AGENT, FlowTable } from './flows.js';
import type { AgentRef, GraphView } from './graph-view.js';
import type { LayoutPositions, ToLayout } from './layout-protocol.js';
import { flowDensityAlpha, flowHairline, LabelGrid, labelBudget, labelsShown, MINIMAP_MIN_RELATIVE_ZOOM, nodeMark, nodeRadiusPx, RING_MIN_RADIUS_PX } from './lod.js';
import { FlowMesh, NodeMesh, nodeUniforms, ParticleMesh, upload, type NodeUniforms } from './meshes.js';
import { hex, stateColor } from './palette.js';
import { PARTICLE_MS, ParticlePool, particleColor, particleLook } from './particles.js';
import { nearestSlot, SpatialIndex } from './spatial-index.js';

/** Opacity of agents a search does not match. */
const DIMMED_ALPHA = 38;
/** What a search does to everything drawn for non-matching agents only (flows, messages, round marks): the same fade. */
const DIMMED_FACTOR = DIMMED_ALPHA / 255;
/** Pick reach around a node, in screen pixels beyond its radius. */
const PICK_SLACK_PX = 6;
/** Labels are re-chosen this often (their positions follow every frame). */
const LABEL_REFRESH_MS = 150;
/** Flow fades are refreshed this often. */
const FADE_REFRESH_MS = 250;
/** Unresolved flow stats kept for a retry, per plane. */
const MAX_PENDING_FLOWS = 4_096;
const MINIMAP_W = 200;
const MINIMAP_H = 130;
const ROUND_COLOR = 0xe3b341;
const VOTE_COLORS: Record<string, number> = { approve: 0x3fb950, approved: 0x3fb950, yes: 0x3fb950, reject: 0xf85149, rejected: 0xf85149, no: 0xf85149 };

interface Layer {
  plane: string;
  index: number;
  color: number;
  connection: string;
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
  flowMesh: FlowMesh;
  pendingFlows: Map<string, FlowStatsPayload>;
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

export interface GraphSceneOptions {
  /** Do not start pixi's ticker: the owner calls `frame()` (the render benchmark). */
  manual?: boolean;
}

export class GraphScene implements GraphView {
  private readonly app = new Application();
  private readonly camera = new Camera();
  private readonly world = new Container();
  private readonly planeLayer = new Container();
  private readonly overlay = new Graphics();
  private readonly screenLayer = new Container();
  private readonly labelLayer = new Container();
  private readonly labels: BitmapText[] = [];
  private labelKeys = new Float64Array(0);
  private labelCount = 0;
  private labelsChosenAt = -Infinity;
  private readonly labelSlots: { layer: Layer; slot: number }[] = [];
  private readonly grid = new LabelGrid();
  private readonly outcomeTexts: BitmapText[] = [];
  private readonly minimap = new Container();
  private readonly miniWorld = new Container();
  private readonly miniFrame = new Graphics();
  private readonly miniView = new Graphics();
  private miniBounds: Bounds | null = null;
  private miniBoundsAt = -Infinity;
  private readonly layers = new Map<string, Layer>();
  private readonly layerList: Layer[] = [];
  private readonly particles = new ParticlePool();
  private particleMesh: ParticleMesh | null = null;
  private readonly rounds = new Rounds();
  private framesApplied = 0;
  private ticks = 0;
  private fadedAt = -Infinity;
  private readonly afterRender = new Set<() => void>();
  private selected: AgentRef | null = null;
  private pickListener: ((hit: AgentRef | null) => void) | null = null;
  /** Per plane, the last event seq applied: a re-sent frame's events are not drawn twice. */
  private readonly lastEventSeq = new Map<string, number>();
  private lastFrameSeq = -1;
  private follow: AgentRef | null = null;
  /** The operator has moved the camera: local layouts stop re-fitting as they settle. */
  private userMoved = false;
  private fitPending = false;
  private worker: Worker | null = null;
  private tooltip: HTMLDivElement | null = null;
  private host: HTMLElement | null = null;
  private ready = false;
  private lastUpdateMs = 0;
  /** Agents drawn at the last tick (node size follows density). */
  private agentsShown = 0;

  constructor(private readonly options: GraphSceneOptions = {}) {}

  async init(host: HTMLElement): Promise<void> {
    await this.app.init({
      preference: 'webgl',
      background: 0x0d1117,
      antialias: false,
      resizeTo: host,
      autoDensity: true,
      resolution: window.devicePixelRatio || 1,
      autoStart: !this.options.manual,
    });
    this.host = host;
    host.appendChild(this.app.canvas);
    this.particleMesh = new ParticleMesh(this.particles.pos, this.particles.color, this.particles.meta);
    this.world.addChild(this.planeLayer, this.particleMesh.mesh, this.overlay);
    this.minimap.addChild(this.miniFrame, this.miniWorld, this.miniView);
    this.minimap.visible = false;
    this.screenLayer.addChild(this.labelLayer, this.minimap);
    this.app.stage.addChild(this.world, this.screenLayer);
    if (!this.options.manual) this.app.ticker.add(() => this.onTick(performance.now()));
    this.bindPointer(this.app.canvas);
    this.makeTooltip(host);
    this.ready = true;
  }

  /** One update and render, for an owner driving frames itself (manual mode). Returns the update's JS ms. */
  frame(now = performance.now()): number {
    this.onTick(now);
    this.app.render();
    return this.lastUpdateMs;
  }

  onceRendered(fn: () => void): void {
    this.afterRender.add(fn);
  }

  onPick(listener: (hit: AgentRef | null) => void): void {
    this.pickListener = listener;
  }

  select(sel: AgentRef | null): void {
    this.selected = sel;
  }

  setPlaneVisible(plane: string, visible: boolean): void {
    this.layer(plane).group.visible = visible;
    this.layer(plane).mini.visible = visible;
  }

  stats(): SceneStats {
    let nodes = 0, edges = 0;
    for (const l of this.layerList) {
      if (!l.group.visible) continue;
      nodes += l.visible;
      edges += l.flows.n;
    }
    return { renderer: this.ready ? this.app.renderer.name : '…', nodes, edges, framesApplied: this.framesApplied };
  }

  // ------------------------------------------------------------------ frames

  applyFrame(f: FrameMessage): void {
    const now = performance.now();
    // A frame sequence that starts again is a new view: its events are numbered afresh when the host restarted.
    if (f.seq <= this.lastFrameSeq) this.lastEventSeq.clear();
    this.lastFrameSeq = f.seq;
    for (const s of f.planes) this.applyStatus(s);
    for (const pf of f.positions) this.applyPositions(pf, now);
    for (const ev of f.events) {
      if (ev.seq <= (this.lastEventSeq.get(ev.plane) ?? -1)) continue;
      this.lastEventSeq.set(ev.plane, ev.seq);
      this.applyEvent(ev, now);
    }
  }

  private applyStatus(s: PlaneStatus): void {
    const l = this.layer(s.plane);
    if (s.color !== l.color) {
      l.color = s.color;
      const u = l.nodes.uniforms.uniforms.uPlaneColor;
      u[0] = ((s.color >> 16) & 255) / 255;
      u[1] = ((s.color >> 8) & 255) / 255;
      u[2] = (s.color & 255) / 255;
    }
    if (s.state !== l.connection) {
      l.connection = s.state;
      l.styleDirty = true;
      for (let slot = 0; slot < l.slotCount; slot++) if (l.alive[slot]) this.styleSlot(l, slot);
    }
  }

  private applyPositions(frame: PlaneFrame, now: number): void {
    const l = this.layer(frame.plane);
    const { ids, xy, states, vxy, load, slots } = frame;
    const n = slots ? slots.length : frame.slotCount;
    this.ensureSlots(l, frame.slotCount);
    const positioned = frame.positioned ?? true;
    if (l.positioned !== positioned) this.setPositioned(l, positioned);
    const local = !positioned;
    let visible = l.visible;
    const added: number[] = [];
    const removed: number[] = [];
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
        l.groupOf[slot] = g === undefined ? -1 : this.groupIndex(l, g);
        l.dim[slot] = l.matches !== null && !l.matches.has(id) ? 1 : 0;
        if (local) added.push(id);
      }
      if (!local) l.kin.report(slot, xy[2 * k]!, xy[2 * k + 1]!, vxy ? vxy[2 * k]! : 0, vxy ? vxy[2 * k + 1]! : 0, now);
      // Restyle only what changed: a full frame of moving agents keeps its styles.
      const ld = load ? load[k]! : l.load[slot]!;
      if (fresh || l.states[slot] !== states[k] || l.load[slot] !== ld) {
        l.states[slot] = states[k]!;
        l.load[slot] = ld;
        this.styleSlot(l, slot);
        l.styleDirty = true;
      }
    }
    l.visible = visible;
    l.slotCount = Math.max(l.slotCount, frame.slotCount);
    if (local && (added.length || removed.length)) this.syncLayout(l, added, removed);
    if (!l.reported && l.visible > 0 && !local && frame.receivedAt > 0) {
      l.reported = true;
      this.fitPending = true;
    }
    this.framesApplied++;
  }

  /** Colour, opacity, load and mark of one slot into the node mesh's arrays. */
  private styleSlot(l: Layer, slot: number): void {
    const code = l.states[slot]!;
    const c = stateColor(code, l.color);
    const o = 4 * slot;
    l.style[o] = (c >> 16) & 255;
    l.style[o + 1] = (c >> 8) & 255;
    l.style[o + 2] = c & 255;
    l.style[o + 3] = l.alive[slot] ? (l.dim[slot] ? DIMMED_ALPHA : 255) : 0;
    l.meta[o] = Math.round((Math.min(100, l.load[slot]!) / 100) * 255);
    const id = l.ids[slot]!;
    l.meta[o + 1] = nodeMark(l.lost.has(id), code, l.connection === 'STALE', l.pinned.has(id));
    l.meta[o + 2] = 255;
  }

  private applyEvent(ev: PlaneEvent, now: number): void {
    const t = ev.type;
    const p = ev.payload;
    if (t === 'message.sent' || t === 'message.failed' || t === 'message.dropped' || t === 'message.expired') {
      const m = MessagePayloadSchema.safeParse(p);
      if (m.success) this.addMessage(ev.plane, t, m.data, now);
    } else if (t === 'message.flow.stats') {
      const s = FlowStatsPayloadSchema.safeParse(p);
      if (s.success) this.applyFlowStats(this.layer(ev.plane), s.data, now);
    } else if (t === 'coordination.initiated') {
      const c = CoordinationInitiatedSchema.safeParse(p);
      if (c.success) this.rounds.initiated(ev.plane, c.data.coordinationId, c.data.pattern, c.data.initiator?.id, c.data.participants, now);
    } else if (t === 'coordination.progress') {
      const c = CoordinationProgressSchema.safeParse(p);
      if (c.success) this.rounds.progress(ev.plane, c.data.coordinationId, c.data.votes, c.data.status, c.data.result, now);
    } else if (t.startsWith('coordination.') && /completed|failed|timeout|ended|cancelled/.test(t)) {
      const c = CoordinationEndSchema.safeParse(p);
      if (c.success) this.rounds.end(ev.plane, c.data.coordinationId, c.data.result ?? c.data.status ?? t.slice('coordination.'.length), now);
    } else if (t === 'client.agent_lost' || t === 'client.agent_recovered') {
      const a = AgentRefPayloadSchema.safeParse(p);
      const id = a.success ? agentNumber(a.data.agentId) : null;
      if (id === null) return;
      const l = this.layer(ev.plane);
      if (t === 'client.agent_lost') {
        if (l.lost.size < MAX_SLOTS) l.lost.add(id);
      } else l.lost.delete(id);
      const slot = l.slotOf.get(id);
      if (slot !== undefined) {
        this.styleSlot(l, slot);
        l.styleDirty = true;
      }
    } else if ('namespace' in p || 'metadata' in p) {
      const h = NamespaceHintSchema.safeParse(p);
      const ns = h.success ? (h.data.namespace ?? h.data.metadata?.namespace) : undefined;
      if (h.success && ns !== undefined) this.learnGroup(this.layer(ev.plane), h.data.agentId, ns);
    }
  }

  private learnGroup(l: Layer, agent: string, ns: string): void {
    const id = agentNumber(agent);
    if (id === null || l.agentGroup.get(id) === ns) return;
    if (!l.agentGroup.has(id) && l.agentGroup.size >= MAX_SLOTS) return;
    l.agentGroup.set(id, ns);
    const slot = l.slotOf.get(id);
    if (slot !== undefined) l.groupOf[slot] = this.groupIndex(l, ns);
    if (l.positioned === false && l.inLayout.has(id)) this.post({ type: 'group', plane: l.plane, id, group: ns });
  }

  private groupIndex(l: Layer, name: string): number {
    let g = l.groups.get(name);
    if (g === undefined) {
      if (l.groupNames.length >= SCENE_MAX_GROUPS) return l.groupNames.length - 1;
      g = l.groupNames.length;
      l.groups.set(name, g);
      l.groupNames.push(name);
      if (l.groupSum.length < 3 * (g + 1)) {
        const s = new Float64Array(3 * (g + 1) * 2);
        s.set(l.groupSum);
        l.groupSum = s;
        const c = new Float32Array(2 * (g + 1) * 2);
        c.set(l.groupCentre);
        l.groupCentre = c;
      }
    }
    return g;
  }

  // ------------------------------------------------------------------ flows and messages

  private applyFlowStats(l: Layer, s: FlowStatsPayload, now: number): void {
    const ends = resolveFlowId(
      s.flowId,
      (name) => {
        const id = agentNumber(name);
        return id !== null && l.slotOf.has(id) ? id : null;
      },
      (name) => l.groups.has(name),
    );
    if (!ends) {
      if (l.pendingFlows.size < MAX_PENDING_FLOWS || l.pendingFlows.has(s.flowId)) l.pendingFlows.set(s.flowId, s);
      return;
    }
    l.pendingFlows.delete(s.flowId);
    if (ends.from.kind === 'group' || ends.to.kind === 'group') l.hasGroupFlows = true;
    const grew = l.flows.n;
    const k = l.flows.update(s.flowId, ends, (name) => this.groupIndex(l, name), s.statistics, now);
    if (k >= 0 && l.flows.n > grew) this.uploadFlowArrays(l);
  }

  private uploadFlowArrays(l: Layer): void {
    const f = l.flows;
    upload(l.flowMesh.ends, f.ends, 0);
    upload(l.flowMesh.color, f.color, 0);
    upload(l.flowMesh.meta, f.meta, 0);
  }

  addMessage(plane: string, type: string, m: { from: { id: string; namespace?: string }; to: { id: string; namespace?: string }[]; messageType?: string; priority?: string; status?: string; success?: boolean; error?: unknown }, now: number): void {
    const l = this.layer(plane);
    if (m.from.namespace) this.learnGroup(l, m.from.id, m.from.namespace);
    const from = agentNumber(m.from.id);
    const failed = messageFailed(type, m);
    const color = particleColor(m.messageType, failed);
    const look = particleLook(m.priority, failed);
    for (const t of m.to) {
      if (t.namespace) this.learnGroup(l, t.id, t.namespace);
      const to = agentNumber(t.id);
      if (from === null || to === null) continue;
      const a = l.slotOf.get(from), b = l.slotOf.get(to);
      if (a === undefined || b === undefined) continue;
      this.particles.add(l.index, from, a, to, b, color, look.sizePx, look.shape, now);
    }
  }

  // ------------------------------------------------------------------ local layout

  private setPositioned(l: Layer, positioned: boolean): void {
    const wasLocal = l.positioned === false;
    l.positioned = positioned;
    if (positioned && wasLocal) {
      this.post({ type: 'drop', plane: l.plane });
      l.inLayout.clear();
      l.reported = false;
    }
    if (!positioned) {
      // Agents already drawn join the layout.
      const ids: number[] = [];
      for (let s = 0; s < l.slotCount; s++) if (l.alive[s]) ids.push(l.ids[s]!);
      if (ids.length) this.syncLayout(l, ids, []);
    }
  }

  private syncLayout(l: Layer, added: number[], removed: number[]): void {
    if (removed.length) {
      for (const id of removed) {
        l.inLayout.delete(id);
        l.pinned.delete(id);
      }
      this.post({ type: 'remove', plane: l.plane, ids: Uint32Array.from(removed) });
    }
    const fresh = added.filter((id) => !l.inLayout.has(id));
    if (fresh.length) {
      for (const id of fresh) l.inLayout.add(id);
      this.post({ type: 'add', plane: l.plane, ids: Uint32Array.from(fresh), groups: fresh.map((id) => l.agentGroup.get(id) ?? null) });
    }
  }

  private post(m: ToLayout): void {
    if (!this.worker) {
      if (m.type !== 'add') return;
      this.worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<LayoutPositions>) => this.applyLayout(e.data);
    }
    this.worker.postMessage(m);
  }

  private applyLayout(m: LayoutPositions): void {
    const l = this.layers.get(m.plane);
    if (!l || l.positioned !== false) return;
    const now = performance.now();
    for (let i = 0; i < m.ids.length; i++) {
      const id = m.ids[i]!;
      const slot = l.slotOf.get(id);
      if (slot === undefined || l.pinned.has(id)) continue;
      l.kin.report(slot, m.xy[2 * i]!, m.xy[2 * i + 1]!, 0, 0, now);
    }
    l.layoutAlpha = m.alpha;
    if (!l.reported && l.visible > 0) {
      l.reported = true;
      this.fitPending = true;
    } else if (!this.userMoved && m.alpha > 0.05) this.fitPending = true;
  }

  pin(ref: AgentRef, x: number, y: number): void {
    const l = this.layers.get(ref.plane);
    const slot = l?.slotOf.get(ref.id);
    if (!l || slot === undefined || l.positioned !== false) return;
    l.pinned.add(ref.id);
    l.kin.place(slot, x, y, performance.now());
    this.styleSlot(l, slot);
    l.styleDirty = true;
    this.post({ type: 'pin', plane: l.plane, id: ref.id, x, y });
  }

  unpin(ref: AgentRef): void {
    const l = this.layers.get(ref.plane);
    if (!l || !l.pinned.delete(ref.id)) return;
    const slot = l.slotOf.get(ref.id);
    if (slot !== undefined) {
      this.styleSlot(l, slot);
      l.styleDirty = true;
    }
    this.post({ type: 'unpin', plane: l.plane, id: ref.id });
  }

  // ------------------------------------------------------------------ search, camera

  setMatches(matches: readonly AgentRef[] | null): void {
    const by = new Map<string, Set<number>>();
    for (const m of matches ?? []) {
      let s = by.get(m.plane);
      if (!s) by.set(m.plane, (s = new Set()));
      s.add(m.id);
    }
    for (const l of this.layerList) {
      l.matches = matches === null ? null : (by.get(l.plane) ?? new Set());
      for (let slot = 0; slot < l.slotCount; slot++) {
        if (!l.alive[slot]) continue;
        l.dim[slot] = l.matches !== null && !l.matches.has(l.ids[slot]!) ? 1 : 0;
        l.style[4 * slot + 3] = l.dim[slot] ? DIMMED_ALPHA : 255;
      }
      l.styleDirty = true;
    }
  }

  highlightFlow(plane: string, flowId: string | null): void {
    for (const l of this.layerList) l.flows.highlight(l.plane === plane ? flowId : null);
  }

  fitAll(): void {
    this.fitTo(this.layerList.filter((l) => l.group.visible));
    this.follow = null;
  }

  focusPlane(plane: string): void {
    const l = this.layers.get(plane);
    if (l) this.fitTo([l]);
    this.follow = null;
  }

  focusAgent(ref: AgentRef, follow: boolean): void {
    this.follow = follow ? ref : null;
    this.userMoved = true;
    const p = this.worldOf(ref);
    if (!p) return;
    this.camera.centreOn(p.x, p.y);
    if (this.camera.relativeZoom < 4) this.camera.zoom = this.camera.fitZoom * 4;
  }

  private worldOf(ref: AgentRef): { x: number; y: number } | null {
    const l = this.layers.get(ref.plane);
    const slot = l?.slotOf.get(ref.id);
    if (!l || slot === undefined) return null;
    return { x: l.kin.xy[2 * slot]!, y: l.kin.xy[2 * slot + 1]! };
  }

  private boundsOf(layers: Layer[]): Bounds | null {
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

  private fitTo(layers: Layer[]): void {
    const b = this.boundsOf(layers);
    if (!b) return;
    this.camera.setViewport(this.app.screen.width, this.app.screen.height);
    this.camera.fit(b);
    this.miniBounds = b;
    this.miniBoundsAt = performance.now();
  }

  screenOf(plane: string, id: number): { x: number; y: number } | null {
    const l = this.layers.get(plane);
    if (!l || !l.group.visible) return null;
    const p = this.worldOf({ plane, id });
    return p ? { x: this.camera.worldToScreenX(p.x), y: this.camera.worldToScreenY(p.y) } : null;
  }

  /** The agent drawn under screen point (sx, sy): nearest within its radius plus a few pixels; on a tie the plane drawn on top. */
  pick(sx: number, sy: number): AgentRef | null {
    const now = performance.now();
    const cam = this.camera;
    const wx = cam.screenToWorldX(sx), wy = cam.screenToWorldY(sy);
    const reach = (nodeRadiusPx(cam.relativeZoom, this.agentsShown) * 1.6 + PICK_SLACK_PX) / cam.zoom;
    let best: AgentRef | null = null;
    let bestD = Infinity;
    for (const l of this.layerList) {
      if (!l.group.visible || l.visible === 0) continue;
      if (l.spatial.stale(now)) l.spatial.build(l.kin.xy, l.slotCount, (s) => l.alive[s] === 1, now);
      // Nodes moved since the index was built: widen the query, then judge by live positions.
      const candidates = l.spatial.within(wx, wy, reach * 3);
      const hit = nearestSlot(candidates, l.kin.xy, wx, wy, reach);
      if (hit.slot >= 0 && hit.d2 <= bestD) {
        bestD = hit.d2;
        best = { plane: l.plane, id: l.ids[hit.slot]! };
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ export

  async exportPng(): Promise<Blob> {
    this.onTick(performance.now());
    this.app.render();
    // Read in the same task as the render: the drawing buffer is still intact.
    const url = this.app.canvas.toDataURL('image/png');
    const bin = atob(url.slice(url.indexOf(',') + 1));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: 'image/png' });
  }

  exportGraph(): GraphExport {
    const now = performance.now();
    const out: GraphExport = { format: 'swarmdeck.graph', version: 1, exportedAt: new Date().toISOString(), planes: [], nodes: [], flows: [] };
    for (const l of this.layerList) {
      out.planes.push({ plane: l.plane, color: l.color, layout: l.positioned === false ? 'local' : 'plane' });
      for (let s = 0; s < l.slotCount; s++) {
        if (!l.alive[s]) continue;
        const id = l.ids[s]!;
        const g = l.groupOf[s]!;
        out.nodes.push({
          plane: l.plane,
          id,
          label: agentLabel(id),
          x: l.kin.xy[2 * s]!,
          y: l.kin.xy[2 * s + 1]!,
          state: l.states[s]!,
          stateName: stateName(l.states[s]!),
          load: Math.min(100, l.load[s]!),
          lost: l.lost.has(id),
          pinned: l.pinned.has(id),
          group: g >= 0 ? l.groupNames[g]! : null,
        });
      }
      for (let k = 0; k < l.flows.n; k++) out.flows.push({ plane: l.plane, ...l.flows.record(k, now) });
    }
    return out;
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
    this.tooltip?.remove();
    this.app.destroy(true, { children: true, texture: true });
  }

  // ------------------------------------------------------------------ layers

  private layer(plane: string): Layer {
    const existing = this.layers.get(plane);
    if (existing) return existing;
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
    const flowMesh = new FlowMesh(flows.ends, flows.color, flows.meta);
    const group = new Container();
    group.addChild(flowMesh.mesh, nodes.mesh);
    const l: Layer = {
      plane,
      index: this.layerList.length,
      color: 0xffffff,
      connection: '',
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
      flowMesh,
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
    this.layers.set(plane, l);
    this.layerList.push(l);
    this.planeLayer.addChild(group);
    this.miniWorld.addChild(mini);
    return l;
  }

  private ensureSlots(l: Layer, n: number): void {
    if (n <= l.cap) return;
    l.kin.ensure(n);
    const cap = l.kin.capacity;
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Int16Array>(a: T, per = 1, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      if (fill) b.fill(fill);
      b.set(a);
      return b;
    };
    l.ids = g(l.ids);
    l.states = g(l.states);
    l.load = g(l.load);
    l.alive = g(l.alive);
    l.dim = g(l.dim);
    l.groupOf = g(l.groupOf, 1, -1);
    l.style = g(l.style, 4);
    l.meta = g(l.meta, 4);
    l.cap = cap;
    upload(l.nodes.pos, l.kin.xy, 0);
    upload(l.nodes.style, l.style, 0);
    upload(l.nodes.meta, l.meta, 0);
  }

  // ------------------------------------------------------------------ per tick

  private onTick(now: number): void {
    const t0 = performance.now();
    this.ticks++;
    const cam = this.camera;
    cam.setViewport(this.app.screen.width, this.app.screen.height);
    if (this.fitPending) {
      this.fitPending = false;
      this.fitTo(this.layerList.filter((l) => l.group.visible));
    }
    // Positions first: the camera may follow an agent.
    for (const l of this.layerList) l.kin.advance(l.slotCount, now);
    if (this.follow) {
      const p = this.worldOf(this.follow);
      if (p) cam.centreOn(p.x, p.y);
    }
    this.world.scale.set(cam.zoom);
    this.world.position.set(cam.width / 2 - cam.x * cam.zoom, cam.height / 2 - cam.y * cam.zoom);
    const rz = cam.relativeZoom;
    let agents = 0;
    for (const l of this.layerList) if (l.group.visible) agents += l.visible;
    this.agentsShown = agents;
    const rpx = nodeRadiusPx(rz, agents);
    const radius = rpx / cam.zoom;
    const ring = rpx >= RING_MIN_RADIUS_PX ? 1 : 0;
    const pixel = 1 / cam.zoom;
    const fade = now - this.fadedAt > FADE_REFRESH_MS;
    if (fade) this.fadedAt = now;
    let flowsTotal = 0;
    for (const l of this.layerList) flowsTotal += l.flows.n;
    const density = flowDensityAlpha(flowsTotal, rz);
    const hair = flowHairline(flowsTotal, rz) ? 1 : 0;
    for (const l of this.layerList) {
      const u = l.nodes.uniforms.uniforms;
      u.uRadius = radius;
      u.uPixel = pixel;
      u.uRing = ring;
      l.nodes.geometry.instanceCount = l.slotCount;
      upload(l.nodes.pos, l.kin.xy, 8 * l.slotCount);
      if (l.styleDirty) {
        upload(l.nodes.style, l.style, 4 * l.slotCount);
        upload(l.nodes.meta, l.meta, 4 * l.slotCount);
        l.styleDirty = false;
      }
      if (fade && l.flows.n && l.flows.fade(now)) this.uploadFlowArrays(l);
      l.flowMesh.uniforms.uniforms.uHair = hair;
      this.drawFlows(l, density, pixel);
    }
    this.drawParticles(now, pixel);
    this.drawOverlay(now);
    this.drawLabels(now);
    this.drawMinimap(now);
    this.lastUpdateMs = performance.now() - t0;
    if (this.afterRender.size) {
      const fns = [...this.afterRender];
      this.afterRender.clear();
      requestAnimationFrame(() => fns.forEach((f) => f()));
    }
  }

  /** Writes each flow's ends (agents' drawn positions or group centres) and opacity. */
  private drawFlows(l: Layer, density: number, pixel: number): void {
    const f = l.flows;
    l.flowMesh.uniforms.uniforms.uPixel = pixel;
    l.flowMesh.geometry.instanceCount = f.n;
    if (f.n === 0) return;
    if (l.hasGroupFlows) this.groupCentres(l);
    const xy = l.kin.xy, ends = f.ends, color = f.color, gc = l.groupCentre;
    const searching = l.matches !== null;
    for (let k = 0; k < f.n; k++) {
      let ok = true;
      // During a search a flow stays lit only when one of its agent ends matches.
      let lit = !searching;
      let s = f.fromSlot[k]!;
      if (f.fromKind[k] === END_AGENT) {
        if (s < 0 || l.ids[s] !== f.fromRef[k] || !l.alive[s]) f.fromSlot[k] = s = l.slotOf.get(f.fromRef[k]!) ?? -1;
        if (s >= 0) {
          ends[4 * k] = xy[2 * s]!;
          ends[4 * k + 1] = xy[2 * s + 1]!;
          if (!l.dim[s]) lit = true;
        } else ok = false;
      } else {
        const g = f.fromRef[k]!;
        ends[4 * k] = gc[2 * g]!;
        ends[4 * k + 1] = gc[2 * g + 1]!;
      }
      s = f.toSlot[k]!;
      if (f.toKind[k] === END_AGENT) {
        if (s < 0 || l.ids[s] !== f.toRef[k] || !l.alive[s]) f.toSlot[k] = s = l.slotOf.get(f.toRef[k]!) ?? -1;
        if (s >= 0) {
          ends[4 * k + 2] = xy[2 * s]!;
          ends[4 * k + 3] = xy[2 * s + 1]!;
          if (!l.dim[s]) lit = true;
        } else ok = false;
      } else {
        const g = f.toRef[k]!;
        ends[4 * k + 2] = gc[2 * g]!;
        ends[4 * k + 3] = gc[2 * g + 1]!;
      }
      color[4 * k + 3] = ok ? (f.alpha[k]! * (k === f.highlighted ? 1 : density) * (lit || k === f.highlighted ? 1 : DIMMED_FACTOR) * 255) | 0 : 0;
    }
    upload(l.flowMesh.ends, ends, 16 * f.n);
    upload(l.flowMesh.color, color, 4 * f.n);
    if (f.metaDirty) {
      upload(l.flowMesh.meta, f.meta, 4 * f.n);
      f.metaDirty = false;
    }
  }

  /** Centre of each group: the mean drawn position of its agents. */
  private groupCentres(l: Layer): void {
    const sum = l.groupSum, xy = l.kin.xy, groupOf = l.groupOf, alive = l.alive;
    sum.fill(0);
    for (let s = 0; s < l.slotCount; s++) {
      const g = groupOf[s]!;
      if (g < 0 || !alive[s]) continue;
      sum[3 * g] = sum[3 * g]! + xy[2 * s]!;
      sum[3 * g + 1] = sum[3 * g + 1]! + xy[2 * s + 1]!;
      sum[3 * g + 2] = sum[3 * g + 2]! + 1;
    }
    for (let g = 0; g < l.groupNames.length; g++) {
      const n = sum[3 * g + 2]!;
      l.groupCentre[2 * g] = n ? sum[3 * g]! / n : 0;
      l.groupCentre[2 * g + 1] = n ? sum[3 * g + 1]! / n : 0;
    }
  }

  private drawParticles(now: number, pixel: number): void {
    const p = this.particles;
    const mesh = this.particleMesh!;
    p.expire(now);
    for (let k = 0; k < p.n; k++) {
      const l = this.layerList[p.layer[k]!]!;
      let a = p.fromSlot[k]!, b = p.toSlot[k]!;
      if (l.ids[a] !== p.fromId[k] || !l.alive[a]) a = p.fromSlot[k] = l.slotOf.get(p.fromId[k]!) ?? -1;
      if (l.ids[b] !== p.toId[k] || !l.alive[b]) b = p.toSlot[k] = l.slotOf.get(p.toId[k]!) ?? -1;
      if (a < 0 || b < 0 || !l.group.visible) {
        p.color[4 * k + 3] = 0;
        continue;
      }
      const t = (now - p.born[k]!) / PARTICLE_MS;
      const e = t * t * (3 - 2 * t);
      const xy = l.kin.xy;
      p.pos[2 * k] = xy[2 * a]! + (xy[2 * b]! - xy[2 * a]!) * e;
      p.pos[2 * k + 1] = xy[2 * a + 1]! + (xy[2 * b + 1]! - xy[2 * a + 1]!) * e;
      const fadeOut = t > 0.85 ? 1 - (t - 0.85) / 0.15 : 1;
      p.color[4 * k + 3] = (fadeOut * (l.dim[a] && l.dim[b] ? DIMMED_FACTOR : 1) * 255) | 0;
    }
    mesh.uniforms.uniforms.uPixel = pixel;
    mesh.geometry.instanceCount = p.n;
    upload(mesh.pos, p.pos, 8 * p.n);
    upload(mesh.color, p.color, 4 * p.n);
    upload(mesh.meta, p.meta, 4 * p.n);
  }

  /** Selection, coordination rounds (participants, votes, outcome). Few shapes: one Graphics. */
  private drawOverlay(now: number): void {
    const g = this.overlay;
    g.clear();
    const cam = this.camera;
    const px = 1 / cam.zoom;
    const r = nodeRadiusPx(cam.relativeZoom, this.agentsShown) * px;
    this.rounds.expire(now);
    let outcomes = 0;
    for (const round of this.rounds.rounds.values()) {
      const l = this.layers.get(round.plane);
      if (!l || !l.group.visible) continue;
      const ended = round.outcome !== null;
      const ringColor = ended ? (/reject|fail|timeout/i.test(round.outcome!) ? 0xf85149 : 0x3fb950) : ROUND_COLOR;
      const ini = round.initiator === null ? null : this.worldOf({ plane: round.plane, id: round.initiator });
      // A search fades the marks of agents it does not match, as it fades the agents.
      const fade = (id: number | null): number => {
        const slot = id === null || l.matches === null ? undefined : l.slotOf.get(id);
        return slot !== undefined && l.dim[slot] ? DIMMED_FACTOR : 1;
      };
      const iniFade = fade(round.initiator);
      for (const [id, role] of round.participants) {
        const p = this.worldOf({ plane: round.plane, id });
        if (!p) continue;
        const f = fade(id);
        if (ini) g.moveTo(ini.x, ini.y).lineTo(p.x, p.y).stroke({ width: px, color: ringColor, alpha: 0.45 * Math.max(f, iniFade) });
        g.circle(p.x, p.y, r * 2.1).stroke({ width: 2 * px, color: ringColor, alpha: (role === 'observer' ? 0.5 : 0.95) * f });
        const v = round.votes.get(id);
        if (v) {
          const pulse = now - v.at < VOTE_PULSE_MS ? 1.6 - (now - v.at) / VOTE_PULSE_MS * 0.6 : 1;
          const c = VOTE_COLORS[v.vote.toLowerCase()];
          const bx = p.x + r * 1.7, by = p.y - r * 1.7;
          if (c === undefined) g.circle(bx, by, 3 * px * pulse).stroke({ width: px, color: 0x8b949e, alpha: f });
          else g.circle(bx, by, 3.5 * px * pulse).fill({ color: c, alpha: f });
        }
      }
      if (ini) g.circle(ini.x, ini.y, r * 2.8).stroke({ width: 3.5 * px, color: ringColor, alpha: iniFade });
      if (ended && ini && outcomes < 8) {
        const t = this.outcomeText(outcomes++);
        t.text = `${round.pattern.toLowerCase()} ${round.outcome!.toLowerCase()}`;
        t.tint = ringColor;
        t.position.set(cam.worldToScreenX(ini.x) + 14, cam.worldToScreenY(ini.y) - 26);
        t.visible = true;
      }
    }
    for (let i = outcomes; i < this.outcomeTexts.length; i++) this.outcomeTexts[i]!.visible = false;
    const sel = this.selected;
    const p = sel ? this.worldOf(sel) : null;
    if (sel && p && this.layers.get(sel.plane)!.group.visible) g.circle(p.x, p.y, r * 2.4).stroke({ width: 3 * px, color: 0xffffff, alpha: 0.95 });
  }

  private outcomeText(i: number): BitmapText {
    while (this.outcomeTexts.length <= i) {
      const t = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 13, fill: 0xffffff, fontWeight: 'bold' } });
      this.outcomeTexts.push(t);
      this.screenLayer.addChild(t);
    }
    return this.outcomeTexts[i]!;
  }

  /** Labels when zoomed in enough, at most one per screen cell and never more than the screen holds. */
  private drawLabels(now: number): void {
    const cam = this.camera;
    const show = labelsShown(cam.relativeZoom);
    if (!show) {
      this.labelSlots.length = 0;
    } else if (now - this.labelsChosenAt > LABEL_REFRESH_MS) {
      this.labelsChosenAt = now;
      this.chooseLabels(now);
    }
    const rpx = nodeRadiusPx(cam.relativeZoom, this.agentsShown);
    let n = 0;
    for (const { layer: l, slot } of this.labelSlots) {
      if (!l.alive[slot] || !l.group.visible) continue;
      const key = l.index * 4294967296 + l.ids[slot]!;
      const t = this.labelAt(n);
      if (this.labelKeys[n] !== key) {
        this.labelKeys[n] = key;
        t.text = agentLabel(l.ids[slot]!);
      }
      t.position.set(cam.worldToScreenX(l.kin.xy[2 * slot]!) + rpx * 1.6 + 2, cam.worldToScreenY(l.kin.xy[2 * slot + 1]!) - 7);
      t.alpha = l.dim[slot] ? 0.3 : 1;
      t.visible = true;
      n++;
    }
    for (let i = n; i < this.labelCount; i++) this.labels[i]!.visible = false;
    this.labelCount = n;
  }

  private chooseLabels(now: number): void {
    const cam = this.camera;
    this.labelSlots.length = 0;
    const budget = labelBudget(cam.width, cam.height);
    const rpx = nodeRadiusPx(cam.relativeZoom, this.agentsShown);
    this.grid.reset(cam.width, cam.height);
    const offer = (l: Layer, slot: number): void => {
      if (this.labelSlots.length >= budget || !l.alive[slot]) return;
      const sx = cam.worldToScreenX(l.kin.xy[2 * slot]!), sy = cam.worldToScreenY(l.kin.xy[2 * slot + 1]!);
      if (this.grid.claim(sx + rpx * 1.6 + 2, sy - 7)) this.labelSlots.push({ layer: l, slot });
    };
    const sel = this.selected ? this.layers.get(this.selected.plane) : undefined;
    const selSlot = sel?.slotOf.get(this.selected!.id);
    if (sel && selSlot !== undefined) offer(sel, selSlot);
    const v = cam.visible(0);
    for (let i = this.layerList.length - 1; i >= 0; i--) {
      const l = this.layerList[i]!;
      if (!l.group.visible || l.visible === 0) continue;
      if (l.spatial.stale(now)) l.spatial.build(l.kin.xy, l.slotCount, (s) => l.alive[s] === 1, now);
      const inView = l.spatial.range(v.x0, v.y0, v.x1, v.y1);
      for (let k = 0; k < inView.length && this.labelSlots.length < budget; k++) offer(l, inView[k]!);
    }
  }

  private labelAt(i: number): BitmapText {
    while (this.labels.length <= i) {
      const t = new BitmapText({ text: '', style: { fontFamily: 'monospace', fontSize: 11, fill: 0xc9d1d9 } });
      this.labels.push(t);
      this.labelLayer.addChild(t);
      if (this.labelKeys.length < this.labels.length) {
        const k = new Float64Array(this.labels.length * 2).fill(-1);
        k.set(this.labelKeys);
        this.labelKeys = k;
      }
    }
    return this.labels[i]!;
  }

  /** The overview in the corner once zoomed in: the same node buffers through a second mesh, and the view's rectangle. */
  private drawMinimap(now: number): void {
    const cam = this.camera;
    const show = cam.relativeZoom >= MINIMAP_MIN_RELATIVE_ZOOM && this.layerList.some((l) => l.visible > 0);
    this.minimap.visible = show;
    if (!show) return;
    if (!this.miniBounds || now - this.miniBoundsAt > 1000) {
      this.miniBounds = this.boundsOf(this.layerList.filter((l) => l.group.visible)) ?? this.miniBounds;
      this.miniBoundsAt = now;
    }
    const b = this.miniBounds;
    if (!b) return;
    const pad = 8;
    const bw = Math.max(b.x1 - b.x0, 1e-9), bh = Math.max(b.y1 - b.y0, 1e-9);
    const s = Math.min((MINIMAP_W - 2 * pad) / bw, (MINIMAP_H - 2 * pad) / bh);
    const ox = cam.width - MINIMAP_W - 10, oy = cam.height - MINIMAP_H - 10;
    this.minimap.position.set(ox, oy);
    this.miniFrame.clear().rect(0, 0, MINIMAP_W, MINIMAP_H).fill({ color: 0x010409, alpha: 0.85 }).stroke({ width: 1, color: 0x30363d });
    this.miniWorld.scale.set(s);
    this.miniWorld.position.set(MINIMAP_W / 2 - ((b.x0 + b.x1) / 2) * s, MINIMAP_H / 2 - ((b.y0 + b.y1) / 2) * s);
    for (const l of this.layerList) {
      const u = l.miniUniforms.uniforms;
      u.uRadius = 1.2 / s;
      u.uPixel = 1 / s;
      u.uRing = 0; // dots only: at minimap size a ring hides the state colour
    }
    const v = cam.visible(0);
    const x0 = Math.max(0, MINIMAP_W / 2 + (v.x0 - (b.x0 + b.x1) / 2) * s), y0 = Math.max(0, MINIMAP_H / 2 + (v.y0 - (b.y0 + b.y1) / 2) * s);
    const x1 = Math.min(MINIMAP_W, MINIMAP_W / 2 + (v.x1 - (b.x0 + b.x1) / 2) * s), y1 = Math.min(MINIMAP_H, MINIMAP_H / 2 + (v.y1 - (b.y0 + b.y1) / 2) * s);
    this.miniView.clear();
    if (x1 > x0 && y1 > y0) this.miniView.rect(x0, y0, x1 - x0, y1 - y0).stroke({ width: 1.5, color: 0xffffff, alpha: 0.9 });
  }

  // ------------------------------------------------------------------ pointer

  private bindPointer(canvas: HTMLCanvasElement): void {
    const local = (e: MouseEvent): { x: number; y: number } => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const p = local(e);
        this.userMoved = true;
        this.camera.zoomAt(p.x, p.y, Math.exp(-e.deltaY * 0.0015));
      },
      { passive: false },
    );
    // A press that barely moves is a click (pick); on a locally laid-out node a drag moves and pins it; otherwise a pan.
    let press: { x: number; y: number; sx: number; sy: number; node: AgentRef | null; moved: boolean } | null = null;
    canvas.addEventListener('pointerdown', (e) => {
      const p = local(e);
      const hit = this.pick(p.x, p.y);
      const node = hit && this.layers.get(hit.plane)?.positioned === false ? hit : null;
      press = { x: p.x, y: p.y, sx: p.x, sy: p.y, node, moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      const p = local(e);
      if (!press) {
        this.hover(p.x, p.y);
        return;
      }
      if (!press.moved && Math.hypot(p.x - press.sx, p.y - press.sy) < 4) return;
      press.moved = true;
      if (press.node) {
        // The operator is arranging the view: stop re-fitting to the settling layout.
        this.userMoved = true;
        this.pin(press.node, this.camera.screenToWorldX(p.x), this.camera.screenToWorldY(p.y));
      } else {
        this.follow = null;
        this.userMoved = true;
        this.camera.panBy(p.x - press.x, p.y - press.y);
      }
      press.x = p.x;
      press.y = p.y;
    });
    canvas.addEventListener('pointerup', () => {
      if (press && !press.moved) this.pickListener?.(this.pick(press.sx, press.sy));
      press = null;
    });
    canvas.addEventListener('dblclick', (e) => {
      const p = local(e);
      const hit = this.pick(p.x, p.y);
      if (hit) this.unpin(hit);
    });
    canvas.addEventListener('pointerleave', () => {
      if (this.tooltip) this.tooltip.style.display = 'none';
    });
  }

  private makeTooltip(host: HTMLElement): void {
    const t = document.createElement('div');
    t.dataset.testid = 'graph-tooltip';
    Object.assign(t.style, {
      position: 'absolute',
      display: 'none',
      pointerEvents: 'none',
      background: 'rgba(1,4,9,0.92)',
      border: '1px solid #30363d',
      borderRadius: '4px',
      padding: '4px 6px',
      font: '11px monospace',
      color: '#c9d1d9',
      whiteSpace: 'pre',
      zIndex: '5',
    });
    host.appendChild(t);
    this.tooltip = t;
  }

  private hoverAt = 0;
  /** Tooltip for the agent or flow under the pointer (flows give their latency). */
  private hover(sx: number, sy: number): void {
    const t = this.tooltip;
    if (!t) return;
    const now = performance.now();
    if (now - this.hoverAt < 50) return;
    this.hoverAt = now;
    const text = this.describeAt(sx, sy);
    if (!text) {
      t.style.display = 'none';
      return;
    }
    t.textContent = text;
    t.style.left = `${sx + 14}px`;
    t.style.top = `${sy + 10}px`;
    t.style.display = 'block';
  }

  /** What the tooltip says at screen (sx, sy): an agent, else the nearest flow within a few pixels. */
  describeAt(sx: number, sy: number): string | null {
    const hit = this.pick(sx, sy);
    const cam = this.camera;
    if (hit) {
      const l = this.layers.get(hit.plane)!;
      const slot = l.slotOf.get(hit.id)!;
      const g = l.groupOf[slot]!;
      return `${agentLabel(hit.id)} · ${hit.plane}\n${stateName(l.states[slot]!)} · load ${l.load[slot]}%${g >= 0 ? ` · ${l.groupNames[g]}` : ''}${l.lost.has(hit.id) ? ' · LOST' : ''}${l.pinned.has(hit.id) ? ' · pinned' : ''}`;
    }
    const wx = cam.screenToWorldX(sx), wy = cam.screenToWorldY(sy);
    const reach = 5 / cam.zoom;
    let best: { l: Layer; k: number } | null = null;
    let bestD = reach * reach;
    for (const l of this.layerList) {
      if (!l.group.visible) continue;
      const e = l.flows.ends;
      // Flows are few next to agents on the screen where hovering them makes sense; bounded by SCENE_MAX_FLOWS.
      for (let k = 0; k < l.flows.n; k++) {
        if (l.flows.color[4 * k + 3] === 0) continue;
        const d = segmentDistance2(wx, wy, e[4 * k]!, e[4 * k + 1]!, e[4 * k + 2]!, e[4 * k + 3]!);
        if (d < bestD) {
          bestD = d;
          best = { l, k };
        }
      }
    }
    if (!best) return null;
    const r = best.l.flows.record(best.k, performance.now());
    const end = (x: typeof r.from): string => (x.kind === 'agent' ? agentLabel(x.id) : x.name);
    const lat = r.averageLatency === null ? 'latency ?' : `latency ${r.averageLatency.toFixed(1)} ms${r.minLatency !== null && r.maxLatency !== null ? ` (${r.minLatency}–${r.maxLatency})` : ''}`;
    return `${end(r.from)} → ${end(r.to)}\n${r.messageCount} msgs${r.ratePerSec !== null ? ` · ${r.ratePerSec.toFixed(1)}/s` : ''} · success ${r.successRate === null ? '?' : `${(r.successRate * 100).toFixed(0)}%`}\n${lat}`;
  }

  // ------------------------------------------------------------------ debug probes

  debug(): SceneDebug {
    return {
      probe: () => this.probe(),
      nodeWorld: (plane, id) => this.worldOf({ plane, id }),
      zoomAt: (sx, sy, factor) => {
        this.userMoved = true;
        this.camera.zoomAt(sx, sy, factor);
      },
      exportPng: async () => {
        const b = await this.exportPng();
        const bytes = new Uint8Array(await b.arrayBuffer());
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(s);
      },
      exportGraph: () => this.exportGraph(),
      flow: (plane, flowId) => this.flowProbe(plane, flowId),
      describeAt: (sx, sy) => this.describeAt(sx, sy),
      pin: (plane, id, x, y) => this.pin({ plane, id }, x, y),
      unpin: (plane, id) => this.unpin({ plane, id }),
      worldToScreen: (x, y) => ({ x: this.camera.worldToScreenX(x), y: this.camera.worldToScreenY(y) }),
      nodeReported: (plane, id) => {
        const l = this.layers.get(plane);
        const slot = l?.slotOf.get(id);
        return l && slot !== undefined ? { x: l.kin.reportedX(slot), y: l.kin.reportedY(slot) } : null;
      },
      particleSample: () => {
        const p = this.particles, now = performance.now();
        for (let k = 0; k < p.n; k++) {
          const t = (now - p.born[k]!) / PARTICLE_MS;
          if (t <= 0.15 || t >= 0.85 || p.color[4 * k + 3] === 0) continue;
          const l = this.layerList[p.layer[k]!]!;
          const a = p.fromSlot[k]!, b = p.toSlot[k]!;
          if (a < 0 || b < 0) continue;
          // Positions as of the last tick, like the particle's own.
          return { x: p.pos[2 * k]!, y: p.pos[2 * k + 1]!, t, from: { x: l.kin.xy[2 * a]!, y: l.kin.xy[2 * a + 1]! }, to: { x: l.kin.xy[2 * b]!, y: l.kin.xy[2 * b + 1]! } };
        }
        return null;
      },
    };
  }

  private flowProbe(plane: string, flowId: string): FlowProbe | null {
    const l = this.layers.get(plane);
    const k = l ? l.flows.indexOf(flowId) : -1;
    if (!l || k < 0) return null;
    const f = l.flows;
    const r = f.record(k, performance.now());
    return {
      ...r,
      widthPx: (f.meta[4 * k]! / 255) * 8,
      color: hex((f.color[4 * k]! << 16) | (f.color[4 * k + 1]! << 8) | f.color[4 * k + 2]!),
      alpha: f.color[4 * k + 3]! / 255,
      ends: [f.ends[4 * k]!, f.ends[4 * k + 1]!, f.ends[4 * k + 2]!, f.ends[4 * k + 3]!],
    };
  }

  private probe(): SceneProbe {
    let flows = 0, refused = 0, pending = 0;
    for (const l of this.layerList) {
      if (!l.group.visible) continue;
      for (let k = 0; k < l.flows.n; k++) if (l.flows.color[4 * k + 3]! > 0) flows++;
      refused += l.flows.refused;
      pending += l.pendingFlows.size;
    }
    const highlighted: AgentRef[] = [];
    let votes = 0;
    const outcomes: string[] = [];
    for (const r of this.rounds.rounds.values()) {
      for (const id of r.participants.keys()) highlighted.push({ plane: r.plane, id });
      if (r.initiator !== null && !r.participants.has(r.initiator)) highlighted.push({ plane: r.plane, id: r.initiator });
      for (const v of r.votes.values()) if (v.vote !== 'pending') votes++;
      if (r.outcome !== null) outcomes.push(r.outcome);
    }
    let inFlight = 0;
    for (let k = 0; k < this.particles.n; k++) if (this.particles.color[4 * k + 3]! > 0) inFlight++;
    return {
      flows,
      flowsRefused: refused,
      flowsUnresolved: pending,
      particles: inFlight,
      particlesReplaced: this.particles.replaced,
      labels: this.labelCount,
      highlighted,
      votes,
      outcomes,
      roundsEvicted: this.rounds.evicted,
      camera: { x: this.camera.x, y: this.camera.y, zoom: this.camera.zoom, fitZoom: this.camera.fitZoom },
      localPlanes: this.layerList.filter((l) => l.positioned === false).map((l) => l.plane),
      pinned: this.layerList.flatMap((l) => [...l.pinned].map((id) => ({ plane: l.plane, id }))),
      minimap: this.minimap.visible,
      selected: this.selected,
      ticks: this.ticks,
      updateMs: this.lastUpdateMs,
    };
  }
}

function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
  const x = ax + t * dx - px, y = ay + t * dy - py;
  return x * x + y * y;
}
