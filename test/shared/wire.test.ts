import { describe, expect, it } from 'vitest';
import { packMessage, SendBufferPool, unpackMessage } from '../../shared/wire.js';

function buffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

describe('browser-mode wire format', () => {
  it('round-trips nested typed arrays as aligned zero-copy views', () => {
    const msg = {
      seq: 3,
      positions: [
        { plane: 'a', ids: Uint32Array.of(1, 2, 3), xy: Float32Array.of(0.5, -1, 2, 3, 4, 5), states: Uint16Array.of(0, 2, 257) },
        { plane: 'b', ids: Uint32Array.of(9), xy: Float32Array.of(7, 8), states: Uint8Array.of(6) },
      ],
      events: [{ type: 'x', payload: { nested: [1, 'two', null] } }],
    };
    const { channel, payload } = unpackMessage(buffer(packMessage('swarmdeck:frame', msg)));
    expect(channel).toBe('swarmdeck:frame');
    const p = payload as typeof msg;
    expect(p.positions[0]!.xy).toBeInstanceOf(Float32Array);
    expect([...p.positions[0]!.xy]).toEqual([0.5, -1, 2, 3, 4, 5]);
    expect([...p.positions[0]!.states]).toEqual([0, 2, 257]);
    expect([...p.positions[1]!.ids]).toEqual([9]);
    expect(p.positions[0]!.xy.byteOffset % 4).toBe(0);
    expect(p.events).toEqual(msg.events);
  });

  it('cannot be fooled by event JSON that looks like a blob reference', () => {
    const msg = { events: [{ payload: { $ta: 'f32', o: 0, n: 1000000, b: [[['events'], 'u8', 0, 10]] } }] };
    const { payload } = unpackMessage(buffer(packMessage('c', msg)));
    expect(payload).toEqual(msg);
  });

  it('packs correctly into a reused, dirty pool buffer', () => {
    const pool = new SendBufferPool(1);
    const big = { ids: new Uint32Array(1000).fill(0xffffffff), note: 'x'.repeat(300) };
    const first = pool.take(10_000);
    const a = packMessage('c', big, () => first);
    pool.give(first);
    const small = { ids: Uint32Array.of(7, 8), xy: Float32Array.of(1.5, -2.5, 3, 4) };
    let reused: Uint8Array | null = null;
    const b = packMessage('c', small, (n) => (reused = pool.take(n)));
    expect(reused).toBe(first); // the same memory, still holding the first message's bytes past b
    expect(a.byteLength).toBeGreaterThan(b.byteLength);
    const copy = b.slice(); // what the socket sends: exactly b's bytes
    expect(unpackMessage(copy.buffer).payload).toEqual(small);
    // Deterministic bytes: packing afresh gives the same message.
    expect([...packMessage('c', small)]).toEqual([...copy]);
  });

  it('rejects malformed messages with a reason', () => {
    expect(() => unpackMessage(new ArrayBuffer(2))).toThrow(/shorter/);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setUint32(0, 1000, true);
    expect(() => unpackMessage(big.buffer)).toThrow(/header runs past/);
    const forged = new TextEncoder().encode(JSON.stringify({ c: 'x', p: { a: null }, b: [[['a'], 'f32', 0, 1000]] }));
    const m = new Uint8Array(8 + forged.length);
    new DataView(m.buffer).setUint32(0, forged.length, true);
    m.set(forged, 4);
    expect(() => unpackMessage(m.buffer)).toThrow(/runs past/);
    const proto = new TextEncoder().encode(JSON.stringify({ c: 'x', p: {}, b: [[['__proto__', 'polluted'], 'u8', 0, 0]] }));
    const m2 = new Uint8Array(8 + proto.length);
    new DataView(m2.buffer).setUint32(0, proto.length, true);
    m2.set(proto, 4);
    expect(() => unpackMessage(m2.buffer)).toThrow(/forbidden/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
