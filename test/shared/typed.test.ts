// Growing typed arrays (shared/typed.ts): the one helper the decoder, the
// agent store, the pipeline and the scene's columns grow by.

import { describe, expect, it } from 'vitest';
import { grown, grownCapacity, resized } from '../../shared/typed.js';

describe('growing typed-array columns', () => {
  it('keeps the values and the type, and fills the new room', () => {
    const a = Int16Array.of(3, -4, 5);
    const b = grown(a, 6, -1);
    expect(b).toBeInstanceOf(Int16Array);
    expect([...b]).toEqual([3, -4, 5, -1, -1, -1]);
    expect(a).toHaveLength(3); // a copy: the old column is untouched
    const f = grown(Float32Array.of(0.5), 3);
    expect(f).toBeInstanceOf(Float32Array);
    expect([...f]).toEqual([0.5, 0, 0]);
  });

  it('resizes keeping only the first values asked for, never more than fit', () => {
    const a = Uint32Array.of(1, 2, 3, 4);
    expect([...resized(a, 6, 2)]).toEqual([1, 2, 0, 0, 0, 0]);
    expect([...resized(a, 2, 4)]).toEqual([1, 2]);
    expect([...resized(a, 3, 0, 7)]).toEqual([7, 7, 7]);
  });

  it('at least doubles, never below the minimum (64 unless given)', () => {
    expect(grownCapacity(0, 10)).toBe(64);
    expect(grownCapacity(64, 65)).toBe(128);
    expect(grownCapacity(64, 1_000)).toBe(1_000);
    expect(grownCapacity(0, 3, 2)).toBe(3);
    expect(grownCapacity(10, 11, 0)).toBe(20);
  });
});
