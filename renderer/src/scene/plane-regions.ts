// The planes' regions as the scene keeps them: each plane's held bounds (in
// its own units), the grid of regions (regions.ts) and each plane's placement
// into its region (applied to what it draws, plane-layer.ts setPlacement), and
// each region's health counts (live, stale, error agents). Bounds are read
// every tick (the dead reckoning measures them as it moves the agents), so a
// plane is placed again as soon as a plane joins or leaves or its agents leave
// their held bounds; the counts every REGION_REFRESH_MS. No pixi here:
// region-frames.ts draws them.

import { AGENT_STATES } from '@shared';
import type { Bounds } from './camera.js';
import { fromWorld, setPlacement, type PlaneLayer } from './plane-layer.js';
import type { RegionInfo } from './probe-types.js';
import { heldBounds, layoutRegions, regionAt, regionsBounds, type Region } from './regions.js';

/** Held bounds and health counts are re-measured this often. */
export const REGION_REFRESH_MS = 250;
const STATE_ERROR = AGENT_STATES.indexOf('ERROR');

/** One region as drawn: where, whose, and how its plane is. */
export interface RegionState extends Region {
  layer: PlaneLayer;
  live: number;
  stale: number;
  error: number;
}

/** How a plane's agents stand: in ERROR; else stale (lost, or its plane STALE or DOWN); else live. */
export function healthOf(l: Pick<PlaneLayer, 'slotCount' | 'alive' | 'states' | 'ids' | 'lost' | 'connection'>): { live: number; stale: number; error: number } {
  let live = 0, stale = 0, error = 0;
  const quiet = l.connection === 'STALE';
  for (let s = 0; s < l.slotCount; s++) {
    if (!l.alive[s]) continue;
    if (l.states[s] === STATE_ERROR) error++;
    else if (quiet || l.lost.has(l.ids[s]!)) stale++;
    else live++;
  }
  return { live, stale, error };
}

/** The bounds of a plane's placed agents as drawn this tick (Kinematics.advance measures them), in its own units, or null. */
function ownBounds(l: PlaneLayer): Bounds | null {
  const b = l.kin.drawnBounds;
  if (l.visible === 0 || !(b.x1 >= b.x0)) return null;
  const a = fromWorld(l, b.x0, b.y0), c = fromWorld(l, b.x1, b.y1);
  return { x0: a.x, y0: a.y, x1: c.x, y1: c.y };
}

export class PlaneRegions {
  regions: RegionState[] = [];
  private readonly held = new Map<string, Bounds | null>();
  private key = '';
  private measuredAt = -Infinity;

  /**
   * Re-measures when due: held bounds, the layout, each plane's placement (what it drew moves with
   * it) and the health counts. Returns true when the regions themselves changed (a plane joined or left).
   */
  update(layers: ReadonlyMap<string, PlaneLayer>, now: number): boolean {
    let key = '';
    // Every tick: a plane whose agents left its held bounds is placed again before it is drawn outside its region.
    let moved = false;
    for (const l of layers.values()) {
      key += `${l.replay ? 1 : 0}${l.positioned === false ? 1 : 0}${l.plane}\n`;
      const was = this.held.get(l.plane) ?? null;
      const held = heldBounds(was, ownBounds(l));
      if (held !== was) {
        this.held.set(l.plane, held);
        moved = true;
      }
    }
    const joined = key !== this.key;
    const count = now - this.measuredAt >= REGION_REFRESH_MS;
    if (joined || moved) {
      this.key = key;
      for (const plane of this.held.keys()) if (!layers.has(plane)) this.held.delete(plane);
      const inputs = [...layers.values()].map((l) => ({ plane: l.plane, replay: l.replay, local: l.positioned === false, bounds: this.held.get(l.plane) ?? null }));
      this.regions = layoutRegions(inputs).map((r) => {
        const layer = layers.get(r.plane)!;
        setPlacement(layer, r);
        return { ...r, layer, live: 0, stale: 0, error: 0 };
      });
    }
    if (joined || moved || count) {
      this.measuredAt = now;
      for (const r of this.regions) Object.assign(r, healthOf(r.layer));
    }
    return joined;
  }

  /** The frame of a plane's region, in world units, or null. */
  rectOf(plane: string): Bounds | null {
    const r = this.regions.find((x) => x.plane === plane);
    return r ? { x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height } : null;
  }

  /** The bounds of the regions of the planes shown (hidden planes keep their place but are not fitted). */
  shownBounds(): Bounds | null {
    return regionsBounds(this.regions.filter((r) => r.layer.group.visible));
  }

  /** The shown region under world point (x, y), or null. */
  at(x: number, y: number): RegionState | null {
    return regionAt(this.regions.filter((r) => r.layer.group.visible), x, y);
  }

  /** For window.__swarmdeck.regions(). */
  info(): RegionInfo[] {
    return this.regions.map((r) => ({
      planeId: r.plane,
      x: r.x,
      y: r.y,
      width: r.width,
      height: r.height,
      label: r.layer.label,
      visible: r.layer.group.visible,
      live: r.live,
      stale: r.stale,
      error: r.error,
      title: null,
    }));
  }
}
