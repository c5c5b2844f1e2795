import { describe, expect, it } from 'vitest';
import { SCENE_MAX_LABELS } from '../../../shared/limits.js';
import { Camera } from '../../../renderer/src/scene/camera.js';
import {
  FLOW_FADE_MS,
  FLOW_HAIRLINE_PER_SCREEN,
  FLOW_QUIET_MS,
  flowHairline,
  flowColor,
  flowDensityAlpha,
  flowFade,
  flowWidthPx,
  LABEL_BOX_H,
  LABEL_BOX_W,
  LABEL_CELL_H,
  LABEL_CELL_W,
  LABEL_MIN_RELATIVE_ZOOM,
  LabelGrid,
  labelBudget,
  MARK,
  MARK_CELLS,
  nodeMark,
  labelsShown,
  nodeRadiusPx,
  particleScale,
} from '../../../renderer/src/scene/lod.js';

describe('level of detail', () => {
  it('shrinks particles with the nodes, to half at the smallest', () => {
    expect(particleScale(nodeRadiusPx(1, 200))).toBe(1);
    expect(particleScale(nodeRadiusPx(1, 5_000))).toBe(1);
    expect(particleScale(nodeRadiusPx(1, 50_000))).toBe(0.5);
    expect(particleScale(2.4)).toBeCloseTo(0.8, 5);
  });


  it('shows labels only from the label zoom inwards', () => {
    expect(labelsShown(1)).toBe(false);
    expect(labelsShown(LABEL_MIN_RELATIVE_ZOOM * 0.99)).toBe(false);
    expect(labelsShown(LABEL_MIN_RELATIVE_ZOOM)).toBe(true);
    expect(labelsShown(100)).toBe(true);
  });

  it('never budgets more labels than the screen holds, nor more than the limit', () => {
    expect(labelBudget(LABEL_BOX_W * 3, LABEL_BOX_H * 2)).toBe(6);
    expect(labelBudget(LABEL_BOX_W - 1, 1000)).toBe(0);
    expect(labelBudget(10_000, 10_000)).toBe(SCENE_MAX_LABELS);
  });

  it('places labels whose boxes never overlap', () => {
    const g = new LabelGrid();
    const W = LABEL_CELL_W * 40, H = LABEL_CELL_H * 20;
    g.reset(W, H);
    expect(g.claim(5, 5)).toBe(true);
    expect(g.claim(5 + LABEL_BOX_W - 2, 5)).toBe(false); // would overlap the first box
    expect(g.claim(5, 5 + LABEL_BOX_H - 2)).toBe(false);
    expect(g.claim(-1, 5)).toBe(false); // off-screen
    expect(g.claim(W - 10, 5)).toBe(false); // runs off the right edge
    // Random offers: every accepted box is disjoint from every other.
    g.reset(W, H);
    const boxes: [number, number][] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 2000; i++) {
      const x = rnd() * W, y = rnd() * H;
      if (g.claim(x, y)) boxes.push([x, y]);
    }
    expect(boxes.length).toBeGreaterThan(10);
    expect(boxes.length).toBeLessThanOrEqual(labelBudget(W, H) * 2);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay] = boxes[i]!, [bx, by] = boxes[j]!;
        expect(ax + LABEL_BOX_W < bx || bx + LABEL_BOX_W < ax || ay + LABEL_BOX_H < by || by + LABEL_BOX_H < ay).toBe(true);
      }
    g.reset(W, H);
    expect(g.claim(5, 5)).toBe(true); // a reset frees every cell
  });

  it('marks ERROR, lost and stale agents distinctly, the most urgent first', () => {
    expect(nodeMark(false, 2, false, false)).toBe(MARK.none);
    expect(nodeMark(false, 6, false, false)).toBe(MARK.error);
    expect(nodeMark(true, 6, true, true)).toBe(MARK.lost);
    expect(nodeMark(false, 6, true, false)).toBe(MARK.error);
    expect(nodeMark(false, 0, true, true)).toBe(MARK.stale);
    expect(nodeMark(false, 0, false, true)).toBe(MARK.pinned);
    // A state the console does not know (STATE_UNKNOWN, 256) has a look of its own (hollow, "?"), before a stale plane's.
    expect(nodeMark(false, 256, true, true)).toBe(MARK.unknown);
    expect(nodeMark(true, 256, false, false)).toBe(MARK.lost);
    expect(new Set(Object.values(MARK)).size).toBe(Object.keys(MARK).length);
    expect(Math.max(...Object.values(MARK))).toBeLessThan(MARK_CELLS);
  });

  it('draws dense swarms with smaller nodes', () => {
    expect(nodeRadiusPx(1, 200)).toBe(nodeRadiusPx(1, 0));
    expect(nodeRadiusPx(1, 100_000)).toBeLessThan(nodeRadiusPx(1, 10_000));
    expect(nodeRadiusPx(1, 10_000)).toBeLessThan(nodeRadiusPx(1, 200));
    expect(nodeRadiusPx(1, 1e9)).toBe(1.5);
  });

  it('grows nodes gently with zoom, within bounds', () => {
    expect(nodeRadiusPx(4)).toBeCloseTo(nodeRadiusPx(1) * 2, 6);
    expect(nodeRadiusPx(1e6)).toBe(nodeRadiusPx(1e9));
    expect(nodeRadiusPx(1e-6)).toBe(nodeRadiusPx(1e-3));
  });

  it('fades quiet flows out linearly, then removes them', () => {
    expect(flowFade(0)).toBe(1);
    expect(flowFade(FLOW_QUIET_MS)).toBe(1);
    expect(flowFade(FLOW_QUIET_MS + FLOW_FADE_MS / 2)).toBeCloseTo(0.5, 6);
    expect(flowFade(FLOW_QUIET_MS + FLOW_FADE_MS)).toBe(0);
  });

  it('draws width by rate and colour by success rate', () => {
    expect(flowWidthPx(100)).toBeGreaterThan(flowWidthPx(1));
    expect(flowWidthPx(1e9)).toBe(8);
    expect(flowColor(1)).toBe(0x3fb950);
    expect(flowColor(0.95)).toBe(0xd29922);
    expect(flowColor(0.5)).toBe(0xf85149);
    expect(flowColor(NaN)).toBe(0x3fb950);
    expect(flowDensityAlpha(200_000, 1)).toBeLessThan(flowDensityAlpha(100, 1));
    expect(flowDensityAlpha(200_000, 100)).toBe(flowDensityAlpha(1, 1)); // zoomed in, few per screen
    expect(flowHairline(200_000, 1)).toBe(true);
    expect(flowHairline(200_000, 10)).toBe(false); // zoomed in, widths read again
    expect(flowHairline(FLOW_HAIRLINE_PER_SCREEN, 1)).toBe(false);
  });
});

