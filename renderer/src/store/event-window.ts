// The events this view holds: a window onto the core's per-plane event logs,
// each plane's in seq order. The core's seq is an event's identity: an event
// arriving twice (a re-sent frame, a backfill overlapping a frame) is held
// once. New events append; older ones page in from the core (prepend).
// Bounded (CONSOLE_EVENT_LOG across planes): beyond it the oldest go, and
// their plane can page them in again; the core counts its own evictions.

import type { PlaneEvent } from '@shared';

interface PlaneEvents {
  /** Ascending seq. */
  events: PlaneEvent[];
  /** The core holds events older than the first here. */
  more: boolean;
}

export class EventWindow {
  private readonly planes = new Map<string, PlaneEvents>();
  private total = 0;
  /** Events appended since creation (the paused log's "N new"). */
  pushed = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.total;
  }

  /** Holding all it may: older events paged in now would only push out what was just paged. */
  get full(): boolean {
    return this.total >= this.capacity;
  }

  private of(plane: string): PlaneEvents {
    let p = this.planes.get(plane);
    if (!p) this.planes.set(plane, (p = { events: [], more: false }));
    return p;
  }

  /** A new event from a frame; false when it is held already. */
  add(ev: PlaneEvent): boolean {
    const p = this.of(ev.plane);
    const last = p.events[p.events.length - 1];
    if (last === undefined || ev.seq > last.seq) {
      p.events.push(ev);
    } else {
      // Out of order or a repeat: place it by seq, once.
      const i = lowerBound(p.events, ev.seq);
      if (p.events[i]?.seq === ev.seq) return false;
      p.events.splice(i, 0, ev);
    }
    this.total++;
    this.pushed++;
    this.trim();
    return true;
  }

  /** Events of `plane` from the core (a backfill or an older page, oldest first); returns how many were new. */
  merge(plane: string, events: readonly PlaneEvent[], more: boolean): number {
    const p = this.of(plane);
    const first = events[0]?.seq;
    if (first !== undefined && p.events.length > 0 && p.events[0]!.seq < first && !p.events.some((e) => e.seq === first - 1 || e.seq === first)) {
      // Held events older than the answer with a gap before it (missed while away): let them go; they page in again, gap and all.
      const keep = p.events.filter((e) => e.seq > first);
      this.total -= p.events.length - keep.length;
      p.events = keep;
    }
    const had = new Set(p.events.map((e) => e.seq));
    const fresh = events.filter((e) => e.plane === plane && !had.has(e.seq));
    if (fresh.length) {
      p.events = [...fresh, ...p.events].sort((a, b) => a.seq - b.seq);
      this.total += fresh.length;
    }
    // Whether older ones exist is the answer's to say when it reached back past what was held.
    if (events.length === 0 || p.events[0]!.seq >= events[0]!.seq) p.more = more;
    this.trim();
    return fresh.length;
  }

  /** Forgets planes this view no longer shows. */
  keepOnly(planes: ReadonlySet<string>): void {
    for (const [id, p] of this.planes) {
      if (planes.has(id)) continue;
      this.total -= p.events.length;
      this.planes.delete(id);
    }
  }

  /** Every event held, oldest first by arrival time (then plane and seq). */
  toArray(): PlaneEvent[] {
    const all: PlaneEvent[] = [];
    for (const p of this.planes.values()) for (const e of p.events) all.push(e);
    return all.sort((a, b) => a.at - b.at || (a.plane < b.plane ? -1 : a.plane > b.plane ? 1 : a.seq - b.seq));
  }

  /** The oldest seq held of `plane`, and whether the core holds older ones. */
  edge(plane: string): { oldestSeq: number | undefined; more: boolean } {
    const p = this.planes.get(plane);
    return { oldestSeq: p?.events[0]?.seq, more: p?.more ?? false };
  }

  /** The newest seq held of `plane`. */
  newestSeq(plane: string): number | undefined {
    const e = this.planes.get(plane)?.events;
    return e?.[e.length - 1]?.seq;
  }

  /** Planes with older events in the core. */
  planesWithMore(): string[] {
    return [...this.planes].filter(([, p]) => p.more).map(([id]) => id);
  }

  /** The (plane, seq) of every event held: the two-tab test compares views by it. */
  ids(): string[] {
    const out: string[] = [];
    for (const [id, p] of this.planes) for (const e of p.events) out.push(`${id}#${e.seq}`);
    return out;
  }

  private trim(): void {
    while (this.total > this.capacity) {
      // The plane whose first event is the oldest gives it up (it can page it in again).
      let victim: PlaneEvents | undefined;
      for (const p of this.planes.values()) if (p.events.length && (!victim || p.events[0]!.at < victim.events[0]!.at)) victim = p;
      if (!victim) return;
      const n = Math.min(victim.events.length, Math.max(1, this.total - this.capacity));
      victim.events.splice(0, n);
      victim.more = true;
      this.total -= n;
    }
  }
}

function lowerBound(a: readonly PlaneEvent[], seq: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
