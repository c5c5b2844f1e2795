// The WebAssembly SIMD finiteness kernel behind POSITION_UPDATE decoding: its
// committed bytes match its source, it runs here, and the 'simd' and 'js'
// decoders agree on every input, good or bad.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POSITION_DECODER, DecodedMessage, decodeMessage, type PositionDecoder } from '../../electron/core/protocol/binary.js';
import { MAX_POSITIONS_PER_FRAME, POSITION_RECORD_BYTES } from '../../electron/core/protocol/constants.js';
import * as E from '../../electron/core/protocol/encode.js';
import { PositionKernel, simdKernelAvailable } from '../../electron/core/protocol/position-kernel.js';
import { positionsWasmSource, TS_PATH } from '../../scripts/build-wasm.mjs';
import { columns } from '../helpers/positions.js';

const NON_FINITE = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
/** Ids whose bits, read as binary32, are NaN or ±Infinity: they must never look like bad coordinates. */
const NAN_LIKE_IDS = [0x7f800000, 0x7fc00000, 0x7fffffff, 0xff800000, 0xffc00001, 0xffffffff];

function decodeWith(decoder: PositionDecoder, msg: Uint8Array): DecodedMessage {
  const out = new DecodedMessage(decoder);
  decodeMessage(msg, out);
  return out;
}

/** What a decode produced, comparable across decoders. */
function outcome(out: DecodedMessage): unknown {
  return { positions: columns(out.positions), errors: out.protocolErrors, frames: out.frames };
}

interface Agents {
  ids: number[];
  pos: number[];
  vel: number[];
}

function agents(n: number, seed: number): Agents {
  const a: Agents = { ids: [], pos: [], vel: [] };
  for (let i = 0; i < n; i++) {
    a.ids.push(NAN_LIKE_IDS[(i + seed) % NAN_LIKE_IDS.length]! - (i % 3));
    for (let k = 0; k < 3; k++) {
      a.pos.push(Math.fround(Math.sin(seed + i * 3 + k) * 1000));
      a.vel.push(Math.fround(Math.cos(seed + i * 3 + k)));
    }
  }
  return a;
}

describe('position kernel (WebAssembly SIMD)', () => {
  it('positions-wasm.ts is the assembled positions.wat', async () => {
    expect(readFileSync(TS_PATH, 'utf8')).toBe(await positionsWasmSource());
  });

  it('runs on this Node, and is the default decoder', () => {
    expect(simdKernelAvailable()).toBe(true);
    expect(DEFAULT_POSITION_DECODER).toBe('simd');
    const out = decodeWith('simd', E.encodePositions([1], [1, 2, 3], [4, 5, 6], 1));
    expect(out.positions.kernel).toBeInstanceOf(PositionKernel);
    // The records are views of the kernel's memory.
    expect(out.positions.f32.buffer).toBe(out.positions.kernel!.f32.buffer);
  });

  it('holds NaN-pattern ids and rejects a non-finite value in every coordinate of every record, at every count 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const a = agents(n, n);
      const good = E.encodePositions(a.ids, a.pos, a.vel, n);
      for (const decoder of ['simd', 'js'] as const) {
        const out = decodeWith(decoder, good);
        expect(out.protocolErrors).toEqual([]);
        expect(columns(out.positions)).toEqual(a);
        // The kernel itself says finite: the ids never reach the coordinate lanes (no slow re-check).
        if (decoder === 'simd' && n > 0) expect(out.positions.kernel!.finite(0, n), `n=${n}`).toBe(0);
      }
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 6; k++) {
          const bad = NON_FINITE[(i + k) % 3]!;
          const pos = [...a.pos];
          const vel = [...a.vel];
          if (k < 3) pos[i * 3 + k] = bad;
          else vel[i * 3 + k - 3] = bad;
          const msg = E.encodePositions(a.ids, pos, vel, n);
          const simd = decodeWith('simd', msg);
          expect(simd.protocolErrors.map((e) => e.kind), `n=${n} record ${i} coordinate ${k}`).toEqual(['non_finite']);
          expect(simd.positions.count).toBe(0);
          expect(outcome(simd)).toEqual(outcome(decodeWith('js', msg)));
        }
      }
    }
  });

  it('a finite sum that overflows binary32 is re-checked exactly and kept', () => {
    const n = 64;
    const big = Math.fround(3.4e38);
    const a = { ids: Array.from({ length: n }, (_, i) => i), pos: Array<number>(n * 3).fill(big), vel: Array<number>(n * 3).fill(-big) };
    // The kernel alone says "maybe not finite": its lane sums overflow.
    const msg = E.encodePositions(a.ids, a.pos, a.vel, n);
    const out = decodeWith('simd', msg);
    expect(out.positions.kernel!.finite(0, n)).toBe(1);
    expect(out.protocolErrors).toEqual([]);
    expect(columns(out.positions)).toEqual(a);
  });

  it('grows its memory mid-message and keeps earlier frames; a bad frame keeps those before it', () => {
    // 30 full frames: 70,200 agents, 1.9 MB of records, many times the first reservation.
    const n = 30 * MAX_POSITIONS_PER_FRAME;
    const a = agents(n, 7);
    const msg = E.encodePositions(a.ids, a.pos, a.vel, n);
    const out = new DecodedMessage('simd');
    decodeMessage(E.encodePositions([9], [1, 1, 1], [0, 0, 0], 1), out);
    const before = out.positions.f32.buffer;
    decodeMessage(msg, out);
    expect(out.positions.f32.buffer).not.toBe(before);
    expect(out.positions.bytes.byteLength).toBeGreaterThanOrEqual(n * POSITION_RECORD_BYTES);
    expect(columns(out.positions)).toEqual(a);

    // Poison one coordinate in frame 17: frames 0..16 are kept, the rest dropped.
    const badAt = 17 * MAX_POSITIONS_PER_FRAME + 5;
    const pos = [...a.pos];
    pos[badAt * 3 + 1] = Number.NaN;
    const bad = E.encodePositions(a.ids, pos, a.vel, n);
    decodeMessage(bad, out);
    expect(out.positions.count).toBe(17 * MAX_POSITIONS_PER_FRAME);
    expect(out.protocolErrors.map((e) => e.kind)).toEqual(['non_finite']);
    expect(outcome(out)).toEqual(outcome(decodeWith('js', bad)));
  });

  it('any bytes: the simd and js decoders agree (fast-check)', () => {
    const msg = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // Position frames with a few bytes changed: mostly good records, some NaN/Infinity.
      fc
        .tuple(fc.integer({ min: 0, max: 60 }), fc.integer(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }))
        .map(([n, seed, edits]) => {
          const a = agents(n, seed & 0xff);
          const bytes = E.encodePositions(a.ids, a.pos, a.vel, n);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          return bytes;
        }),
    );
    fc.assert(
      fc.property(msg, (bytes) => {
        expect(outcome(decodeWith('simd', bytes))).toEqual(outcome(decodeWith('js', bytes)));
      }),
      { numRuns: 2000 },
    );
  });
});
