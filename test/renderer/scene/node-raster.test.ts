import { describe, expect, it } from 'vitest';
import { MARK } from '../../../renderer/src/scene/lod.js';
import { plotNodes, RASTER_MAX_RADIUS_PX, rasterShown, type RasterNodes } from '../../../renderer/src/scene/node-raster.js';
import { testCamera } from '../../helpers/scene-plane.js';

// A 200×100 canvas centred on world (0, 0) at zoom 1: screen (100 + x, 50 + y); raster pixels are 2×2 screen pixels.
const W = 200, H = 100, RW = 100, RH = 50;

function nodes(list: { x: number; y: number; rgba: [number, number, number, number]; mark?: number }[], visible = true): RasterNodes {
  return {
    slotCount: list.length,
    kin: { xy: Float32Array.from(list.flatMap((n) => [n.x, n.y])) },
    style: Uint8Array.from(list.flatMap((n) => n.rgba)),
    meta: Uint8Array.from(list.flatMap((n) => [0, n.mark ?? MARK.none, 255, 0])),
    group: { visible },
  };
}

const at = (px: Uint8Array, x: number, y: number): number[] => [...px.subarray(4 * (y * RW + x), 4 * (y * RW + x) + 4)];

describe('nodes as dots', () => {
  it('are used below RASTER_MAX_RADIUS_PX only', () => {
    expect(rasterShown(RASTER_MAX_RADIUS_PX - 0.01)).toBe(true);
    expect(rasterShown(RASTER_MAX_RADIUS_PX)).toBe(false);
  });

  it('plots each node at its drawn position, premultiplied, and skips hidden nodes, hidden planes and what is off screen', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const px = new Uint8Array(4 * RW * RH).fill(7);
    const n = plotNodes(px, RW, RH, [
      nodes([
        { x: 0, y: 0, rgba: [255, 0, 0, 255] },
        { x: -90, y: -40, rgba: [0, 255, 0, 255] },
        { x: 10, y: 20, rgba: [200, 100, 50, 0] }, // not drawn
        { x: 500, y: 0, rgba: [255, 255, 255, 255] }, // off screen
        { x: 40, y: 10, rgba: [255, 255, 255, 51] }, // dimmed: premultiplied
      ]),
      nodes([{ x: 20, y: 20, rgba: [0, 0, 255, 255] }], false),
    ], cam);
    expect(n).toBe(3);
    expect(at(px, 50, 25)).toEqual([255, 0, 0, 255]);
    expect(at(px, 5, 5)).toEqual([0, 255, 0, 255]);
    expect(at(px, 55, 35)).toEqual([0, 0, 0, 0]);
    expect(at(px, 60, 35)).toEqual([0, 0, 0, 0]);
    expect(at(px, 70, 30)).toEqual([51, 51, 51, 51]);
    // Cleared first: nothing else is lit.
    let lit = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]) lit++;
    expect(lit).toBe(3);
  });

  it('follows the camera: pan and zoom', () => {
    const cam = testCamera(W, H, 10, 5, 2);
    const px = new Uint8Array(4 * RW * RH);
    plotNodes(px, RW, RH, [nodes([{ x: 20, y: 15, rgba: [9, 9, 9, 255] }])], cam);
    // screen (100 + (20 - 10)·2, 50 + (15 - 5)·2) = (120, 70): raster (60, 35).
    expect(at(px, 60, 35)).toEqual([9, 9, 9, 255]);
  });

  it('plots marked nodes (error, lost, unknown state) last and larger, over others in the same place', () => {
    const cam = testCamera(W, H, 0, 0, 1);
    const px = new Uint8Array(4 * RW * RH);
    const n = plotNodes(px, RW, RH, [
      nodes([
        { x: 0, y: 0, rgba: [248, 81, 73, 255], mark: MARK.error },
        { x: 0, y: 0, rgba: [63, 185, 80, 255] },
        { x: 2, y: 2, rgba: [63, 185, 80, 255] },
      ]),
    ], cam);
    expect(n).toBe(3);
    for (const [x, y] of [[50, 25], [51, 25], [50, 26], [51, 26]] as const) expect(at(px, x, y)).toEqual([248, 81, 73, 255]);
  });
});
