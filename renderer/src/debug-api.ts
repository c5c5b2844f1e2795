// window.__swarmdeck: a read-only view of what the page draws and holds, for
// operators' devtools and the end-to-end tests. The types are importable
// without pulling in pixi.js; installDebugApi is called by the app.

import type { AlertKind, ClockReading, MonitorCounts, PlaneStatus, SwarmdeckBridge } from '@shared';
import type { RegionInfo, SceneDebug, SceneStats } from './scene/probe-types.js';
import type { Evictions } from './store/console-model.js';
import type { PerfSnapshot } from './shell/perf-window.js';

export type { PerfSnapshot } from './shell/perf-window.js';
export type { FlowProbe, RegionInfo, SceneDebug, SceneProbe, SceneStats } from './scene/probe-types.js';

export interface SwarmdeckDebug {
  scene: () => SceneStats | null;
  planes: () => PlaneStatus[];
  lastFrameSeq: () => number;
  /** Median ms from positions arriving on the core's socket to this page, over recent frames. */
  latencyP50: () => number | null;
  /**
   * Over the last 5 s: frames drawn per second (`fps`), core frames applied that brought positions (`framesApplied`, a count),
   * the age of the data drawn at each drawn frame (`dataAgeMs` p50/p95: now minus the plane's send time, null without live positions),
   * and positions superseded plus events dropped by the core for this view (`dropped`); `windowMs` is the span covered.
   */
  perf: () => PerfSnapshot;
  /** Where an agent is drawn, in canvas CSS pixels (for tests that click it), or null. */
  screenOf: (plane: string, id: number) => { x: number; y: number } | null;
  /**
   * Each plane's region of the graph (live planes by id, then replays), in world units: its frame
   * `{planeId, x, y, width, height}`, with the plane's `label`, the `title` drawn (null when too small on screen),
   * `visible`, and its agents `live`, `stale`, `error`.
   * Regions never overlap; `sceneDebug().worldToScreen` takes a corner to canvas pixels. [] before the scene is up.
   */
  regions: () => RegionInfo[];
  /** Fits the view to one plane's region (what double-clicking its frame does); false when there is no such region. */
  focusPlane: (planeId: string) => boolean;
  /** Renders of each panel since load (the render-count test). */
  renders: () => Record<string, number>;
  /** Sizes of what the view holds, and what the core's session state (and the page's own structures) evicted. */
  histories: () => { events: number; rounds: number; alerts: number; flows: number; commands: number; evicted: Evictions };
  /** The core's session state as this view holds it: event ids (plane#seq), alerts, rounds, commands, the core's counts. */
  session: () => {
    events: string[];
    /** Planes whose older events are still in the core (not paged in). */
    olderInCore: string[];
    alerts: { key: string; plane: string; kind: AlertKind; state: 'firing' | 'resolved'; count: number; acknowledged: boolean; agent: string | null; firedAt: number }[];
    rounds: { key: string; status: string; votes: number; result: string | null }[];
    commands: { plane: string; id: number; name: string; status: string | null; target: string | null; sentAt: number }[];
    counts: Record<string, MonitorCounts>;
  };
  /** Desktop notifications raised (titles), newest last. */
  notifications: () => string[];
  /** Ids of the panels in the current layout. */
  layout: () => string[];
  /** What the console last asked the graph to keep lit (GraphView.setMatches); null: all. */
  graphMatches: () => { plane: string; id: number }[] | null;
  /** The current selection. */
  selected: () => { plane: string; id: number } | null;
  /** Live, rewound (a plane's flight buffer) or replaying (a recording), and the data time shown in ms since the epoch. */
  clock: () => ClockReading;
  /** Scene-level probes (flows, particles, labels, camera, exports), once the scene is up. */
  sceneDebug?: () => SceneDebug | null;
}

declare global {
  interface Window {
    /** The preload's bridge (Electron only). */
    swarmdeck?: SwarmdeckBridge;
    __swarmdeck?: SwarmdeckDebug;
  }
}
