// Deterministic mutation fuzzer for the binary decoder and the JSON
// normaliser. Seeds: the docs/PROTOCOL.md vectors and generated multi-frame
// messages; mutations: bit flips, byte sets, truncation, splices, length and
// count edits, inserted magic, region copies/deletes, and mutations inside a
// compressed batch (re-compressed so the inner frames are reached). A seeded
// PRNG (no Math.random) makes every run the same run.

import { describe, expect, it } from 'vitest';
import {
  DecodedMessage,
  type FrameInfo,
  type ProtocolErrorKind,
  decodeMessage,
  hexExcerpt,
} from '../../electron/core/protocol/binary.js';
import { deflaterFor, inflaterFor } from '../../electron/core/protocol/compression.js';
import { FrameType, HEADER_BYTES } from '../../electron/core/protocol/constants.js';
import * as E from '../../electron/core/protocol/encode.js';
import { PlaneEventSchema } from '../../shared/events.js';
import { normaliseJson } from '../../electron/core/protocol/json.js';
import { readVectors } from '../helpers/protocol.js';
import { CP_SEED_EXAMPLES, VIS_SEED_EXAMPLES } from '../helpers/seed-examples.js';
// The simulator's seeded PRNG (mulberry32): the same data on every run.
import { prng } from '../../electron/core/sim/world.js';
import { columns } from '../helpers/positions.js';

const BINARY_MESSAGES = 200_000;
const JSON_MESSAGES = 40_000;


const rand = prng(0x5eed_d0c5);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;

const inflate = inflaterFor('deflate');
const deflate = deflaterFor('deflate', 1);
const MAX_INFLATED = 256 * 1024;

const KINDS = new Set<ProtocolErrorKind>([
  'empty_message',
  'bad_magic',
  'truncated_header',
  'length_past_end',
  'count_mismatch',
  'state_overflow',
  'metrics_length',
  'bad_length',
  'non_finite',
  'bad_utf8',
  'bad_json',
  'not_negotiated',
  'inflate_limit',
  'inflate_failed',
  'inflated_size_mismatch',
  'nested_batch',
  'compressed_in_batch',
]);

// ------------------------------------------------------------------ seeds

function randomPositions(n: number): Uint8Array {
  const ids = Array.from({ length: n }, () => int(0x1_0000_0000));
  const f = (): number => Math.fround((rand() - 0.5) * 2000);
  return E.encodePositions(ids, Array.from({ length: n * 3 }, f), Array.from({ length: n * 3 }, f), n, { priority: pick(['low', 'normal', 'high', 'critical'] as const) });
}

function randomFrame(): Uint8Array {
  switch (int(9)) {
    case 0:
      return randomPositions(int(40));
    case 1:
      return E.encodeStateBatch(
        Array.from({ length: int(6) }, (_, i) => ({ id: i, state: int(10), flags: int(3), ...(rand() < 0.4 ? { meta: { task: `t-${i}`, n: i } } : {}) })),
      );
    case 2:
      return E.encodeMetrics(
        Array.from({ length: int(4) }, (_, i) => ({ id: i, tasks: int(100), successRate: rand(), avgMs: rand() * 500, cpu: rand() * 100, mem: BigInt(int(1 << 30)) * BigInt(1 + int(1 << 24)) })),
      );
    case 3:
      return E.encodeCoordination(JSON.parse(VIS_SEED_EXAMPLES['coordination.progress']!));
    case 4:
      return E.encodeHeartbeat(rand() < 0.5 ? undefined : int(2 ** 40));
    case 5:
      return E.encodeErrorFrame(int(9), 'agent déjà vu ✓');
    case 6:
      return E.encodeFrame(7 + int(200), new Uint8Array(int(12)));
    case 7:
      return E.encodeCompressedFrame(FrameType.HEARTBEAT, new Uint8Array(8), deflate);
    default:
      return E.encodeCompressedFrame(FrameType.POSITION_UPDATE, randomPositions(int(20)).subarray(8), deflate);
  }
}

interface Seed {
  bytes: Uint8Array;
  /** Uncompressed inner frames when the seed is a COMPRESSED_BATCH of them (mutated, then re-compressed). */
  inner?: Uint8Array;
}

function makeSeeds(): Seed[] {
  const seeds: Seed[] = [...readVectors().values()].map((bytes) => ({ bytes }));
  for (let i = 0; i < 300; i++) {
    const frames = Array.from({ length: 1 + int(5) }, randomFrame);
    seeds.push({ bytes: E.concatBytes(frames) });
  }
  for (let i = 0; i < 60; i++) {
    const inner = E.concatBytes(Array.from({ length: 1 + int(4) }, () => {
      // Frames inside a batch must not be compressed; keep the seed valid.
      let f = randomFrame();
      while (f[5]! & 1) f = randomFrame();
      return f;
    }));
    seeds.push({ bytes: E.encodeCompressedBatch(inner, deflate), inner });
  }
  seeds.push({ bytes: randomPositions(2500) }); // two position frames
  return seeds;
}

