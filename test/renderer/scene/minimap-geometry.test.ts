import { describe, expect, it } from 'vitest';
import type { Bounds } from '../../../renderer/src/scene/camera.js';
import { MINIMAP_H, MINIMAP_MARGIN, MINIMAP_MIN_W, MINIMAP_PAD, MINIMAP_W, minimapBox, minimapTransform, minimapViewRect } from '../../../renderer/src/scene/minimap-geometry.js';

const fresh = () => ({ scale: 0, x: 0, y: 0 });
const rect = (): Bounds => ({ x0: 0, y0: 0, x1: 0, y1: 0 });
/** The full-size box (a big canvas). */
const BIG = { w: MINIMAP_W, h: MINIMAP_H };

describe('the minimap transform', () => {
  it('fits the bounds inside the box with its padding, centred, touching the padding on the tighter axis', () => {
    const b = { x0: -500, y0: 100, x1: 1500, y1: 300 }; // wide: width decides
    const t = minimapTransform(b, BIG, fresh());
    const mx = (x: number) => t.x + x * t.scale, my = (y: number) => t.y + y * t.scale;
    expect(mx(b.x0)).toBeCloseTo(MINIMAP_PAD, 9);
    expect(mx(b.x1)).toBeCloseTo(MINIMAP_W - MINIMAP_PAD, 9);
    expect(my((b.y0 + b.y1) / 2)).toBeCloseTo(MINIMAP_H / 2, 9);
    expect(my(b.y0)).toBeGreaterThanOrEqual(MINIMAP_PAD);
    expect(my(b.y1)).toBeLessThanOrEqual(MINIMAP_H - MINIMAP_PAD);

    const tall = { x0: 0, y0: 0, x1: 10, y1: 1000 }; // tall: height decides
    const u = minimapTransform(tall, BIG, fresh());
    expect(u.y + tall.y0 * u.scale).toBeCloseTo(MINIMAP_PAD, 9);
    expect(u.y + tall.y1 * u.scale).toBeCloseTo(MINIMAP_H - MINIMAP_PAD, 9);
    expect(u.x + 5 * u.scale).toBeCloseTo(MINIMAP_W / 2, 9);
  });

  it('gives a single point a finite scale, centred', () => {
    const t = minimapTransform({ x0: 7, y0: 7, x1: 7, y1: 7 }, BIG, fresh());
    expect(Number.isFinite(t.scale) && t.scale > 0).toBe(true);
    expect(t.x + 7 * t.scale).toBeCloseTo(MINIMAP_W / 2, 6);
    expect(t.y + 7 * t.scale).toBeCloseTo(MINIMAP_H / 2, 6);
  });

  it('writes into the object it is given (no allocation per frame)', () => {
    const out = fresh();
    expect(minimapTransform({ x0: 0, y0: 0, x1: 1, y1: 1 }, BIG, out)).toBe(out);
  });
});

describe('the view rectangle in the minimap', () => {
  const b = { x0: 0, y0: 0, x1: 1000, y1: 1000 };
  const s = minimapTransform(b, BIG, fresh()).scale;

  it('maps a view inside the bounds through the same transform', () => {
    const t = minimapTransform(b, BIG, fresh());
    const out = rect();
    expect(minimapViewRect(b, s, { x0: 100, y0: 200, x1: 300, y1: 250 }, BIG, out)).toBe(true);
    expect(out.x0).toBeCloseTo(t.x + 100 * s, 9);
    expect(out.y0).toBeCloseTo(t.y + 200 * s, 9);
    expect(out.x1).toBeCloseTo(t.x + 300 * s, 9);
    expect(out.y1).toBeCloseTo(t.y + 250 * s, 9);
  });

  it('clips a view larger than the box to the box, and reports one outside it as empty', () => {
    const out = rect();
    expect(minimapViewRect(b, s, { x0: -1e6, y0: -1e6, x1: 1e6, y1: 1e6 }, BIG, out)).toBe(true);
    expect(out).toEqual({ x0: 0, y0: 0, x1: MINIMAP_W, y1: MINIMAP_H });
    expect(minimapViewRect(b, s, { x0: 1e6, y0: 0, x1: 2e6, y1: 10 }, BIG, out)).toBe(false);
  });
});

describe('the minimap box on the canvas', () => {
  const box = (w: number, h: number) => minimapBox(w, h, { x: 0, y: 0, w: 0, h: 0 });

  it('is full size on a big canvas, in the bottom-right corner', () => {
    expect(box(1520, 718)).toEqual({ x: 1520 - MINIMAP_W - MINIMAP_MARGIN, y: 718 - MINIMAP_H - MINIMAP_MARGIN, w: MINIMAP_W, h: MINIMAP_H });
  });

  it('shrinks with a small canvas (a 1024 x 700 window) to a small share of it, never under its minimum', () => {
    const b = box(624, 338);
    expect(b.w).toBeLessThan(MINIMAP_W);
    expect((b.w * b.h) / (624 * 338)).toBeLessThan(0.05);
    expect(b.x + b.w).toBe(624 - MINIMAP_MARGIN);
    expect(box(200, 150).w).toBe(MINIMAP_MIN_W);
    // A short, wide canvas: the height bounds it.
    expect(box(2000, 200).h).toBeLessThanOrEqual(200 * 0.36 + 1);
  });
});
