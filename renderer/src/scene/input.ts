// Pointer input on the graph's canvas (a captor, as sigma.js calls it): the
// wheel zooms about the pointer; a press that barely moves is a click (pick);
// a press on a node that can be dragged (a locally laid-out plane) drags it;
// any other press pans. The captor only interprets DOM events; what they do
// is the scene's (PointerTarget). No keyboard here: the console's shortcuts
// live in the shell.

import type { AgentRef } from './graph-view.js';

/** A press that moves less than this many screen pixels is a click. */
export const CLICK_SLOP_PX = 4;
/** Zoom per wheel delta unit: a factor of exp(-deltaY × this). */
export const WHEEL_ZOOM_RATE = 0.0015;

export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * WHEEL_ZOOM_RATE);
}

/** What pointer input does, in canvas CSS pixels. */
export interface PointerTarget {
  /** The node a press at (sx, sy) would drag, or null (the press pans). */
  draggableAt(sx: number, sy: number): AgentRef | null;
  drag(node: AgentRef, sx: number, sy: number): void;
  pan(dx: number, dy: number): void;
  zoomAt(sx: number, sy: number, factor: number): void;
  click(sx: number, sy: number): void;
  doubleClick(sx: number, sy: number): void;
  hover(sx: number, sy: number): void;
  leave(): void;
}

/** One press: a click until it moves CLICK_SLOP_PX from where it started, then a drag or pan in steps. */
export class Press {
  /** The last step, once moved. */
  dx = 0;
  dy = 0;
  moved = false;
  private x: number;
  private y: number;

  constructor(
    readonly sx: number,
    readonly sy: number,
    /** The node this press drags, or null: it pans. */
    readonly node: AgentRef | null,
  ) {
    this.x = sx;
    this.y = sy;
  }

  /** The pointer moved to (x, y): false while the press is still a click; true with the step in (dx, dy). */
  move(x: number, y: number): boolean {
    if (!this.moved && Math.hypot(x - this.sx, y - this.sy) < CLICK_SLOP_PX) return false;
    this.moved = true;
    this.dx = x - this.x;
    this.dy = y - this.y;
    this.x = x;
    this.y = y;
    return true;
  }
}

/** Binds the pointer captor to `canvas`. */
export function bindPointer(canvas: HTMLCanvasElement, target: PointerTarget): void {
  const local = (e: MouseEvent): { x: number; y: number } => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const p = local(e);
      target.zoomAt(p.x, p.y, wheelZoomFactor(e.deltaY));
    },
    { passive: false },
  );
  let press: Press | null = null;
  canvas.addEventListener('pointerdown', (e) => {
    const p = local(e);
    press = new Press(p.x, p.y, target.draggableAt(p.x, p.y));
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const p = local(e);
    if (!press) {
      target.hover(p.x, p.y);
      return;
    }
    if (!press.move(p.x, p.y)) return;
    if (press.node) target.drag(press.node, p.x, p.y);
    else target.pan(press.dx, press.dy);
  });
  canvas.addEventListener('pointerup', () => {
    if (press && !press.moved) target.click(press.sx, press.sy);
    press = null;
  });
  canvas.addEventListener('dblclick', (e) => {
    const p = local(e);
    target.doubleClick(p.x, p.y);
  });
  canvas.addEventListener('pointerleave', () => target.leave());
}
