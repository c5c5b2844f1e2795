import { describe, expect, it } from 'vitest';
import type { PlaneEvent } from '@shared';
import { ActivityLog } from '../../../renderer/src/store/activity.js';
import { AlertGroups, isActive } from '../../../renderer/src/store/alerts.js';
import { CommandList, commandState, WAITING_AFTER_MS } from '../../../renderer/src/store/commands.js';
import { Flows } from '../../../renderer/src/store/flows.js';
import { METRIC_FIELDS, MetricSeries } from '../../../renderer/src/store/metric-series.js';
import { Ring } from '../../../renderer/src/store/ring.js';
import { Rounds, tally, timeLeft } from '../../../renderer/src/store/rounds.js';
import { StateTally } from '../../../renderer/src/store/state-tally.js';

let seq = 0;
export function ev(type: string, payload: PlaneEvent['payload'], extra: Partial<PlaneEvent> = {}): PlaneEvent {
  return { seq: seq++, plane: 'p', at: 1000 + seq, origin: 'vis', type, priority: 'normal', payload, ...extra };
}

describe('Ring', () => {
  it('keeps the newest `capacity` entries and counts what it evicts', () => {
    const r = new Ring<number>(3);
    for (let i = 0; i < 5; i++) r.push(i);
    expect(r.toArray()).toEqual([2, 3, 4]);
    expect(r.evicted).toBe(2);
    expect(r.pushed).toBe(5);
    expect(r.at(0)).toBe(2);
  });
});

describe('AlertGroups', () => {
  it('groups repeats with a count and last-seen time, and acknowledging holds until the next repeat', () => {
    const g = new AlertGroups(10);
    const alert = { level: 'warning', message: 'High message queue depth detected', component: 'message-bus' };
    g.add(ev('system.metrics', { alerts: [alert] }, { at: 1 }));
    g.add(ev('system.metrics', { alerts: [alert] }, { at: 5 }));
    g.add(ev('system.metrics', { alerts: [{ ...alert, level: 'critical', message: 'failover' }] }, { at: 6 }));
    const list = g.list();
    expect(list).toHaveLength(2);
    const queue = list.find((a) => a.message.startsWith('High'))!;
    expect(queue).toMatchObject({ count: 2, firstSeen: 1, lastSeen: 5, level: 'warning', source: 'message-bus' });
    g.acknowledge(queue.key);
    expect(isActive(g.list().find((a) => a.key === queue.key)!)).toBe(false);
    g.add(ev('system.metrics', { alerts: [alert] }, { at: 9 }));
    expect(isActive(g.list().find((a) => a.key === queue.key)!)).toBe(true);
  });

  it('takes error events with code, recoverable and suggested action', () => {
    const g = new AlertGroups(10);
    g.add(ev('error', { code: 'INTERNAL_ERROR', message: 'boom', recoverable: false, suggestedAction: 'Contact support' }));
    expect(g.list()[0]).toMatchObject({ level: 'critical', code: 'INTERNAL_ERROR', recoverable: false, suggestedAction: 'Contact support' });
  });

  it('evicts the least recently seen group beyond its limit, counted', () => {
    const g = new AlertGroups(2);
    for (const m of ['a', 'b', 'a', 'c']) g.add(ev('system.metrics', { alerts: [{ level: 'warning', message: m }] }));
    expect(g.list().map((a) => a.message)).toEqual(['c', 'a']);
    expect(g.evicted).toBe(1);
  });
});

describe('Rounds', () => {
  it('follows a consensus round from initiation through each vote to its outcome', () => {
    const r = new Rounds(10);
    r.add(ev('coordination.initiated', { coordinationId: 'c1', pattern: 'CONSENSUS', initiator: { id: 'agent-001' }, participants: [{ id: 'agent-002', role: 'voter' }, { id: 'agent-003', role: 'observer' }], parameters: { consensusThreshold: 0.66, timeout: 30000 } }, { at: 0 }));
    r.add(ev('coordination.progress', { coordinationId: 'c1', progress: 0.5, status: 'VOTING', votes: { 'agent-001': { vote: 'approve' }, 'agent-002': { vote: 'pending' } } }, { at: 500 }));
    let round = r.list()[0]!;
    expect(round).toMatchObject({ pattern: 'CONSENSUS', initiator: 'agent-001', threshold: 0.66, timeoutMs: 30000, status: 'VOTING' });
    expect(tally(round)).toMatchObject({ approve: 1, reject: 0, pending: 1 });
    expect(timeLeft(round, 10_000)).toBe(20_000);
    r.add(ev('coordination.progress', { coordinationId: 'c1', status: 'COMPLETED', votes: { 'agent-002': { vote: 'reject' } }, result: 'rejected' }, { at: 1000 }));
    round = r.list()[0]!;
    expect(round.result).toBe('rejected');
    expect(round.endedAt).toBe(1000);
    expect(round.votes['agent-001']!.vote).toBe('approve');
    expect(round.votes['agent-002']!.vote).toBe('reject');
    expect(timeLeft(round, 2000)).toBeUndefined();
  });

  it('evicts finished rounds before active ones', () => {
    const r = new Rounds(2);
    r.add(ev('coordination.initiated', { coordinationId: 'active' }));
    r.add(ev('coordination.progress', { coordinationId: 'done', result: 'approved' }));
    r.add(ev('coordination.initiated', { coordinationId: 'new' }));
    expect(r.list().map((x) => x.id).sort()).toEqual(['active', 'new']);
    expect(r.evicted).toBe(1);
  });
});

