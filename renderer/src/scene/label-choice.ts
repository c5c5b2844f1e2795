// Which agents get a label (level of detail): none until zoomed in past
// LABEL_MIN_RELATIVE_ZOOM; then the selected agent first, then agents in view
// from the plane drawn on top down, each only where its box claims free cells
// of the label grid (no overlap), never more than the screen holds. No pixi
// here.

import type { Camera } from './camera.js';
import type { AgentRef } from './graph-view.js';
import { labelBudget, type LabelGrid } from './lod.js';
import type { PlaneLayer } from './plane-layer.js';

/** Where a label sits from its agent's centre, in screen pixels: right of the node (at full load) and a little up. */
export function labelOffsetX(radiusPx: number): number {
  return radiusPx * 1.6 + 2;
}
export const LABEL_OFFSET_Y = -7;

/** What choosing labels reads of a plane. */
export type LabelLayer = Pick<PlaneLayer, 'visible' | 'spatial' | 'kin' | 'slotCount' | 'alive' | 'slotOf'> & { group: { visible: boolean } };

export interface LabelSlot<L> {
  layer: L;
  slot: number;
}

/** Fills `out` with the slots to label, in priority order; `radiusPx` is the nodes' drawn radius. */
export function chooseLabels<L extends LabelLayer>(
  out: LabelSlot<L>[],
  grid: LabelGrid,
  cam: Camera,
  layers: readonly L[],
  byPlane: ReadonlyMap<string, L>,
  selected: AgentRef | null,
  radiusPx: number,
  now: number,
): void {
  out.length = 0;
  const budget = labelBudget(cam.width, cam.height);
  grid.reset(cam.width, cam.height);
  const dx = labelOffsetX(radiusPx);
  const offer = (l: L, slot: number): void => {
    if (out.length >= budget || !l.alive[slot]) return;
    const sx = cam.worldToScreenX(l.kin.xy[2 * slot]!), sy = cam.worldToScreenY(l.kin.xy[2 * slot + 1]!);
    if (grid.claim(sx + dx, sy + LABEL_OFFSET_Y)) out.push({ layer: l, slot });
  };
  const sel = selected ? byPlane.get(selected.plane) : undefined;
  const selSlot = sel?.slotOf.get(selected!.id);
  if (sel && selSlot !== undefined) offer(sel, selSlot);
  const v = cam.visible(0);
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!l.group.visible || l.visible === 0) continue;
    if (l.spatial.stale(now)) l.spatial.build(l.kin.xy, l.slotCount, (s) => l.alive[s] === 1, now);
    const inView = l.spatial.range(v.x0, v.y0, v.x1, v.y1);
    for (let k = 0; k < inView.length && out.length < budget; k++) offer(l, inView[k]!);
  }
}
