// The simulator's send side (sim/output.ts) on its own, with a recording
// stand-in for each session's socket: the channel faults (reorder, duplicate,
// skipped sequence numbers), silence and delay, the envelopes, one shared
// encoding per compression, and stop cancelling what is still pending.

import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { defaultFaults, type Faults } from '../../electron/core/sim/faults.js';
import { SimSender } from '../../electron/core/sim/output.js';
import type { SimSession, SimStats } from '../../electron/core/sim/session.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { World } from '../../electron/core/sim/world.js';
import { QUIET } from '../helpers/quiet-sim.js';

/** Resolved options, no background streams (constructing a Simulator starts no server). */
const OPTIONS = new Simulator({ ...QUIET, compressThreshold: 64 }).options;

function stats(): SimStats {
  return { positionMessages: 0, events: 0, commands: 0, rateLimited: 0, coordinationRounds: 0, positionEncodes: 0, compressions: 0, channelMessages: 0 };
}

/** A live session whose socket records what it is sent. */
function session(sent: (string | Uint8Array)[], over: Partial<SimSession> = {}): SimSession {
  const ws = { OPEN: 1, readyState: 1, send: (d: string | Uint8Array) => sent.push(d), terminate: vi.fn() } as unknown as WebSocket;
  return {
    ws,
    endpoint: 'control',
    sessionId: 's',
    step: 'live',
    negotiated: true,
    legacyTimer: null,
    version: '2.0',
    features: new Set(['binary', 'compression', 'multiplexing']),
    compression: null,
    level: 6,
    channels: new Map([['alerts', { spec: { channelId: 'alerts' }, seq: 1, held: null }]]),
    lastClientMsgAt: 0,
    commandTokens: 0,
    commandTokensAt: 0,
    ...over,
  };
}

function sender(faults: Partial<Faults> = {}): SimSender {
  return new SimSender(new World(4, 1), { ...defaultFaults(), ...faults }, stats(), OPTIONS, 'test');
}

/** The sequence numbers of the channel messages sent. */
const seqs = (sent: (string | Uint8Array)[]): number[] => sent.map((d) => (JSON.parse(String(d)) as { sequence: number }).sequence);

afterEach(() => vi.useRealTimers());

describe('simulator output', () => {
  it('numbers channel messages per session and sends a message without a channel plain', () => {
    const out = sender();
    const sent: (string | Uint8Array)[] = [];
    const s = session(sent);
    for (let i = 0; i < 3; i++) out.sendTopic(s, 'alerts', '{"plain":true}', { type: 'system.metrics', i });
    out.sendTopic(s, 'no-such-channel', '{"plain":true}', {});
    expect(seqs(sent.slice(0, 3))).toEqual([1, 2, 3]);
    expect(JSON.parse(String(sent[0]))).toEqual({ channel: 'alerts', sequence: 1, message: { type: 'system.metrics', i: 0 } });
    expect(sent[3]).toBe('{"plain":true}');
    expect(out.stats.channelMessages).toBe(3);
  });

  it('reorder-channel swaps messages pairwise; duplicate-channel sends each twice; skip-channel-every leaves gaps', () => {
    const cases: [Partial<Faults>, number[]][] = [
      [{ reorderChannel: true }, [2, 1, 4, 3]],
      [{ duplicateChannel: true }, [1, 1, 2, 2, 3, 3, 4, 4]],
      [{ skipChannelEvery: 2 }, [1, 3, 5, 7]],
    ];
    for (const [faults, expected] of cases) {
      const out = sender(faults);
      const sent: (string | Uint8Array)[] = [];
      const s = session(sent);
      for (let i = 0; i < 4; i++) out.sendTopic(s, 'alerts', '', { i });
      expect(seqs(sent), JSON.stringify(faults)).toEqual(expected);
    }
  });

  it('silence sends nothing; delay sends later, in order; closing cancels what is pending', () => {
    vi.useFakeTimers();
    const sent: (string | Uint8Array)[] = [];
    const quiet = sender({ silence: true });
    quiet.sendJson(session(sent), { a: 1 });
    expect(sent).toEqual([]);

    const slow = sender({ delayMs: 100 });
    const s = session(sent);
    slow.sessions.add(s);
    slow.sendJson(s, { n: 1 });
    slow.sendJson(s, { n: 2 });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['{"n":1}', '{"n":2}']);
    slow.sendJson(s, { n: 3 });
    slow.closeAll();
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    expect(s.ws.terminate).toHaveBeenCalled();
    expect(slow.sessions.size).toBe(0);
  });

  it('broadcasts to live sessions of the endpoint only, serialising once', () => {
    const out = sender();
    const a: (string | Uint8Array)[] = [];
    const b: (string | Uint8Array)[] = [];
    const c: (string | Uint8Array)[] = [];
    out.sessions.add(session(a, { channels: new Map() }));
    out.sessions.add(session(b, { channels: new Map(), step: 'negotiating' }));
    out.sessions.add(session(c, { channels: new Map(), endpoint: 'agents' }));
    out.broadcast('control', 'alerts', { type: 'x' });
    expect([a, b, c]).toEqual([['{"type":"x"}'], [], []]);
    expect(out.stats.events).toBe(1);
  });

  it('encodes a compressed batch once per algorithm and level, shared by the sessions; none without binary', () => {
    const out = sender();
    const frames = new Uint8Array(200).fill(7);
    const cache = new Map<string, Uint8Array>();
    const a = out.binaryFor(session([], { compression: 'deflate' }), frames, cache)!;
    const b = out.binaryFor(session([], { compression: 'deflate' }), frames, cache)!;
    expect(b).toBe(a);
    expect(out.stats.compressions).toBe(1);
    // An independent inflater finds the frames in the batch (after its magic, type and original length: 9 bytes).
    expect(inflateSync(a.subarray(9))).toEqual(Buffer.from(frames));
    expect(out.binaryFor(session([], { compression: null }), frames, cache)).toBe(frames);
    expect(out.binaryFor(session([], { compression: 'deflate' }), frames.subarray(0, 10), cache)).toEqual(frames.subarray(0, 10));
    expect(out.binaryFor(session([], { features: new Set() }), frames, cache)).toBeNull();
  });

  it('errors in the visualisation envelope, ids unique per instance, the clock skewed by the fault', () => {
    const out = sender({ clockSkewMs: -60_000 });
    const e = out.visError('RATE_LIMIT_EXCEEDED', 'slow down', { requestId: 'r1' });
    expect(e).toMatchObject({ id: 'sim-test-1', type: 'error', metadata: { correlationId: 'r1', priority: 'high' } });
    expect(e.payload).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', details: { component: 'swarmdeck-simulator', requestId: 'r1' } });
    expect(out.nextId()).toBe('sim-test-2');
    expect(Date.now() - out.serverNow()).toBeGreaterThanOrEqual(59_000);
  });
});
