// Small helpers for the arrays a frame is built in (frame-pipeline.ts).

import { grownCapacity, resized, type TypedArray } from '../../../shared/index.js';

/** `a` when it holds `n`, else a new array of the same kind, at least doubled (contents not kept: scratch). */
export function scratchFor<T extends TypedArray>(a: T, n: number): T {
  return a.length >= n ? a : resized(a, grownCapacity(a.length, n, 0), 0);
}

/** CPU percent as the frame's u8 load, clamped to 0..100 (a Uint8Array store would wrap, and NaN becomes 0). */
export function loadPercent(cpu: number): number {
  return cpu > 100 ? 100 : cpu > 0 ? cpu : 0;
}
