// serveContract (app/serve-contract.ts): the channel table served for both hosts, requests and replies validated.
import { describe, expect, it } from 'vitest';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { type FrameMessage, IPC_CHANNELS } from '../../shared/contract/index.js';
import { MAX_VIEW_PLANES } from '../../shared/limits.js';
import { recordsOf } from '../helpers/positions.js';

describe('serveContract', () => {
  const view = (): View & { acks: number[] } => {
    const acks: number[] = [];
    return { acks, ack: (s) => void acks.push(s), hello: () => ({ version: 'v', host: 'web', planes: [], scope: null, history: [] }), close: () => undefined, scope: () => null, pipeline: null as never };
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
