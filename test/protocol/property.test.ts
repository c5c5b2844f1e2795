// Property tests (fast-check): encode → decode is the identity for positions,
// states and metrics; any byte string decodes or yields a protocol error and
// never throws or loops; any JSON normalises to a valid PlaneEvent.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedMessage, decodeMessage } from '../../electron/core/protocol/binary.js';
import { deflaterFor, inflaterFor } from '../../electron/core/protocol/compression.js';
import { FrameType, HEADER_BYTES } from '../../electron/core/protocol/constants.js';
import { PRIORITIES } from '../../shared/index.js';
import * as E from '../../electron/core/protocol/encode.js';
import { PlaneEventSchema } from '../../shared/events.js';
import { normaliseJson, normaliseObject } from '../../electron/core/protocol/json.js';
import { columns } from '../helpers/positions.js';

const inflate = inflaterFor('deflate');
const deflate = deflaterFor('deflate', 1);
const f32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround);
const u32 = fc.integer({ min: 0, max: 0xffffffff });

interface Agent {
  id: number;
  p: [number, number, number];
  v: [number, number, number];
}
const agent: fc.Arbitrary<Agent> = fc.record({ id: u32, p: fc.tuple(f32, f32, f32), v: fc.tuple(f32, f32, f32) });

/** Every invariant a decode must hold, whatever the input. */
function checkInvariants(bytes: Uint8Array, out: DecodedMessage): void {
  expect(out.protocolErrors.length).toBeLessThanOrEqual(1);
  for (const e of out.protocolErrors) {
    expect(e.reason.length).toBeGreaterThan(0);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    if (e.batch < 0) expect(e.offset).toBeLessThanOrEqual(bytes.length);
    else {
      expect(e.batch).toBeLessThan(bytes.length);
      expect(e.offset).toBeLessThanOrEqual(out.inflatedBytes);
    }
    expect(e.hex.length % 2).toBe(0);
    expect(e.hex.length).toBeLessThanOrEqual(32);
  }
  // Every good frame costs at least a header: the decoder cannot have looped.
  const budget = (bytes.length + out.inflatedBytes) / HEADER_BYTES + 1;
  expect(out.frames + out.unknownFrames).toBeLessThanOrEqual(budget);
  expect(out.positions.count * 28).toBeLessThanOrEqual(bytes.length + out.inflatedBytes);
  expect(out.maxPriority).toBeGreaterThanOrEqual(0);
  expect(out.maxPriority).toBeLessThanOrEqual(3);
  expect(out.inflatedBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  const { pos, vel } = columns(out.positions);
  expect(pos.every(Number.isFinite) && vel.every(Number.isFinite)).toBe(true);
}

describe('encode → decode identity', () => {
  it('positions: any count 0..5000, any finite binary32, any priority, plain or in a batch', () => {
    let largest = 0;
    fc.assert(
      fc.property(
        fc.array(agent, { maxLength: 5000, size: 'max' }),
        fc.constantFrom(...PRIORITIES),
        fc.boolean(),
        (agents, priority, batch) => {
          const n = agents.length;
          largest = Math.max(largest, n);
          const ids = agents.map((a) => a.id);
          const pos = agents.flatMap((a) => a.p);
          const vel = agents.flatMap((a) => a.v);
          let msg = E.encodePositions(ids, pos, vel, n, { priority });
          if (batch) msg = E.encodeCompressedBatch(msg, deflate);
          const out = new DecodedMessage();
          decodeMessage(msg, out, { inflate });
          expect(out.protocolErrors).toEqual([]);
          expect(out.positions.count).toBe(n);
          // Object.is semantics: -0 stays -0.
          expect(columns(out.positions)).toEqual({ ids, pos, vel });
          expect(out.maxPriority).toBe(PRIORITIES.indexOf(priority));
        },
      ),
      { numRuns: 40 },
    );
    expect(largest).toBeGreaterThan(2340); // multi-frame messages were covered
  });

  it('states: ids, any code 0..255, flags, JSON-object metadata', () => {
    const meta = fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { nil: undefined });
    const record = fc.record({ id: u32, state: fc.integer({ min: 0, max: 255 }), flags: fc.integer({ min: 0, max: 255 }), meta });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 200 }), (records) => {
        let frame: Uint8Array;
        try {
          frame = E.encodeStateBatch(records);
        } catch {
          fc.pre(false); // too large for one frame
          return;
        }
        const out = new DecodedMessage();
        decodeMessage(frame, out);
        expect(out.protocolErrors).toEqual([]);
        expect(out.states.count).toBe(records.length);
        records.forEach((r, i) => {
          expect([out.states.ids[i], out.states.codes[i], out.states.flags[i]]).toEqual([r.id, r.state, r.flags]);
          const m = out.states.meta.get(i);
          if (r.meta === undefined) expect(m).toBeUndefined();
          else expect(JSON.parse(m!)).toEqual(JSON.parse(JSON.stringify(r.meta)));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('metrics: u32s, finite binary32s, any u64 exactly', () => {
    const record = fc.record({
      id: u32,
      tasks: u32,
      successRate: f32,
      avgMs: f32,
      cpu: f32,
      mem: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 2340 }), (records) => {
        const out = new DecodedMessage();
        decodeMessage(E.encodeMetrics(records), out);
        expect(out.protocolErrors).toEqual([]);
        const m = out.metrics;
        expect(m.count).toBe(records.length);
        records.forEach((r, i) => {
          expect([m.ids[i], m.tasks[i], m.successRate[i], m.avgMs[i], m.cpu[i]]).toEqual([r.id, r.tasks, r.successRate, r.avgMs, r.cpu]);
          const exact = r.mem > BigInt(Number.MAX_SAFE_INTEGER) ? m.memExact.get(i) : BigInt(m.mem[i]!);
          expect(exact).toBe(r.mem);
          expect(m.mem[i]).toBe(Number(r.mem));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('heartbeats: any u64 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (t) => {
        const out = new DecodedMessage();
        decodeMessage(E.encodeHeartbeat(t), out);
        const exact = out.heartbeatsExact.get(0) ?? BigInt(out.heartbeats[0]!);
        expect(exact).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});

describe('any input: decodes or yields a protocol error, never throws, never loops', () => {
  const decodeAny = (bytes: Uint8Array): void => {
    const out = new DecodedMessage();
    expect(() => decodeMessage(bytes, out, { inflate, maxInflatedBytes: 1 << 20 })).not.toThrow();
    checkInvariants(bytes, out);
  };

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), decodeAny), { numRuns: 2000 });
  });

  it('a valid header prefix and a random tail', () => {
    const type = fc.constantFrom(1, 2, 3, 4, 5, 6, 0xff, 7, 0x80);
    fc.assert(
      fc.property(type, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 3000 }), (t, flags, len, tail) => {
        const head = Uint8Array.of(0x41, 0x47, 0x4e, 0x54, t, flags, len & 0xff, len >> 8);
        decodeAny(E.concatBytes([head, tail]));
      }),
      { numRuns: 3000 },
    );
  });

  it('valid frames followed by a random tail', () => {
    const frame = fc.oneof(
      fc.array(agent, { maxLength: 20 }).map((a) => E.encodePositions(a.map((x) => x.id), a.flatMap((x) => x.p), a.flatMap((x) => x.v), a.length)),
      fc.constant(E.encodeHeartbeat(5)),
      fc.constant(E.encodeStateBatch([{ id: 1, state: 2, meta: { a: 1 } }])),
      fc.constant(E.encodeCompressedBatch(E.encodeHeartbeat(1), deflate)),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 4 }), fc.uint8Array({ maxLength: 64 }), (frames, tail) => {
        decodeAny(E.concatBytes([...frames, tail]));
      }),
      { numRuns: 1000 },
    );
  });

  it('a COMPRESSED_BATCH of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), (inner) => decodeAny(E.encodeCompressedBatch(inner, deflate))),
      { numRuns: 500 },
    );
  });

  it('type bytes: POSITION_UPDATE frames of random payload', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (payload) => decodeAny(E.encodeFrame(FrameType.POSITION_UPDATE, payload))),
      { numRuns: 500 },
    );
  });
});

