// Binary decoder: every bad-input case (reason, offset, type, hex; frames
// before it kept; no throw), compression limits and bombs, and the decoder's
// bookkeeping (priorities, counters, onFrame, u64, alignment).

import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DecodedMessage,
  type DecodeOptions,
  type FrameInfo,
  type Inflater,
  type ProtocolError,
  type ProtocolErrorKind,
  decodeMessage,
  frameTypeName,
  hexExcerpt,
} from '../../electron/core/protocol/binary.js';
import { deflaterFor, inflaterFor, inflaterForNegotiated, normaliseAlgorithm } from '../../electron/core/protocol/compression.js';
import { DEFAULT_MAX_INFLATED_BYTES, FrameType, MAX_POSITIONS_PER_FRAME } from '../../electron/core/protocol/constants.js';
import * as E from '../../electron/core/protocol/encode.js';
import { binaryEvents } from '../../electron/core/protocol/frame-events.js';
import { bytes, hex } from '../helpers/protocol.js';
import { columns } from '../helpers/positions.js';

const inflate = inflaterFor('deflate');
const deflate = deflaterFor('deflate');

/** A good first frame: 3 agents, so "frames before the bad one are kept" is visible. */
const PREFIX = E.encodePositions([1, 2, 3], [1, 1, 1, 2, 2, 2, 3, 3, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0], 3);

function decode(msg: Uint8Array, opts: DecodeOptions = { inflate }): DecodedMessage {
  const out = new DecodedMessage();
  decodeMessage(msg, out, opts);
  return out;
}

/** Decodes PREFIX + bad, expects exactly one error of `kind` at the bad part and the prefix kept. */
function expectBadAfterPrefix(bad: Uint8Array, kind: ProtocolErrorKind, frameType: number, opts?: DecodeOptions): ProtocolError {
  const msg = E.concatBytes([PREFIX, bad]);
  let out!: DecodedMessage;
  expect(() => {
    out = decode(msg, opts);
  }).not.toThrow();
  expect(out.protocolErrors).toHaveLength(1);
  const e = out.protocolErrors[0]!;
  expect(e.kind).toBe(kind);
  expect(e.offset).toBe(PREFIX.length);
  expect(e.frameType).toBe(frameType);
  expect(e.hex).toBe(hex(bad.subarray(0, 16)));
  expect(e.batch).toBe(-1);
  expect(e.reason).toMatch(/\w/);
  // The frame before the bad one is kept, whole.
  expect(out.positions.count).toBe(3);
  expect(columns(out.positions).ids).toEqual([1, 2, 3]);
  expect(out.frames).toBe(1);
  return e;
}

function posPayload(count: number, records: number, patch?: (v: DataView) => void): Uint8Array {
  const p = new Uint8Array(4 + 28 * records);
  const v = new DataView(p.buffer);
  v.setUint32(0, count, true);
  for (let i = 0; i < records; i++) v.setUint32(4 + 28 * i, 100 + i, true);
  patch?.(v);
  return p;
}