/** Offsets of frame headers, walking valid frames (for length/count edits). */
function headerOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  let o = 0;
  while (o + HEADER_BYTES <= b.length && b[o] === 0x41 && b[o + 4] !== FrameType.COMPRESSED_BATCH) {
    out.push(o);
    o += HEADER_BYTES + (b[o + 6]! | (b[o + 7]! << 8));
  }
  return out;
}

// -------------------------------------------------------------- mutations

const INTERESTING = [0x00, 0x01, 0x02, 0x05, 0x06, 0x07, 0x1b, 0x1c, 0x41, 0x47, 0x4e, 0x54, 0x7f, 0x80, 0xfe, 0xff];

function mutateOnce(b: Uint8Array, seeds: readonly Seed[]): Uint8Array {
  const len = b.length;
  switch (int(11)) {
    case 0: {
      // bit flips
      const c = new Uint8Array(b);
      for (let k = 1 + int(8); k > 0 && len > 0; k--) c[int(len)]! ^= 1 << int(8);
      return c;
    }
    case 1: {
      // byte sets
      const c = new Uint8Array(b);
      for (let k = 1 + int(4); k > 0 && len > 0; k--) c[int(len)] = rand() < 0.6 ? pick(INTERESTING) : int(256);
      return c;
    }
    case 2:
      return b.subarray(0, int(len + 1)); // truncation
    case 3: {
      // splice a slice of another seed in
      const other = pick(seeds).bytes;
      const from = int(other.length + 1);
      const piece = other.subarray(from, from + int(64));
      const at = int(len + 1);
      return E.concatBytes([b.subarray(0, at), piece, b.subarray(at)]);
    }
    case 4: {
      // length field edit
      const heads = headerOffsets(b);
      if (heads.length === 0) return b;
      const c = new Uint8Array(b);
      const o = pick(heads);
      const cur = c[o + 6]! | (c[o + 7]! << 8);
      const next = pick([0, 1, 0xffff, cur + 1, cur - 1, cur + 28, cur - 28, int(0x10000)]) & 0xffff;
      c[o + 6] = next & 0xff;
      c[o + 7] = next >> 8;
      return c;
    }
    case 5: {
      // count field edit (positions / states)
      const heads = headerOffsets(b).filter((o) => b[o + 4] === 1 || b[o + 4] === 2);
      if (heads.length === 0) return b;
      const c = new Uint8Array(b);
      const o = pick(heads) + HEADER_BYTES;
      if (o + 4 > c.length) return c;
      new DataView(c.buffer).setUint32(o, pick([0, 1, 0xffffffff, 2340, 2341, int(5000)]), true);
      return c;
    }
    case 6: {
      // inserted magic (+ a type byte)
      const at = int(len + 1);
      const head = Uint8Array.of(0x41, 0x47, 0x4e, 0x54, pick([1, 2, 3, 4, 5, 6, 0xff, int(256)]), int(256), int(256), int(4));
      return E.concatBytes([b.subarray(0, at), head.subarray(0, 4 + int(5)), b.subarray(at)]);
    }
    case 7: {
      // copy a region elsewhere
      const from = int(len + 1);
      const piece = b.subarray(from, from + int(40));
      const at = int(len + 1);
      return E.concatBytes([b.subarray(0, at), piece, b.subarray(at)]);
    }
    case 8: {
      // delete a region
      const from = int(len + 1);
      return E.concatBytes([b.subarray(0, from), b.subarray(from + 1 + int(16))]);
    }
    case 9: {
      // set the compressed bit or a reserved bit on a frame
      const heads = headerOffsets(b);
      if (heads.length === 0) return b;
      const c = new Uint8Array(b);
      c[pick(heads) + 5]! ^= pick([0x01, 0x08, 0x80, 0x06]);
      return c;
    }
    default:
      // two frames' worth of another seed appended
      return E.concatBytes([b, pick(seeds).bytes]);
  }
}

