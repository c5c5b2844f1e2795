// Nodes as dots, for a fleet at a glance. When a node is drawn under
// RASTER_MAX_RADIUS_PX (tens of thousands of agents fitted on one screen) its
// disc is a few pixels and reads as a dot; software GL then spends
// microseconds per instanced quad on triangle setup alone (50,000 nodes: about
// a second a frame here). Instead every plane's nodes are plotted on the CPU
// into one RGBA buffer at half the screen's resolution (a raster pixel is 2 × 2
// screen pixels), uploaded as one texture and drawn as one quad: the cost is
// the screen's size, not the agents'. Marked nodes (error, lost, unknown
// state) are plotted last and larger, so they stay in sight. Zooming in past
// the threshold brings the instanced discs back. Pure plotting in `plotNodes`
// (unit-tested); pixi only in NodeRaster.

import { BufferImageSource, Sprite, Texture } from 'pixi.js';
import type { Camera } from './camera.js';
import { MARK } from './lod.js';

/** Below this drawn radius (screen px) nodes are plotted as dots. */
export const RASTER_MAX_RADIUS_PX = 2;
/** Screen pixels per raster pixel, each way. */
export const RASTER_SCALE = 2;

/** What plotting reads of a plane's nodes (PlaneLayer has it). */
export interface RasterNodes {
  readonly slotCount: number;
  /** Drawn positions, world units (x, y per slot). */
  readonly kin: { readonly xy: Float32Array };
  /** Per slot r, g, b, a (a = 0: not drawn). */
  readonly style: Uint8Array;
  /** Per slot load, mark, ring, -. */
  readonly meta: Uint8Array;
  readonly group: { readonly visible: boolean };
}

/** Whether nodes drawn at `radiusPx` are plotted as dots. */
export function rasterShown(radiusPx: number): boolean {
  return radiusPx < RASTER_MAX_RADIUS_PX;
}

/** A marked node (error, lost, unknown state) is plotted after the others, 2 × 2 raster pixels. */
function marked(mark: number): boolean {
  return mark === MARK.error || mark === MARK.lost || mark === MARK.unknown;
}

/**
 * Plots every visible plane's nodes into `px` (RGBA, premultiplied, `w` × `h`, cleared first): one raster pixel per
 * node at its drawn position, marked ones last and 2 × 2. Returns how many were plotted.
 */
export function plotNodes(px: Uint8Array, w: number, h: number, layers: readonly RasterNodes[], cam: Camera, scale = RASTER_SCALE): number {
  px.fill(0, 0, 4 * w * h);
  const k = cam.zoom / scale;
  const ox = (cam.width / 2 - cam.x * cam.zoom) / scale, oy = (cam.height / 2 - cam.y * cam.zoom) / scale;
  let plotted = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const l of layers) {
      if (!l.group.visible) continue;
      const xy = l.kin.xy, style = l.style, meta = l.meta;
      for (let s = 0; s < l.slotCount; s++) {
        const a = style[4 * s + 3]!;
        if (a === 0 || marked(meta[4 * s + 1]!) !== (pass === 1)) continue;
        const x = Math.floor(xy[2 * s]! * k + ox), y = Math.floor(xy[2 * s + 1]! * k + oy);
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const r = (style[4 * s]! * a) / 255, g = (style[4 * s + 1]! * a) / 255, b = (style[4 * s + 2]! * a) / 255;
        const size = pass === 1 ? 2 : 1;
        for (let dy = 0; dy < size && y + dy < h; dy++) {
          for (let dx = 0; dx < size && x + dx < w; dx++) {
            const o = 4 * ((y + dy) * w + x + dx);
            px[o] = r;
            px[o + 1] = g;
            px[o + 2] = b;
            px[o + 3] = a;
          }
        }
        plotted++;
      }
    }
  }
  return plotted;
}

/** The dots' texture and the one sprite that draws it over the screen. */
export class NodeRaster {
  readonly sprite = new Sprite();
  private px = new Uint8Array(0);
  private source: BufferImageSource | null = null;
  private w = 0;
  private h = 0;
  /** Nodes plotted at the last draw. */
  plotted = 0;

  constructor() {
    this.sprite.visible = false;
  }

  get shown(): boolean {
    return this.sprite.visible;
  }

  /**
   * Plots and shows the dots (the sprite lives in the world container: it is placed at the screen's top-left corner
   * and scaled against the world's zoom), or hides them.
   */
  draw(show: boolean, layers: readonly RasterNodes[], cam: Camera): void {
    this.sprite.visible = show;
    if (!show) return;
    const w = Math.max(1, Math.ceil(cam.width / RASTER_SCALE)), h = Math.max(1, Math.ceil(cam.height / RASTER_SCALE));
    if (w !== this.w || h !== this.h || !this.source) this.resize(w, h);
    this.plotted = plotNodes(this.px, w, h, layers, cam);
    this.source!.update();
    this.sprite.position.set(cam.screenToWorldX(0), cam.screenToWorldY(0));
    this.sprite.scale.set(RASTER_SCALE / cam.zoom);
  }

  private resize(w: number, h: number): void {
    this.w = w;
    this.h = h;
    this.px = new Uint8Array(4 * w * h);
    const old = this.sprite.texture;
    this.source = new BufferImageSource({ resource: this.px, width: w, height: h, alphaMode: 'premultiplied-alpha', scaleMode: 'nearest' });
    this.sprite.texture = new Texture({ source: this.source });
    if (old !== Texture.EMPTY) old.destroy(true);
  }
}
