// Growing typed arrays: one helper for the decoder's records and columns, the
// agent store and the frame pipeline's scratch.

export type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A new array of the same kind and `length`, holding the first `keep` elements of `a`. */
export function resized<T extends TypedArray>(a: T, length: number, keep: number): T {
  const Ctor = a.constructor as new (n: number) => T;
  const b = new Ctor(length);
  if (keep > 0) b.set(a.subarray(0, Math.min(keep, a.length, length)) as never);
  return b;
}

/** New capacity for `need` elements: at least doubling, never below `min`. */
export function grownCapacity(current: number, need: number, min: number): number {
  return Math.max(need, current * 2, min);
}
