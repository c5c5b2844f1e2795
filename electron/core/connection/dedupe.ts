// Duplicate suppression by message id within a window: an id seen in the last
// `windowMs` (and among the last `size` ids) is a duplicate. Insertion-ordered
// Map, so expiry and the size bound both evict from the front: O(1) per message.
// Direction: a leaf, used by intake.ts. A long id is remembered by its SHA-256
// (MAX_DEDUPE_KEY_CHARS): the window holds DEDUPE_ENTRIES short strings, never a plane's 64 KB ids.

import { createHash } from 'node:crypto';
import { DEDUPE_ENTRIES, MAX_DEDUPE_KEY_CHARS } from '../../../shared/index.js';

/** Expired ids are swept at most this often: a check reads an id's age itself, and the size bound holds meanwhile. */
const SWEEP_MS = 1000;

export class DedupeWindow {
  private readonly seenAt = new Map<string, number>();
  private sweptAt = -Infinity;

  constructor(
    readonly size = DEDUPE_ENTRIES,
    readonly windowMs = 5 * 60_000,
  ) {}

  /** Keys that were too long and are remembered by their hash. */
  hashed = 0;

  /** True when `key` was seen within the window (a duplicate); otherwise records it and returns false. */
  check(long: string, now: number): boolean {
    if (now - this.sweptAt >= SWEEP_MS) this.expire(now);
    let key = long;
    if (long.length > MAX_DEDUPE_KEY_CHARS) {
      key = `#${createHash('sha256').update(long).digest('base64')}`;
      this.hashed++;
    }
    const at = this.seenAt.get(key);
    if (at !== undefined && now - at <= this.windowMs) return true;
    // Seen before the window (not swept yet): to the back, so the map stays in time order for the sweep.
    if (at !== undefined) this.seenAt.delete(key);
    this.seenAt.set(key, now);
    if (this.seenAt.size > this.size) {
      const oldest = this.seenAt.keys().next();
      if (!oldest.done) this.seenAt.delete(oldest.value);
    }
    return false;
  }

  expire(now: number): void {
    this.sweptAt = now;
    for (const [k, at] of this.seenAt) {
      if (now - at <= this.windowMs) break;
      this.seenAt.delete(k);
    }
  }

  get count(): number {
    return this.seenAt.size;
  }
}
