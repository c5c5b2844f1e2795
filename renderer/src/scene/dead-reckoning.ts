// Fluid motion between plane updates. Each slot keeps its last reported
// position, velocity and time; the drawn position is extrapolated along the
// velocity (for at most SCENE_MAX_EXTRAPOLATION_MS). A new report does not
// jump: the gap between where the node was drawn and where the report puts it
// becomes an offset that decays exponentially (CORRECTION_MS), so motion stays
// continuous at 60 fps while updates arrive at 10–30 Hz. Struct-of-arrays,
// nothing allocated per slot per frame. No pixi here.

import { grown, grownCapacity, SCENE_MAX_EXTRAPOLATION_MS } from '@shared';

/** Time constant of the correction offset's decay (ms). */
export const CORRECTION_MS = 120;

export class Kinematics {
  capacity = 0;
  /** Drawn positions, x/y interleaved: the node mesh's instance buffer reads this array directly. */
  xy = new Float32Array(0);
  private bx = new Float64Array(0);
  private by = new Float64Array(0);
  private vx = new Float32Array(0);
  private vy = new Float32Array(0);
  private ex = new Float32Array(0);
  private ey = new Float32Array(0);
  private t = new Float64Array(0);
  /** 1 once the slot has had a report (the first one places it without a correction). */
  private live = new Uint8Array(0);

  /** Grows to hold `n` slots (at least doubling); returns whether `xy` was replaced. */
  ensure(n: number): boolean {
    if (n <= this.capacity) return false;
    const cap = grownCapacity(this.capacity, n);
    this.xy = grown(this.xy, cap * 2);
    this.bx = grown(this.bx, cap);
    this.by = grown(this.by, cap);
    this.vx = grown(this.vx, cap);
    this.vy = grown(this.vy, cap);
    this.ex = grown(this.ex, cap);
    this.ey = grown(this.ey, cap);
    this.t = grown(this.t, cap);
    this.live = grown(this.live, cap);
    this.capacity = cap;
    return true;
  }

  /** A report for `slot` at time `now` (ms). An identical re-report (a full frame of an unmoved agent) keeps the extrapolation going. */
  report(slot: number, x: number, y: number, vx: number, vy: number, now: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (!Number.isFinite(vx) || !Number.isFinite(vy)) vx = vy = 0;
    if (this.live[slot]) {
      if (this.bx[slot] === x && this.by[slot] === y && this.vx[slot] === vx && this.vy[slot] === vy) return;
      this.at(slot, now);
      this.ex[slot] = this.xy[2 * slot]! - x;
      this.ey[slot] = this.xy[2 * slot + 1]! - y;
    } else {
      this.ex[slot] = 0;
      this.ey[slot] = 0;
      this.xy[2 * slot] = x;
      this.xy[2 * slot + 1] = y;
      this.live[slot] = 1;
    }
    this.bx[slot] = x;
    this.by[slot] = y;
    this.vx[slot] = vx;
    this.vy[slot] = vy;
    this.t[slot] = now;
  }

  /** Puts a slot exactly at (x, y), at rest, with no correction (a dragged node). */
  place(slot: number, x: number, y: number, now: number): void {
    this.live[slot] = 0;
    this.report(slot, x, y, 0, 0, now);
  }

  /** The slot left: its next report places it afresh. */
  clear(slot: number): void {
    this.live[slot] = 0;
  }

  /** Moves slots 0..n-1 to the world (x × k + dx, y × k + dy): positions, velocities and corrections alike (a plane's region moved or was rescaled). */
  remap(n: number, k: number, dx: number, dy: number): void {
    const { bx, by, vx, vy, ex, ey, xy } = this;
    for (let s = 0; s < n; s++) {
      bx[s] = bx[s]! * k + dx;
      by[s] = by[s]! * k + dy;
      vx[s] = vx[s]! * k;
      vy[s] = vy[s]! * k;
      ex[s] = ex[s]! * k;
      ey[s] = ey[s]! * k;
      xy[2 * s] = xy[2 * s]! * k + dx;
      xy[2 * s + 1] = xy[2 * s + 1]! * k + dy;
    }
  }

  /** Last reported position (not extrapolated). */
  reportedX(slot: number): number {
    return this.bx[slot]!;
  }
  reportedY(slot: number): number {
    return this.by[slot]!;
  }

  /** Drawn position of one slot at `now`, written into `xy`. */
  at(slot: number, now: number): void {
    const age = now - this.t[slot]!;
    const dt = (age < 0 ? 0 : age > SCENE_MAX_EXTRAPOLATION_MS ? SCENE_MAX_EXTRAPOLATION_MS : age) / 1000;
    const decay = age <= 0 ? 1 : Math.exp(-age / CORRECTION_MS);
    this.xy[2 * slot] = this.bx[slot]! + this.vx[slot]! * dt + this.ex[slot]! * decay;
    this.xy[2 * slot + 1] = this.by[slot]! + this.vy[slot]! * dt + this.ey[slot]! * decay;
  }

  /** The rectangle the placed slots were drawn in at the last advance (x0 > x1 when none). */
  readonly drawnBounds = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };

  /** Drawn positions of slots 0..n-1 at `now`, and the rectangle they cover. Slots reported together share one exp(). */
  advance(n: number, now: number): void {
    const { bx, by, vx, vy, ex, ey, t, xy, live } = this;
    let lastT = NaN, dt = 0, decay = 0;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let s = 0; s < n; s++) {
      if (!live[s]) continue;
      const ts = t[s]!;
      if (ts !== lastT) {
        lastT = ts;
        const age = now - ts;
        dt = (age < 0 ? 0 : age > SCENE_MAX_EXTRAPOLATION_MS ? SCENE_MAX_EXTRAPOLATION_MS : age) / 1000;
        decay = age <= 0 ? 1 : age > CORRECTION_MS * 20 ? 0 : Math.exp(-age / CORRECTION_MS);
      }
      const x = (xy[2 * s] = bx[s]! + vx[s]! * dt + ex[s]! * decay);
      const y = (xy[2 * s + 1] = by[s]! + vy[s]! * dt + ey[s]! * decay);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const b = this.drawnBounds;
    b.x0 = x0;
    b.y0 = y0;
    b.x1 = x1;
    b.y1 = y1;
  }
}
