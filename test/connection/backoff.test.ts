// Reconnect backoff: an exponential ceiling with full jitter.

import { describe, expect, it } from 'vitest';
import { Backoff } from '../../electron/core/connection/backoff.js';

describe('backoff', () => {
  it('draws under an exponential ceiling capped at maxMs, never below minMs/2, and resets', () => {
    const draws = [1, 1, 1, 1, 1, 1, 1];
    const b = new Backoff(100, 1000, () => draws.shift() ?? 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    expect(b.attempts).toBe(5);
    b.reset();
    expect(b.next()).toBe(100);
    const low = new Backoff(100, 1000, () => 0);
    expect(low.next()).toBe(50);
  });

  it('spreads delays over the whole range (full jitter)', () => {
    const b = new Backoff(1000, 30_000);
    for (let i = 0; i < 10; i++) b.next();
    const xs = Array.from({ length: 400 }, () => b.next());
    expect(Math.max(...xs)).toBeLessThanOrEqual(30_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(500);
    // Full jitter: both halves of the range are used.
    expect(xs.some((x) => x < 10_000)).toBe(true);
    expect(xs.some((x) => x > 20_000)).toBe(true);
  });
});
