// Where each plane goes in the graph's world: every plane, live or replayed,
// gets its own region, a cell of one grid, so planes never draw over each
// other. A plane's reported positions are kept and only placed (scaled by one
// factor, then translated) into its region's content area. The order is
// stable and the same in every view: live planes by id, then replays by id; a
// plane that joins or leaves moves only the planes after it. The bounds a
// plane is placed by are held with some slack (heldBounds), so agents moving
// about do not rescale their region each frame. Pure: no pixi here.

import type { Bounds } from './camera.js';

/** A region's cell, in world units: frame width and height. */
export const REGION_W = 1000;
export const REGION_H = 1000;
/** Space between cells. */
export const REGION_GAP = 160;
/** Inside the frame: the content area is inset by this on the sides and bottom, and by REGION_TITLE at the top (the title band). */
export const REGION_PAD = 50;
export const REGION_TITLE = 140;
/** Held bounds are the plane's bounds grown by this share of their extent on each side. */
export const HOLD_MARGIN = 0.15;
/** Held bounds are measured again when the plane's bounds shrink below this share of them in both directions. */
export const HOLD_SHRINK = 0.35;

/** One plane to place: its id, whether it is a replay, and the bounds of its reported positions (null: no agents yet). */
export interface RegionInput {
  plane: string;
  replay?: boolean;
  /** Laid out here (local-layout.ts, around the origin in units of our own): placed by placeAbout. */
  local?: boolean;
  bounds: Bounds | null;
}

/** Reported (x, y) is drawn at world (x × scale + ox, y × scale + oy). */
export interface Placement {
  scale: number;
  ox: number;
  oy: number;
}

export interface Region extends Placement {
  plane: string;
  /** The frame, in world units. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the plane's agents go, inside the frame below its title band. */
  content: Bounds;
}

/** The region order: live planes before replays, each by id (code units, locale-free). */
export function regionOrder(a: RegionInput, b: RegionInput): number {
  const ra = a.replay ? 1 : 0, rb = b.replay ? 1 : 0;
  if (ra !== rb) return ra - rb;
  return a.plane < b.plane ? -1 : a.plane > b.plane ? 1 : 0;
}

/** The grid's width over its height that regionColumns aims at: screens, and the Graph panel on them, are wide. */
export const GRID_ASPECT = 1.8;

/** Grid columns for `n` regions: about GRID_ASPECT times as wide as tall (2 side by side, 3 in a row, 7 as 4 + 3). */
export function regionColumns(n: number): number {
  return Math.max(1, Math.min(n, Math.ceil(Math.sqrt(n * GRID_ASPECT))));
}

/** The regions of `planes` (any order in; out in region order), each a cell of the grid, none overlapping. */
export function layoutRegions(planes: readonly RegionInput[]): Region[] {
  const sorted = [...planes].sort(regionOrder);
  const cols = regionColumns(sorted.length);
  return sorted.map((p, i) => {
    const x = (i % cols) * (REGION_W + REGION_GAP);
    const y = Math.floor(i / cols) * (REGION_H + REGION_GAP);
    const content = { x0: x + REGION_PAD, y0: y + REGION_TITLE, x1: x + REGION_W - REGION_PAD, y1: y + REGION_H - REGION_PAD };
    return { plane: p.plane, x, y, width: REGION_W, height: REGION_H, content, ...(p.local ? placeAbout(p.bounds, content) : placeInto(p.bounds, content)) };
  });
}

/** Scales `b` by one factor to fit `content`, centred in it; no bounds (or one point) sits at the centre unscaled. */
export function placeInto(b: Bounds | null, content: Bounds): Placement {
  const cx = (content.x0 + content.x1) / 2, cy = (content.y0 + content.y1) / 2;
  const span = b ? Math.max(b.x1 - b.x0, b.y1 - b.y0) : 0;
  if (!b || !(span > 0) || !Number.isFinite(span)) return { scale: 1, ox: b ? cx - b.x0 : cx, oy: b ? cy - b.y0 : cy };
  const w = Math.max(b.x1 - b.x0, span * 1e-3), h = Math.max(b.y1 - b.y0, span * 1e-3);
  const scale = Math.min((content.x1 - content.x0) / w, (content.y1 - content.y0) / h);
  return { scale, ox: cx - ((b.x0 + b.x1) / 2) * scale, oy: cy - ((b.y0 + b.y1) / 2) * scale };
}

/**
 * A local layout's placement: its origin at the content's centre, unscaled while it fits (so agents
 * joining a settled layout move nothing else), scaled down only when it would not.
 */
export function placeAbout(b: Bounds | null, content: Bounds): Placement {
  const cx = (content.x0 + content.x1) / 2, cy = (content.y0 + content.y1) / 2;
  const hx = b ? Math.max(Math.abs(b.x0), Math.abs(b.x1)) : 0, hy = b ? Math.max(Math.abs(b.y0), Math.abs(b.y1)) : 0;
  const fx = hx > 0 ? (content.x1 - content.x0) / 2 / hx : Infinity, fy = hy > 0 ? (content.y1 - content.y0) / 2 / hy : Infinity;
  const scale = Number.isFinite(hx + hy) ? Math.min(1, fx, fy) : 1;
  return { scale, ox: cx, oy: cy };
}

/**
 * The bounds a plane is placed by, given those held so far and its current
 * ones: kept while the current bounds stay inside and are not much smaller;
 * else the current bounds with HOLD_MARGIN of slack. No current bounds (no
 * agents) keeps what is held.
 */
export function heldBounds(held: Bounds | null, now: Bounds | null): Bounds | null {
  if (!now) return held;
  if (held) {
    const hw = held.x1 - held.x0, hh = held.y1 - held.y0;
    const inside = now.x0 >= held.x0 && now.y0 >= held.y0 && now.x1 <= held.x1 && now.y1 <= held.y1;
    const shrunk = now.x1 - now.x0 < hw * HOLD_SHRINK && now.y1 - now.y0 < hh * HOLD_SHRINK;
    if (inside && !shrunk) return held;
  }
  const span = Math.max(now.x1 - now.x0, now.y1 - now.y0);
  const m = span > 0 ? span * HOLD_MARGIN : 1;
  return { x0: now.x0 - m, y0: now.y0 - m, x1: now.x1 + m, y1: now.y1 + m };
}

/** The smallest rectangle holding every region of `regions`, or null. */
export function regionsBounds(regions: readonly Pick<Region, 'x' | 'y' | 'width' | 'height'>[]): Bounds | null {
  if (!regions.length) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of regions) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  return { x0, y0, x1, y1 };
}

/** The region holding world point (x, y), or null. */
export function regionAt<R extends Pick<Region, 'x' | 'y' | 'width' | 'height'>>(regions: readonly R[], x: number, y: number): R | null {
  for (const r of regions) if (x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height) return r;
  return null;
}
