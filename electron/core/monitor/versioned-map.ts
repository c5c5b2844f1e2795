// Entries with an identity, each stamped with the plane's change number when
// it changes (so a view can be sent what changed since the last it had), and
// their estimated bytes: the store under alerts, rounds and the command log.
// Insertion order is kept; what a structure evicts is counted here.

import type { StructureCount } from '../../../shared/index.js';

export class VersionedMap<K, T extends { rev: number }> {
  private readonly map = new Map<K, { value: T; bytes: number }>();
  private held = 0;
  /** The newest change number of any entry here. */
  lastRev = 0;
  evicted = 0;

  constructor(private readonly nextRev: () => number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): T | undefined {
    return this.map.get(key)?.value;
  }

  /** Adds `value` (or replaces the entry) and stamps it changed. */
  set(key: K, value: T): T {
    const had = this.map.get(key);
    if (had) this.held -= had.bytes;
    this.map.set(key, { value, bytes: 0 });
    this.touched(key);
    return value;
  }

  /** The entry changed: a new change number, its bytes again. */
  touched(key: K): void {
    const e = this.map.get(key);
    if (!e) return;
    e.value.rev = this.lastRev = this.nextRev();
    this.held -= e.bytes;
    e.bytes = JSON.stringify(e.value).length;
    this.held += e.bytes;
  }

  /** Removes an entry to keep a bound (counted). */
  evict(key: K): void {
    const e = this.map.get(key);
    if (!e) return;
    this.held -= e.bytes;
    this.map.delete(key);
    this.evicted++;
  }

  get bytes(): number {
    return this.held;
  }

  /** Keys and values, oldest added first. */
  *entries(): IterableIterator<[K, T]> {
    for (const [k, e] of this.map) yield [k, e.value];
  }

  /** Values, oldest added first. */
  values(): T[] {
    return [...this.map.values()].map((e) => e.value);
  }

  /** The entries changed after change number `rev`. */
  since(rev: number): T[] {
    if (this.lastRev <= rev) return [];
    const out: T[] = [];
    for (const e of this.map.values()) if (e.value.rev > rev) out.push(e.value);
    return out;
  }

  counts(maxEntries: number, maxBytes?: number): StructureCount {
    const c: StructureCount = { entries: this.map.size, bytes: this.held, evicted: this.evicted, maxEntries };
    if (maxBytes !== undefined) c.maxBytes = maxBytes;
    return c;
  }
}
