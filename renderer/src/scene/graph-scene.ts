// The graph, drawn with pixi.js v8 (WebGL). Agents are particles of one
// ParticleContainer per plane, indexed by the store's slot, so a frame is
// applied by walking its typed arrays: no object per agent per frame. Each
// message.sent becomes a short-lived edge with a pulse travelling along it.

// pixi generates shader sync code with new Function unless this polyfill is
// loaded; with it the app runs under a CSP without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, Container, Graphics, Particle, ParticleContainer, type Texture } from 'pixi.js';
import type { FrameMessage, PlaneFrame } from '../../../electron/core/ipc/contract.js';
import { SLOT_EMPTY } from '../../../electron/core/model.js';
import { agentNumber, MessageSentPayloadSchema, type MessageSentPayload } from '../../../electron/core/protocol/events.js';
import type { SceneStats } from '../debug-api.js';
import type { AgentRef, GraphView } from './graph-view.js';
import { stateColor } from './palette.js';

const EDGE_LIFETIME_MS = 1500;
const NODE_RADIUS = 8;
/** World units visible across the shorter side of the view at zoom 1. */
const WORLD_SPAN = 1200;

interface PlaneLayer {
  group: Container;
  container: ParticleContainer;
  particles: Particle[];
  /** A ring in the plane's colour under each node: which plane an agent belongs to. */
  ringContainer: ParticleContainer;
  rings: Particle[];
  color: number;
  ids: Uint32Array;
  xy: Float32Array;
  slotCount: number;
  visible: number;
  /** Agent id → slot, kept in step with `ids` as slots change hands. */
  slotOf: Map<number, number>;
}

interface Edge {
  plane: string;
  from: number;
  to: number;
  born: number;
}


export class GraphScene implements GraphView {
  private readonly app = new Application();
  private readonly world = new Container();
  private readonly edgeLayer = new Graphics();
  private readonly planes = new Map<string, PlaneLayer>();
  private edges: Edge[] = [];
  private texture: Texture | null = null;
  private ringTexture: Texture | null = null;
  private framesApplied = 0;
  private zoom = 1;
  private pan = { x: 0, y: 0 };
  private readonly afterRender = new Set<() => void>();
  private readonly selection = new Graphics();
  private selected: { plane: string; id: number } | null = null;
  private pickListener: ((hit: { plane: string; id: number } | null) => void) | null = null;
  /** Per plane, the last event seq applied: a re-sent frame's events are not drawn twice. */
  private readonly lastEventSeq = new Map<string, number>();
  private matches: Set<string> | null = null;
  private follow: AgentRef | null = null;

  async init(host: HTMLElement): Promise<void> {
    await this.app.init({
      preference: 'webgl',
      background: 0x0d1117,
      antialias: true,
      resizeTo: host,
      autoDensity: true,
      resolution: window.devicePixelRatio || 1,
    });
    host.appendChild(this.app.canvas);
    const dot = new Graphics().circle(0, 0, 16).fill(0xffffff);
    this.texture = this.app.renderer.generateTexture(dot);
    dot.destroy();
    const ring = new Graphics().circle(0, 0, 16).stroke({ width: 5, color: 0xffffff });
    this.ringTexture = this.app.renderer.generateTexture(ring);
    ring.destroy();
    this.world.addChild(this.edgeLayer);
    this.world.addChild(this.selection);
    this.app.stage.addChild(this.world);
    this.app.ticker.add(() => this.onTick());
    this.bindCamera(this.app.canvas);
  }

  /** Runs `fn` once, after the next rendered frame (the renderer's acknowledgement point). */
  onceRendered(fn: () => void): void {
    this.afterRender.add(fn);
  }

  /** Called with the agent under a click (or null for empty space). */
  onPick(listener: (hit: { plane: string; id: number } | null) => void): void {
    this.pickListener = listener;
  }

  select(sel: { plane: string; id: number } | null): void {
    this.selected = sel;
  }

