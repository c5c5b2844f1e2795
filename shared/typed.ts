// Growing typed arrays: one helper for the decoder's records and columns, the
// agent store, the frame pipeline's scratch and the scene's struct-of-arrays
// columns (flows, dead reckoning, plane slots, labels).

export type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A new array of the same kind and `length`, holding the first `keep` elements of `a`; the rest is `fill`. */
export function resized<T extends TypedArray>(a: T, length: number, keep: number, fill = 0): T {
  const Ctor = a.constructor as new (n: number) => T;
  const b = new Ctor(length);
  if (fill !== 0) b.fill(fill);
  if (keep > 0) b.set(a.subarray(0, Math.min(keep, a.length, length)) as never);
  return b;
}

/** A copy of `a`, of the same kind, `length` long (at least `a`'s): all of `a`'s values first, the rest `fill`. */
export function grown<T extends TypedArray>(a: T, length: number, fill = 0): T {
  return resized(a, length, a.length, fill);
}

/** New capacity for `need` elements: at least doubling, never below `min`. */
export function grownCapacity(current: number, need: number, min = 64): number {
  return Math.max(need, current * 2, min);
}
