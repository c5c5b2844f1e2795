// Where things go in the minimap: the world bounds of everything drawn,
// scaled to fit the minimap's box with a margin and centred in it, and the
// camera's view as a rectangle in the same box, clipped to it. Results are
// written into caller-owned objects (the minimap is redrawn every frame).
// No pixi here.

import type { Bounds } from './camera.js';

export const MINIMAP_W = 200;
export const MINIMAP_H = 130;
/** Space kept free inside the box around the bounds. */
export const MINIMAP_PAD = 8;
/** Distance of the box from the canvas's bottom-right corner. */
export const MINIMAP_MARGIN = 10;

/** World → minimap: mx = x + wx × scale, my = y + wy × scale. */
export interface MinimapTransform {
  scale: number;
  x: number;
  y: number;
}

/** Fits world bounds `b` into the box (a point or a line still gets a finite scale). */
export function minimapTransform(b: Bounds, out: MinimapTransform): MinimapTransform {
  const bw = Math.max(b.x1 - b.x0, 1e-9), bh = Math.max(b.y1 - b.y0, 1e-9);
  const s = Math.min((MINIMAP_W - 2 * MINIMAP_PAD) / bw, (MINIMAP_H - 2 * MINIMAP_PAD) / bh);
  out.scale = s;
  out.x = MINIMAP_W / 2 - ((b.x0 + b.x1) / 2) * s;
  out.y = MINIMAP_H / 2 - ((b.y0 + b.y1) / 2) * s;
  return out;
}

/** The world rectangle `view` in the box of bounds `b` at scale `s`, clipped to the box; false when nothing of it is inside. */
export function minimapViewRect(b: Bounds, s: number, view: Bounds, out: Bounds): boolean {
  const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  out.x0 = Math.max(0, MINIMAP_W / 2 + (view.x0 - cx) * s);
  out.y0 = Math.max(0, MINIMAP_H / 2 + (view.y0 - cy) * s);
  out.x1 = Math.min(MINIMAP_W, MINIMAP_W / 2 + (view.x1 - cx) * s);
  out.y1 = Math.min(MINIMAP_H, MINIMAP_H / 2 + (view.y1 - cy) * s);
  return out.x1 > out.x0 && out.y1 > out.y0;
}
