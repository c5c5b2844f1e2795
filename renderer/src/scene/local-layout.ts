// Planes that send no positions are laid out here: d3-force in a worker
// (layout.worker.ts), started on the first such plane. This keeps the worker
// told of the agents each plane has, their groups and pins, and reports the
// positions it sends back to the planes' dead reckoning. A pinned agent stays
// where it was dragged until unpinned. The worker works in the plane's own
// units; what it sends is placed into the plane's region (plane-layer.ts).

import type { AgentRef } from './graph-view.js';
import type { LayoutPositions, ToLayout } from './layout-protocol.js';
import { fromWorld, styleSlot, type PlaneLayer } from './plane-layer.js';

export class LocalLayout {
  private worker: Worker | null = null;

  constructor(
    private readonly layers: ReadonlyMap<string, PlaneLayer>,
    /** The worker placed a plane's agents; `alpha` is how far its layout still has to settle. */
    private readonly onPlaced: (l: PlaneLayer, alpha: number) => void,
  ) {}

  /** A plane starts or stops sending positions: its agents join the layout, or leave it. */
  setPositioned(l: PlaneLayer, positioned: boolean): void {
    const wasLocal = l.positioned === false;
    l.positioned = positioned;
    if (positioned && wasLocal) {
      this.post({ type: 'drop', plane: l.plane });
      l.inLayout.clear();
      l.reported = false;
    }
    if (!positioned) {
      // Agents already drawn join the layout.
      const ids: number[] = [];
      for (let s = 0; s < l.slotCount; s++) if (l.alive[s]) ids.push(l.ids[s]!);
      if (ids.length) this.sync(l, ids, []);
    }
  }

  /** Agents that joined and left a locally laid-out plane. */
  sync(l: PlaneLayer, added: number[], removed: number[]): void {
    if (removed.length) {
      for (const id of removed) {
        l.inLayout.delete(id);
        l.pinned.delete(id);
      }
      this.post({ type: 'remove', plane: l.plane, ids: Uint32Array.from(removed) });
    }
    const fresh = added.filter((id) => !l.inLayout.has(id));
    if (fresh.length) {
      for (const id of fresh) l.inLayout.add(id);
      this.post({ type: 'add', plane: l.plane, ids: Uint32Array.from(fresh), groups: fresh.map((id) => l.agentGroup.get(id) ?? null) });
    }
  }

  /** An agent's group became known: the layout clusters by group. */
  group(l: PlaneLayer, id: number, group: string): void {
    if (l.positioned === false && l.inLayout.has(id)) this.post({ type: 'group', plane: l.plane, id, group });
  }

  /** Holds an agent of a locally laid-out plane at world (x, y) (a drag). */
  pin(ref: AgentRef, x: number, y: number): void {
    const l = this.layers.get(ref.plane);
    const slot = l?.slotOf.get(ref.id);
    if (!l || slot === undefined || l.positioned !== false) return;
    l.pinned.add(ref.id);
    l.kin.place(slot, x, y, performance.now());
    styleSlot(l, slot);
    l.styleDirty = true;
    // The worker lays out in the plane's own units; the scene draws them placed in its region.
    const p = fromWorld(l, x, y);
    this.post({ type: 'pin', plane: l.plane, id: ref.id, x: p.x, y: p.y });
  }

  /** Releases a pinned agent back to the layout (a double-click). */
  unpin(ref: AgentRef): void {
    const l = this.layers.get(ref.plane);
    if (!l || !l.pinned.delete(ref.id)) return;
    const slot = l.slotOf.get(ref.id);
    if (slot !== undefined) {
      styleSlot(l, slot);
      l.styleDirty = true;
    }
    this.post({ type: 'unpin', plane: l.plane, id: ref.id });
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private post(m: ToLayout): void {
    if (!this.worker) {
      if (m.type !== 'add') return;
      this.worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<LayoutPositions>) => this.apply(e.data);
    }
    this.worker.postMessage(m);
  }

  private apply(m: LayoutPositions): void {
    const l = this.layers.get(m.plane);
    if (!l || l.positioned !== false) return;
    const now = performance.now();
    const { scale, ox, oy } = l.place;
    for (let i = 0; i < m.ids.length; i++) {
      const id = m.ids[i]!;
      const slot = l.slotOf.get(id);
      if (slot === undefined || l.pinned.has(id)) continue;
      l.kin.report(slot, m.xy[2 * i]! * scale + ox, m.xy[2 * i + 1]! * scale + oy, 0, 0, now);
    }
    l.layoutAlpha = m.alpha;
    this.onPlaced(l, m.alpha);
  }
}
