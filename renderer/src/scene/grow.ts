// Growing the scene's struct-of-arrays columns: every per-slot or per-flow
// typed array grows the same way (a larger copy, the old values first), and a
// table grows all its columns to one capacity, at least doubling so growth
// costs amortised O(1) per item. No pixi here.

export type Column = Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** The capacity a table holding `cap` needs for `n` items: unchanged when they fit, else at least double (and at least `min`). */
export function grownCapacity(n: number, cap: number, min = 64): number {
  return n <= cap ? cap : Math.max(n, cap * 2, min);
}

/** A copy of `a`, of the same type, `length` long: `a`'s values first, the rest `fill`. */
export function grown<T extends Column>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
