// The one reader of event payloads (shared/payloads.ts): each kind the
// product acts on read into its typed view, once per event object; a payload
// without the fields a view needs reads as `other`, never a throw.
import { describe, expect, it } from 'vitest';
import type { PlaneEvent } from '../../shared/events.js';
import { eventAgent, METRIC_FIELDS, namespaceHint, readEvent } from '../../shared/payloads.js';

const ev = (type: string, payload: PlaneEvent['payload'], extra: Partial<PlaneEvent> = {}): PlaneEvent => ({ seq: 0, plane: 'p', at: 0, origin: 'vis', type, priority: 'normal', payload, ...extra });

describe('readEvent', () => {
  it('reads each kind the product uses', () => {
    expect(readEvent(ev('agent.state.changed', { agentId: 'agent-001', newState: 'ERROR', reason: 'disk' }))).toEqual({ kind: 'state', agentId: 'agent-001', newState: 'ERROR', reason: 'disk' });
    expect(readEvent(ev('message.sent', { from: { id: 'a', namespace: 'ns' }, to: [{ id: 'b' }, 7], status: 'delivered' }))).toEqual({ kind: 'message', from: { id: 'a', namespace: 'ns' }, to: [{ id: 'b' }], failed: false });
    expect(readEvent(ev('message.sent', { from: { id: 'a' }, to: [], status: 'FAILED' }))).toMatchObject({ failed: true });
    expect(readEvent(ev('message.dropped', { from: { id: 'a' }, to: [] }))).toMatchObject({ kind: 'message', failed: true });
    expect(readEvent(ev('message.flow.stats', { flowId: 'a-b', statistics: { messageCount: 3, successRate: 'x' } }))).toEqual({ kind: 'flow', flowId: 'a-b', statistics: { messageCount: 3 } });
    expect(readEvent(ev('coordination.progress', { coordinationId: 'c', votes: { a: { vote: 'approve', timestamp: 't' }, b: 'reject', c: 5 }, result: 'approved' }))).toMatchObject({
      kind: 'coordination',
      phase: 'progress',
      coordinationId: 'c',
      votes: [
        { voter: 'a', vote: 'approve', at: 't' },
        { voter: 'b', vote: 'reject' },
      ],
      result: 'approved',
    });
    expect(readEvent(ev('coordination.timeout', { coordinationId: 'c' }))).toMatchObject({ phase: 'end', suffix: 'timeout' });
    const m = readEvent(ev('system.metrics', { activeAgents: 3, systemLoad: { cpu: 0.25 }, alerts: [{ level: 'warning', message: 'hot', component: 'cpu' }, 'junk'] }));
    expect(m).toMatchObject({ kind: 'metrics', alerts: [{ level: 'warning', message: 'hot', component: 'cpu' }] });
    if (m.kind !== 'metrics') throw new Error('metrics');
    expect(m.values).toHaveLength(METRIC_FIELDS.length);
    expect(m.values[METRIC_FIELDS.findIndex((f) => f.key === 'cpu')]).toBe(25);
    expect(Number.isNaN(m.values[METRIC_FIELDS.findIndex((f) => f.key === 'gpu')])).toBe(true);
    expect(readEvent(ev('client.error', { endpoint: 'agents', code: 'C', message: 'm', recoverable: false }, { origin: 'client' }))).toEqual({ kind: 'error', code: 'C', message: 'm', recoverable: false, endpoint: 'agents' });
    expect(readEvent(ev('protocol.invalid_message', { reason: 'bad', field: 'type' }))).toEqual({ kind: 'error', message: 'bad', field: 'type' });
    expect(readEvent(ev('client.connection', { state: 'DOWN', previous: 'LIVE', byUser: true }))).toEqual({ kind: 'connection', state: 'DOWN', previous: 'LIVE', byUser: true });
    expect(readEvent(ev('client.agent_lost', { agentId: 'agent-002' }))).toEqual({ kind: 'agent_lost', agentId: 'agent-002' });
  });

  it('reads once per event object, and a payload without what a view needs is `other`', () => {
    const e = ev('agent.state.changed', { agentId: 'a', newState: 'IDLE' });
    expect(readEvent(e)).toBe(readEvent(e));
    expect(readEvent(ev('agent.state.changed', { agentId: 'a' }))).toEqual({ kind: 'other' });
    expect(readEvent(ev('message.sent', { from: 'nobody' }))).toEqual({ kind: 'other' });
    expect(readEvent(ev('coordination.initiated', { participants: [] }))).toEqual({ kind: 'other' });
    expect(readEvent(ev('heartbeat', {}))).toEqual({ kind: 'other' });
  });

  it('names the agent an event is about, and a namespace beside it', () => {
    expect(eventAgent(ev('message.sent', { from: { id: 'a' }, to: [] }))).toBe('a');
    expect(eventAgent(ev('x', {}, { agentId: 'b' }))).toBe('b');
    expect(namespaceHint(ev('agent.registered', { agentId: 'a', metadata: { namespace: 'research' } }))).toEqual({ agentId: 'a', namespace: 'research' });
    expect(namespaceHint(ev('agent.registered', { agentId: 'a' }))).toBeNull();
  });
});
