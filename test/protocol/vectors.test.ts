// The hex vectors of docs/PROTOCOL.md: each decodes to the values the
// document states, and each good one re-encodes to the same bytes.

import { describe, expect, it } from 'vitest';
import { DecodedMessage, type DecodeOptions, type ProtocolErrorKind, decodeMessage } from '../../electron/core/protocol/binary.js';
import { deflaterFor, inflaterFor } from '../../electron/core/protocol/compression.js';
import { FrameType } from '../../electron/core/protocol/constants.js';
import * as E from '../../electron/core/protocol/encode.js';
import { normaliseCoordinationFrame } from '../../electron/core/protocol/json.js';
import { hex, readVectors } from '../helpers/protocol.js';
import { columns } from '../helpers/positions.js';

const inflate = inflaterFor('deflate');
const deflate = deflaterFor('deflate', 9);

interface Good {
  check: (out: DecodedMessage) => void;
  /** Re-encodes the message with encode.ts. */
  encode: () => Uint8Array;
  /** Compressed bytes may differ between zlib builds: compare the head and the inflated bytes instead. */
  compressedHead?: number;
}

interface Bad {
  kind: ProtocolErrorKind;
  offset: number;
  frameType: number;
  batch?: number;
  /** Frames decoded before the bad one. */
  kept: number;
  opts?: DecodeOptions;
}

const HB_EMPTY = (): Uint8Array => E.encodeHeartbeat();
const POS2 = (): Uint8Array => E.encodePositions([1, 2], [1, 2, 3, 4, 5, 6], [0.5, 0, -0.5, 0, 0, 0], 2);
const COORD = {
  id: 'c1',
  type: 'coordination.progress',
  timestamp: '2024-01-10T12:00:15Z',
  payload: { coordinationId: 'coord-123', progress: 0.5, status: 'VOTING' },
};

function expectPositions(out: DecodedMessage, rows: [number, number[], number[]][]): void {
  expect(columns(out.positions)).toEqual({
    ids: rows.map(([id]) => id),
    pos: rows.flatMap(([, pos]) => pos),
    vel: rows.flatMap(([, , vel]) => vel),
  });
}

