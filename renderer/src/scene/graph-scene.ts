// The graph, drawn with pixi.js v8 (WebGL). Per plane, nodes and persistent
// flows are each one instanced mesh over typed arrays indexed by the store's
// slot (plane-layer.ts, meshes.ts); message particles are one more mesh for
// all planes. A frame is applied by walking its typed arrays, and every tick
// dead-reckons positions (dead-reckoning.ts), gathers flow ends and particle
// positions into the instance arrays and uploads them in place: nothing is
// allocated per agent per frame. This file is the scene: it owns the planes
// and meshes and runs the draw loop; each plane in its own region of the world
// (plane-regions.ts; frames in region-frames.ts). The camera (camera.ts) is
// the one world ↔ screen mapping; around it sit the parts, each a file:
// pointer input (input.ts), hit-testing (picking.ts) and the tooltip, labels,
// the minimap, overlays (rounds, selection) and search fading, events
// (event-intake.ts), local layout of planes that send no positions
// (local-layout.ts, d3-force in layout.worker.ts), export and probes.

// pixi generates shader sync code with new Function unless this polyfill is
// loaded; with it the app runs under a CSP without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, Container } from 'pixi.js';
import type { FrameMessage, PlaneFrame, Round } from '@shared';
import { Camera } from './camera.js';
import { Rounds } from './coordination.js';
import { EventIntake } from './event-intake.js';
import { FlowIntake } from './flow-intake.js';
import type { GraphExport } from './export-schema.js';
import { END_AGENT } from './flows.js';
import { drawFlowLod, flowLodTotals } from './flow-draw.js';
import { canvasPng, graphExport } from './graph-export.js';
import type { AgentRef, GraphView } from './graph-view.js';
import { bindPointer } from './input.js';
import { Labels } from './labels.js';
import { LocalLayout } from './local-layout.js';
import { flowDensityAlpha, flowHairline, nodeRadiusPx, particleScale, RING_MIN_RADIUS_PX } from './lod.js';
import { ParticleMesh, upload } from './meshes.js';
import { Minimap } from './minimap.js';
import { NodeRaster, rasterShown } from './node-raster.js';
import { Overlays } from './overlays.js';
import { PARTICLE_MS, ParticlePool } from './particles.js';
import { pickAgent } from './picking.js';
import { applyStatus, createPlaneLayer, ensureSlots, planeFade, retireLayer, worldOf, writePositions, type PlaneLayer } from './plane-layer.js';
import type { SceneDebug, SceneStats } from './probe-types.js';
import { RegionFrames } from './region-frames.js';
import { sceneDebug } from './probes.js';
import { DIMMED_FACTOR, fadeToMatches } from './search-fade.js';
import { describeAt, Tooltip } from './tooltip.js';

/** Flow fades are refreshed this often. */
const FADE_REFRESH_MS = 250;

export interface GraphSceneOptions {
  /** Do not start pixi's ticker: the owner calls `frame()` (the render benchmark). */
  manual?: boolean;
}

