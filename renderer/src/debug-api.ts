// window.__swarmdeck: a read-only view of what the page draws, for operators'
// devtools and the end-to-end tests. Types only here, so tests can import it
// without pulling in pixi.js.

import type { PlaneStatus, SwarmdeckBridge } from '../../electron/core/ipc/contract.js';

export interface SceneStats {
  /** pixi renderer name: "webgl" or "webgpu". */
  renderer: string;
  /** Agents drawn: visible particles across planes. */
  nodes: number;
  /** Live edges being drawn. */
  edges: number;
  framesApplied: number;
}

export interface SwarmdeckDebug {
  scene: () => SceneStats | null;
  planes: () => PlaneStatus[];
  lastFrameSeq: () => number;
  /** Median ms from positions arriving on the core's socket to this page, over recent frames. */
  latencyP50: () => number | null;
  /** Where an agent is drawn, in canvas CSS pixels (for tests that click it), or null. */
  screenOf: (plane: string, id: number) => { x: number; y: number } | null;
}

declare global {
  interface Window {
    /** The preload's bridge (Electron only). */
    swarmdeck?: SwarmdeckBridge;
    __swarmdeck?: SwarmdeckDebug;
  }
}