describe('bad input', () => {
  it('bad magic', () => {
    const e = expectBadAfterPrefix(bytes('41474e5806020000'), 'bad_magic', -1);
    expect(e.reason).toContain('magic');
  });

  it('bad magic in a tail shorter than 4 bytes', () => {
    expectBadAfterPrefix(bytes('4148'), 'bad_magic', -1);
  });

  it('truncated header: magic prefix only, and magic + type', () => {
    expectBadAfterPrefix(bytes('41474e'), 'truncated_header', -1);
    const e = expectBadAfterPrefix(bytes('41474e540102'), 'truncated_header', 1);
    expect(e.reason).toContain('6 bytes left');
  });

  it('truncated frame: length past the end', () => {
    const frame = E.encodeHeartbeat(5);
    const e = expectBadAfterPrefix(frame.subarray(0, 12), 'length_past_end', FrameType.HEARTBEAT);
    expect(e.reason).toContain('length 8');
  });

  it('POSITION_UPDATE count/length disagreement (both directions, and a payload too short for count)', () => {
    expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, posPayload(3, 2)), 'count_mismatch', 1);
    expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, posPayload(1, 2)), 'count_mismatch', 1);
    expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, Uint8Array.of(1, 0)), 'count_mismatch', 1);
    // A huge count cannot make the decoder reserve anything.
    expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, posPayload(0xffffffff, 1)), 'count_mismatch', 1);
  });

  for (const [label, bits] of [
    ['NaN', 0x7fc00000],
    ['signalling NaN', 0x7f800001],
    ['+Infinity', 0x7f800000],
    ['-Infinity', 0xff800000],
  ] as const) {
    for (const slot of [1, 2, 3, 4, 5, 6]) {
      it(`${label} in word ${slot} of a record is non_finite`, () => {
        const p = posPayload(2, 2, (v) => v.setUint32(4 + 28 + 4 * slot, bits, true));
        expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, p), 'non_finite', 1);
      });
    }
  }

  it('an odd count with a NaN in the last (unpaired) record', () => {
    const p = posPayload(3, 3, (v) => v.setUint32(4 + 56 + 24, 0x7fc00000, true));
    expectBadAfterPrefix(E.encodeFrame(FrameType.POSITION_UPDATE, p), 'non_finite', 1);
  });

  it('bad UTF-8 in ERROR, COORDINATION_EVENT and state metadata', () => {
    expectBadAfterPrefix(bytes('41474e54ff020400 0300 c328'), 'bad_utf8', 0xff);
    expectBadAfterPrefix(E.encodeFrame(FrameType.COORDINATION_EVENT, bytes('7b22ff7d')), 'bad_utf8', 4);
    expectBadAfterPrefix(E.encodeStateBatch([{ id: 1, state: 1, metaRaw: bytes('7bed a080 7d') }]), 'bad_utf8', 2);
  });

  it('STATE_BATCH overflow: count past the payload, metaLen past the frame, trailing bytes', () => {
    expectBadAfterPrefix(bytes('41474e5402020c00 02000000 0100000000000000'), 'state_overflow', 2);
    expectBadAfterPrefix(bytes('41474e5402020c00 01000000 0100000000000500'), 'state_overflow', 2);
    expectBadAfterPrefix(bytes('41474e5402020e00 01000000 0100000000000000 0000'), 'count_mismatch', 2);
    expectBadAfterPrefix(bytes('41474e5402020200 0100'), 'count_mismatch', 2);
  });

  it('STATE_BATCH metadata must be a JSON object', () => {
    expectBadAfterPrefix(E.encodeStateBatch([{ id: 1, state: 1, metaRaw: 'not json' }]), 'bad_json', 2);
    expectBadAfterPrefix(E.encodeStateBatch([{ id: 1, state: 1, metaRaw: '[1,2]' }]), 'bad_json', 2);
  });

  it('PERFORMANCE_METRICS length not a multiple of 28, and non-finite values', () => {
    expectBadAfterPrefix(E.encodeFrame(FrameType.PERFORMANCE_METRICS, new Uint8Array(29)), 'metrics_length', 3);
    const m = E.encodeMetrics([{ id: 1, tasks: 1, successRate: Number.NaN, avgMs: 1, cpu: 1, mem: 1 }]);
    expectBadAfterPrefix(m, 'non_finite', 3);
  });

  it('HEARTBEAT and ERROR lengths', () => {
    expectBadAfterPrefix(E.encodeFrame(FrameType.HEARTBEAT, new Uint8Array(4)), 'bad_length', 6);
    expectBadAfterPrefix(E.encodeFrame(FrameType.ERROR, new Uint8Array(1)), 'bad_length', 0xff);
  });

  it('a compressed frame with no negotiation', () => {
    const frame = E.encodeCompressedFrame(FrameType.HEARTBEAT, new Uint8Array(8), deflate);
    const e = expectBadAfterPrefix(frame, 'not_negotiated', 6, {});
    expect(e.reason).toContain('no compression was negotiated');
    const batch = E.encodeCompressedBatch(E.encodeHeartbeat(), deflate);
    expectBadAfterPrefix(batch, 'not_negotiated', 5, {});
  });

  it('a compressed frame whose bytes are not a zlib stream', () => {
    expectBadAfterPrefix(E.encodeFrame(FrameType.HEARTBEAT, bytes('0102030405'), { compressed: true }), 'inflate_failed', 6);
  });

  it('a compressed frame payload inflating past 65,535 bytes', () => {
    const big = E.encodeFrame(FrameType.PERFORMANCE_METRICS, deflate(new Uint8Array(28 * 3000)), { compressed: true });
    expectBadAfterPrefix(big, 'inflate_limit', 3);
  });

  it('COMPRESSED_BATCH whose header announces more than the limit: refused before inflating', () => {
    let called = 0;
    const spy: Inflater = (d, m) => {
      called++;
      return inflate(d, m);
    };
    const batch = E.encodeCompressedBatch(E.encodeHeartbeat(), deflate);
    new DataView(batch.buffer).setUint32(5, DEFAULT_MAX_INFLATED_BYTES + 1, true);
    const e = expectBadAfterPrefix(batch, 'inflate_limit', 5, { inflate: spy });
    expect(e.reason).toContain(String(DEFAULT_MAX_INFLATED_BYTES + 1));
    expect(called).toBe(0);
    // And a configured lower limit.
    const small = E.encodeCompressedBatch(E.concatBytes(Array.from({ length: 20 }, () => E.encodeHeartbeat())), deflate);
    expectBadAfterPrefix(small, 'inflate_limit', 5, { inflate, maxInflatedBytes: 100 });
  });

  it('a real decompression bomb stops at the limit without allocating it all', () => {
    // 64 MiB of zeros deflates to ~64 KiB; the header claims a legal 1 MiB.
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });
    expect(bomb.byteLength).toBeLessThan(100_000);
    const msg = E.concatBytes([bytes('41474e5405'), bytes('00001000'), new Uint8Array(bomb.buffer, bomb.byteOffset, bomb.byteLength)]);
    let largest = 0;
    let threw = false;
    const spy: Inflater = (d, m) => {
      largest = Math.max(largest, m);
      try {
        return inflate(d, m);
      } catch (err) {
        threw = true;
        throw err;
      }
    };
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const out = decode(E.concatBytes([PREFIX, msg]), { inflate: spy, maxInflatedBytes: 1 << 20 });
    const grew = process.memoryUsage().arrayBuffers - before;
    expect(out.protocolErrors.map((e) => e.kind)).toEqual(['inflate_limit']);
    expect(out.protocolErrors[0]!.offset).toBe(PREFIX.length);
    expect(out.positions.count).toBe(3);
    expect(largest).toBe(1 << 20); // inflating was bounded by the header's original length
    expect(threw).toBe(true);
    expect(grew).toBeLessThan(32 << 20); // nowhere near the 64 MiB it would inflate to
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('the same bomb against the default 16 MiB limit, announced at exactly the limit', () => {
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });
    const head = new Uint8Array(9);
    head.set(bytes('41474e5405'));
    new DataView(head.buffer).setUint32(5, DEFAULT_MAX_INFLATED_BYTES, true);
    const out = decode(E.concatBytes([head, new Uint8Array(bomb.buffer, bomb.byteOffset, bomb.byteLength)]));
    expect(out.protocolErrors.map((e) => e.kind)).toEqual(['inflate_limit']);
  });

  it('a batch inflating to less than its header says', () => {
    const batch = E.encodeCompressedBatch(E.encodeHeartbeat(), deflate);
    new DataView(batch.buffer).setUint32(5, 100, true);
    expectBadAfterPrefix(batch, 'inflated_size_mismatch', 5);
  });

  it('the inflate budget is per message: many small compressed frames cannot add up past it', () => {
    const frame = E.encodeCompressedFrame(FrameType.PERFORMANCE_METRICS, new Uint8Array(28 * 2000), deflate);
    const msg = E.concatBytes([PREFIX, frame, frame, frame]);
    const out = decode(msg, { inflate, maxInflatedBytes: 28 * 2000 * 2 + 10 });
    expect(out.metrics.count).toBe(4000);
    expect(out.protocolErrors.map((e) => [e.kind, e.offset])).toEqual([['inflate_limit', PREFIX.length + 2 * frame.length]]);
  });

  it('a nested compressed batch', () => {
    const inner = E.concatBytes([E.encodeHeartbeat(7), E.encodeCompressedBatch(E.encodeHeartbeat(), deflate)]);
    const batch = E.encodeCompressedBatch(inner, deflate);
    const out = decode(E.concatBytes([PREFIX, batch]));
    expect(out.protocolErrors).toHaveLength(1);
    const e = out.protocolErrors[0]!;
    expect([e.kind, e.offset, e.batch, e.frameType]).toEqual(['nested_batch', 16, PREFIX.length, 5]);
    expect(e.hex).toBe(hex(inner.subarray(16, 32)));
    // Frames before it, at top level and inside the batch, are kept.
    expect(out.positions.count).toBe(3);
    expect(out.heartbeats).toEqual([7]);
  });

  it('a compressed frame inside a batch', () => {
    const inner = E.concatBytes([E.encodeHeartbeat(), E.encodeCompressedFrame(FrameType.HEARTBEAT, new Uint8Array(8), deflate)]);
    const out = decode(E.encodeCompressedBatch(inner, deflate));
    expect(out.protocolErrors.map((e) => [e.kind, e.offset, e.batch])).toEqual([['compressed_in_batch', 8, 0]]);
    expect(out.heartbeats).toEqual([null]);
  });

  it('an empty message, and a batch of length 0', () => {
    expect(decode(new Uint8Array(0)).protocolErrors.map((e) => [e.kind, e.offset, e.frameType])).toEqual([['empty_message', 0, -1]]);
    expectBadAfterPrefix(bytes('41474e5405 00000000 7801'), 'empty_message', 5);
  });

  it('unknown types are skipped by length and counted, even compressed, and decoding goes on', () => {
    const msg = E.concatBytes([
      PREFIX,
      E.encodeFrame(0x07, Uint8Array.of(1, 2, 3)),
      E.encodeFrame(0x42, new Uint8Array(0), { compressed: true }),
      E.encodeFrame(0xfe, new Uint8Array(300)),
      E.encodeHeartbeat(1),
    ]);
    const out = decode(msg, {});
    expect(out.protocolErrors).toEqual([]);
    expect(out.unknownFrames).toBe(3);
    expect(out.heartbeats).toEqual([1]);
    expect(out.frames).toBe(2);
  });

  it('reserved flag bits are counted and ignored', () => {
    const msg = E.concatBytes([
      E.encodeHeartbeat(undefined, { flags: 0x08 }),
      E.encodeHeartbeat(undefined, { flags: 0xf2 }),
      E.encodeHeartbeat(undefined, { flags: 0x02 }),
    ]);
    const out = decode(msg);
    expect(out.reservedFlagFrames).toBe(2);
    expect(out.heartbeats).toEqual([null, null, null]);
    expect(out.protocolErrors).toEqual([]);
  });
});