function mutate(seed: Seed, seeds: readonly Seed[]): Uint8Array {
  // A third of batch seeds are mutated inside, then re-compressed: the inner frames get fuzzed too.
  if (seed.inner !== undefined && rand() < 0.33) {
    let inner = seed.inner;
    for (let k = 1 + int(3); k > 0; k--) inner = mutateOnce(inner, seeds);
    if (inner.length === 0) inner = Uint8Array.of(0);
    return E.encodeCompressedBatch(inner, deflate);
  }
  let b = seed.bytes;
  for (let k = 1 + int(4); k > 0; k--) b = mutateOnce(b, seeds);
  return b;
}

// -------------------------------------------------------------- the check

interface Tally {
  messages: number;
  frames: number;
  errors: number;
  kinds: Map<string, number>;
}

const jsTwin = new DecodedMessage('js');

function checkOne(bytes: Uint8Array, out: DecodedMessage, tally: Tally, negotiated = true): void {
  const infos: FrameInfo[] = [];
  let threw: unknown = null;
  try {
    const onFrame = (f: FrameInfo): void => {
      infos.push({ ...f });
    };
    decodeMessage(bytes, out, negotiated ? { inflate, maxInflatedBytes: MAX_INFLATED, onFrame } : { maxInflatedBytes: MAX_INFLATED, onFrame });
  } catch (e) {
    threw = e;
  }
  if (threw !== null) throw new Error(`decodeMessage threw on ${hexExcerpt(bytes, 0, 64)}: ${String(threw)}`);

  tally.messages++;
  tally.frames += infos.length;
  const errs = out.protocolErrors;
  if (errs.length > 1) throw new Error(`more than one error: ${JSON.stringify(errs)}`);
  for (const e of errs) {
    tally.errors++;
    tally.kinds.set(e.kind, (tally.kinds.get(e.kind) ?? 0) + 1);
    if (!KINDS.has(e.kind) || e.reason.length === 0) throw new Error(`bad error ${JSON.stringify(e)}`);
    if (e.batch < 0) {
      if (e.offset < 0 || e.offset > bytes.length) throw new Error(`offset ${e.offset} out of ${bytes.length}`);
      if (e.hex !== hexExcerpt(bytes, e.offset)) throw new Error(`hex ${e.hex} is not the bytes at ${e.offset}`);
    } else if (e.batch >= bytes.length || e.offset < 0 || e.offset > out.inflatedBytes) {
      throw new Error(`batch error out of bounds ${JSON.stringify(e)}`);
    }
    if (e.frameType < -1 || e.frameType > 255) throw new Error(`frameType ${e.frameType}`);
  }

  // Counts agree with what onFrame saw.
  let pos = 0;
  let known = 0;
  let unknown = 0;
  let batches = 0;
  let lastOffset = -1;
  let lastBatch = -2;
  for (const f of infos) {
    if (f.batch !== lastBatch) lastOffset = -1;
    if (f.offset <= lastOffset) throw new Error('frame offsets must increase');
    lastOffset = f.offset;
    lastBatch = f.batch;
    if (f.type === FrameType.COMPRESSED_BATCH) batches++;
    else if (!f.known) unknown++;
    else known++;
    if (f.type === FrameType.POSITION_UPDATE && f.known) {
      if (f.start !== pos) throw new Error('position frames must append in order');
      pos += f.count;
    }
  }
  if (known !== out.frames || unknown !== out.unknownFrames || batches !== out.compressedBatches || pos !== out.positions.count) {
    throw new Error(`counts disagree: frames ${known}/${out.frames} unknown ${unknown}/${out.unknownFrames} batches ${batches}/${out.compressedBatches} positions ${pos}/${out.positions.count}`);
  }
  if (out.inflatedBytes > MAX_INFLATED) throw new Error('inflated past the limit');
  const kept = columns(out.positions);
  if (!kept.pos.every(Number.isFinite) || !kept.vel.every(Number.isFinite)) throw new Error('non-finite position kept');
  // One message in four through the scalar JS decoder too: it must agree with the SIMD kernel.
  if (tally.messages % 4 === 0) {
    decodeMessage(bytes, jsTwin, negotiated ? { inflate, maxInflatedBytes: MAX_INFLATED } : { maxInflatedBytes: MAX_INFLATED });
    if (JSON.stringify(columns(jsTwin.positions)) !== JSON.stringify(kept) || JSON.stringify(jsTwin.protocolErrors) !== JSON.stringify(errs)) {
      throw new Error(`simd and js decoders disagree on ${hexExcerpt(bytes, 0, 64)}`);
    }
  }
  if (out.states.meta.size > out.states.count) throw new Error('meta without a record');
}

