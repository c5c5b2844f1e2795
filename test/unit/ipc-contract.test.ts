import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridge, type BridgeTransport } from '../../shared/bridge.js';
import { CONTRACT, IPC_CHANNELS, type FrameMessage } from '../../shared/contract/index.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { IPC_REQUEST_TIMEOUT_MS, MAX_VIEW_PLANES } from '../../shared/limits.js';
import { recordsOf } from '../helpers/positions.js';
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
    expect(Object.entries(CONTRACT).filter(([, c]) => c.kind === 'request').map(([k]) => k)).toEqual(['hello', 'openWindow', 'inspect', 'command', 'connection', 'search', 'record', 'recordings', 'recordingFiles', 'openRecording', 'replays', 'replay', 'replayMarkers', 'profiles', 'profile', 'profileConnect', 'profileTest']);
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
    return { acks, ack: (s) => void acks.push(s), hello: () => ({ version: 'v', host: 'web', planes: [], scope: null }), close: () => undefined, scope: () => null, pipeline: null as never };
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

  it('scopes a view to the planes its hello names: its frames, its hello reply and its searches', async () => {
    const core = new SwarmCore([
      { id: 'p', label: 'P', url: 'ws://127.0.0.1:1', color: 0 },
      { id: 'q', label: 'Q', url: 'ws://127.0.0.1:2', color: 1 },
    ]);
    core.plane('p')!.store.applyPositions(recordsOf([[1, [0, 0, 0]]]), Date.now());
    core.plane('q')!.store.applyPositions(recordsOf([[2, [0, 0, 0]]]), Date.now());
    const frames: FrameMessage[] = [];
    const view = core.openView((f) => frames.push(f));
    const server = serveContract(core, 'web');
    try {
      await expect(server.request(view, IPC_CHANNELS.hello, { planes: ['q'] })).resolves.toMatchObject({ scope: ['q'], planes: [{ plane: 'q', label: 'Q' }] });
      expect(view.scope()).toEqual(['q']);
      await expect.poll(() => frames.length).toBeGreaterThan(0);
      expect(frames[0]!.positions.map((p) => p.plane)).toEqual(['q']);
      await expect(server.request(view, IPC_CHANNELS.search, { text: 'agent' })).resolves.toMatchObject({ total: 1, matches: [{ plane: 'q', id: 2 }] });
      // A plane list the schema refuses names the field; the view keeps its scope.
      await expect(server.request(view, IPC_CHANNELS.hello, { planes: [] })).rejects.toThrow(/invalid swarmdeck:hello message at planes/);
      await expect(server.request(view, IPC_CHANNELS.hello, { planes: Array.from({ length: MAX_VIEW_PLANES + 1 }, (_, i) => `p${i}`) })).rejects.toThrow(/at planes/);
      expect(view.scope()).toEqual(['q']);
      // A hello without one: every plane again.
      await expect(server.request(view, IPC_CHANNELS.hello, undefined)).resolves.toMatchObject({ scope: null, planes: [{ plane: 'p' }, { plane: 'q' }] });
      await expect(server.request(view, IPC_CHANNELS.search, { text: 'agent' })).resolves.toMatchObject({ total: 2 });
    } finally {
      view.close();
      core.stop();
    }
  });

  it('opens windows through the host that has them, and says so where it has none', async () => {
    const core = new SwarmCore([]);
    const opened: (readonly string[] | null)[] = [];
    const withWindows = serveContract(core, 'electron', { windows: { open: (planes) => (opened.push(planes), { opened: true }) } });
    const v = view();
    await expect(withWindows.request(v, IPC_CHANNELS.openWindow, { planes: ['p'] })).resolves.toEqual({ opened: true });
    await expect(withWindows.request(v, IPC_CHANNELS.openWindow, {})).resolves.toEqual({ opened: true });
    expect(opened).toEqual([['p'], null]);
    await expect(withWindows.request(v, IPC_CHANNELS.openWindow, { planes: ['x'.repeat(201)] })).rejects.toThrow(/at planes.0/);
    await expect(serveContract(core, 'web').request(v, IPC_CHANNELS.openWindow, { planes: ['p'] })).resolves.toMatchObject({ opened: false, message: expect.stringMatching(/new tab/) });
    core.stop();
  });
});
