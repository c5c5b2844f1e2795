// The dedupe window for repeated message ids: bounded in time and size.

import { describe, expect, it } from 'vitest';
import { DedupeWindow } from '../../electron/core/connection/dedupe.js';

describe('dedupe window', () => {
  it('drops an id seen within the window, forgets it after, and holds at most `size` ids', () => {
    const d = new DedupeWindow(3, 1000);
    expect(d.check('a', 0)).toBe(false);
    expect(d.check('a', 500)).toBe(true);
    expect(d.check('a', 1001)).toBe(false);
    for (const k of ['b', 'c', 'd']) d.check(k, 1100);
    expect(d.count).toBe(3);
    expect(d.check('a', 1200)).toBe(false); // evicted by size
  });

  it('sweeps expired ids at most once a second, in time order even when an old id comes back', () => {
    const d = new DedupeWindow(10, 500);
    d.check('a', 0);
    d.check('b', 400);
    // "a" is past the window: not a duplicate; it is remembered anew, behind "b".
    expect(d.check('a', 600)).toBe(false);
    expect(d.count).toBe(2);
    // The sweep at 1000 drops "b" (600 ms old) and stops at "a" (400 ms).
    d.check('c', 1000);
    expect(d.count).toBe(2);
    expect(d.check('a', 1001)).toBe(true);
  });
});