describe('mutation fuzzer', () => {
  it(`runs ${BINARY_MESSAGES} mutated binary messages through decodeMessage`, { timeout: 180_000 }, () => {
    const seeds = makeSeeds();
    const out = new DecodedMessage();
    const tally: Tally = { messages: 0, frames: 0, errors: 0, kinds: new Map() };
    const t0 = performance.now();
    // The seeds themselves decode cleanly.
    for (const s of seeds) {
      checkOne(s.bytes, out, tally);
    }
    expect(tally.errors).toBe(12); // the 12 bad vectors of docs/PROTOCOL.md, and nothing else
    // One message in ten as if nothing was negotiated (no inflater).
    for (let i = 0; i < BINARY_MESSAGES; i++) checkOne(mutate(pick(seeds), seeds), out, tally, i % 10 !== 0);
    const ms = performance.now() - t0;
    console.log(
      `frames fuzz: ${tally.messages} messages (${BINARY_MESSAGES} mutated), ${tally.frames} frames decoded, ${tally.errors} protocol errors in ${(ms / 1000).toFixed(1)} s; kinds ${JSON.stringify(Object.fromEntries([...tally.kinds].sort()))}`,
    );
    expect(tally.messages).toBeGreaterThanOrEqual(100_000);
    // The mutations must reach most error paths, or the fuzzer is not doing its job.
    expect(tally.kinds.size).toBeGreaterThanOrEqual(15);
  });

  it(`runs ${JSON_MESSAGES} mutated JSON messages through normaliseJson`, { timeout: 180_000 }, () => {
    const texts = [...Object.values(VIS_SEED_EXAMPLES), ...Object.values(CP_SEED_EXAMPLES)];
    const CHARS = ['{', '}', '[', ']', '"', ':', ',', '\\', '0', '-', 'e', 'n', ' ', '\u0000', '\ud800', '<', '%'];
    const VALUES: unknown[] = [null, true, 0, -1, 1.5, 1e308, '', 'x', '30%', '1.5GB', [], {}, [1, 'a'], { a: { b: [] } }, 'agent-007', 2 ** 53];
    let invalid = 0;
    const t0 = performance.now();

    const mutateValue = (v: unknown, depth: number): unknown => {
      if (typeof v !== 'object' || v === null) return rand() < 0.5 ? pick(VALUES) : v;
      if (Array.isArray(v)) return v.map((x) => (rand() < 0.3 ? mutateValue(x, depth + 1) : x));
      const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(o);
      if (keys.length > 0) {
        const k = pick(keys);
        const r = rand();
        if (r < 0.25) delete o[k];
        else if (r < 0.5) o[k] = pick(VALUES);
        else o[k] = mutateValue(o[k], depth + 1);
      }
      if (rand() < 0.1) o[pick(['extra', '__proto__', 'payload', 'type', 'id', 'request_id', 'agent_id', 'channel'])] = pick(VALUES);
      return o;
    };

    for (let i = 0; i < JSON_MESSAGES; i++) {
      const base = pick(texts);
      let text: string;
      if (rand() < 0.5) {
        // structural mutation of the parsed message
        let v: unknown = mutateValue(JSON.parse(base), 0);
        if (rand() < 0.1) v = { channel: 'c', sequence: int(10), message: v };
        text = JSON.stringify(v) ?? 'null';
      } else {
        // textual mutation
        text = base;
        for (let k = 1 + int(4); k > 0; k--) {
          const at = int(text.length + 1);
          const r = rand();
          if (r < 0.3) text = text.slice(0, at) + pick(CHARS) + text.slice(at);
          else if (r < 0.6) text = text.slice(0, at) + text.slice(at + 1 + int(8));
          else if (r < 0.8) text = text.slice(0, at);
          else text = text.slice(0, at) + pick(texts).slice(int(200), int(400)) + text.slice(at);
        }
      }
      let ev;
      try {
        ev = normaliseJson(text);
      } catch (e) {
        throw new Error(`normaliseJson threw on ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`);
      }
      if (ev.type === 'protocol.invalid_message') {
        invalid++;
        if (typeof ev.payload.field !== 'string' || ev.payload.field.length === 0) throw new Error('INVALID_MESSAGE without a field');
      }
      // Schema-check a sample (zod is the slow part): every event must cross IPC.
      if (i % 8 === 0) {
        const r = PlaneEventSchema.safeParse({ ...ev, seq: i, plane: 'p', at: 0 });
        if (!r.success) throw new Error(`not a PlaneEvent: ${JSON.stringify(ev).slice(0, 300)}`);
      }
    }
    console.log(`json fuzz: ${JSON_MESSAGES} mutated messages, ${invalid} INVALID_MESSAGE in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(invalid).toBeGreaterThan(JSON_MESSAGES / 10);
    expect(invalid).toBeLessThan(JSON_MESSAGES);
  });
});
