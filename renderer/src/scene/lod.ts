// Level of detail: what the graph draws at a zoom, and how persistent flows
// look and fade. Judged on the zoom relative to the last fit (planes use any
// units) and on screen pixels. No pixi here: unit-tested on its own.

import { SCENE_MAX_LABELS, STATE_UNKNOWN } from '@shared';

/** Labels appear from this zoom (relative to a fit of everything) inwards. */
export const LABEL_MIN_RELATIVE_ZOOM = 3;
/** Screen cell of the label grid; a label claims every cell its box covers, so labels never overlap. */
export const LABEL_CELL_W = 24;
export const LABEL_CELL_H = 16;
/** A label's box: "agent-12345" at 11 px monospace plus a margin. */
export const LABEL_BOX_W = 84;
export const LABEL_BOX_H = 15;
/** The minimap shows once zoomed in past this. */
export const MINIMAP_MIN_RELATIVE_ZOOM = 1.5;
/** Node radius in screen pixels at a fit, for an idle agent. */
export const NODE_RADIUS_PX = 4;
/** A flow quiet for this long starts to fade, and is gone after FLOW_FADE_MS more. */
export const FLOW_QUIET_MS = 10_000;
export const FLOW_FADE_MS = 20_000;

export function labelsShown(relativeZoom: number): boolean {
  return relativeZoom >= LABEL_MIN_RELATIVE_ZOOM;
}

/** How many labels the screen can hold without overlap, never above SCENE_MAX_LABELS. */
export function labelBudget(width: number, height: number): number {
  return Math.min(SCENE_MAX_LABELS, Math.floor(width / LABEL_BOX_W) * Math.floor(height / LABEL_BOX_H));
}

/** Node marks, by cell of the marks atlas (meshes.ts draws them). */
export const MARK = { none: 0, error: 1, lost: 2, stale: 3, pinned: 4, unknown: 5 } as const;
export const MARK_CELLS = 6;
const STATE_ERROR = 6;

/**
 * The one mark a node shows, most urgent first: lost, then ERROR, then a state the console does
 * not know (hollow, "?": never the look of a known state), then its plane gone stale, then pinned.
 */
export function nodeMark(lost: boolean, state: number, planeStale: boolean, pinned: boolean): number {
  return lost ? MARK.lost : state === STATE_ERROR ? MARK.error : state === STATE_UNKNOWN ? MARK.unknown : planeStale ? MARK.stale : pinned ? MARK.pinned : MARK.none;
}

/** Below this on-screen radius the plane outline ring is dropped: at that size it hides the state colour. */
export const RING_MIN_RADIUS_PX = 3;

/**
 * Node radius in pixels: smaller when many agents share the screen (so a
 * dense swarm still shows its states), growing gently when zooming in (sqrt).
 * Load adds up to 60% on top (in the shader).
 */
export function nodeRadiusPx(relativeZoom: number, agents = 0): number {
  const base = Math.min(NODE_RADIUS_PX, Math.max(1.5, 0.25 * Math.sqrt(960_000 / Math.max(1, agents))));
  return base * Math.min(4, Math.max(0.75, Math.sqrt(relativeZoom)));
}

/** Particles shrink with the nodes, to half their size at the smallest: at a fleet's fit they would hide the dots they travel between. */
export function particleScale(nodeRadiusPx: number): number {
  return Math.min(1, Math.max(0.5, nodeRadiusPx / 3));
}

/** Opacity of a flow last updated `ageMs` ago: full, then a linear fade to 0. */
export function flowFade(ageMs: number): number {
  if (ageMs <= FLOW_QUIET_MS) return 1;
  return Math.max(0, 1 - (ageMs - FLOW_QUIET_MS) / FLOW_FADE_MS);
}

/** Flow width in pixels from its message rate (msg/s) or, before a rate is known, its count. */
export function flowWidthPx(value: number): number {
  return Math.min(8, 1.5 + 1.2 * Math.log2(1 + Math.max(0, value)));
}

/** Flow colour from its success rate: red below 80%, through amber at 95%, to green at 100%. */
export function flowColor(successRate: number): number {
  const s = Number.isFinite(successRate) ? Math.min(1, Math.max(0, successRate)) : 1;
  const lerp = (a: number, b: number, t: number): number => {
    const r = ((a >> 16) & 255) + (((b >> 16) & 255) - ((a >> 16) & 255)) * t;
    const g = ((a >> 8) & 255) + (((b >> 8) & 255) - ((a >> 8) & 255)) * t;
    const bl = (a & 255) + ((b & 255) - (a & 255)) * t;
    return (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(bl);
  };
  if (s <= 0.8) return 0xf85149;
  if (s <= 0.95) return lerp(0xf85149, 0xd29922, (s - 0.8) / 0.15);
  return lerp(0xd29922, 0x3fb950, (s - 0.95) / 0.05);
}

/** Flow opacity when many flows share the screen: a hairball of 200k edges reads as density, not as a white sheet. */
export function flowDensityAlpha(flows: number, relativeZoom: number): number {
  const perScreen = flows / Math.max(1, relativeZoom * relativeZoom);
  return perScreen <= 2_000 ? 0.8 : Math.max(0.08, 0.8 * Math.sqrt(2_000 / perScreen));
}

/** Past this many flows per screen (at a zoom), flows are drawn as hairlines: widths no longer read, and software GL pays per pixel. */
export const FLOW_HAIRLINE_PER_SCREEN = 20_000;

export function flowHairline(flows: number, relativeZoom: number): boolean {
  return flows / Math.max(1, relativeZoom * relativeZoom) > FLOW_HAIRLINE_PER_SCREEN;
}

/**
 * One label per screen cell, first come first served: callers offer labels
 * in priority order (selected, highlighted, then the rest).
 */
export class LabelGrid {
  private cells = new Uint8Array(0);
  private cols = 0;
  private rows = 0;

  reset(width: number, height: number): void {
    this.cols = Math.max(1, Math.ceil(width / LABEL_CELL_W));
    this.rows = Math.max(1, Math.ceil(height / LABEL_CELL_H));
    const n = this.cols * this.rows;
    if (this.cells.length < n) this.cells = new Uint8Array(n);
    else this.cells.fill(0, 0, n);
  }

  /** Claims the cells a label box at screen (sx, sy) covers; false when any is off-screen or taken. */
  claim(sx: number, sy: number, w = LABEL_BOX_W, h = LABEL_BOX_H): boolean {
    const c0 = Math.floor(sx / LABEL_CELL_W), r0 = Math.floor(sy / LABEL_CELL_H);
    const c1 = Math.floor((sx + w) / LABEL_CELL_W), r1 = Math.floor((sy + h) / LABEL_CELL_H);
    if (c0 < 0 || r0 < 0 || c1 >= this.cols || r1 >= this.rows) return false;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (this.cells[r * this.cols + c]) return false;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.cells[r * this.cols + c] = 1;
    return true;
  }
}
