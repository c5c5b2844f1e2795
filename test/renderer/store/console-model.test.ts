import { describe, expect, it } from 'vitest';
import type { Alert, AppInfo, FrameMessage, MonitorCounts, MonitorDelta, PlaneEvent, PlaneHistory, PlaneStatus, Round, SwarmdeckBridge } from '@shared';
import { createConsole } from '../../../renderer/src/store/console-model.js';

const status = (state: PlaneStatus['state'] = 'LIVE'): PlaneStatus => ({
  plane: 'p',
  label: 'P',
  color: 0xffffff,
  url: 'ws://x',
  state,
  agents: 1,
  counters: Object.fromEntries(
    ['bytesIn', 'messagesIn', 'positionMessages', 'protocolErrors', 'reconnects', 'bytesOut', 'messagesOut', 'framesDropped', 'duplicatesDropped', 'ttlExpired', 'channelGaps', 'channelMissed', 'channelDuplicates', 'acksSent', 'serverErrors', 'staleDetections', 'authFailures', 'tokenRefreshes', 'compressedMessages', 'commandsSent', 'commandsTimedOut', 'commandsRefused'].map((k) => [k, 0]),
  ) as PlaneStatus['counters'],
});
const stats = { framesSent: 1, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 };
const ev = (seq: number, type: string, payload: PlaneEvent['payload'] = {}): PlaneEvent => ({ seq, plane: 'p', at: seq, origin: 'vis', type, priority: 'normal', payload });
const frame = (seq: number, events: PlaneEvent[], planes = [status()]): FrameMessage => ({ seq, builtAt: 0, planes, positions: [], events, stats });

