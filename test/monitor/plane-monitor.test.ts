// One plane's session state (monitor/plane-monitor.ts): the core's event
// identity (seq), the log's bounds by entries and bytes with its counters,
// paging, the backfill, changes since a change number, rounds, commands,
// metric series and connection history, each bounded and counted.
import { describe, expect, it } from 'vitest';
import { METRIC_FIELDS } from '../../shared/payloads.js';
import { PlaneMonitor } from '../../electron/core/monitor/plane-monitor.js';
import { connection, planeEvent } from './events.js';

const heartbeat = (at: number) => planeEvent('heartbeat', { agent_id: 'agent-001' }, { origin: 'cp', at });

describe('the event log', () => {
  it('numbers a plane’s events itself, without gaps, whatever seq the Plane gave them (a replay’s seek restarts it)', () => {
    const m = new PlaneMonitor('p', {}, 40);
    const a = m.ingest({ ...heartbeat(1), seq: 0 });
    const b = m.ingest({ ...heartbeat(2), seq: 0 });
    expect([a.seq, b.seq, m.nextSeq]).toEqual([40, 41, 42]);
    expect(m.counts()).toMatchObject({ firstSeq: 40, lastSeq: 41 });
  });

  it('is bounded by entries and by bytes, the oldest out first, every eviction counted', () => {
    const m = new PlaneMonitor('p', { eventEntries: 5 });
    for (let i = 0; i < 8; i++) m.ingest(heartbeat(i));
    expect(m.counts()).toMatchObject({ firstSeq: 3, lastSeq: 7, events: { entries: 5, evicted: 3, maxEntries: 5 } });
    const one = JSON.stringify(m.page(undefined, 1, Infinity).events[0]).length;
    const byBytes = new PlaneMonitor('p', { eventBytes: one * 3 });
    for (let i = 0; i < 6; i++) byBytes.ingest(heartbeat(i));
    expect(byBytes.counts().events).toMatchObject({ entries: 3, evicted: 3, maxBytes: one * 3 });
    expect(byBytes.counts().events.bytes).toBeLessThanOrEqual(one * 3);
  });

  it('keeps an oversized event as a stub naming its size', () => {
    const m = new PlaneMonitor('p', { maxEventBytes: 200 });
    m.ingest(planeEvent('message.sent', { from: { id: 'a' }, to: [], content: 'x'.repeat(1000) }));
    const [kept] = m.page(undefined, 10, Infinity).events;
    expect(kept!.payload).toMatchObject({ oversized: true, limit: 200 });
  });

  it('pages back by seq: newest first page, then older, with `more` and the eviction count', () => {
    const m = new PlaneMonitor('p', { eventEntries: 10 });
    for (let i = 0; i < 14; i++) m.ingest(heartbeat(i));
    const newest = m.page(undefined, 4, Infinity);
    expect(newest.events.map((e) => e.seq)).toEqual([10, 11, 12, 13]);
    expect(newest.more).toBe(true);
    const older = m.page(10, 4, Infinity);
    expect(older.events.map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    const last = m.page(6, 4, Infinity);
    expect(last).toMatchObject({ more: false, evicted: 4 });
    expect(last.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(m.page(4, 4, Infinity).events).toEqual([]);
    // The byte bound cuts a page short (never below one event).
    expect(m.page(undefined, 10, 1).events).toHaveLength(1);
  });
});

describe('the backfill and changes', () => {
  it('a hello’s history has the newest events and every structure; changes after a change number are only the new ones', () => {
    const m = new PlaneMonitor('p');
    m.ingest(connection('LIVE', 1));
    for (let i = 0; i < 5; i++) m.ingest(heartbeat(10 + i));
    m.ingest(planeEvent('client.agent_lost', { agentId: 'agent-001' }, { origin: 'client', at: 20 }));
    const h = m.history(3, Infinity);
    expect(h.events.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(h.moreEvents).toBe(true);
    expect(h.alerts.map((a) => a.key)).toEqual(['p/agent_lost/agent-001']);
    expect(h.connection.map((n) => n.text)).toEqual(['? → LIVE']);
    const rev = m.rev;
    expect(m.changesSince(rev)).toEqual({ alerts: [], rounds: [], commands: [], metrics: [], connection: [] });
    m.ingest(planeEvent('client.agent_recovered', { agentId: 'agent-001' }, { origin: 'client', at: 30 }));
    const c = m.changesSince(rev);
    expect(c.alerts.map((a) => [a.key, a.state])).toEqual([['p/agent_lost/agent-001', 'resolved']]);
    expect(c.rounds).toEqual([]);
  });
});

describe('rounds', () => {
  it('follow a round from initiation through each vote to its outcome, one implementation', () => {
    const m = new PlaneMonitor('p');
    m.ingest(planeEvent('coordination.initiated', { coordinationId: 'c1', pattern: 'CONSENSUS', initiator: { id: 'agent-001' }, participants: [{ id: 'agent-002', role: 'voter' }, { id: 'agent-003', role: 'observer' }], parameters: { consensusThreshold: 0.66, timeout: 30000 } }, { at: 0 }));
    m.ingest(planeEvent('coordination.progress', { coordinationId: 'c1', progress: 0.5, status: 'VOTING', votes: { 'agent-001': { vote: 'approve' }, 'agent-002': { vote: 'pending' } } }, { at: 500 }));
    let [r] = m.rounds.list();
    expect(r).toMatchObject({ key: 'p/c1', pattern: 'CONSENSUS', initiator: 'agent-001', threshold: 0.66, timeoutMs: 30000, status: 'VOTING', progress: 0.5, startedAt: 0 });
    m.ingest(planeEvent('coordination.progress', { coordinationId: 'c1', status: 'COMPLETED', votes: { 'agent-002': { vote: 'reject' } }, result: 'rejected' }, { at: 1000 }));
    [r] = m.rounds.list();
    expect(r).toMatchObject({ result: 'rejected', endedAt: 1000, status: 'COMPLETED' });
    expect(r!.votes).toEqual([
      { voter: 'agent-001', vote: 'approve' },
      { voter: 'agent-002', vote: 'reject' },
    ]);
    // A COORDINATION_EVENT's end type without a status.
    m.ingest(planeEvent('coordination.failed', { coordinationId: 'c2' }, { at: 2000 }));
    expect(m.rounds.list().find((x) => x.id === 'c2')).toMatchObject({ status: 'FAILED', endedAt: 2000 });
  });

  it('are bounded: finished rounds go before active ones; participants per round too; both counted', () => {
    const m = new PlaneMonitor('p', { rounds: 2, roundParticipants: 2 });
    m.ingest(planeEvent('coordination.initiated', { coordinationId: 'active', participants: ['a', 'b', 'c'] }));
    m.ingest(planeEvent('coordination.progress', { coordinationId: 'done', result: 'approved' }));
    m.ingest(planeEvent('coordination.initiated', { coordinationId: 'new' }));
    expect(m.rounds.list().map((x) => x.id).sort()).toEqual(['active', 'new']);
    expect(m.counts().rounds).toMatchObject({ entries: 2, evicted: 1 });
    expect(m.rounds.list().find((x) => x.id === 'active')!.participants).toHaveLength(2);
    expect(m.rounds.refused).toBe(1);
  });
});

describe('the command log', () => {
  it('keeps each command with its response; the oldest settled go first beyond the bound, counted', () => {
    const m = new PlaneMonitor('p', { commands: 2 });
    const req = (command: string) => ({ kind: 'command' as const, command });
    const a = m.commandSent(req('restart'), 0);
    m.commandSent(req('update'), 1);
    m.commandSent(req('fetch_logs'), 2);
    // All pending: the oldest goes all the same (the bound holds).
    expect(m.commands.list().map((c) => c.name)).toEqual(['fetch_logs', 'update']);
    expect(m.counts().commands.evicted).toBe(1);
    m.commandSettled(a, req('restart'), { status: 'success', plane: 'p', command: 'restart', requestId: 'r', payload: {}, latencyMs: 1 });
    const b = m.commands.list()[1]!;
    m.commandSettled(b.id, req('update'), { status: 'success', plane: 'p', command: 'update', requestId: 'r2', payload: { ok: true }, latencyMs: 2 }, 9);
    expect(m.commands.list()[1]).toMatchObject({ name: 'update', settledAt: 9, result: { status: 'success' } });
    m.commandSent(req('restart'), 10);
    expect(m.commands.list().map((c) => c.name)).toEqual(['restart', 'fetch_logs']);
    expect(m.counts().commands.evicted).toBe(2);
  });
});

describe('metric series', () => {
  it('keeps recent samples as they came and averages older ones into buckets, bounded and counted', () => {
    const m = new PlaneMonitor('p', { metricRecentSamples: 3, metricRecentMs: 1e9, metricBucketMs: 10_000, metricBuckets: 2 });
    const k = METRIC_FIELDS.findIndex((f) => f.key === 'activeAgents');
    const cpu = METRIC_FIELDS.findIndex((f) => f.key === 'cpu');
    for (let i = 0; i < 9; i++) m.ingest(planeEvent('system.metrics', { activeAgents: i, totalAgents: 9, systemLoad: { cpu: 0.5 } }, { at: i * 5000 }));
    const all = m.metrics.list();
    expect(all.filter((s) => s.kind === 'raw').map((s) => s.values[k])).toEqual([6, 7, 8]);
    // Samples 0..5 left the recent window: buckets [0,10s) (0,1) and [10,20s) (2,3) closed, [20,30s) (4,5) still filling; only 2 kept.
    expect(all.filter((s) => s.kind === 'avg').map((s) => s.values[k])).toEqual([0.5, 2.5]);
    expect(all[0]!.values[cpu]).toBe(50);
    expect(all[0]!.values[METRIC_FIELDS.findIndex((f) => f.key === 'gpu')]).toBeNull();
    m.ingest(planeEvent('system.metrics', { activeAgents: 9, totalAgents: 9 }, { at: 45_000 }));
    m.ingest(planeEvent('system.metrics', { activeAgents: 10, totalAgents: 9 }, { at: 50_000 }));
    expect(m.metrics.list().filter((s) => s.kind === 'avg').map((s) => s.values[k])).toEqual([2.5, 4.5]);
    expect(m.counts().metrics).toMatchObject({ evicted: 1, maxEntries: 5 });
  });
});

describe('connection history', () => {
  it('notes state changes, stale detections, conformance notes and errors, bounded and counted', () => {
    const m = new PlaneMonitor('p', { connectionNotes: 3 });
    m.ingest(connection('CONNECTING', 1, { previous: 'CLOSED' }));
    m.ingest(planeEvent('client.conformance', { endpoint: 'agents', code: 'NO_HANDSHAKE_ACK', message: 'assumed 1.0' }, { origin: 'client', at: 2 }));
    m.ingest(planeEvent('client.stale', { endpoint: 'graph' }, { origin: 'client', at: 3 }));
    m.ingest(planeEvent('client.error', { endpoint: 'graph', code: 'CONNECTION_FAILED', message: 'refused' }, { origin: 'client', at: 4 }));
    m.ingest(heartbeat(5));
    expect(m.connection.list().map((n) => [n.kind, n.text])).toEqual([
      ['conformance', 'NO_HANDSHAKE_ACK: assumed 1.0'],
      ['stale', 'no traffic on graph'],
      ['error', 'client.error CONNECTION_FAILED: refused'],
    ]);
    expect(m.counts().connection).toMatchObject({ entries: 3, evicted: 1, maxEntries: 3 });
  });
});
