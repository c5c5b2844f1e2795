// Alerts with a lifecycle (monitor/alert-book.ts, alert-rules.ts): fire, count
// up, resolve by themselves, acknowledge, silence and its expiry, a stable
// identity per key, and the bound with its eviction counter.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/contract/index.js';
import { PlaneMonitor } from '../../electron/core/monitor/plane-monitor.js';
import { connection, planeEvent } from './events.js';

function monitor(opts: ConstructorParameters<typeof PlaneMonitor>[1] = {}): { m: PlaneMonitor; transitions: string[] } {
  const m = new PlaneMonitor('p', opts);
  const transitions: string[] = [];
  m.onAlert((a) => transitions.push(`${a.key} ${a.state} ${a.count}`));
  return { m, transitions };
}
const lost = (agent: string, at: number) => planeEvent('client.agent_lost', { agentId: agent }, { origin: 'client', at, priority: 'high' });
const recovered = (agent: string, at: number) => planeEvent('client.agent_recovered', { agentId: agent }, { origin: 'client', at });
const state = (agent: string, newState: string, at: number) => planeEvent('agent.state.changed', { agentId: agent, newState }, { at, agentId: agent });
const only = (m: PlaneMonitor): Alert => {
  const list = m.alerts.list();
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('alert lifecycle', () => {
  it('an agent lost fires, resolves by itself when it heartbeats again, and fires again in the same row, counted', () => {
    const { m, transitions } = monitor();
    m.ingest(lost('agent-007', 1000));
    expect(only(m)).toMatchObject({ key: 'p/agent_lost/agent-007', kind: 'agent_lost', agent: 'agent-007', state: 'firing', count: 1, firedAt: 1000, since: 1000 });
    m.ingest(recovered('agent-007', 4000));
    expect(only(m)).toMatchObject({ state: 'resolved', count: 1, firedAt: 1000, resolvedAt: 4000, since: 4000 });
    m.ingest(lost('agent-007', 9000));
    expect(only(m)).toMatchObject({ state: 'firing', count: 2, firedAt: 9000, firstAt: 1000, since: 9000 });
    expect(only(m).resolvedAt).toBeUndefined();
    expect(transitions).toEqual(['p/agent_lost/agent-007 firing 1', 'p/agent_lost/agent-007 resolved 1', 'p/agent_lost/agent-007 firing 2']);
  });

  it('a repeat of the same key counts up and never adds a row; the transition is said once', () => {
    const { m, transitions } = monitor();
    for (let i = 0; i < 3; i++) m.ingest(planeEvent('system.metrics', { activeAgents: 1, totalAgents: 1, alerts: [{ level: 'critical', message: 'Disk almost full', component: 'storage' }] }, { at: 100 + i }));
    for (let i = 0; i < 2; i++) m.ingest(planeEvent('error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' }, { origin: 'cp', priority: 'high', at: 200 + i }));
    const [disk, rate] = m.alerts.list();
    expect(disk).toMatchObject({ kind: 'plane_alert', key: 'p/plane_alert/storage', count: 3, level: 'critical', message: 'storage: Disk almost full', lastAt: 102 });
    expect(rate).toMatchObject({ kind: 'error', key: 'p/error/RATE_LIMIT_EXCEEDED', count: 2, code: 'RATE_LIMIT_EXCEEDED', level: 'error' });
    expect(transitions).toEqual(['p/plane_alert/storage firing 1', 'p/error/RATE_LIMIT_EXCEEDED firing 1']);
    // The plane stops listing it: its condition has cleared.
    m.ingest(planeEvent('system.metrics', { activeAgents: 1, totalAgents: 1 }, { at: 300 }));
    expect(m.alerts.get('p/plane_alert/storage')).toMatchObject({ state: 'resolved', resolvedAt: 300, count: 3 });
  });

  it('an agent in ERROR fires; a healthy state resolves it (and the agent’s errors)', () => {
    const { m } = monitor();
    m.ingest(state('agent-002', 'ERROR', 10));
    m.ingest(planeEvent('error', { code: 'TASK_FAILED', message: 'boom' }, { origin: 'vis', agentId: 'agent-002', at: 11 }));
    expect(m.alerts.list().map((a) => [a.key, a.state])).toEqual([
      ['p/agent_error/agent-002', 'firing'],
      ['p/error/agent-002', 'firing'],
    ]);
    m.ingest(state('agent-002', 'ACTIVE', 20));
    expect(m.alerts.list().map((a) => [a.key, a.state])).toEqual([
      ['p/agent_error/agent-002', 'resolved'],
      ['p/error/agent-002', 'resolved'],
    ]);
  });

  it('plane stale and down fire from the connection states (old and new names); LIVE clears both; the operator’s close is no outage', () => {
    const { m } = monitor();
    m.ingest(connection('STALE', 10));
    m.ingest(connection('RECONNECTING', 20, { reason: 'socket closed' }));
    expect(m.alerts.list().map((a) => [a.kind, a.state])).toEqual([
      ['plane_stale', 'firing'],
      ['plane_down', 'firing'],
    ]);
    m.ingest(connection('DOWN', 25));
    expect(m.alerts.get('p/plane_down')!.count).toBe(2);
    m.ingest(connection('LIVE', 30));
    expect(m.alerts.list().every((a) => a.state === 'resolved')).toBe(true);
    for (const s of ['FAILED', 'AUTH_REQUIRED']) {
      m.ingest(connection(s, 40));
      expect(m.alerts.get('p/plane_down')!.state).toBe('firing');
      m.ingest(connection('LIVE', 50));
    }
    // CLOSED not by the operator is down; by the operator (either way it is said) it is not.
    m.ingest(connection('CLOSED', 60));
    expect(m.alerts.get('p/plane_down')!.state).toBe('firing');
    m.userClosed(61);
    expect(m.alerts.get('p/plane_down')!.state).toBe('resolved');
    m.ingest(connection('CLOSED', 62));
    expect(m.alerts.get('p/plane_down')!.state).toBe('resolved');
    m.ingest(connection('LIVE', 70));
    m.ingest(connection('CLOSED', 80, { byUser: true }));
    expect(m.alerts.get('p/plane_down')!.state).toBe('resolved');
  });

  it('a failed or timed-out command fires by its target; its next success resolves it', () => {
    const { m } = monitor();
    const req = { kind: 'command' as const, command: 'restart', agentId: 'agent-003' };
    const id = m.commandSent(req, 1);
    m.commandSettled(id, req, { status: 'timeout', plane: 'p', command: 'restart', requestId: 'r1', timeoutMs: 5000, sent: true }, 5001);
    expect(only(m)).toMatchObject({ kind: 'command_failed', key: 'p/command_failed/agent-003', agent: 'agent-003', state: 'firing', message: 'restart to agent-003 timed out after 5 s' });
    const again = m.commandSent(req, 6000);
    m.commandSettled(again, req, { status: 'error', plane: 'p', command: 'restart', requestId: 'r2', code: 'AGENT_BUSY', message: 'busy', recoverable: true, suggestedAction: 'retry' }, 6001);
    expect(only(m)).toMatchObject({ count: 2, code: 'AGENT_BUSY' });
    const ok = m.commandSent(req, 7000);
    m.commandSettled(ok, req, { status: 'success', plane: 'p', command: 'restart', requestId: 'r3', payload: {}, latencyMs: 3 }, 7003);
    expect(only(m)).toMatchObject({ state: 'resolved', resolvedAt: 7003 });
  });

  it('an error that stays quiet resolves after the quiet period; a connection error when the plane is LIVE', () => {
    const { m } = monitor({ errorQuietMs: 1000 });
    m.ingest(planeEvent('protocol.invalid_message', { code: 'INVALID_MESSAGE', message: 'bad', field: 'type' }, { origin: 'client', at: 0 }));
    m.ingest(planeEvent('client.error', { endpoint: 'agents', code: 'CONNECTION_FAILED', message: 'refused', recoverable: true }, { origin: 'client', at: 0 }));
    m.tick(999);
    expect(m.alerts.list().map((a) => a.state)).toEqual(['firing', 'firing']);
    m.tick(1000);
    expect(m.alerts.get('p/error/INVALID_MESSAGE')!.state).toBe('resolved');
    expect(m.alerts.get('p/error/CONNECTION_FAILED')!.state).toBe('firing');
    m.ingest(connection('LIVE', 1100));
    expect(m.alerts.get('p/error/CONNECTION_FAILED')!.state).toBe('resolved');
  });

  it('acknowledge holds until the alert counts up again; silence runs out by itself; each is one change views see', () => {
    const { m } = monitor();
    m.ingest(lost('agent-001', 0));
    const key = 'p/agent_lost/agent-001';
    const rev0 = m.rev;
    expect(m.alertAction({ plane: 'p', key, action: 'acknowledge' })).toMatchObject({ acknowledged: true });
    expect(m.rev).toBeGreaterThan(rev0);
    expect(m.changesSince(rev0).alerts.map((a) => a.key)).toEqual([key]);
    m.ingest(lost('agent-001', 5));
    expect(m.alerts.get(key)!.acknowledged).toBe(false);
    expect(m.alertAction({ plane: 'p', key, action: 'silence', forMs: 60_000 }, 100)).toMatchObject({ silencedUntil: 60_100 });
    m.tick(60_099);
    expect(m.alerts.get(key)!.silencedUntil).toBe(60_100);
    const before = m.rev;
    m.tick(60_100);
    expect(m.alerts.get(key)!.silencedUntil).toBeUndefined();
    expect(m.rev).toBeGreaterThan(before);
    expect(m.alertAction({ plane: 'p', key: 'p/agent_lost/nobody', action: 'acknowledge' })).toBeNull();
  });

  it('keeps its identity: the same key is the same row (object) through every change', () => {
    const { m } = monitor();
    m.ingest(lost('agent-009', 0));
    const first = m.alerts.get('p/agent_lost/agent-009');
    m.ingest(recovered('agent-009', 1));
    m.ingest(lost('agent-009', 2));
    m.alertAction({ plane: 'p', key: 'p/agent_lost/agent-009', action: 'acknowledge' });
    expect(m.alerts.get('p/agent_lost/agent-009')).toBe(first);
    expect(m.alerts.list()).toHaveLength(1);
  });

  it('is bounded: beyond the limit the oldest resolved alert goes first, else the least recently raised; counted', () => {
    const { m } = monitor({ alerts: 3 });
    m.ingest(lost('a', 1));
    m.ingest(lost('b', 2));
    m.ingest(recovered('b', 3));
    m.ingest(lost('c', 4));
    m.ingest(lost('d', 5));
    expect(m.alerts.list().map((a) => a.agent)).toEqual(['a', 'c', 'd']);
    m.ingest(lost('a', 6));
    m.ingest(lost('e', 7));
    expect(m.alerts.list().map((a) => a.agent)).toEqual(['a', 'd', 'e']);
    expect(m.alerts.counts()).toMatchObject({ entries: 3, evicted: 2, maxEntries: 3 });
    expect(m.counts().alerts.evicted).toBe(2);
  });

  it('cuts and copies long texts from the plane', () => {
    const { m } = monitor({ textChars: 20 });
    m.ingest(planeEvent('error', { code: 'X', message: 'y'.repeat(5000) }, { at: 1 }));
    const a = only(m);
    expect(a.message.startsWith('y'.repeat(20))).toBe(true);
    expect(a.message).toContain('more characters not kept');
    expect(a.message.length).toBeLessThan(80);
  });
});