describe('camera', () => {
  it('converts world and screen both ways', () => {
    const c = new Camera();
    c.setViewport(800, 600);
    c.zoom = 2;
    c.centreOn(10, -5);
    expect(c.worldToScreenX(10)).toBe(400);
    expect(c.worldToScreenY(-5)).toBe(300);
    expect(c.screenToWorldX(c.worldToScreenX(123.5))).toBeCloseTo(123.5, 9);
    expect(c.screenToWorldY(c.worldToScreenY(-77))).toBeCloseTo(-77, 9);
  });

  it('zooms about the cursor: the world point under it stays put', () => {
    const c = new Camera();
    c.setViewport(800, 600);
    c.fit({ x0: 0, y0: 0, x1: 100, y1: 100 });
    const wx = c.screenToWorldX(700), wy = c.screenToWorldY(100);
    c.zoomAt(700, 100, 3);
    expect(c.screenToWorldX(700)).toBeCloseTo(wx, 9);
    expect(c.screenToWorldY(100)).toBeCloseTo(wy, 9);
    expect(c.relativeZoom).toBeCloseTo(3, 9);
  });

  it('fits any coordinate range: micro units, kilometres, a single point', () => {
    for (const span of [1e-6, 1, 1e3, 1e7]) {
      const c = new Camera();
      c.setViewport(1200, 800);
      c.fit({ x0: -span, y0: 5 * span, x1: span, y1: 6 * span });
      for (const [x, y] of [[-span, 5 * span], [span, 6 * span]] as const) {
        const sx = c.worldToScreenX(x), sy = c.worldToScreenY(y);
        expect(sx).toBeGreaterThanOrEqual(0);
        expect(sx).toBeLessThanOrEqual(1200);
        expect(sy).toBeGreaterThanOrEqual(0);
        expect(sy).toBeLessThanOrEqual(800);
      }
      expect(Math.abs(c.worldToScreenX(span) - c.worldToScreenX(-span))).toBeGreaterThan(1200 * 0.5); // it fills the view
    }
    const c = new Camera();
    c.setViewport(1200, 800);
    c.fit({ x0: 3, y0: 3, x1: 3, y1: 3 });
    expect(Number.isFinite(c.zoom) && c.zoom > 0).toBe(true);
    expect(c.worldToScreenX(3)).toBe(600);
  });

  it('pans with the pointer and clamps zoom relative to the fit', () => {
    const c = new Camera();
    c.setViewport(800, 600);
    c.fit({ x0: 0, y0: 0, x1: 10, y1: 10 });
    const sx = c.worldToScreenX(5);
    c.panBy(40, 0);
    expect(c.worldToScreenX(5)).toBeCloseTo(sx + 40, 9);
    c.zoomAt(0, 0, 1e12);
    expect(c.relativeZoom).toBeLessThan(1e4);
    c.zoomAt(0, 0, 1e-24);
    expect(c.relativeZoom).toBeGreaterThan(1e-3);
  });
});
