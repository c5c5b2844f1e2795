// What the scene reports about itself: its stats (the status line), and the
// probes devtools and the end-to-end tests read through
// window.__swarmdeck.sceneDebug (debug-api.ts assembles them there). Types
// only, importing nothing: the GraphView interface and the page's debug API
// both point here, never the other way.

export interface SceneStats {
  /** pixi renderer name: "webgl" or "webgpu". */
  renderer: string;
  /** Agents drawn: visible particles across planes. */
  nodes: number;
  /** Live edges being drawn. */
  edges: number;
  framesApplied: number;
}

/** One plane's region of the graph's world (window.__swarmdeck.regions()): its frame in world units, its title and health counts. */
export interface RegionInfo {
  planeId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The plane's shown name, the region's title. */
  label: string;
  /** False while the plane is hidden (it keeps its place). */
  visible: boolean;
  /** Agents: live, stale (lost, or the plane STALE or DOWN), in ERROR. */
  live: number;
  stale: number;
  error: number;
  /** The title as drawn at the last frame (name, and the connection when not LIVE); null when the region is too small on screen for it. */
  title: string | null;
}

/** What the graph draws beyond nodes, for tests: flows, particles, labels, coordination, camera, layout. */
export interface SceneProbe {
  /** Persistent flows drawn (visible planes, ends resolved, not faded out). */
  flows: number;
  /** Edges the flows became at the last frame, after the level of detail (flow-lod.ts): aggregates count once. */
  flowEdges: number;
  /** Of `flows` at the last frame: inside an aggregate edge of several, hidden (under dense nodes, shorter than a node), off screen, cut (not among a cell's top). */
  flowLod: { merged: number; hidden: number; culled: number; cut: number };
  /** New flowIds refused at the flow limit. */
  flowsRefused: number;
  /** flow.stats whose flowId names no known agents or groups yet. */
  flowsUnresolved: number;
  /** Particles in flight and drawn (started from flow rates, and failed messages). */
  particles: number;
  particlesReplaced: number;
  /** Particles started from flow rates since load, and those the per-frame cap let go. */
  particlesStarted: number;
  particlesCapped: number;
  labels: number;
  /** Agents highlighted by coordination rounds (initiators and participants). */
  highlighted: { plane: string; id: number }[];
  /** Votes cast (not pending) across tracked rounds. */
  votes: number;
  /** Outcomes of ended rounds still shown. */
  outcomes: string[];
  roundsEvicted: number;
  camera: { x: number; y: number; zoom: number; fitZoom: number };
  /** Planes laid out here (they send no positions). */
  localPlanes: string[];
  pinned: { plane: string; id: number }[];
  minimap: boolean;
  /** Where the minimap is on the canvas (CSS pixels from its top-left), when shown. */
  minimapBox: { x: number; y: number; w: number; h: number } | null;
  /** Nodes drawn as dots (node-raster.ts: under 2 px, one texture for all of them) rather than as discs, and how many were plotted. */
  nodeDots: boolean;
  dotsPlotted: number;
  /** The agent the view shows as selected (GraphView.select). */
  selected: { plane: string; id: number } | null;
  ticks: number;
  /** JS ms of the last scene update (before pixi's render). */
  updateMs: number;
}

export interface FlowProbe {
  flowId: string;
  from: { kind: 'agent'; id: number } | { kind: 'group'; name: string };
  to: { kind: 'agent'; id: number } | { kind: 'group'; name: string };
  messageCount: number;
  ratePerSec: number | null;
  successRate: number | null;
  averageLatency: number | null;
  widthPx: number;
  color: string;
  alpha: number;
  /** World ends as drawn: ax, ay, bx, by. */
  ends: [number, number, number, number];
}

export interface SceneDebug {
  probe(): SceneProbe;
  /** Where an agent is drawn, in world units, or null. */
  nodeWorld(plane: string, id: number): { x: number; y: number } | null;
  /** Zoom by `factor` about canvas point (sx, sy), as the wheel does. */
  zoomAt(sx: number, sy: number, factor: number): void;
  /** The current view as PNG, base64. */
  exportPng(): Promise<string>;
  /** The graph as JSON (export-schema.ts). */
  exportGraph(): unknown;
  flow(plane: string, flowId: string): FlowProbe | null;
  /** The tooltip text at canvas point (sx, sy). */
  describeAt(sx: number, sy: number): string | null;
  pin(plane: string, id: number, x: number, y: number): void;
  unpin(plane: string, id: number): void;
  /** World to canvas CSS pixels through the camera. */
  worldToScreen(x: number, y: number): { x: number; y: number };
  /** An agent's last reported position (before dead reckoning) in world units (placed in its plane's region), or null. */
  nodeReported(plane: string, id: number): { x: number; y: number } | null;
  /** The same in the plane's own units, as it sent it (its region's placement undone), or null. */
  nodeSent(plane: string, id: number): { x: number; y: number } | null;
  /** Each plane's region (window.__swarmdeck.regions()). */
  regions(): RegionInfo[];
  /**
   * One particle in mid-flight (0.15 < t < 0.85), with where its sender and receiver are drawn, their ids and when it
   * started (page time); null when none. With `born`: that particle (any t), while it flies.
   */
  particleSample(born?: number): { x: number; y: number; t: number; from: { x: number; y: number }; to: { x: number; y: number }; plane: string; fromId: number; toId: number; born: number } | null;
}
