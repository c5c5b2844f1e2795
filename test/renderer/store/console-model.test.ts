import { describe, expect, it } from 'vitest';
import type { FrameMessage, PlaneEvent, PlaneStatus, SwarmdeckBridge } from '@shared';
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
    m.ingest(frame(3, [ev(1, 'message.flow.stats', { flowId: 'a-b', statistics: {} })]), 20);
    const s3 = m.store.getState();
    expect([s3.eventsV, s3.flowsV, s3.activityV]).toEqual([2, 1, 1]);
  });

  it('a new view (its frame sequence starts again: the host restarted) numbers events afresh, and none is lost to the old numbers', () => {
    const m = createConsole();
    m.ingest(frame(40, [ev(900, 'agent.state.changed')]), 0);
    m.ingest(frame(0, [ev(0, 'agent.state.changed'), ev(1, 'agent.state.changed')]), 10);
    expect(m.data.log.size).toBe(3);
    // Within the new view, a re-sent event is still taken once.
    m.ingest(frame(1, [ev(1, 'agent.state.changed')]), 20);
    expect(m.data.log.size).toBe(3);
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

  it('tracks a command through the bridge to its result, and a bridge failure becomes refused', async () => {
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
    await m.sendCommand('p', { kind: 'command', command: 'restart' });
    expect(m.data.commands.list()[0]!.result?.status).toBe('success');
    fail = true;
    const r = await m.sendCommand('p', { kind: 'command', command: 'restart' });
    expect(r).toMatchObject({ status: 'refused', code: 'IPC_ERROR' });
    expect(m.store.getState().commandsV).toBe(4);
  });

  it('counts what its bounded histories evict', () => {
    const m = createConsole();
    const events: PlaneEvent[] = [];
    for (let i = 0; i < 20_010; i++) events.push(ev(i, 'x'));
    m.ingest(frame(1, events), 0);
    expect(m.data.log.size).toBe(20_000);
    expect(m.evictions().events).toBe(10);
  });
});
