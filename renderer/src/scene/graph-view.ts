// What the rest of the renderer may ask of the graph: the panels (search,
// overview, flows, the command palette) and the Graph panel that hosts it use
// this interface, never the scene's internals. GraphScene implements it.

import type { FrameMessage, Round } from '@shared';
import type { SceneDebug, SceneStats } from './probe-types.js';
import type { GraphExport } from './export-schema.js';

export interface AgentRef {
  plane: string;
  id: number;
}

export interface GraphView {
  init(host: HTMLElement): Promise<void>;
  destroy(): void;
  /** One frame from the core: positions (by slot), plane statuses (colours) and events (messages, flows). The store passes only events new to the view (by the core's per-plane seq). */
  applyFrame(frame: FrameMessage): void;
  /** Coordination rounds as the core holds them (its one implementation), from the hello's answer and frames' changes. */
  applyRounds(rounds: readonly Round[]): void;
  /** Runs `fn` once, after the next rendered frame (the renderer's acknowledgement point). */
  onceRendered(fn: () => void): void;
  /** Called with the agent under a click, or null for empty space. */
  onPick(listener: (hit: AgentRef | null) => void): void;
  select(sel: AgentRef | null): void;
  setPlaneVisible(plane: string, visible: boolean): void;
  /** Search: matching agents stay lit and the rest dim; null shows all. */
  setMatches(matches: readonly AgentRef[] | null): void;
  /** Draws one flow (message.flow.stats flowId) emphasised; null clears. */
  highlightFlow(plane: string, flowId: string | null): void;
  /** Fits the view to every shown plane's region. */
  fitAll(): void;
  /** Fits the view to one plane's region. */
  focusPlane(plane: string): void;
  /** Centres on an agent; with `follow` the camera keeps it centred as it moves, until the operator pans. */
  focusAgent(ref: AgentRef, follow: boolean): void;
  /** Where an agent is drawn, in canvas CSS pixels, or null. */
  screenOf(plane: string, id: number): { x: number; y: number } | null;
  stats(): SceneStats;
  /** The current view (the canvas as drawn, without the surrounding UI) as a PNG. */
  exportPng(): Promise<Blob>;
  /** Nodes with positions and state, flows with their stats (GraphExportSchema). */
  exportGraph(): GraphExport;
  /** Locally laid-out planes only: holds an agent at world (x, y) until unpinned (what dragging does). */
  pin(ref: AgentRef, x: number, y: number): void;
  /** Releases a pinned agent back to the layout (what double-clicking does). */
  unpin(ref: AgentRef): void;
  /** Probes for devtools and the e2e tests (window.__swarmdeck.sceneDebug). */
  debug(): SceneDebug;
}
