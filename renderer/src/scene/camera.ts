// The camera, in one place (like sigma.js's core/camera.ts): the world point at
// the view's centre, the zoom in screen pixels per world unit, and every
// world ↔ screen conversion. Picking, labels, overlays and the minimap all go
// through it. Planes use any units, so zoom limits are relative to the zoom
// of the last fit, not absolute. No pixi here: unit-tested on its own.

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Zoom out at most this far past a fit, and in at most this far. */
export const ZOOM_OUT_LIMIT = 1 / 50;
export const ZOOM_IN_LIMIT = 5_000;
/** Share of the view a fit leaves empty around the bounds. */
export const FIT_PADDING = 0.08;

export class Camera {
  /** World point at the centre of the view. */
  x = 0;
  y = 0;
  /** Screen (CSS) pixels per world unit. */
  zoom = 1;
  /** The zoom of the last fit: level of detail is judged relative to it. */
  fitZoom = 1;
  width = 1;
  height = 1;

  setViewport(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
  }

  /** Zoom relative to the last fit (1 = everything in view). */
  get relativeZoom(): number {
    return this.zoom / this.fitZoom;
  }

  worldToScreenX(wx: number): number {
    return (wx - this.x) * this.zoom + this.width / 2;
  }
  worldToScreenY(wy: number): number {
    return (wy - this.y) * this.zoom + this.height / 2;
  }
  screenToWorldX(sx: number): number {
    return (sx - this.width / 2) / this.zoom + this.x;
  }
  screenToWorldY(sy: number): number {
    return (sy - this.height / 2) / this.zoom + this.y;
  }

  /** Moves the view by a drag of (dx, dy) screen pixels: the world follows the pointer. */
  panBy(dx: number, dy: number): void {
    this.x -= dx / this.zoom;
    this.y -= dy / this.zoom;
  }

  /** Zooms by `factor` keeping the world point under screen (sx, sy) where it is. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const wx = this.screenToWorldX(sx), wy = this.screenToWorldY(sy);
    this.zoom = this.clampZoom(this.zoom * factor);
    this.x = wx - (sx - this.width / 2) / this.zoom;
    this.y = wy - (sy - this.height / 2) / this.zoom;
  }

  centreOn(wx: number, wy: number): void {
    this.x = wx;
    this.y = wy;
  }

  /** Frames `b` with padding; a point or a line still gets a finite zoom. */
  fit(b: Bounds): void {
    if (!(b.x1 >= b.x0 && b.y1 >= b.y0) || !Number.isFinite(b.x0 + b.x1 + b.y0 + b.y1)) return;
    const span = Math.max(b.x1 - b.x0, b.y1 - b.y0);
    const w = Math.max(b.x1 - b.x0, span * 1e-3, 1e-6);
    const h = Math.max(b.y1 - b.y0, span * 1e-3, 1e-6);
    const usable = 1 - 2 * FIT_PADDING;
    this.zoom = Math.min((this.width * usable) / w, (this.height * usable) / h);
    // A single agent (zero extent) fits as if it had a small neighbourhood.
    if (span === 0) this.zoom = Math.min(this.width, this.height) / 100;
    this.fitZoom = this.zoom;
    this.x = (b.x0 + b.x1) / 2;
    this.y = (b.y0 + b.y1) / 2;
  }

  /** The world rectangle in view, optionally grown by `marginPx` screen pixels on each side. */
  visible(marginPx = 0): Bounds {
    const hw = (this.width / 2 + marginPx) / this.zoom, hh = (this.height / 2 + marginPx) / this.zoom;
    return { x0: this.x - hw, y0: this.y - hh, x1: this.x + hw, y1: this.y + hh };
  }

  private clampZoom(z: number): number {
    return Math.min(this.fitZoom * ZOOM_IN_LIMIT, Math.max(this.fitZoom * ZOOM_OUT_LIMIT, z));
  }
}