describe('the console store', () => {
  it('takes each event once (a re-sent frame adds nothing) and bumps only the histories that changed', () => {
    const m = createConsole();
    m.ingest(frame(1, [ev(0, 'message.sent', { from: { id: 'agent-001' }, to: [{ id: 'agent-002' }] })]), 0);
    const s1 = m.store.getState();
    expect(s1.eventsV).toBe(1);
    expect(s1.activityV).toBe(1);
    expect(s1.flowsV).toBe(0);
    expect(s1.roundsV).toBe(0);
    m.ingest(frame(2, [ev(0, 'message.sent', { from: { id: 'agent-001' }, to: [] })]), 10);
    expect(m.data.log.size).toBe(1);
    expect(m.store.getState().eventsV).toBe(1);
    // A sampled flow.stats event is a row of the log; the flows come from the frames' flow tables, not events.
    m.ingest(frame(3, [ev(1, 'message.flow.stats', { flowId: 'a-b', statistics: {} })]), 20);
    const s3 = m.store.getState();
    expect([s3.eventsV, s3.flowsV, s3.activityV]).toEqual([2, 0, 1]);
  });

  it('holds each event once by the core\'s seq, whatever the frame numbers say (a new view of the same core re-sends nothing new)', () => {
    const m = createConsole();
    m.ingest(frame(40, [ev(0, 'agent.state.changed'), ev(1, 'agent.state.changed')]), 0);
    m.ingest(frame(0, [ev(1, 'agent.state.changed'), ev(2, 'agent.state.changed')]), 10);
    expect(m.data.log.ids()).toEqual(['p#0', 'p#1', 'p#2']);
    // Out of order (an older page arriving late) goes in its place.
    const late = { ...ev(5, 'x'), at: 100 };
    m.ingest(frame(1, [late, ev(4, 'x')]), 20);
    expect(m.data.log.ids()).toEqual(['p#0', 'p#1', 'p#2', 'p#4', 'p#5']);
  });

  it('keeps the plane list by identity while no status changed, so plane panels do not re-render', () => {
    const m = createConsole();
    m.ingest(frame(1, []), 0);
    const first = m.store.getState().planes;
    m.ingest(frame(2, [], [status()]), 5);
    expect(m.store.getState().planes).toBe(first);
    m.ingest(frame(3, [], [status('RECONNECTING')]), 10);
    expect(m.store.getState().planes).not.toBe(first);
    expect(m.store.getState().planes[0]!.state).toBe('RECONNECTING');
  });

  it('tells event listeners the previous plane statuses (a plane lost) and the fresh events only', () => {
    const m = createConsole();
    const seen: [number, string | undefined, string | undefined][] = [];
    m.onEvents((events, planes, previous) => seen.push([events.length, planes[0]?.state, previous[0]?.state]));
    m.ingest(frame(1, [ev(0, 'x')]), 0);
    m.ingest(frame(2, [ev(0, 'x')], [status('FAILED')]), 1);
    expect(seen).toEqual([
      [1, 'LIVE', undefined],
      [0, 'FAILED', 'LIVE'],
    ]);
  });

  it('sends a command through the bridge; the list is the core\'s log (frames\' changes), and a bridge failure becomes refused', async () => {
    let fail = false;
    const bridge: SwarmdeckBridge = {
      onFrame: () => () => undefined,
      ack: () => undefined,
      request: ((name: string) => {
        if (name !== 'command') throw new Error('unexpected');
        if (fail) return Promise.reject(new Error('connection to the host was lost'));
        return Promise.resolve({ status: 'success', plane: 'p', command: 'restart', requestId: 'r1', payload: {}, latencyMs: 3 });
      }) as SwarmdeckBridge['request'],
    };
    const m = createConsole({ bridge });
    await expect(m.sendCommand('p', { kind: 'command', command: 'restart' })).resolves.toMatchObject({ status: 'success' });
    // Nothing is listed until the core says so.
    expect(m.data.session.commands.size).toBe(0);
    const entry = { id: 1, plane: 'p', name: 'restart', request: { kind: 'command' as const, command: 'restart' }, sentAt: 5, result: null, rev: 3 };
    m.ingest({ ...frame(1, []), monitor: [delta({ commands: [entry] })] }, 0);
    m.ingest({ ...frame(2, []), monitor: [delta({ commands: [{ ...entry, rev: 4, settledAt: 9, result: { status: 'success', plane: 'p', command: 'restart', requestId: 'r1', payload: {}, latencyMs: 3 } }] })] }, 1);
    // A late frame with the older change does not undo the newer one.
    m.ingest({ ...frame(3, []), monitor: [delta({ commands: [entry] })] }, 2);
    expect(m.data.session.commands.list()[0]!.result?.status).toBe('success');
    expect(m.store.getState().commandsV).toBe(2);
    fail = true;
    const r = await m.sendCommand('p', { kind: 'command', command: 'restart' });
    expect(r).toMatchObject({ status: 'refused', code: 'IPC_ERROR' });
  });

  it('holds at most CONSOLE_EVENT_LOG events (older ones page in again); the evictions shown are the core\'s', () => {
    const m = createConsole();
    const events: PlaneEvent[] = [];
    for (let i = 0; i < 20_010; i++) events.push(ev(i, 'x'));
    m.ingest({ ...frame(1, events), monitor: [delta({ counts: counts({ events: 7, alerts: 2 }) })] }, 0);
    expect(m.data.log.size).toBe(20_000);
    expect(m.data.log.edge('p')).toEqual({ oldestSeq: 10, more: true });
    expect(m.evictions()).toMatchObject({ events: 7, alerts: 2, rounds: 0 });
  });

  it('a hello\'s answer fills the view with the core\'s session state; a plane no longer shown is forgotten', () => {
    const m = createConsole();
    m.ingest(frame(1, [ev(0, 'x'), { ...ev(0, 'x'), plane: 'gone' }]), 0);
    const alert: Alert = { key: 'p/agent_lost/agent-001', kind: 'agent_lost', plane: 'p', agent: 'agent-001', level: 'warning', state: 'firing', count: 3, since: 1, firedAt: 1, firstAt: 1, lastAt: 1, message: 'lost', acknowledged: false, rev: 7 };
    const round: Round = { key: 'p/c1', plane: 'p', id: 'c1', pattern: 'CONSENSUS', participants: [], votes: [], startedAt: 0, progress: 0, status: 'ACTIVE', updatedAt: 0, rev: 8 };
    m.backfill(info([history({ events: [ev(1, 'x'), ev(2, 'y')], moreEvents: true, alerts: [alert], rounds: [round] })]));
    expect(m.data.log.ids()).toEqual(['p#0', 'p#1', 'p#2']);
    // It joins what the view held: seq 0 is the plane's first, nothing older to page in.
    expect(m.data.log.planesWithMore()).toEqual([]);
    expect(m.data.session.alerts.list()).toEqual([alert]);
    expect(m.data.session.rounds.list()).toEqual([round]);
    expect(m.store.getState().appInfo?.planes.map((p) => p.plane)).toEqual(['p']);
    // Away for a while (a gap before the answer's events): the held ones go, to page in again with the gap.
    m.backfill(info([history({ events: [ev(7, 'x'), ev(8, 'y')], moreEvents: true, alerts: [alert], rounds: [round] })]));
    expect(m.data.log.ids()).toEqual(['p#7', 'p#8']);
    expect(m.data.log.planesWithMore()).toEqual(['p']);
    // The core restarted (its sequence is behind what this view holds): the plane's old events are another run's.
    m.backfill(info([history({ events: [ev(0, 'z')], counts: counts({}, 0) })]));
    expect(m.data.log.ids()).toEqual(['p#0']);
    expect(m.data.log.toArray()[0]!.type).toBe('z');
  });

  it('pages older events in from the core, before the oldest it holds, until the core has none', async () => {
    const asked: unknown[] = [];
    const bridge: SwarmdeckBridge = {
      onFrame: () => () => undefined,
      ack: () => undefined,
      request: ((name: string, payload: { plane: string; beforeSeq?: number }) => {
        if (name !== 'history') throw new Error('unexpected');
        asked.push(payload);
        const before = payload.beforeSeq ?? 10;
        const events = [before - 2, before - 1].filter((s) => s >= 0).map((s) => ev(s, 'old'));
        return Promise.resolve({ pages: [{ plane: payload.plane, events, more: before - 2 > 0, evicted: 0 }] });
      }) as unknown as SwarmdeckBridge['request'],
    };
    const m = createConsole({ bridge });
    m.backfill(info([history({ events: [ev(4, 'x'), ev(5, 'x')], moreEvents: true })]));
    expect(await m.loadOlder()).toBe(2);
    expect(await m.loadOlder()).toBe(2);
    expect(await m.loadOlder()).toBe(0);
    expect(asked).toEqual([
      { plane: 'p', beforeSeq: 4, limit: 2000 },
      { plane: 'p', beforeSeq: 2, limit: 2000 },
    ]);
    expect(m.data.log.ids()).toEqual(['p#0', 'p#1', 'p#2', 'p#3', 'p#4', 'p#5']);
    expect(m.store.getState().eventsV).toBe(3);
  });
});

