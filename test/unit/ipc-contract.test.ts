import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridge, type BridgeTransport } from '../../electron/core/ipc/bridge.js';
import { CONTRACT, IPC_CHANNELS, type FrameMessage } from '../../electron/core/ipc/contract.js';
import { serveContract } from '../../electron/core/ipc/serve-contract.js';
import { IPC_REQUEST_TIMEOUT_MS } from '../../electron/core/limits.js';
import { SwarmCore, type View } from '../../electron/core/app/core.js';

function fakeTransport(reply: (channel: string, payload: unknown) => unknown) {
  const sent: [string, unknown][] = [];
  const invoked: [string, unknown][] = [];
  const push = new Map<string, (p: unknown) => void>();
  const t: BridgeTransport = {
    invoke: async (c, p) => {
      invoked.push([c, p]);
      return reply(c, p);
    },
    send: (c, p) => void sent.push([c, p]),
    onPush: (c, l) => {
      push.set(c, l);
      return () => push.delete(c);
    },
  };
  return { t, sent, invoked, push };
}

const goodFrame = (): FrameMessage => ({ seq: 4, builtAt: 1, planes: [], positions: [], events: [], stats: { framesSent: 1, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 } });

describe('the channel table', () => {
  it('names every channel once, with a direction', () => {
    const names = Object.values(CONTRACT).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of Object.values(CONTRACT)) expect(Object.values(IPC_CHANNELS)).toContain(c.name);
    expect(Object.entries(CONTRACT).filter(([, c]) => c.kind === 'request').map(([k]) => k)).toEqual(['hello', 'inspect', 'command', 'connection', 'search', 'record', 'recordings', 'replays', 'replay', 'replayMarkers', 'profiles', 'profile', 'profileConnect', 'profileTest']);
  });
});

describe('the validating bridge', () => {
  afterEach(() => vi.useRealTimers());

  it('refuses a malformed request before it leaves, and a malformed reply before the page sees it', async () => {
    const f = fakeTransport((c) => (c === IPC_CHANNELS.search ? { matches: 'lots', total: 1, truncated: false } : null));
    const diag = { rejected: 0, lastRejection: null };
    const bridge = createBridge(f.t, diag);
    await expect(bridge.request('inspect', { plane: 'p', id: -1 })).rejects.toThrow(/invalid swarmdeck:inspect message at id/);
    expect(f.invoked).toHaveLength(0);
    await expect(bridge.request('search', { text: 'a' })).rejects.toThrow(/invalid swarmdeck:search message at matches/);
    expect(diag.rejected).toBe(1);
    await expect(bridge.request('inspect', { plane: 'p', id: 1 })).resolves.toBeNull();
  });

  it('delivers valid frames, and acknowledges a bad one without delivering it', () => {
    const f = fakeTransport(() => null);
    const diag = { rejected: 0, lastRejection: null };
    const got: number[] = [];
    createBridge(f.t, diag).onFrame((fr) => got.push(fr.seq));
    const push = f.push.get(IPC_CHANNELS.frame)!;
    push(goodFrame());
    push({ ...goodFrame(), seq: 9, planes: 'x' });
    expect(got).toEqual([4]);
    expect(f.sent).toEqual([[IPC_CHANNELS.ack, { seq: 9 }]]);
    expect(diag.rejected).toBe(1);
  });

  it('never waits forever for a reply', async () => {
    vi.useFakeTimers();
    const f = fakeTransport(() => new Promise(() => undefined));
    const p = createBridge(f.t).request('hello', undefined);
    const settled = expect(p).rejects.toThrow(/no reply within/);
    await vi.advanceTimersByTimeAsync(IPC_REQUEST_TIMEOUT_MS + 1);
    await settled;
  });
});

describe('serveContract', () => {
  const view = (): View & { acks: number[] } => {
    const acks: number[] = [];
    return { acks, ack: (s) => void acks.push(s), hello: () => ({ version: 'v', host: 'web', planes: [] }), close: () => undefined, pipeline: null as never };
  };

  it('answers each request of the table from the core, and validates what it sends back', async () => {
    const core = new SwarmCore([{ id: 'p', label: 'P', url: 'ws://127.0.0.1:1', color: 0 }]);
    const server = serveContract(core, 'web');
    const v = view();
    expect(server.isRequest(IPC_CHANNELS.search)).toBe(true);
    expect(server.isRequest(IPC_CHANNELS.ack)).toBe(false);
    await expect(server.request(v, IPC_CHANNELS.hello, undefined)).resolves.toMatchObject({ host: 'web' });
    await expect(server.request(v, IPC_CHANNELS.search, { text: 'agent' })).resolves.toEqual({ matches: [], total: 0, truncated: false });
    await expect(server.request(v, IPC_CHANNELS.connection, { plane: 'nope', action: 'reconnect' })).resolves.toMatchObject({ ok: false });
    await expect(server.request(v, IPC_CHANNELS.connection, { plane: 'p', action: 'disconnect' })).resolves.toMatchObject({ ok: true, state: 'CLOSED' });
    await expect(server.request(v, IPC_CHANNELS.connection, { plane: 'p', action: 'explode' })).rejects.toThrow(/invalid swarmdeck:connection message at action/);
    await expect(server.request(v, 'swarmdeck:exec', {})).rejects.toThrow(/unknown channel/);
    server.message(v, IPC_CHANNELS.ack, { seq: 3 });
    expect(v.acks).toEqual([3]);
    expect(() => server.message(v, IPC_CHANNELS.ack, { seq: 'x' })).toThrow(/invalid swarmdeck:ack message at seq/);
    expect(() => server.message(v, IPC_CHANNELS.search, {})).toThrow(/unknown channel/);
    core.stop();
  });
});
