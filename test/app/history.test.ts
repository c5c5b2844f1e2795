// The view protocol over the contract (app/core.ts, app/serve-contract.ts):
// a hello is answered with each plane's session state, including the plane's
// first events sent before any view existed; older events page in by seq;
// alerts are acknowledged in the core and every view's next frame carries the
// change; bad requests are refused naming the field. Events are fed through
// the plane's own listener, as a Plane hands them to the core.
import { afterEach, describe, expect, it } from 'vitest';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { type AppInfo, type FrameMessage, type HistoryPage, IPC_CHANNELS } from '../../shared/contract/index.js';
import type { PlaneEvent } from '../../shared/events.js';
import { HISTORY_PAGE_EVENTS } from '../../shared/limits.js';
import { waitFor } from '../helpers/wait.js';

const cores: SwarmCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

function setup(planes = ['p', 'q'], pipeline: ConstructorParameters<typeof SwarmCore>[1] = {}) {
  // Never connected (port 1): the events come through each plane's listener.
  const core = new SwarmCore(planes.map((id) => ({ id, label: id.toUpperCase(), url: 'ws://127.0.0.1:1', color: 0 })), pipeline);
  cores.push(core);
  const server = serveContract(core, 'web');
  let n = 0;
  const feed = (plane: string, type: string, payload: PlaneEvent['payload'] = {}, origin: PlaneEvent['origin'] = 'vis'): PlaneEvent => {
    const ev: PlaneEvent = { seq: n++, plane, at: Date.now(), origin, type, priority: 'normal', payload };
    core.listenerFor(plane).event(ev);
    return ev;
  };
  const view = () => {
    const frames: FrameMessage[] = [];
    const v: View = core.openView((f) => frames.push(structuredClone(f)));
    return { v, frames, ack: () => frames.length && v.ack(frames[frames.length - 1]!.seq) };
  };
  return { core, server, feed, view };
}

