// Picking and label queries through a k-d tree (kdbush) over one plane's drawn
// positions, not a linear scan per query. Positions move, so the index is
// rebuilt on demand when older than REINDEX_MS; queries allow for that age
// with a margin. No pixi here.

import KDBush from 'kdbush';

/** An index older than this is rebuilt before the next query. */
export const REINDEX_MS = 250;

export class SpatialIndex {
  private tree: KDBush | null = null;
  /** Index item → slot. */
  private slots = new Uint32Array(0);
  builtAt = -Infinity;
  size = 0;

  /** Indexes the slots 0..n-1 for which `alive(slot)` holds, at `xy[2s], xy[2s+1]`. */
  build(xy: ArrayLike<number>, n: number, alive: (slot: number) => boolean, now: number): void {
    let count = 0;
    for (let s = 0; s < n; s++) if (alive(s)) count++;
    if (this.slots.length < count) this.slots = new Uint32Array(Math.max(count, this.slots.length * 2));
    const tree = new KDBush(Math.max(1, count), 64, Float32Array);
    let k = 0;
    for (let s = 0; s < n; s++) {
      if (!alive(s)) continue;
      tree.add(xy[2 * s]!, xy[2 * s + 1]!);
      this.slots[k++] = s;
    }
    if (count === 0) tree.add(Infinity, Infinity);
    tree.finish();
    this.tree = tree;
    this.size = count;
    this.builtAt = now;
  }

  stale(now: number): boolean {
    return this.tree === null || now - this.builtAt > REINDEX_MS;
  }

  /** Slots indexed within radius r of (x, y). */
  within(x: number, y: number, r: number): number[] {
    if (!this.tree || this.size === 0) return [];
    return this.tree.within(x, y, r).map((i) => this.slots[i]!);
  }

  /** Slots indexed inside the rectangle. */
  range(x0: number, y0: number, x1: number, y1: number): number[] {
    if (!this.tree || this.size === 0) return [];
    return this.tree.range(x0, y0, x1, y1).map((i) => this.slots[i]!);
  }
}

/**
 * The nearest of `candidates` to (x, y) by their current positions, within r;
 * -1 when none. The index finds candidates; the live positions decide.
 */
export function nearestSlot(candidates: readonly number[], xy: ArrayLike<number>, x: number, y: number, r: number): { slot: number; d2: number } {
  let best = -1, bestD = r * r;
  for (const s of candidates) {
    const dx = xy[2 * s]! - x, dy = xy[2 * s + 1]! - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = s;
    }
  }
  return { slot: best, d2: bestD };
}
