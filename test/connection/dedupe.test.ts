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
});