describe('Flows', () => {
  it('keeps the latest statistics per flow and evicts the least recently updated', () => {
    const f = new Flows(2);
    const stats = (n: number) => ({ messageCount: n, averageLatency: 10, minLatency: 1, maxLatency: 50, successRate: 0.99, bandwidth: 0.5, lastActivity: '2026-01-01T00:00:00Z' });
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: stats(1) }));
    f.add(ev('message.flow.stats', { flowId: 'b-c', statistics: stats(2) }));
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: stats(3) }));
    f.add(ev('message.flow.stats', { flowId: 'c-d', statistics: stats(4) }));
    expect(f.list().map((x) => [x.flowId, x.count])).toEqual([
      ['a-b', 3],
      ['c-d', 4],
    ]);
    expect(f.evicted).toBe(1);
    expect(f.list()[0]!.lastActivity).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});

describe('CommandList', () => {
  it('tracks sent → waiting → settled, and evicts only settled entries beyond its limit', () => {
    const l = new CommandList(2);
    const a = l.add('p', { kind: 'command', command: 'restart' }, 0);
    expect(commandState(a, 10)).toBe('sent');
    expect(commandState(a, WAITING_AFTER_MS)).toBe('waiting');
    l.add('p', { kind: 'command', command: 'update' }, 1);
    l.add('p', { kind: 'command', command: 'fetch_logs' }, 2);
    expect(l.list()).toHaveLength(3); // all pending: none may go
    l.settle(a.key, { status: 'timeout', plane: 'p', command: 'restart', requestId: 'r', timeoutMs: 5, sent: true }, 5);
    expect(commandState(a, 6)).toBe('timeout');
    l.add('p', { kind: 'command', command: 'restart' }, 7);
    expect(l.list().map((c) => c.request.kind === 'command' && c.request.command)).toEqual(['restart', 'fetch_logs', 'update']);
    expect(l.evicted).toBe(1);
  });
});

describe('MetricSeries', () => {
  it('reads system.metrics into typed columns and returns a time window, oldest first', () => {
    const m = new MetricSeries(3);
    for (let i = 0; i < 4; i++) m.push(i * 1000, { activeAgents: i, systemLoad: { cpu: 0.5 }, messageMetrics: { queueDepth: 10 * i } });
    expect(m.evicted).toBe(1);
    const w = m.window(2000);
    expect(Array.from(w[0]!)).toEqual([2, 3]);
    const k = METRIC_FIELDS.findIndex((f) => f.key === 'activeAgents');
    expect(Array.from(w[k + 1]!)).toEqual([2, 3]);
    expect(m.latest!.cpu).toBe(50);
    expect(Number.isNaN(m.latest!.gpu)).toBe(true);
  });
});

describe('StateTally', () => {
  it('counts agents by state from full and delta frames', () => {
    const t = new StateTally();
    t.apply({ plane: 'p', slotCount: 3, receivedAt: 0, ids: new Uint32Array([1, 2, 3]), xy: new Float32Array(6), states: new Uint16Array([0, 0, 6]) });
    expect(t.counts()).toEqual({ IDLE: 2, ERROR: 1 });
    t.apply({ plane: 'p', slotCount: 3, receivedAt: 0, slots: new Uint32Array([1]), ids: new Uint32Array([2]), xy: new Float32Array(2), states: new Uint16Array([257]) });
    expect(t.counts()).toEqual({ IDLE: 1, ERROR: 1 });
  });
});

describe('ActivityLog', () => {
  it('records messages in and out per agent with namespaces, bounded per agent and in agents', () => {
    const a = new ActivityLog(2, 2);
    for (let i = 0; i < 3; i++) a.add(ev('message.sent', { from: { id: 'agent-001', namespace: 'research' }, to: [{ id: `agent-00${i + 2}` }], messageType: 'REQUEST' }));
    const one = a.of('p', 'agent-001')!;
    expect(one.namespace).toBe('research');
    expect(one.entries.toArray().map((e) => e.text)).toEqual(['agent-003', 'agent-004']);
    expect(one.entries.evicted).toBe(1);
    expect(a.evictedAgents).toBe(2);
  });
});
