// The pieces the matrix rests on, alone: lenient session readers, version
// choice, the header-detecting inflater, the inflate budget, conformance
// notes and the abuse window.

import { deflateRawSync, deflateSync, gzipSync, brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ErrorWindow } from '../../electron/core/connection/abuse.js';
import { ConformanceNotes } from '../../electron/core/connection/conformance.js';
import { InflateBudget, InflateBudgetError } from '../../electron/core/connection/inflate-budget.js';
import { InflateLimitError } from '../../electron/core/protocol/binary.js';
import { detectStreamFormat, detectingInflater } from '../../electron/core/protocol/compression.js';
import { chooseVersion, readChannelReply, readHandshakeAck, readSessionReply, readVersionReply } from '../../electron/core/protocol/session.js';

const text = Buffer.from('AGNT'.repeat(500));
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

describe('session readers', () => {
  it('read handshake_ack in camelCase, snake_case, enveloped, or with fields missing', () => {
    expect(readHandshakeAck({ sessionId: 's', heartbeatInterval: 5000, protocols: ['json'], serverTime: 't', compression: 'zlib' })).toMatchObject({
      sessionId: 's',
      heartbeatInterval: 5000,
      snakeCase: [],
      missing: [],
      compression: 'zlib',
    });
    const snake = readHandshakeAck({ session_id: 7, heartbeat_interval: '2000', server_time: 't' });
    expect(snake).toMatchObject({ sessionId: '7', heartbeatInterval: 2000, snakeCase: ['session_id', 'heartbeat_interval', 'server_time'], missing: ['protocols'] });
    expect(readHandshakeAck({}).missing).toEqual(['sessionId', 'heartbeatInterval', 'protocols', 'serverTime']);
    const env = readSessionReply(JSON.stringify({ type: 'handshake_ack', timestamp: 'x', payload: { sessionId: 'e', heartbeatInterval: 100 } }));
    expect(env?.type).toBe('handshake_ack');
    expect(readHandshakeAck(env!.fields).sessionId).toBe('e');
    expect(readSessionReply('{"type":"agent.state.changed"}')).toBeNull();
    expect(readSessionReply('not json')).toBeNull();
  });

  it("choose the version: selected, else the server's preferred, else the highest common; none names both lists", () => {
    const client = ['1.0', '1.1', '2.0'];
    expect(chooseVersion(client, readVersionReply({ supported: ['1.0', '2.0'], selected: '1.0' }))).toEqual({ version: '1.0', how: 'selected' });
    expect(chooseVersion(client, readVersionReply({ supported: ['1.0', '1.1', '2.0'], preferred: '1.1' }))).toEqual({ version: '1.1', how: 'preferred' });
    expect(chooseVersion(client, readVersionReply({ supported: ['1.0', '1.1', '3.0'], preferred: '3.0' }))).toEqual({ version: '1.1', how: 'common' });
    const none = chooseVersion(client, readVersionReply({ supported: ['3.0'], preferred: '3.0' }));
    expect(none.version).toBeNull();
    expect(none.version === null && none.why).toBe('no common protocol version: this client supports 1.0, 1.1, 2.0; the server supports 3.0');
    expect(chooseVersion(client, readVersionReply({ supported: ['2.0'], selected: null })).version).toBeNull();
    expect(chooseVersion(client, readVersionReply({ supported: ['9.9'], selected: '9.9' })).version).toBeNull();
  });

  it('read channel.create replies with or without status and sequence', () => {
    expect(readChannelReply({ channelId: 'a', status: 'created', sequence: 1 })).toEqual({ channelId: 'a', status: 'created', sequence: 1 });
    expect(readChannelReply({ channelId: 'a', priority: 'high' })).toEqual({ channelId: 'a' });
    expect(readChannelReply({ channel_id: 'b', status: 'refused', reason: 'no' })).toEqual({ channelId: 'b', status: 'refused', reason: 'no' });
  });
});

describe('detecting inflater', () => {
  it.each([
    ['gzip', gzipSync(text)],
    ['zlib', deflateSync(text)],
    ['raw', deflateRawSync(text)],
  ] as const)('reads %s from the stream header', (format, data) => {
    expect(detectStreamFormat(u8(data))).toBe(format);
    expect(Buffer.from(detectingInflater()(u8(data), 1 << 20)).equals(text)).toBe(true);
  });

  it('inflates brotli when it is the hint, and as the last resort', () => {
    const br = u8(brotliCompressSync(text));
    expect(Buffer.from(detectingInflater('brotli')(br, 1 << 20)).equals(text)).toBe(true);
    expect(Buffer.from(detectingInflater()(br, 1 << 20)).equals(text)).toBe(true);
  });

  it('stops at the limit instead of trying other formats, and throws on garbage', () => {
    expect(() => detectingInflater()(u8(gzipSync(Buffer.alloc(1 << 20))), 1000)).toThrow(InflateLimitError);
    expect(() => detectingInflater()(Uint8Array.from([1, 2, 3, 4, 5]), 1000)).toThrow();
  });
});

describe('inflate budget', () => {
  it('spends inflated bytes per second and drops past it without inflating', () => {
    let now = 0;
    const b = new InflateBudget(3000, () => now);
    let calls = 0;
    const inflate = b.wrap((_data, max) => {
      calls++;
      if (1000 > max) throw new InflateLimitError(max);
      return new Uint8Array(1000);
    });
    inflate(new Uint8Array(1), 1e6);
    inflate(new Uint8Array(1), 1e6);
    inflate(new Uint8Array(1), 1e6);
    expect(() => inflate(new Uint8Array(1), 1e6)).toThrow(InflateBudgetError);
    expect(calls).toBe(3); // the fourth was never inflated
    expect(b.dropped).toBe(1);
    now = 1000;
    expect(inflate(new Uint8Array(1), 1e6).byteLength).toBe(1000);
    inflate(new Uint8Array(1), 1e6);
    now = 1500;
    // 1000 left: a frame that would need more is stopped by the budget, not its own limit.
    const big = b.wrap((_d, max) => {
      if (5000 > max) throw new InflateLimitError(max);
      return new Uint8Array(5000);
    });
    expect(() => big(new Uint8Array(1), 1e6)).toThrow(InflateBudgetError);
    expect(b.dropped).toBe(2);
  });
});

describe('conformance notes and the abuse window', () => {
  it('keep one note per code per session, neutralised and bounded, reset with the session', () => {
    const n = new ConformanceNotes();
    expect(n.add('agents', 'x', 'first \u202e')).toBe(true);
    expect(n.add('agents', 'x', 'again')).toBe(false);
    expect(n.add('graph', 'x', 'first \u202e')).toBe(true);
    expect(n.get('agents', 'x')).toBe('first \u2039U+202E\u203a');
    expect(n.summary()).toEqual(['first \u2039U+202E\u203a (agents, graph)']);
    n.add('control', 'long', 'y'.repeat(1000));
    expect(n.get('control', 'long')!.length).toBeLessThanOrEqual(301);
    n.resetSession('agents');
    expect(n.has('agents', 'x')).toBe(false);
    for (let i = 0; i < 100; i++) n.add('agents', `c${i}`, 'm');
    expect(n.all().filter((x) => x.endpoint === 'agents').length).toBe(32);
  });

  it('counts errors in a window: over the max is abuse, a new window starts afresh', () => {
    const w = new ErrorWindow(3, 1000);
    expect([w.hit(0), w.hit(10), w.hit(20), w.hit(30)]).toEqual([false, false, false, true]);
    expect(w.hit(2000)).toBe(false);
    expect(w.errors).toBe(1);
  });
});