describe('hello and backfill', () => {
  it('a view opened late is answered with the plane’s first events and its alerts, then frames carry only what comes after', async () => {
    const { server, feed, view } = setup();
    feed('p', 'agent.state.changed', { agentId: 'agent-001', newState: 'ACTIVE' });
    feed('p', 'client.agent_lost', { agentId: 'agent-002' }, 'client');
    for (let i = 0; i < 5; i++) feed('q', 'heartbeat');
    const { v, frames, ack } = view();
    const info = (await server.request(v, IPC_CHANNELS.hello, undefined)) as AppInfo;
    const p = info.history.find((h) => h.plane === 'p')!;
    expect(p.events.map((e) => [e.seq, e.type])).toEqual([
      [0, 'agent.state.changed'],
      [1, 'client.agent_lost'],
    ]);
    expect(p.alerts.map((a) => [a.key, a.state, a.count])).toEqual([['p/agent_lost/agent-002', 'firing', 1]]);
    expect(info.history.find((h) => h.plane === 'q')!.events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(p.counts).toMatchObject({ firstSeq: 0, lastSeq: 1, events: { entries: 2, evicted: 0 } });
    // The first frame repeats none of it.
    await waitFor('a first frame', () => frames.length > 0);
    expect(frames.flatMap((f) => f.events)).toEqual([]);
    ack();
    feed('p', 'client.agent_recovered', { agentId: 'agent-002' }, 'client');
    await waitFor('the recovery in a frame', () => frames.some((f) => f.events.some((e) => e.type === 'client.agent_recovered')));
    const last = frames.find((f) => f.monitor?.some((d) => d.alerts.length))!;
    expect(last.events.map((e) => [e.plane, e.seq])).toEqual([['p', 2]]);
    expect(last.monitor!.find((d) => d.plane === 'p')!.alerts.map((a) => [a.key, a.state])).toEqual([['p/agent_lost/agent-002', 'resolved']]);
  });

  it('a plane’s own window is answered with that plane only', async () => {
    const { server, feed, view } = setup();
    feed('p', 'heartbeat');
    feed('q', 'heartbeat');
    const { v } = view();
    const info = (await server.request(v, IPC_CHANNELS.hello, { planes: ['q'] })) as AppInfo;
    expect(info.history.map((h) => h.plane)).toEqual(['q']);
  });
});

describe('history pages', () => {
  it('pages a plane’s events back by seq until there are none, and each plane’s newest without a plane', async () => {
    const { server, feed, view } = setup();
    for (let i = 0; i < 25; i++) feed('p', 'heartbeat', { n: i });
    feed('q', 'heartbeat');
    const { v } = view();
    await server.request(v, IPC_CHANNELS.hello, undefined);
    const page = async (req: unknown) => (await server.request(v, IPC_CHANNELS.history, req)) as HistoryPage;
    const first = await page({ plane: 'p', limit: 10 });
    expect(first.pages).toHaveLength(1);
    expect(first.pages[0]!.events.map((e) => e.seq)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(first.pages[0]!.more).toBe(true);
    const second = await page({ plane: 'p', beforeSeq: 15, limit: 10 });
    expect(second.pages[0]!.events.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const third = await page({ plane: 'p', beforeSeq: 5, limit: 10 });
    expect(third.pages[0]).toMatchObject({ more: false, evicted: 0 });
    expect(third.pages[0]!.events.map((e) => e.payload.n)).toEqual([0, 1, 2, 3, 4]);
    const all = await page({ limit: 2 });
    expect(all.pages.map((x) => [x.plane, x.events.map((e) => e.seq)])).toEqual([
      ['p', [23, 24]],
      ['q', [0]],
    ]);
  });

  it('refuses bad input naming the field, both ways', async () => {
    const { server, view } = setup();
    const { v } = view();
    await server.request(v, IPC_CHANNELS.hello, { planes: ['p'] });
    const ask = (req: unknown) => server.request(v, IPC_CHANNELS.history, req);
    await expect(ask({ beforeSeq: 3 })).rejects.toThrow(/invalid swarmdeck:history message at beforeSeq/);
    await expect(ask({ plane: 'p', limit: 0 })).rejects.toThrow(/at limit/);
    await expect(ask({ plane: 'p', limit: HISTORY_PAGE_EVENTS + 1 })).rejects.toThrow(/at limit/);
    await expect(ask({ plane: 'p', beforeSeq: -1 })).rejects.toThrow(/at beforeSeq/);
    await expect(ask({ plane: 7 })).rejects.toThrow(/at plane/);
    // Outside the view's scope, or no such plane: refused too, naming the plane.
    await expect(ask({ plane: 'q' })).rejects.toThrow(/at plane: no plane "q" in this view/);
    await expect(ask({ plane: 'nope' })).rejects.toThrow(/at plane/);
    await expect(server.request(v, IPC_CHANNELS.alert, { plane: 'p', key: 'k', action: 'explode' })).rejects.toThrow(/swarmdeck:alert message at action/);
    await expect(server.request(v, IPC_CHANNELS.alert, { plane: 'p', key: 'k', action: 'silence', forMs: 10 * 24 * 3_600_000 })).rejects.toThrow(/at forMs/);
  });
});

describe('alert actions', () => {
  it('acknowledge and silence are kept in the core: another view’s next frame has them, and a later hello too', async () => {
    const { server, feed, view } = setup();
    feed('p', 'client.agent_lost', { agentId: 'agent-005' }, 'client');
    const a = view();
    const b = view();
    await server.request(a.v, IPC_CHANNELS.hello, undefined);
    await server.request(b.v, IPC_CHANNELS.hello, undefined);
    await waitFor('first frames', () => a.frames.length > 0 && b.frames.length > 0);
    a.ack();
    b.ack();
    const key = 'p/agent_lost/agent-005';
    await expect(server.request(a.v, IPC_CHANNELS.alert, { plane: 'p', key, action: 'acknowledge' })).resolves.toMatchObject({ key, acknowledged: true });
    await expect(server.request(a.v, IPC_CHANNELS.alert, { plane: 'p', key, action: 'silence', forMs: 60_000 })).resolves.toMatchObject({ silencedUntil: expect.any(Number) });
    await waitFor('b sees it', () => b.frames.some((f) => f.monitor?.some((d) => d.alerts.some((x) => x.acknowledged && x.silencedUntil !== undefined))));
    await expect(server.request(a.v, IPC_CHANNELS.alert, { plane: 'p', key: 'p/none', action: 'acknowledge' })).resolves.toBeNull();
    const c = view();
    const info = (await server.request(c.v, IPC_CHANNELS.hello, undefined)) as AppInfo;
    expect(info.history[0]!.alerts[0]).toMatchObject({ key, acknowledged: true, count: 1 });
  });

  it('a frame lost (not acknowledged in time) sends its session changes again with the next', async () => {
    const { core, server, feed } = setup(['p'], { ackTimeoutMs: 100 });
    const frames: FrameMessage[] = [];
    const view = core.openView((f) => frames.push(structuredClone(f)));
    await server.request(view, IPC_CHANNELS.hello, undefined);
    await waitFor('first frame', () => frames.length > 0);
    view.ack(frames[0]!.seq);
    feed('p', 'client.agent_lost', { agentId: 'agent-001' }, 'client');
    await waitFor('the alert in a frame', () => frames.some((f) => f.monitor?.some((d) => d.alerts.length > 0)));
    // Not acknowledged: after the ack timeout the change comes again.
    await waitFor('sent again', () => frames.filter((f) => f.monitor?.some((d) => d.alerts.length > 0)).length >= 2);
    // Acknowledged: it does not.
    view.ack(frames[frames.length - 1]!.seq);
    const sent = frames.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(frames.slice(sent).filter((f) => f.monitor?.some((d) => d.alerts.length > 0))).toEqual([]);
  });
});
