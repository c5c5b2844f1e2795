// The chunks read back from recordings, kept for the next seek or step:
// one cache for every open recording, bounded by bytes (REPLAY_CHUNK_CACHE_BYTES),
// least recently used out first. A chunk's cost is its decompressed bytes
// plus an estimate per message object. A chunk larger than the whole budget
// is handed out but not kept.

import { REPLAY_CHUNK_CACHE_BYTES } from '../../../shared/index.js';

/** Estimated bytes of one message as the main thread holds it (the object and its data view). */
export const MESSAGE_OBJECT_BYTES = 200;

interface Entry<V> {
  value: Promise<V>;
  cost: number;
}

export interface ChunkCacheStats {
  entries: number;
  bytes: number;
  /** Entries evicted to stay under the budget. */
  evicted: number;
  hits: number;
  misses: number;
}

export class ChunkCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;
  private evicted = 0;
  private hits = 0;
  private misses = 0;

  constructor(readonly budgetBytes: number = REPLAY_CHUNK_CACHE_BYTES) {}

  /**
   * The value for `key`, loading it with `load` on a miss. `reserve` is
   * counted while it loads (the chunk's size as its index says), `costOf`
   * once it has.
   */
  get(key: string, load: () => Promise<V>, reserve: number, costOf: (v: V) => number): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    this.misses++;
    const entry: Entry<V> = { value: load(), cost: reserve };
    this.add(key, entry);
    entry.value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
        this.bytes += costOf(v) - entry.cost;
        entry.cost = costOf(v);
        this.trim();
      },
      () => this.remove(key, entry),
    );
    return entry.value;
  }

  /** Drops every entry whose key starts with `prefix` (a recording closed). */
  dropPrefix(prefix: string): void {
    for (const [k, e] of this.entries) if (k.startsWith(prefix)) this.remove(k, e);
  }

  stats(): ChunkCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, evicted: this.evicted, hits: this.hits, misses: this.misses };
  }

  private add(key: string, e: Entry<V>): void {
    this.entries.set(key, e);
    this.bytes += e.cost;
    this.trim();
  }

  private remove(key: string, e: Entry<V>): void {
    if (this.entries.get(key) !== e) return;
    this.entries.delete(key);
    this.bytes -= e.cost;
  }

  private trim(): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.remove(k, e);
      this.evicted++;
    }
  }
}
