// Hit-testing: which agent a click lands on, and which flow the pointer is
// over. Agents are found through each plane's k-d tree and judged by their
// live drawn positions; flows by distance to their drawn segment. Screen
// reaches are converted to world units through the camera. No pixi here.

import type { Camera } from './camera.js';
import type { AgentRef } from './graph-view.js';
import { nodeRadiusPx } from './lod.js';
import type { PlaneLayer } from './plane-layer.js';
import { nearestSlot } from './spatial-index.js';

/** Pick reach around a node, in screen pixels beyond its largest drawn radius. */
export const PICK_SLACK_PX = 6;
/** A node at full load is drawn this many times its radius (meshes.ts): a click on any of it picks it. */
const LOADED_RADIUS = 1.6;
/** The pointer is over a flow within this many screen pixels of its drawn edge. */
export const FLOW_REACH_PX = 5;

/** What picking reads of a plane. */
export type PickLayer = Pick<PlaneLayer, 'plane' | 'visible' | 'spatial' | 'kin' | 'slotCount' | 'alive' | 'ids'> & { group: { visible: boolean } };
/** What flow hit-testing reads of a plane. */
export type FlowLayer = Pick<PlaneLayer, 'flows'> & { group: { visible: boolean } };

/** How far from an agent's centre a click still picks it, in world units. */
export function pickReach(cam: Camera, agentsShown: number): number {
  return (nodeRadiusPx(cam.relativeZoom, agentsShown) * LOADED_RADIUS + PICK_SLACK_PX) / cam.zoom;
}

/** The agent drawn under screen point (sx, sy): nearest within its radius plus a few pixels; on a tie the plane drawn on top (later in `layers`). Hidden planes are skipped. */
export function pickAgent(layers: readonly PickLayer[], cam: Camera, agentsShown: number, sx: number, sy: number, now: number): AgentRef | null {
  const wx = cam.screenToWorldX(sx), wy = cam.screenToWorldY(sy);
  const reach = pickReach(cam, agentsShown);
  let best: AgentRef | null = null;
  let bestD = Infinity;
  for (const l of layers) {
    if (!l.group.visible || l.visible === 0) continue;
    if (l.spatial.stale(now)) l.spatial.build(l.kin.xy, l.slotCount, (s) => l.alive[s] === 1, now);
    // Nodes moved since the index was built: widen the query, then judge by live positions.
    const candidates = l.spatial.within(wx, wy, reach * 3);
    const hit = nearestSlot(candidates, l.kin.xy, wx, wy, reach);
    if (hit.slot >= 0 && hit.d2 <= bestD) {
      bestD = hit.d2;
      best = { plane: l.plane, id: l.ids[hit.slot]! };
    }
  }
  return best;
}

/**
 * The drawn flow under screen point (sx, sy): the one whose drawn body (its width, plus FLOW_REACH_PX) is nearest the
 * pointer, so a pointer on a wide namespace flow names it even where a thin agent-to-agent flow crosses it. Faded-out
 * flows and hidden planes are skipped; null when none is within reach.
 */
export function flowAt<L extends FlowLayer>(layers: readonly L[], cam: Camera, sx: number, sy: number): { layer: L; k: number } | null {
  const wx = cam.screenToWorldX(sx), wy = cam.screenToWorldY(sy);
  const reach = FLOW_REACH_PX / cam.zoom;
  let best: { layer: L; k: number } | null = null;
  let bestD = reach;
  for (const l of layers) {
    if (!l.group.visible) continue;
    const f = l.flows, e = f.ends;
    // Flows are few next to agents on the screen where hovering them makes sense; bounded by SCENE_MAX_FLOWS.
    for (let k = 0; k < f.n; k++) {
      if (f.color[4 * k + 3] === 0) continue;
      // Distance from the flow's drawn edge, not its centre line (negative inside it).
      const d = Math.sqrt(segmentDistance2(wx, wy, e[4 * k]!, e[4 * k + 1]!, e[4 * k + 2]!, e[4 * k + 3]!)) - f.drawnWidthPx(k) / 2 / cam.zoom;
      if (d < bestD) {
        bestD = d;
        best = { layer: l, k };
      }
    }
  }
  return best;
}

/** Squared distance from point p to segment a–b. */
export function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
  const x = ax + t * dx - px, y = ay + t * dy - py;
  return x * x + y * y;
}
