// message.sent particles: one per receiver, flying from sender to receiver
// over PARTICLE_MS. A fixed pool (SCENE_MAX_PARTICLES); when full the oldest
// is replaced, and counted. Colour shows the message type, size and shape the
// priority, a cross a failure. No pixi here.

import { SCENE_MAX_PARTICLES } from '@shared';

export const PARTICLE_MS = 1_200;

/** Shapes the particle shader draws. */
export const SHAPE = { disc: 0, diamond: 1, cross: 2 } as const;

export const MESSAGE_TYPE_COLORS: Readonly<Record<string, number>> = {
  REQUEST: 0x58a6ff,
  RESPONSE: 0x3fb950,
  BROADCAST: 0xd2a8ff,
  EVENT: 0xe3b341,
};
export const OTHER_MESSAGE_COLOR = 0xc9d1d9;
export const FAILED_MESSAGE_COLOR = 0xf85149;

/** Half-size in pixels and shape by priority (case-insensitive; unknown is normal). */
export function particleLook(priority: string | undefined, failed: boolean): { sizePx: number; shape: number } {
  const p = (priority ?? 'normal').toLowerCase();
  const sizePx = p === 'critical' ? 6 : p === 'high' ? 5 : p === 'low' ? 2.5 : 3.5;
  if (failed) return { sizePx: Math.max(sizePx, 5), shape: SHAPE.cross };
  return { sizePx, shape: p === 'high' || p === 'critical' ? SHAPE.diamond : SHAPE.disc };
}

export function particleColor(messageType: string | undefined, failed: boolean): number {
  if (failed) return FAILED_MESSAGE_COLOR;
  return MESSAGE_TYPE_COLORS[(messageType ?? '').toUpperCase()] ?? OTHER_MESSAGE_COLOR;
}

export class ParticlePool {
  n = 0;
  /** Particles replaced before landing because the pool was full. */
  replaced = 0;
  readonly layer = new Uint16Array(SCENE_MAX_PARTICLES);
  readonly fromId = new Uint32Array(SCENE_MAX_PARTICLES);
  readonly toId = new Uint32Array(SCENE_MAX_PARTICLES);
  readonly fromSlot = new Int32Array(SCENE_MAX_PARTICLES);
  readonly toSlot = new Int32Array(SCENE_MAX_PARTICLES);
  readonly born = new Float64Array(SCENE_MAX_PARTICLES);
  /** Mesh instance arrays. */
  readonly pos = new Float32Array(SCENE_MAX_PARTICLES * 2);
  readonly color = new Uint8Array(SCENE_MAX_PARTICLES * 4);
  readonly meta = new Uint8Array(SCENE_MAX_PARTICLES * 4);
  private oldest = 0;

  add(layer: number, fromId: number, fromSlot: number, toId: number, toSlot: number, color: number, sizePx: number, shape: number, now: number): void {
    let k: number;
    if (this.n < SCENE_MAX_PARTICLES) k = this.n++;
    else {
      k = this.oldest;
      this.oldest = (this.oldest + 1) % SCENE_MAX_PARTICLES;
      this.replaced++;
    }
    this.layer[k] = layer;
    this.fromId[k] = fromId;
    this.toId[k] = toId;
    this.fromSlot[k] = fromSlot;
    this.toSlot[k] = toSlot;
    this.born[k] = now;
    this.color[4 * k] = (color >> 16) & 255;
    this.color[4 * k + 1] = (color >> 8) & 255;
    this.color[4 * k + 2] = color & 255;
    this.color[4 * k + 3] = 255;
    this.meta[4 * k] = Math.min(255, Math.round((sizePx / 16) * 255));
    this.meta[4 * k + 1] = shape;
  }

  /** Removes landed particles (swap with the last). */
  expire(now: number): void {
    for (let k = 0; k < this.n; k++) {
      if (now - this.born[k]! < PARTICLE_MS) continue;
      this.removeAt(k);
      k--;
    }
  }

  removeAt(k: number): void {
    const last = --this.n;
    if (k !== last) {
      this.layer[k] = this.layer[last]!;
      this.fromId[k] = this.fromId[last]!;
      this.toId[k] = this.toId[last]!;
      this.fromSlot[k] = this.fromSlot[last]!;
      this.toSlot[k] = this.toSlot[last]!;
      this.born[k] = this.born[last]!;
      this.color.copyWithin(4 * k, 4 * last, 4 * last + 4);
      this.meta.copyWithin(4 * k, 4 * last, 4 * last + 4);
    }
    if (this.oldest >= this.n) this.oldest = 0;
  }
}