const GOOD: Record<string, Good> = {
  position_2_agents: {
    check: (o) => {
      expectPositions(o, [
        [1, [1, 2, 3], [0.5, 0, -0.5]],
        [2, [4, 5, 6], [0, 0, 0]],
      ]);
      expect(o.maxPriority).toBe(1);
    },
    encode: POS2,
  },
  state_batch: {
    check: (o) => {
      const s = o.states;
      expect(s.count).toBe(2);
      expect([s.ids[0], s.codes[0], s.flags[0], s.ids[1], s.codes[1], s.flags[1]]).toEqual([1, 2, 0, 7, 9, 1]);
      expect(s.meta.size).toBe(0);
    },
    encode: () => E.encodeStateBatch([{ id: 1, state: 2 }, { id: 7, state: 9, flags: 1 }]),
  },
  state_batch_meta: {
    check: (o) => {
      expect(o.states.count).toBe(1);
      expect([o.states.ids[0], o.states.codes[0]]).toEqual([3, 3]);
      expect(o.states.meta.get(0)).toBe('{"taskId":"t-9"}');
    },
    encode: () => E.encodeStateBatch([{ id: 3, state: 3, meta: { taskId: 't-9' } }]),
  },
  metrics_one: {
    check: (o) => {
      const m = o.metrics;
      expect(m.count).toBe(1);
      expect([m.ids[0], m.tasks[0], m.successRate[0], m.avgMs[0], m.cpu[0], m.mem[0]]).toEqual([7, 42, 0.75, 234.5, 67.5, 104857600]);
      expect(m.memExact.size).toBe(0);
    },
    encode: () => E.encodeMetrics([{ id: 7, tasks: 42, successRate: 0.75, avgMs: 234.5, cpu: 67.5, mem: 104857600 }]),
  },
  coordination_event: {
    check: (o) => {
      expect(o.coordination).toHaveLength(1);
      expect(JSON.parse(o.coordination[0]!)).toEqual(COORD);
      const ev = normaliseCoordinationFrame(o.coordination[0]!, o.coordinationPriorities[0]);
      expect(ev.type).toBe('coordination.progress');
      expect(ev.origin).toBe('binary');
      expect(ev.payload.coordinationId).toBe('coord-123');
    },
    encode: () => E.encodeCoordination(COORD),
  },
  heartbeat_empty: {
    check: (o) => expect(o.heartbeats).toEqual([null]),
    encode: HB_EMPTY,
  },
  heartbeat_time: {
    check: (o) => {
      expect(o.heartbeats).toEqual([1704888000000]);
      expect(new Date(o.heartbeats[0]!).toISOString()).toBe('2024-01-10T12:00:00.000Z');
    },
    encode: () => E.encodeHeartbeat(1704888000000),
  },
  heartbeat_u64_big: {
    check: (o) => {
      expect(o.heartbeats).toEqual([1152921504606846976]);
      expect(o.heartbeatsExact.get(0)).toBe(1152921504606846977n);
    },
    encode: () => E.encodeHeartbeat(2n ** 60n + 1n),
  },
  error_frame: {
    check: (o) => {
      expect(o.errorFrames).toEqual([{ code: 4, message: 'agent 999 not found', priority: 2 }]);
      expect(o.maxPriority).toBe(2);
    },
    encode: () => E.encodeErrorFrame(4, 'agent 999 not found', { priority: 'high' }),
  },
  two_frames: {
    check: (o) => {
      expectPositions(o, [[9, [1.5, -2, 0], [0, 0, 1]]]);
      expect(o.heartbeats).toEqual([null]);
      expect(o.frames).toBe(2);
      expect(o.maxPriority).toBe(3);
    },
    encode: () => E.concatBytes([E.encodePositions([9], [1.5, -2, 0], [0, 0, 1], 1, { priority: 'critical' }), HB_EMPTY()]),
  },
  unknown_type: {
    check: (o) => {
      expect(o.unknownFrames).toBe(1);
      expect(o.heartbeats).toEqual([null]);
      expect(o.frames).toBe(1);
    },
    encode: () => E.concatBytes([E.encodeFrame(0x07, Uint8Array.of(1, 2, 3)), HB_EMPTY()]),
  },
  reserved_flags: {
    check: (o) => {
      expect(o.reservedFlagFrames).toBe(1);
      expect(o.heartbeats).toEqual([null]);
      expect(o.maxPriority).toBe(3);
    },
    encode: () => E.encodeHeartbeat(undefined, { flags: 0x86 }),
  },
  compressed_batch_deflate: {
    check: (o) => {
      expectPositions(o, [
        [1, [1, 2, 3], [0.5, 0, -0.5]],
        [2, [4, 5, 6], [0, 0, 0]],
      ]);
      expect(o.heartbeats).toEqual([null]);
      expect(o.compressedBatches).toBe(1);
      expect(o.inflatedBytes).toBe(76);
    },
    encode: () => E.encodeCompressedBatch(E.concatBytes([POS2(), HB_EMPTY()]), deflate),
    compressedHead: 9,
  },
  heartbeat_compressed: {
    check: (o) => {
      expect(o.heartbeats).toEqual([1704888000000]);
      expect(o.inflatedBytes).toBe(8);
    },
    encode: () => E.encodeCompressedFrame(FrameType.HEARTBEAT, E.encodeHeartbeat(1704888000000).subarray(8), deflate),
    compressedHead: 6, // magic, type, flags; the u16 length depends on the compressor
  },
};

