// The commands' local rate limit: a burst, then a steady refill.

import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../electron/core/connection/token-bucket.js';

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let t = 0;
    const b = new TokenBucket(2, 3, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.msUntilNext()).toBe(500);
    t = 499;
    expect(b.take()).toBe(false);
    t = 1000;
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
    t = 100_000;
    expect(b.available).toBe(3);
  });
});
