import { describe, expect, it } from 'vitest';
import type { PlaneEvent } from '@shared';
import { eventLevel, eventText, eventView } from '../../../../renderer/src/panels/Events/event-text.js';
import { DEFAULT_FILTER, filterEvents, toNdjson } from '../../../../renderer/src/panels/Events/filter-events.js';

let seq = 0;
const ev = (type: string, payload: PlaneEvent['payload'], extra: Partial<PlaneEvent> = {}): PlaneEvent => ({ seq: seq++, plane: 'a', at: seq, origin: 'vis', type, priority: 'normal', payload, ...extra });

describe('event rendering', () => {
  it('shows flow stats as figures, metrics as a summary and errors with code, recoverable and action', () => {
    const flow = eventView(ev('message.flow.stats', { flowId: 'x-y', statistics: { messageCount: 12, averageLatency: 20.5, minLatency: 5, maxLatency: 90, successRate: 0.97, bandwidth: 0.4 } }));
    expect(flow.summary).toBe('flow x-y');
    expect(flow.figures).toContainEqual(['avg', '20.5 ms']);
    expect(flow.figures).toContainEqual(['success', '97.0 %']);
    const metrics = eventView(ev('system.metrics', { activeAgents: 3, totalAgents: 5, systemLoad: { cpu: 0.25 }, messageMetrics: { queueDepth: 7 }, alerts: [{}] }));
    expect(metrics.summary).toBe('3/5 agents active · 1 alert');
    expect(metrics.figures).toContainEqual(['cpu', '25 %']);
    const err = eventView(ev('error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', recoverable: true, suggestedAction: 'Wait' }));
    expect(err.figures).toEqual([
      ['code', 'RATE_LIMIT_EXCEEDED'],
      ['recoverable', 'yes'],
      ['action', 'Wait'],
    ]);
    expect(eventText(ev('message.sent', { from: { id: 'agent-1' }, to: [{ id: 'agent-2' }], messageType: 'REQUEST' }))).toBe('agent-1 → agent-2 · REQUEST');
  });

  it('shows the console\'s own client.* events as sentences, never as JSON', () => {
    const c = (type: string, payload: PlaneEvent['payload']): string => eventText(ev(type, payload, { origin: 'client' }));
    expect(c('client.agent_lost', { agentId: 'agent-7', lastSeenAt: 1, silentForMs: 1600, timeoutMs: 1500 })).toBe('agent-7 lost: silent for 1.6 s (limit 1.5 s)');
    expect(c('client.agent_recovered', { agentId: 'agent-7', lostForMs: 4200 })).toBe('agent-7 is back after 4.2 s');
    expect(c('client.auth_required', { endpoint: 'agents', reason: 'server answered 401 Unauthorized', status: 401 })).toBe('the server refused the token on agents (401): server answered 401 Unauthorized');
    expect(c('client.channel_gap', { endpoint: 'control', channel: 'c1', expected: 3, received: 5, missed: 2 })).toBe('channel c1 on control: expected sequence 3, got 5 (2 missed)');
    expect(c('client.stale', { endpoint: 'agents', silentForMs: 3100, lastRxAt: 5, heartbeatIntervalMs: 1000 })).toBe('no traffic on agents for 3.1 s (heartbeat every 1.0 s)');
    expect(c('client.session', { endpoint: 'agents', version: '1.1', compression: 'none', heartbeatIntervalMs: 30000 })).toBe('session on agents: protocol 1.1, compression none, heartbeat every 30 s');
    expect(c('client.conformance', { endpoint: 'control', code: 'ACK_LATE', message: 'the ack came late' })).toBe('the ack came late on control [ACK_LATE]');
    for (const type of ['client.agent_lost', 'client.session', 'client.channel_gap', 'client.resync', 'client.token_refreshed', 'client.output_dropped', 'client.alert', 'client.warning', 'client.tls_insecure']) {
      expect(c(type, { endpoint: 'agents', message: 'm' })).not.toMatch(/^[{[]/);
    }
  });

  it('levels: errors and ERROR states are errors, heartbeats debug', () => {
    expect(eventLevel(ev('agent.state.changed', { agentId: 'a', newState: 'ERROR' }))).toBe('error');
    expect(eventLevel(ev('heartbeat', {}))).toBe('debug');
    expect(eventLevel(ev('message.sent', {}, { priority: 'high' }))).toBe('warn');
  });
});

describe('event filter and export', () => {
  const log = [
    ev('message.sent', { from: { id: 'agent-001' }, to: [{ id: 'agent-002' }] }),
    ev('heartbeat', {}),
    ev('agent.state.changed', { agentId: 'agent-007', newState: 'ERROR' }, { agentId: 'agent-007', plane: 'b' }),
    ev('system.metrics', { activeAgents: 1 }),
  ];
  it('filters by type, plane, agent, level and text; newest first', () => {
    expect(filterEvents(log, DEFAULT_FILTER).map((e) => e.type)).toEqual(['system.metrics', 'agent.state.changed', 'message.sent']);
    expect(filterEvents(log, { ...DEFAULT_FILTER, level: 'debug' })).toHaveLength(4);
    expect(filterEvents(log, { ...DEFAULT_FILTER, plane: 'b' }).map((e) => e.type)).toEqual(['agent.state.changed']);
    expect(filterEvents(log, { ...DEFAULT_FILTER, agent: '001' }).map((e) => e.type)).toEqual(['message.sent']);
    // Flow stats samples: one row per flow (its newest) when asked, every one otherwise.
    const stats = (seq: number, flowId: string): PlaneEvent => ({ seq, plane: 'a', at: seq, origin: 'vis', type: 'message.flow.stats', priority: 'normal', payload: { flowId, statistics: { messageCount: seq } } });
    const flows = [stats(10, 'x-y'), stats(11, 'y-z'), stats(12, 'x-y'), stats(13, 'x-y')];
    expect(filterEvents(flows, DEFAULT_FILTER, true).map((e) => e.seq)).toEqual([13, 11]);
    expect(filterEvents(flows, DEFAULT_FILTER)).toHaveLength(4);
    expect(filterEvents(log, { ...DEFAULT_FILTER, level: 'error' })).toHaveLength(1);
    expect(filterEvents(log, { ...DEFAULT_FILTER, types: ['system.metrics'] })).toHaveLength(1);
    expect(filterEvents(log, { ...DEFAULT_FILTER, text: 'AGENT-002' })).toHaveLength(1);
  });
  it('exports one parseable event per line, oldest first', () => {
    const shown = filterEvents(log, DEFAULT_FILTER);
    const lines = toNdjson(shown).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => (JSON.parse(l) as PlaneEvent).type)).toEqual(['message.sent', 'agent.state.changed', 'system.metrics']);
  });
});