  /** The visible agent nearest to screen point (sx, sy) within a few node radii, or null. */
  pick(sx: number, sy: number): { plane: string; id: number } | null {
    const scale = this.world.scale.x;
    const wx = (sx - this.world.position.x) / scale;
    const wy = (sy - this.world.position.y) / scale;
    const reach = Math.max(NODE_RADIUS * 2, 12 / scale);
    let best: { plane: string; id: number } | null = null;
    let bestD = reach * reach;
    for (const [plane, l] of this.planes) {
      if (!l.group.visible) continue;
      for (let slot = 0; slot < l.slotCount; slot++) {
        if (!(l.particles[slot]!.alpha > 0)) continue;
        const dx = l.xy[2 * slot]! - wx, dy = l.xy[2 * slot + 1]! - wy;
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          bestD = d;
          best = { plane, id: l.ids[slot]! };
        }
      }
    }
    return best;
  }

  /** Canvas CSS-pixel position of an agent, or null when it is not drawn. */
  screenOf(plane: string, id: number): { x: number; y: number } | null {
    const l = this.planes.get(plane);
    const slot = l?.slotOf.get(id);
    if (!l || slot === undefined || !l.group.visible) return null;
    const s = this.world.scale.x;
    return { x: this.world.position.x + l.xy[2 * slot]! * s, y: this.world.position.y + l.xy[2 * slot + 1]! * s };
  }

  /** Shows or hides one plane's agents and edges. */
  setPlaneVisible(plane: string, visible: boolean): void {
    this.layer(plane).group.visible = visible;
  }

  stats(): SceneStats {
    let nodes = 0;
    for (const l of this.planes.values()) if (l.group.visible) nodes += l.visible;
    return { renderer: this.app.renderer.name, nodes, edges: this.edges.length, framesApplied: this.framesApplied };
  }

  applyPositions(frame: PlaneFrame, color: number): void {
    const layer = this.layer(frame.plane);
    const { ids, xy, states } = frame;
    const n = frame.slots ? frame.slots.length : frame.slotCount;
    if (color !== layer.color) {
      layer.color = color;
      for (const r of layer.rings) r.tint = color;
    }
    const scale = NODE_RADIUS / 16;
    while (layer.particles.length < frame.slotCount) {
      const p = new Particle({ texture: this.texture!, anchorX: 0.5, anchorY: 0.5, scaleX: scale, scaleY: scale, alpha: 0 });
      layer.particles.push(p);
      layer.container.addParticle(p);
      const r = new Particle({ texture: this.ringTexture!, anchorX: 0.5, anchorY: 0.5, scaleX: scale * 1.5, scaleY: scale * 1.5, alpha: 0, tint: color });
      layer.rings.push(r);
      layer.ringContainer.addParticle(r);
    }
    if (layer.ids.length < layer.particles.length) {
      const grown = new Uint32Array(layer.particles.length * 2);
      grown.set(layer.ids);
      layer.ids = grown;
      const gxy = new Float32Array(layer.particles.length * 4);
      gxy.set(layer.xy);
      layer.xy = gxy;
    }
    let visible = layer.visible;
    for (let k = 0; k < n; k++) {
      const slot = frame.slots ? frame.slots[k]! : k;
      const p = layer.particles[slot]!;
      const empty = states[k] === SLOT_EMPTY;
      const wasShown = p.alpha > 0;
      const id = ids[k]!;
      if (layer.ids[slot] !== id || empty !== !wasShown) {
        if (wasShown) layer.slotOf.delete(layer.ids[slot]!);
        if (!empty) layer.slotOf.set(id, slot);
        layer.ids[slot] = id;
      }
      const r = layer.rings[slot]!;
      if (empty) {
        if (wasShown) visible--;
        p.alpha = 0;
        r.alpha = 0;
        continue;
      }
      if (!wasShown) visible++;
      p.alpha = this.matches === null || this.matches.has(`${frame.plane}:${id}`) ? 1 : 0.15;
      r.alpha = 0.9;
      const x = xy[2 * k]!, y = xy[2 * k + 1]!;
      p.x = x;
      p.y = y;
      r.x = x;
      r.y = y;
      layer.xy[2 * slot] = x;
      layer.xy[2 * slot + 1] = y;
      p.tint = stateColor(states[k]!, color);
    }
    layer.visible = visible;
    layer.slotCount = Math.max(layer.slotCount, frame.slotCount);
    this.framesApplied++;
  }

  applyFrame(f: FrameMessage): void {
    const colors = new Map(f.planes.map((p) => [p.plane, p.color]));
    for (const pf of f.positions) this.applyPositions(pf, colors.get(pf.plane) ?? 0xffffff);
    const now = performance.now();
    for (const ev of f.events) {
      if (ev.seq <= (this.lastEventSeq.get(ev.plane) ?? -1)) continue;
      this.lastEventSeq.set(ev.plane, ev.seq);
      if (ev.type === 'message.sent') {
        const m = MessageSentPayloadSchema.safeParse(ev.payload);
        if (m.success) this.addMessage(ev.plane, m.data, now);
      }
    }
  }

  setMatches(matches: readonly AgentRef[] | null): void {
    this.matches = matches ? new Set(matches.map((m) => `${m.plane}:${m.id}`)) : null;
    for (const [plane, l] of this.planes) {
      for (let slot = 0; slot < l.slotCount; slot++) {
        const p = l.particles[slot]!;
        if (!(p.alpha > 0)) continue;
        p.alpha = this.matches === null || this.matches.has(`${plane}:${l.ids[slot]}`) ? 1 : 0.15;
      }
    }
  }

  highlightFlow(_plane: string, _flowId: string | null): void {
    // Persistent flows are not drawn yet (the scene issue); nothing to emphasise.
  }

  fitAll(): void {
    this.fitTo([...this.planes.keys()]);
  }

  focusPlane(plane: string): void {
    this.fitTo([plane]);
  }

  focusAgent(ref: AgentRef, follow: boolean): void {
    this.follow = follow ? ref : null;
    this.centreOn(ref);
  }

  private centreOn(ref: AgentRef): void {
    const l = this.planes.get(ref.plane);
    const slot = l?.slotOf.get(ref.id);
    if (!l || slot === undefined) return;
    const base = Math.min(this.app.screen.width, this.app.screen.height) / WORLD_SPAN;
    const s = base * this.zoom;
    this.pan = { x: -l.xy[2 * slot]! * s, y: -l.xy[2 * slot + 1]! * s };
  }

  private fitTo(planes: string[]): void {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of planes) {
      const l = this.planes.get(id);
      if (!l || !l.group.visible) continue;
      for (let slot = 0; slot < l.slotCount; slot++) {
        if (!(l.particles[slot]!.alpha > 0)) continue;
        const x = l.xy[2 * slot]!, y = l.xy[2 * slot + 1]!;
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
    if (!(x1 >= x0)) return;
    const w = this.app.screen.width, h = this.app.screen.height;
    const base = Math.min(w, h) / WORLD_SPAN;
    const span = Math.max(x1 - x0, y1 - y0, NODE_RADIUS * 8) * 1.1;
    this.zoom = Math.min(40, Math.max(0.1, Math.min(w, h) / (span * base)));
    const s = base * this.zoom;
    this.pan = { x: -((x0 + x1) / 2) * s, y: -((y0 + y1) / 2) * s };
    this.follow = null;
  }

  addMessage(plane: string, m: MessageSentPayload, now: number): void {
    const from = agentNumber(m.from.id);
    if (from === null) return;
    for (const t of m.to) {
      const to = agentNumber(t.id);
      if (to !== null) this.edges.push({ plane, from, to, born: now });
    }
  }

  destroy(): void {
    this.app.destroy(true, { children: true, texture: true });
  }

  private layer(plane: string): PlaneLayer {
    let l = this.planes.get(plane);
    if (!l) {
      const dynamicProperties = { position: true, color: true, vertex: false, rotation: false, uvs: false };
      const group = new Container();
      const ringContainer = new ParticleContainer({ dynamicProperties });
      const container = new ParticleContainer({ dynamicProperties });
      group.addChild(ringContainer, container);
      l = { group, container, particles: [], ringContainer, rings: [], color: 0xffffff, ids: new Uint32Array(0), xy: new Float32Array(0), slotCount: 0, visible: 0, slotOf: new Map() };
      this.planes.set(plane, l);
      this.world.addChild(group);
    }
    return l;
  }

  private onTick(): void {
    const now = performance.now();
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    if (this.follow) this.centreOn(this.follow);
    const scale = (Math.min(w, h) / WORLD_SPAN) * this.zoom;
    this.world.scale.set(scale);
    this.world.position.set(w / 2 + this.pan.x, h / 2 + this.pan.y);
    this.drawEdges(now);
    this.drawSelection();
    // Acknowledge after this tick's render has been queued.
    if (this.afterRender.size) {
      const fns = [...this.afterRender];
      this.afterRender.clear();
      requestAnimationFrame(() => fns.forEach((f) => f()));
    }
  }

  private drawEdges(now: number): void {
    const g = this.edgeLayer;
    g.clear();
    this.edges = this.edges.filter((e) => now - e.born < EDGE_LIFETIME_MS);
    for (const e of this.edges) {
      const l = this.planes.get(e.plane);
      if (!l || !l.group.visible) continue;
      const a = l.slotOf.get(e.from);
      const b = l.slotOf.get(e.to);
      if (a === undefined || b === undefined) continue;
      const ax = l.xy[2 * a]!, ay = l.xy[2 * a + 1]!, bx = l.xy[2 * b]!, by = l.xy[2 * b + 1]!;
      const t = (now - e.born) / EDGE_LIFETIME_MS;
      const alpha = 1 - t;
      g.moveTo(ax, ay).lineTo(bx, by).stroke({ width: 2, color: 0x58a6ff, alpha: 0.55 * alpha });
      // The pulse travels from sender to receiver over the edge's life.
      g.circle(ax + (bx - ax) * t, ay + (by - ay) * t, 4).fill({ color: 0xffffff, alpha });
    }
  }

  private drawSelection(): void {
    const g = this.selection;
    g.clear();
    const sel = this.selected;
    const l = sel ? this.planes.get(sel.plane) : undefined;
    const slot = sel && l ? l.slotOf.get(sel.id) : undefined;
    if (!l || slot === undefined || !l.group.visible) return;
    const r = NODE_RADIUS * 1.7;
    g.circle(l.xy[2 * slot]!, l.xy[2 * slot + 1]!, r).stroke({ width: 3 / this.world.scale.x, color: 0xffffff, alpha: 0.95 });
  }

  private bindCamera(canvas: HTMLCanvasElement): void {
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoom = Math.min(40, Math.max(0.1, this.zoom * Math.exp(-e.deltaY * 0.001)));
      },
      { passive: false },
    );
    // A press that barely moves is a click (pick an agent); otherwise a pan.
    let drag: { x: number; y: number; sx: number; sy: number } | null = null;
    canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX - this.pan.x, y: e.clientY - this.pan.y, sx: e.clientX, sy: e.clientY };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (drag) this.follow = null;
      if (drag) this.pan = { x: e.clientX - drag.x, y: e.clientY - drag.y };
    });
    canvas.addEventListener('pointerup', (e) => {
      if (drag && Math.hypot(e.clientX - drag.sx, e.clientY - drag.sy) < 4) {
        const rect = canvas.getBoundingClientRect();
        this.pickListener?.(this.pick(e.clientX - rect.left, e.clientY - rect.top));
      }
      drag = null;
    });
  }
}
