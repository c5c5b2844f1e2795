// Where things go in the minimap: the world bounds of everything drawn,
// scaled to fit the minimap's box with a margin and centred in it, and the
// camera's view as a rectangle in the same box, clipped to it. Results are
// written into caller-owned objects (the minimap is redrawn every frame).
// No pixi here.

import type { Bounds } from './camera.js';

/** The box's largest size, on a big canvas. */
export const MINIMAP_W = 200;
export const MINIMAP_H = 130;
/** Its smallest width (height in the same proportion): below this it would show nothing useful. */
export const MINIMAP_MIN_W = 96;
/** Share of the canvas's width (and, at most, of its height) the box may take: it stays out of the way on a small window. */
export const MINIMAP_SHARE = 0.18;
/** Space kept free inside the box around the bounds. */
export const MINIMAP_PAD = 8;
/** Distance of the box from the canvas's bottom-right corner. */
export const MINIMAP_MARGIN = 10;

/** The box on the canvas, in screen pixels. */
export interface MinimapBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The box for a canvas of `width` × `height`: in the bottom-right corner, sized to the canvas within MINIMAP_MIN_W..MINIMAP_W. */
export function minimapBox(width: number, height: number, out: MinimapBox): MinimapBox {
  const ratio = MINIMAP_H / MINIMAP_W;
  const w = Math.round(Math.min(MINIMAP_W, Math.max(MINIMAP_MIN_W, Math.min(width * MINIMAP_SHARE, (height * MINIMAP_SHARE * 2) / ratio))));
  out.w = w;
  out.h = Math.round(w * ratio);
  out.x = width - w - MINIMAP_MARGIN;
  out.y = height - out.h - MINIMAP_MARGIN;
  return out;
}

/** World → minimap: mx = x + wx × scale, my = y + wy × scale. */
export interface MinimapTransform {
  scale: number;
  x: number;
  y: number;
}

/** Fits world bounds `b` into a box of `box.w` × `box.h` (a point or a line still gets a finite scale). */
export function minimapTransform(b: Bounds, box: Pick<MinimapBox, 'w' | 'h'>, out: MinimapTransform): MinimapTransform {
  const bw = Math.max(b.x1 - b.x0, 1e-9), bh = Math.max(b.y1 - b.y0, 1e-9);
  const s = Math.min((box.w - 2 * MINIMAP_PAD) / bw, (box.h - 2 * MINIMAP_PAD) / bh);
  out.scale = s;
  out.x = box.w / 2 - ((b.x0 + b.x1) / 2) * s;
  out.y = box.h / 2 - ((b.y0 + b.y1) / 2) * s;
  return out;
}

/** The world rectangle `view` in the box (showing bounds `b`) at scale `s`, clipped to the box; false when nothing of it is inside. */
export function minimapViewRect(b: Bounds, s: number, view: Bounds, box: Pick<MinimapBox, 'w' | 'h'>, out: Bounds): boolean {
  const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  out.x0 = Math.max(0, box.w / 2 + (view.x0 - cx) * s);
  out.y0 = Math.max(0, box.h / 2 + (view.y0 - cy) * s);
  out.x1 = Math.min(box.w, box.w / 2 + (view.x1 - cx) * s);
  out.y1 = Math.min(box.h, box.h / 2 + (view.y1 - cy) * s);
  return out.x1 > out.x0 && out.y1 > out.y0;
}