describe('any JSON normalises to a valid PlaneEvent', () => {
  const ok = (ev: ReturnType<typeof normaliseJson>): void => {
    const r = PlaneEventSchema.safeParse({ ...ev, seq: 0, plane: 'p', at: 0 });
    expect(r.success).toBe(true);
  };
  it('JSON texts', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (text) => ok(normaliseJson(text))), { numRuns: 1000 });
  });
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => ok(normaliseJson(text))), { numRuns: 1000 });
  });
  it('envelopes with random payloads', () => {
    const type = fc.constantFrom('agent.state.changed', 'message.sent', 'status_update', 'handshake_ack', 'error', 'command', 'channel.create', 'x');
    fc.assert(
      fc.property(type, fc.option(fc.string()), fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (t, id, payload, withId) => {
        const o: Record<string, unknown> = { type: t, timestamp: '2024-01-10T12:00:00Z', payload };
        if (withId) o.id = id ?? 'm';
        else o.request_id = id ?? 'r';
        ok(normaliseObject(o));
        ok(normaliseObject({ channel: 'c', sequence: 1, message: o }));
      }),
      { numRuns: 1000 },
    );
  });
  it('anything at all', () => {
    fc.assert(fc.property(fc.anything(), (v) => ok(normaliseObject(v))), { numRuns: 1000 });
  });
});