function counts(evicted: Partial<Record<'events' | 'alerts' | 'rounds' | 'commands' | 'metrics' | 'connection', number>>, lastSeq = 100): MonitorCounts {
  const s = (k: keyof typeof evicted) => ({ entries: 0, bytes: 0, evicted: evicted[k] ?? 0, maxEntries: 10 });
  return { plane: 'p', firstSeq: 0, lastSeq, events: s('events'), alerts: s('alerts'), rounds: s('rounds'), commands: s('commands'), metrics: s('metrics'), connection: s('connection') };
}
function delta(d: Partial<MonitorDelta>): MonitorDelta {
  return { plane: 'p', alerts: [], rounds: [], commands: [], metrics: [], connection: [], counts: counts({}), ...d };
}
function history(h: Partial<PlaneHistory>): PlaneHistory {
  return { plane: 'p', events: [], moreEvents: false, alerts: [], rounds: [], commands: [], metrics: [], connection: [], counts: counts({}), ...h };
}
function info(history: PlaneHistory[]): AppInfo {
  return { version: 'v', host: 'web', planes: history.map((h) => ({ plane: h.plane, label: h.plane, url: 'ws://x', color: 0 })), scope: null, history };
}

describe('a full event window', () => {
  it('pages nothing older in: the oldest would go again at once', async () => {
    let asked = 0;
    const bridge = { onFrame: () => () => undefined, ack: () => undefined, request: (() => (asked++, Promise.resolve({ pages: [] }))) as unknown as SwarmdeckBridge['request'] };
    const m = createConsole({ bridge });
    const events: PlaneEvent[] = [];
    for (let i = 5; i < 20_005; i++) events.push(ev(i, 'x'));
    m.ingest(frame(1, events), 0);
    expect(m.data.log.full).toBe(true);
    expect(m.data.log.planesWithMore()).toEqual([]);
    m.ingest(frame(2, [ev(20_005, 'x')]), 1);
    expect(m.data.log.planesWithMore()).toEqual(['p']);
    expect(await m.loadOlder()).toBe(0);
    expect(asked).toBe(0);
  });
});