export class GraphScene implements GraphView {
  private readonly app = new Application();
  private readonly camera = new Camera();
  private readonly world = new Container();
  private readonly planeLayer = new Container();
  private readonly screenLayer = new Container();
  private readonly labels = new Labels();
  private readonly minimap = new Minimap();
  private readonly raster = new NodeRaster();
  private readonly overlays = new Overlays(this.screenLayer);
  private readonly frames = new RegionFrames();
  private readonly layers = new Map<string, PlaneLayer>();
  private readonly layerList: PlaneLayer[] = [];
  private readonly particles = new ParticlePool();
  private particleMesh: ParticleMesh | null = null;
  private readonly rounds = new Rounds();
  private readonly layout = new LocalLayout(this.layers, (l, alpha) => this.placed(l, alpha));
  private readonly events = new EventIntake((plane) => this.layer(plane), this.particles, this.layout);
  private readonly flowIntake = new FlowIntake((plane) => this.layer(plane));
  private framesApplied = 0;
  private ticks = 0;
  private fadedAt = -Infinity;
  private readonly afterRender = new Set<() => void>();
  private selected: AgentRef | null = null;
  private pickListener: ((hit: AgentRef | null) => void) | null = null;
  private follow: AgentRef | null = null;
  /** The operator has moved the camera: local layouts stop re-fitting as they settle. */
  private userMoved = false;
  private fitPending = false;
  private tooltip: Tooltip | null = null;
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
    host.appendChild(this.app.canvas);
    this.particleMesh = new ParticleMesh(this.particles.pos, this.particles.color, this.particles.meta);
    this.world.addChild(this.frames.graphics, this.planeLayer, this.raster.sprite, this.particleMesh.mesh, this.overlays.graphics);
    this.screenLayer.addChild(this.frames.titles, this.labels.layer, this.minimap.container);
    this.app.stage.addChild(this.world, this.screenLayer);
    if (!this.options.manual) this.app.ticker.add(() => this.onTick(performance.now()));
    const cam = this.camera;
    bindPointer(this.app.canvas, {
      draggableAt: (sx, sy) => {
        const hit = this.pick(sx, sy);
        return hit && this.layers.get(hit.plane)?.positioned === false ? hit : null;
      },
      drag: (node, sx, sy) => {
        // The operator is arranging the view: stop re-fitting to the settling layout.
        this.userMoved = true;
        this.layout.pin(node, cam.screenToWorldX(sx), cam.screenToWorldY(sy));
      },
      pan: (dx, dy) => {
        this.follow = null;
        this.userMoved = true;
        cam.panBy(dx, dy);
      },
      zoomAt: (sx, sy, factor) => this.zoomAt(sx, sy, factor),
      click: (sx, sy) => this.pickListener?.(this.pick(sx, sy)),
      // On an agent: unpin it; elsewhere in a plane's region (its frame, its title): focus that region.
      doubleClick: (sx, sy) => {
        const hit = this.pick(sx, sy), region = this.frames.state.at(cam.screenToWorldX(sx), cam.screenToWorldY(sy));
        if (hit) this.layout.unpin(hit);
        else if (region) this.focusPlane(region.plane);
      },
      hover: (sx, sy) => this.tooltip?.hover(sx, sy),
      leave: () => this.tooltip?.hide(),
    });
    this.tooltip = new Tooltip(host, (sx, sy) => this.describeAt(sx, sy));
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
    const l = this.layer(plane);
    l.group.visible = l.mini.visible = visible;
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
    for (const s of f.planes) applyStatus(this.layer(s.plane), s);
    // Every frame lists the view's planes: one gone (a replay closed, a plane removed) takes its drawing with it.
    if (this.layers.size > f.planes.length) {
      const shown = new Set(f.planes.map((s) => s.plane));
      for (const [plane, l] of this.layers) if (!shown.has(plane)) this.retire(plane, l);
    }
    for (const pf of f.positions) this.applyPositions(pf, now);
    // Flows after positions: their ends are the agents just placed.
    for (const ff of f.flows ?? []) this.flowIntake.apply(ff, now);
    // The store passes only events new to this view (by the core's seq).
    for (const ev of f.events) this.events.apply(ev, now);
  }

  applyRounds(rounds: readonly Round[]): void {
    const now = performance.now();
    for (const r of rounds) this.rounds.apply(r, now);
  }

  private applyPositions(frame: PlaneFrame, now: number): void {
    const l = this.layer(frame.plane);
    ensureSlots(l, frame.slotCount);
    const positioned = frame.positioned ?? true;
    if (l.positioned !== positioned) this.layout.setPositioned(l, positioned);
    const added: number[] = [];
    const removed: number[] = [];
    writePositions(l, frame, now, added, removed);
    if (!positioned && (added.length || removed.length)) this.layout.sync(l, added, removed);
    if (!l.reported && l.visible > 0 && positioned && frame.receivedAt > 0) {
      l.reported = true;
      this.fitPending = true;
    }
    this.framesApplied++;
  }

  /** The local layout placed a plane's agents: fit to its first placement, and follow it as it settles until the operator moves the camera. */
  private placed(l: PlaneLayer, alpha: number): void {
    if (!l.reported && l.visible > 0) {
      l.reported = true;
      this.fitPending = true;
    } else if (!this.userMoved && alpha > 0.05) this.fitPending = true;
  }

  /** A plane left the view: its layer is emptied, hidden and forgotten by id (the same id later gets a fresh one); it keeps its place in layerList (particles hold indices). */
  private retire(plane: string, l: PlaneLayer): void {
    retireLayer(l);
    this.layers.delete(plane);
    if (this.selected?.plane === plane) this.selected = null;
  }

  private layer(plane: string): PlaneLayer {
    const existing = this.layers.get(plane);
    if (existing) return existing;
    const l = createPlaneLayer(plane, this.layerList.length);
    this.layers.set(plane, l);
    this.layerList.push(l);
    this.planeLayer.addChild(l.group);
    this.minimap.add(l.mini);
    return l;
  }

  // ------------------------------------------------------------------ view: search, camera, picking

  setMatches(matches: readonly AgentRef[] | null): void {
    fadeToMatches(this.layerList, matches);
  }

  highlightFlow(plane: string, flowId: string | null): void {
    for (const l of this.layerList) l.flows.highlight(l.plane === plane ? flowId : null);
  }

  fitAll(): void {
    this.fitTo(null);
    this.follow = null;
  }

  focusPlane(plane: string): void {
    this.fitTo(plane);
    this.follow = null;
  }

  focusAgent(ref: AgentRef, follow: boolean): void {
    this.follow = follow ? ref : null;
    this.userMoved = true;
    const p = worldOf(this.layers, ref.plane, ref.id);
    if (!p) return;
    this.camera.centreOn(p.x, p.y);
    if (this.camera.relativeZoom < 4) this.camera.zoom = this.camera.fitZoom * 4;
  }

  /** Fits the view to one plane's region, or (null) to every shown plane's. */
  private fitTo(plane: string | null): void {
    const b = plane === null ? this.frames.state.shownBounds() : this.frames.state.rectOf(plane);
    if (!b) return;
    this.camera.setViewport(this.app.screen.width, this.app.screen.height);
    this.camera.fit(b);
    this.minimap.setBounds(b, performance.now());
  }

  private zoomAt(sx: number, sy: number, factor: number): void {
    this.userMoved = true;
    this.camera.zoomAt(sx, sy, factor);
  }

  screenOf(plane: string, id: number): { x: number; y: number } | null {
    const p = this.layers.get(plane)?.group.visible ? worldOf(this.layers, plane, id) : null;
    return p ? { x: this.camera.worldToScreenX(p.x), y: this.camera.worldToScreenY(p.y) } : null;
  }

  /** The agent drawn under screen point (sx, sy) (picking.ts). */
  pick(sx: number, sy: number): AgentRef | null {
    return pickAgent(this.layerList, this.camera, this.agentsShown, sx, sy, performance.now());
  }

  /** What the tooltip says at screen point (sx, sy). */
  describeAt(sx: number, sy: number): string | null {
    return describeAt(this.layerList, this.layers, this.camera, this.agentsShown, sx, sy, performance.now());
  }

  pin(ref: AgentRef, x: number, y: number): void {
    this.layout.pin(ref, x, y);
  }

  unpin(ref: AgentRef): void {
    this.layout.unpin(ref);
  }

  // ------------------------------------------------------------------ export, probes

  async exportPng(): Promise<Blob> {
    this.onTick(performance.now());
    this.app.render();
    return canvasPng(this.app.canvas);
  }

  exportGraph(): GraphExport {
    return graphExport(this.layerList, performance.now(), new Date());
  }

  debug(): SceneDebug {
    return sceneDebug({
      view: this,
      layers: this.layerList,
      byPlane: this.layers,
      rounds: this.rounds,
      particles: this.particles,
      flowParticles: this.flowIntake,
      camera: this.camera,
      describeAt: (sx, sy) => this.describeAt(sx, sy),
      zoomAt: (sx, sy, factor) => this.zoomAt(sx, sy, factor),
      regions: () => this.frames.info(),
      state: () => ({ labels: this.labels.count, minimap: this.minimap.visible, minimapBox: this.minimap.box, nodeDots: this.raster.shown, dotsPlotted: this.raster.plotted, selected: this.selected, ticks: this.ticks, updateMs: this.lastUpdateMs }),
    });
  }

  destroy(): void {
    this.layout.destroy();
    this.tooltip?.remove();
    this.app.destroy(true, { children: true, texture: true });
  }

  // ------------------------------------------------------------------ per tick

  private onTick(now: number): void {
    const t0 = performance.now();
    this.ticks++;
    const cam = this.camera;
    cam.setViewport(this.app.screen.width, this.app.screen.height);
    // Positions first: the camera may follow an agent. Then regions (a plane that joined, left or outgrew its held bounds is placed again) and a fit to them.
    for (const l of this.layerList) l.kin.advance(l.slotCount, now);
    if (this.frames.state.update(this.layers, now) && !this.userMoved) this.fitPending = true;
    if (this.fitPending) {
      this.fitPending = false;
      this.fitTo(null);
    }
    if (this.follow) {
      const p = worldOf(this.layers, this.follow.plane, this.follow.id);
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
    const dots = rasterShown(rpx);
    const pixel = 1 / cam.zoom;
    const fade = now - this.fadedAt > FADE_REFRESH_MS;
    if (fade) this.fadedAt = now;
    // Density and hairlines from the edges drawn (after the level of detail, flow-draw.ts), which are all on screen.
    const flowsDrawn = flowLodTotals(this.layerList);
    const density = flowDensityAlpha(flowsDrawn.drawn, 1);
    const hair = flowHairline(flowsDrawn.drawn, 1) ? 1 : 0;
    for (const l of this.layerList) {
      const u = l.nodes.uniforms.uniforms;
      u.uRadius = radius;
      u.uPixel = pixel;
      u.uRing = ring;
      l.nodes.mesh.visible = !dots;
      l.nodes.geometry.instanceCount = l.slotCount;
      upload(l.nodes.pos, l.kin.xy, 8 * l.slotCount);
      if (l.styleDirty) {
        upload(l.nodes.style, l.style, 4 * l.slotCount);
        upload(l.nodes.meta, l.meta, 4 * l.slotCount);
        l.styleDirty = false;
      }
      if (fade && l.flows.n) l.flows.fade(now);
      this.drawFlows(l, density);
      drawFlowLod(l, cam, rpx, pixel, hair, flowsDrawn.planes);
    }
    this.raster.draw(dots, this.layerList, cam);
    this.flowIntake.emit(now, this.layerList, this.particles);
    this.drawParticles(now, pixel * particleScale(rpx));
    this.frames.draw(cam);
    this.overlays.draw(now, cam, this.rounds, this.layers, this.selected, rpx);
    this.labels.draw(now, cam, this.layerList, this.layers, this.selected, rpx);
    this.minimap.draw(now, cam, this.layerList);
    this.lastUpdateMs = performance.now() - t0;
    if (this.afterRender.size) {
      const fns = [...this.afterRender];
      this.afterRender.clear();
      // Right after this tick's render (pixi renders later in the same tick), not a whole frame later: frames applied keep up with frames drawn.
      setTimeout(() => fns.forEach((f) => f()), 0);
    }
  }

  /** Writes each flow's ends (agents' drawn positions or group centres) and opacity; drawFlowLod draws them. */
  private drawFlows(l: PlaneLayer, density: number): void {
    const f = l.flows;
    if (f.n === 0) return;
    if (l.hasGroupFlows) this.groupCentres(l);
    const xy = l.kin.xy, ends = f.ends, color = f.color, gc = l.groupCentre;
    const searching = l.matches !== null;
    const quiet = planeFade(l);
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
      color[4 * k + 3] = ok ? (quiet * f.alpha[k]! * (k === f.highlighted ? 1 : density) * (lit || k === f.highlighted ? 1 : DIMMED_FACTOR) * 255) | 0 : 0;
    }
  }

  /** Centre of each group: the mean drawn position of its agents. */
  private groupCentres(l: PlaneLayer): void {
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

  /** `pixel`: world units per screen pixel, times the particles' scale (particleScale). */
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
      p.color[4 * k + 3] = (fadeOut * planeFade(l) * (l.dim[a] && l.dim[b] ? DIMMED_FACTOR : 1) * 255) | 0;
    }
    mesh.uniforms.uniforms.uPixel = pixel;
    mesh.geometry.instanceCount = p.n;
    upload(mesh.pos, p.pos, 8 * p.n);
    upload(mesh.color, p.color, 4 * p.n);
    upload(mesh.meta, p.meta, 4 * p.n);
  }
}
