// One plane's event log: every event in seq order, bounded by entries and by
// estimated bytes, the oldest out first and counted. The core numbers a
// plane's events without gaps (PlaneMonitor), so an event's place in the log
// follows from its seq: paging back is an index, not a search.

import type { PlaneEvent, StructureCount } from '../../../shared/index.js';
import { eventBytes } from './event-size.js';

export interface EventPage {
  /** Oldest first. */
  events: PlaneEvent[];
  /** Older events are still held. */
  more: boolean;
}

export class EventLog {
  private buf: (PlaneEvent | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private n = 0;
  private heldBytes = 0;
  evicted = 0;
  evictedBytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** The oldest seq held, or -1. */
  get firstSeq(): number {
    return this.n === 0 ? -1 : this.at(0)!.seq;
  }

  /** The newest seq held, or -1. */
  get lastSeq(): number {
    return this.n === 0 ? -1 : this.at(this.n - 1)!.seq;
  }

  /** Appends `ev` (its seq follows the last one's); evicts the oldest beyond the bounds. */
  push(ev: PlaneEvent): void {
    const bytes = eventBytes(ev);
    if (this.n === this.buf.length) this.grow();
    const i = (this.head + this.n) % this.buf.length;
    this.buf[i] = ev;
    this.sizes[i] = bytes;
    this.n++;
    this.heldBytes += bytes;
    while (this.n > 1 && (this.n > this.maxEntries || this.heldBytes > this.maxBytes)) this.dropOldest();
  }

  /**
   * The newest events before `beforeSeq` (absent: the newest of all), at most
   * `limit` of them and `maxBytes` together (at least one), oldest first.
   */
  page(beforeSeq: number | undefined, limit: number, maxBytes: number): EventPage {
    const first = this.firstSeq;
    let end = this.n; // exclusive index
    if (beforeSeq !== undefined) end = Math.max(0, Math.min(this.n, beforeSeq - first));
    let start = end;
    let bytes = 0;
    while (start > 0 && end - start < limit) {
      const b = this.sizes[(this.head + start - 1) % this.buf.length]!;
      if (start < end && bytes + b > maxBytes) break;
      bytes += b;
      start--;
    }
    const events: PlaneEvent[] = new Array<PlaneEvent>(end - start);
    for (let k = start; k < end; k++) events[k - start] = this.at(k)!;
    return { events, more: start > 0 };
  }

  counts(): StructureCount {
    return { entries: this.n, bytes: this.heldBytes, evicted: this.evicted, maxEntries: this.maxEntries, maxBytes: this.maxBytes };
  }

  private at(k: number): PlaneEvent | undefined {
    return k < 0 || k >= this.n ? undefined : this.buf[(this.head + k) % this.buf.length];
  }

  private dropOldest(): void {
    const i = this.head;
    this.heldBytes -= this.sizes[i]!;
    this.evictedBytes += this.sizes[i]!;
    this.buf[i] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.n--;
    this.evicted++;
  }

  /** Doubles the ring (up to the entry bound), oldest first at 0. */
  private grow(): void {
    const cap = Math.max(64, Math.min(this.maxEntries + 1, this.buf.length * 2));
    const buf: (PlaneEvent | undefined)[] = new Array<PlaneEvent | undefined>(cap);
    const sizes: number[] = new Array<number>(cap);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % this.buf.length;
      buf[k] = this.buf[i];
      sizes[k] = this.sizes[i]!;
    }
    this.buf = buf;
    this.sizes = sizes;
    this.head = 0;
  }
}
