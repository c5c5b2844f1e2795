// The one IPC contract (shared/contract/) and the validating bridge (shared/bridge.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridge, type BridgeTransport } from '../../shared/bridge.js';
import { CONTRACT, IPC_CHANNELS, ReplayGroupActionSchema, type FrameMessage } from '../../shared/contract/index.js';
import { IPC_REQUEST_TIMEOUT_MS, REPLAY_MAX_OFFSET_MS } from '../../shared/limits.js';

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
    expect(Object.entries(CONTRACT).filter(([, c]) => c.kind === 'request').map(([k]) => k)).toEqual(['hello', 'openWindow', 'inspect', 'command', 'connection', 'planeToken', 'search', 'record', 'recordings', 'recordingFiles', 'openRecording', 'replays', 'replay', 'replayMarkers', 'replayGroup', 'replaySeries', 'replayMoment', 'profiles', 'profile', 'profileConnect', 'profileTest', 'history', 'alert', 'flight', 'rewind']);
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

describe('re-hello answers', () => {
  it('reach the page validated; a bad one is refused and counted, not delivered', async () => {
    let deliver: (raw: unknown) => void = () => undefined;
    const t: BridgeTransport = { invoke: async () => null, send: () => undefined, onPush: () => () => undefined, onRehello: (l) => ((deliver = l), () => undefined) };
    const diag = { rejected: 0, lastRejection: null as string | null };
    const bridge = createBridge(t, diag);
    const got: unknown[] = [];
    bridge.onRehello!((info) => got.push(info.planes.length));
    deliver({ version: 'v', host: 'web', planes: [], scope: null, history: [] });
    deliver({ version: 'v', host: 'web', planes: [], scope: null });
    expect(got).toEqual([0]);
    expect(diag.rejected).toBe(1);
    expect(diag.lastRejection).toMatch(/swarmdeck:hello message at history/);
  });
});

describe('synced timeline requests', () => {
  it('parse a sync of two or more, offsets within REPLAY_MAX_OFFSET_MS, and nothing else', () => {
    const ok = (v: unknown): boolean => ReplayGroupActionSchema.safeParse(v).success;
    expect(ok({ action: 'sync', ids: [1, 2] })).toBe(true);
    expect(ok({ action: 'sync', ids: [1, 2], align: 'time' })).toBe(true);
    expect(ok({ action: 'sync', ids: [1] })).toBe(false);
    expect(ok({ action: 'sync', ids: [1, 2], align: 'offset' })).toBe(false);
    expect(ok({ action: 'offset', id: 2, value: -5000 })).toBe(true);
    expect(ok({ action: 'offset', id: 2, value: REPLAY_MAX_OFFSET_MS + 1 })).toBe(false);
    expect(ok({ action: 'seek', value: Number.NaN })).toBe(false);
    expect(ok({ action: 'speed', value: 32 })).toBe(false);
    expect(ok({ action: 'state' })).toBe(true);
    expect(ok({ action: 'rewind' })).toBe(false);
  });
});