const BAD: Record<string, Bad> = {
  bad_magic: { kind: 'bad_magic', offset: 0, frameType: -1, kept: 0 },
  bad_magic_after_frame: { kind: 'bad_magic', offset: 8, frameType: -1, kept: 1 },
  truncated_header: { kind: 'truncated_header', offset: 8, frameType: 1, kept: 1 },
  length_past_end: { kind: 'length_past_end', offset: 0, frameType: 6, kept: 0 },
  count_mismatch: { kind: 'count_mismatch', offset: 0, frameType: 1, kept: 0 },
  nan_position: { kind: 'non_finite', offset: 0, frameType: 1, kept: 0 },
  infinity_position: { kind: 'non_finite', offset: 0, frameType: 1, kept: 0 },
  bad_utf8: { kind: 'bad_utf8', offset: 0, frameType: 0xff, kept: 0 },
  state_overflow: { kind: 'state_overflow', offset: 0, frameType: 2, kept: 0 },
  metrics_length: { kind: 'metrics_length', offset: 0, frameType: 3, kept: 0 },
  batch_over_limit: { kind: 'inflate_limit', offset: 0, frameType: 5, kept: 0 },
  nested_batch: { kind: 'nested_batch', offset: 0, frameType: 5, batch: 0, kept: 0 },
};

const vectors = readVectors();

describe('docs/PROTOCOL.md hex vectors', () => {
  it('every vector in the document has a test here, and every test a vector', () => {
    expect([...vectors.keys()].sort()).toEqual([...Object.keys(GOOD), ...Object.keys(BAD)].sort());
  });

  for (const [name, spec] of Object.entries(GOOD)) {
    it(`${name} decodes to the documented values and re-encodes`, () => {
      const bytes = vectors.get(name)!;
      const out = new DecodedMessage();
      decodeMessage(bytes, out, { inflate });
      expect(out.protocolErrors).toEqual([]);
      spec.check(out);

      const encoded = spec.encode();
      if (spec.compressedHead === undefined) {
        expect(hex(encoded)).toBe(hex(bytes));
      } else {
        expect(hex(encoded.subarray(0, spec.compressedHead))).toBe(hex(bytes.subarray(0, spec.compressedHead)));
        const body = (b: Uint8Array): Uint8Array => b.subarray(spec.compressedHead === 9 ? 9 : 8);
        expect(hex(inflate(body(encoded), 1 << 20))).toBe(hex(inflate(body(bytes), 1 << 20)));
        const again = new DecodedMessage();
        decodeMessage(encoded, again, { inflate });
        expect(again.protocolErrors).toEqual([]);
        spec.check(again);
      }
    });
  }

  for (const [name, spec] of Object.entries(BAD)) {
    it(`${name} is one protocol error (${spec.kind}) and keeps what came before`, () => {
      const bytes = vectors.get(name)!;
      const out = new DecodedMessage();
      expect(() => decodeMessage(bytes, out, spec.opts ?? { inflate })).not.toThrow();
      expect(out.protocolErrors).toHaveLength(1);
      const e = out.protocolErrors[0]!;
      expect(e.kind).toBe(spec.kind);
      expect(e.offset).toBe(spec.offset);
      expect(e.frameType).toBe(spec.frameType);
      expect(e.batch).toBe(spec.batch ?? -1);
      expect(e.reason.length).toBeGreaterThan(0);
      if (spec.batch === undefined) expect(e.hex).toBe(hex(bytes.subarray(spec.offset, spec.offset + 16)));
      expect(out.frames).toBe(spec.kept);
      expect(out.positions.count).toBe(0);
    });
  }

  it('heartbeat_compressed without an inflater is not_negotiated', () => {
    const out = new DecodedMessage();
    decodeMessage(vectors.get('heartbeat_compressed')!, out, {});
    expect(out.protocolErrors.map((e) => [e.kind, e.offset, e.frameType])).toEqual([['not_negotiated', 0, 6]]);
    expect(out.heartbeats).toEqual([]);
  });
});