describe('decoding', () => {
  it('many agents over several frames, and unaligned payloads (scratch path)', () => {
    const n = MAX_POSITIONS_PER_FRAME * 2 + 17;
    const ids = Array.from({ length: n }, (_, i) => i * 3 + 1);
    const pos = Array.from({ length: n * 3 }, (_, i) => Math.fround(i * 0.25 - 100));
    const vel = Array.from({ length: n * 3 }, (_, i) => Math.fround(-i / 7));
    const frames = E.encodePositions(ids, pos, vel, n);
    // A 1-byte unknown frame first shifts every following frame off 4-byte alignment.
    for (const lead of [new Uint8Array(0), E.encodeFrame(0x07, Uint8Array.of(9))]) {
      const out = decode(E.concatBytes([lead, frames]));
      expect(out.protocolErrors).toEqual([]);
      expect(out.frames).toBe(3);
      expect(out.positions.count).toBe(n);
      expect(columns(out.positions)).toEqual({ ids, pos, vel });
    }
  });

  it('a message that is a subarray at an odd byteOffset', () => {
    const msg = E.encodePositions([5, 6], [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 2);
    const backing = new Uint8Array(msg.length + 3);
    backing.set(msg, 3);
    const out = decode(backing.subarray(3));
    expect(columns(out.positions)).toEqual({ ids: [5, 6], pos: [1, 2, 3, 4, 5, 6], vel: [7, 8, 9, 10, 11, 12] });
  });

  it('ids above 2^31, -0, denormals and extremes survive exactly', () => {
    const pos = [-0, 1e-45, -3.4028234663852886e38, 3.4028234663852886e38, 1.1754943508222875e-38, 0.1];
    const msg = E.encodePositions([0xffffffff, 0x80000000], pos.map(Math.fround), pos.map(Math.fround).reverse(), 2);
    const out = decode(msg);
    const c = columns(out.positions);
    expect(c.ids).toEqual([0xffffffff, 0x80000000]);
    expect(Object.is(c.pos[0], -0)).toBe(true);
    expect(c.pos).toEqual(pos.map(Math.fround));
    expect(c.vel).toEqual(pos.map(Math.fround).reverse());
  });

  it('the DecodedMessage is reset per message and nothing of a bad frame is kept', () => {
    const out = new DecodedMessage();
    decodeMessage(E.concatBytes([PREFIX, E.encodeHeartbeat(1), E.encodeErrorFrame(7, 'x')]), out, {});
    expect([out.positions.count, out.heartbeats.length, out.errorFrames.length]).toEqual([3, 1, 1]);
    const held = out.heartbeats;
    decodeMessage(E.concatBytes([E.encodeFrame(FrameType.POSITION_UPDATE, posPayload(2, 2, (v) => v.setFloat32(8, Number.NaN, true)))]), out, {});
    expect([out.positions.count, out.heartbeats.length, out.errorFrames.length, out.frames]).toEqual([0, 0, 0, 0]);
    expect(held).toEqual([1]); // lists are replaced, not truncated: a consumer may still hold them
  });

  it('PERFORMANCE_METRICS with mem above 2^53 keeps the exact value', () => {
    const big = 2n ** 62n + 3n;
    const out = decode(E.encodeMetrics([{ id: 1, tasks: 0, successRate: 0, avgMs: 0, cpu: 0, mem: big }, { id: 2, tasks: 5, successRate: 1, avgMs: 2, cpu: 3, mem: 2 ** 53 - 1 }]));
    expect(out.metrics.count).toBe(2);
    expect(out.metrics.memExact.get(0)).toBe(big);
    expect(out.metrics.mem[0]).toBe(Number(big));
    expect(out.metrics.mem[1]).toBe(2 ** 53 - 1);
    expect(out.metrics.memExact.has(1)).toBe(false);
    expect(decode(E.encodeMetrics([])).protocolErrors).toEqual([]);
  });

  it('priorities: the message maximum, and per error frame', () => {
    const out = decode(
      E.concatBytes([E.encodeHeartbeat(undefined, { priority: 'low' }), E.encodeErrorFrame(2, 'auth', { priority: 'critical' }), E.encodeHeartbeat()]),
    );
    expect(out.maxPriority).toBe(3);
    expect(out.errorFrames[0]!.priority).toBe(3);
    expect(decode(E.encodeHeartbeat(undefined, { priority: 'low' })).maxPriority).toBe(0);
  });

  it('gzip and brotli batches; algorithm names', () => {
    const inner = E.concatBytes([PREFIX, E.encodeHeartbeat(3)]);
    for (const alg of ['gzip', 'brotli', 'deflate'] as const) {
      const out = decode(E.encodeCompressedBatch(inner, deflaterFor(alg)), { inflate: inflaterFor(alg) });
      expect(out.protocolErrors).toEqual([]);
      expect([out.positions.count, out.heartbeats[0]]).toEqual([3, 3]);
    }
    expect(normaliseAlgorithm('zlib')).toBe('deflate');
    expect(normaliseAlgorithm('BR')).toBe('brotli');
    expect(normaliseAlgorithm('lz4')).toBeNull();
    // Before negotiation: zlib. Negotiated none: no inflater.
    const pre = inflaterForNegotiated(undefined)!;
    expect(decode(E.encodeCompressedBatch(inner, deflate), { inflate: pre }).positions.count).toBe(3);
    expect(inflaterForNegotiated(null)).toBeUndefined();
    expect(inflaterForNegotiated('none')).toBeUndefined();
    expect(inflaterForNegotiated('gzip')).toBeTypeOf('function');
  });

  it('onFrame reports every frame in wire order, batches and inner frames included', () => {
    const inner = E.concatBytes([E.encodeStateBatch([{ id: 1, state: 2 }, { id: 2, state: 3 }]), E.encodeFrame(0x09, new Uint8Array(2))]);
    const msg = E.concatBytes([PREFIX, E.encodeCompressedBatch(inner, deflate)]);
    const seen: FrameInfo[] = [];
    decode(msg, { inflate, onFrame: (f) => seen.push({ ...f }) });
    expect(seen.map((f) => [f.index, f.offset, f.batch, frameTypeName(f.type), f.start, f.count, f.known])).toEqual([
      [0, 0, -1, 'POSITION_UPDATE', 0, 3, true],
      [1, PREFIX.length, -1, 'COMPRESSED_BATCH', 0, 0, true],
      [2, 0, PREFIX.length, 'STATE_BATCH', 0, 2, true],
      [3, 28, PREFIX.length, 'UNKNOWN(0x09)', 0, 0, false],
    ]);
    expect(seen[1]!.inflatedLength).toBe(inner.length);
  });

  it('binary frames that are events', () => {
    const coord = { id: 'c', type: 'coordination.initiated', timestamp: '2024-01-10T12:00:00Z', payload: { coordinationId: 'k', pattern: 'CONSENSUS', initiator: { id: 'agent-001' }, participants: [] } };
    const msg = E.concatBytes([
      E.encodeCoordination(coord, { priority: 'high' }),
      E.encodeHeartbeat(2n ** 60n),
      E.encodeErrorFrame(7, 'boom'),
      E.encodeErrorFrame(99, 'odd'),
      bytes('00'),
    ]);
    const events = binaryEvents(decode(msg));
    expect(events.map((e) => [e.origin, e.type, e.priority])).toEqual([
      ['binary', 'coordination.initiated', 'high'],
      ['binary', 'heartbeat', 'normal'],
      ['binary', 'error', 'normal'],
      ['binary', 'error', 'normal'],
      ['client', 'protocol.error', 'high'],
    ]);
    expect(events[1]!.payload).toEqual({ serverTime: 2 ** 60, serverTimeExact: String(2n ** 60n) });
    expect(events[2]!.payload).toEqual({ code: 'INTERNAL_ERROR', codeNumber: 7, message: 'boom', recoverable: false });
    expect(events[3]!.payload.code).toBe('UNKNOWN(99)');
    expect(events[4]!.payload).toMatchObject({ kind: 'bad_magic', frameType: -1, frameTypeName: null, hex: '00' });
  });

  it('hexExcerpt and frameTypeName', () => {
    expect(hexExcerpt(bytes('000102'), 1)).toBe('0102');
    expect(hexExcerpt(new Uint8Array(40), 0)).toHaveLength(32);
    expect(frameTypeName(0xff)).toBe('ERROR');
    expect(frameTypeName(0x0a)).toBe('UNKNOWN(0x0a)');
  });
});

describe('encoder', () => {
  it('refuses payloads the u16 length cannot carry', () => {
    expect(() => E.encodeFrame(1, new Uint8Array(65536))).toThrow(RangeError);
    expect(() => E.encodeStateBatch([{ id: 1, state: 1, metaRaw: new Uint8Array(70000) }])).toThrow(RangeError);
  });

  it('splits positions at MAX_POSITIONS_PER_FRAME, and writes one empty frame for 0 agents', () => {
    expect(MAX_POSITIONS_PER_FRAME).toBe(2340);
    const z = new Array(2341 * 3).fill(0);
    const two = E.encodePositions(new Array(2341).fill(1), z, z, 2341);
    expect(two.length).toBe(2 * 12 + 2341 * 28);
    expect(hex(E.encodePositions([], [], [], 0))).toBe('41474e54010204000' + '0000000');
  });
});
