// Message handling: channels (gap, duplicate, reorder), TTL with the server
// clock offset, dedupe by id, critical acks, errors as operator events, agent
// loss, and a simulator that speaks every message type.

import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PlaneEvent } from '../../shared/events.js';
import { AckSchema } from '../../electron/core/protocol/session.js';
import { waitFor } from '../helpers/wait.js';
import { QUIET, sleep, useHarness, vis } from '../helpers/harness.js';

const h = useHarness();

const TEST_CHANNEL = [{ channelId: 'test', priority: 'normal' as const, bufferSize: 100, endpoint: 'agents' as const }];

function stateMsg(id: string, n: number): Record<string, unknown> {
  return vis(id, 'agent.state.changed', { agentId: `agent-00${n}`, previousState: 'IDLE', newState: 'EXECUTING' });
}

const onChannel = (events: PlaneEvent[]): PlaneEvent[] => events.filter((e) => e.channel === 'test');

describe('channels', () => {
  it('puts a reordered stream back in order without reporting a gap', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, channels: TEST_CHANNEL, endpoints: { graph: false, control: false } });
    await waitFor('channel created', () => s.sessionInfo()[0]?.channels.includes('test'));
    s.setFault('reorder-channel', true);
    for (let i = 1; i <= 6; i++) s.sendOnChannel('agents', 'test', stateMsg(`r-${i}`, i % 5));
    await waitFor('6 channel messages', () => onChannel(t.events).length === 6);
    expect(onChannel(t.events).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(onChannel(t.events).map((e) => e.id)).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6']);
    expect(t.of('client.channel_gap')).toEqual([]);
    expect(t.plane.counters.channelGaps).toBe(0);
  });

  it('drops duplicated channel messages (counted)', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, channels: TEST_CHANNEL, endpoints: { graph: false, control: false } });
    await waitFor('channel created', () => s.sessionInfo()[0]?.channels.includes('test'));
    s.setFault('duplicate-channel', true);
    for (let i = 1; i <= 4; i++) s.sendOnChannel('agents', 'test', stateMsg(`d-${i}`, i));
    await waitFor('4 duplicates counted', () => t.plane.counters.channelDuplicates === 4);
    expect(onChannel(t.events).map((e) => e.id)).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
    expect(t.plane.counters.framesDropped).toBe(4);
  });

  it('reports gaps with the channel and how many were missed', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, channels: TEST_CHANNEL, reorderWindowMs: 80, endpoints: { graph: false, control: false } });
    await waitFor('channel created', () => s.sessionInfo()[0]?.channels.includes('test'));
    s.setFault('skip-channel-every', 3);
    for (let i = 1; i <= 5; i++) s.sendOnChannel('agents', 'test', stateMsg(`g-${i}`, i));
    // Sent as sequences 1, 2, 4, 5, 7: 3 and 6 never come.
    await waitFor('2 gaps and 5 messages', () => t.of('client.channel_gap').length === 2 && onChannel(t.events).length === 5);
    expect(t.of('client.channel_gap').map((e) => e.payload)).toEqual([
      { endpoint: 'agents', channel: 'test', expected: 3, received: 4, missed: 1 },
      { endpoint: 'agents', channel: 'test', expected: 6, received: 7, missed: 1 },
    ]);
    expect(onChannel(t.events).map((e) => e.sequence)).toEqual([1, 2, 4, 5, 7]);
    expect(t.plane.counters.channelMissed).toBe(2);
  });
});

describe('message rules', () => {
  it('drops messages past their TTL by the server clock (offset applied), and counts them', async () => {
    for (const skew of [5000, -5000]) {
      const s = await h.sim({ ...QUIET, faults: { clockSkewMs: skew } });
      const t = h.plane({ url: s.url, endpoints: { agents: false, control: false } });
      await t.state('LIVE');
      const serverNow = Date.now() + skew;
      const at = (ms: number): string => new Date(serverNow + ms).toISOString();
      s.inject('graph', { ...vis(`old-${skew}`, 'message.sent', { from: { id: 'a' }, to: [] }), timestamp: at(-1500), metadata: { ttl: 1000 } });
      s.inject('graph', { ...vis(`fresh-${skew}`, 'message.sent', { from: { id: 'a' }, to: [] }), timestamp: at(-200), metadata: { ttl: 1000 } });
      s.inject('graph', vis(`nottl-${skew}`, 'message.sent', { from: { id: 'a' }, to: [] }));
      await waitFor('two delivered', () => t.of('message.sent').length === 2);
      await sleep(50);
      expect(t.of('message.sent').map((e) => e.id)).toEqual([`fresh-${skew}`, `nottl-${skew}`]);
      expect(t.plane.counters.ttlExpired).toBe(1);
      expect(t.plane.counters.framesDropped).toBe(1);
    }
  });

  it('drops a message whose id was already seen, also across a reconnect', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, endpoints: { agents: false, control: false } });
    await t.state('LIVE');
    const m = vis('dup-1', 'message.sent', { from: { id: 'a' }, to: [{ id: 'b' }] });
    s.inject('graph', m);
    s.inject('graph', m);
    s.inject('graph', vis('dup-2', 'message.sent', { from: { id: 'a' }, to: [{ id: 'b' }] }));
    await waitFor('dup-2', () => t.of('message.sent').some((e) => e.id === 'dup-2'));
    expect(t.of('message.sent').map((e) => e.id)).toEqual(['dup-1', 'dup-2']);
    expect(t.plane.counters.duplicatesDropped).toBe(1);
    s.dropAll();
    await t.state('RECONNECTING');
    await t.state('LIVE');
    s.inject('graph', m);
    s.inject('graph', vis('dup-3', 'message.sent', { from: { id: 'a' }, to: [{ id: 'b' }] }));
    await waitFor('dup-3', () => t.of('message.sent').some((e) => e.id === 'dup-3'));
    expect(t.of('message.sent').map((e) => e.id)).toEqual(['dup-1', 'dup-2', 'dup-3']);
    expect(t.plane.counters.duplicatesDropped).toBe(2);
  });

  it('acknowledges critical messages (again for a duplicate), and only those', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, endpoints: { agents: false, graph: false } });
    await t.state('LIVE');
    const crit = vis('crit-1', 'system.metrics', { activeAgents: 1, totalAgents: 1 }, { metadata: { priority: 'critical' } });
    s.inject('control', crit);
    s.inject('control', vis('norm-1', 'system.metrics', { activeAgents: 1, totalAgents: 1 }));
    s.inject('control', crit);
    await waitFor('2 acks', () => s.stats.acks === 2);
    await sleep(50);
    const acks = s.stats.ackMessages.map((m) => AckSchema.parse(m));
    expect(acks.map((a) => [a.request_id, a.payload.messageId, a.payload.status])).toEqual([
      ['crit-1', 'crit-1', 'received'],
      ['crit-1', 'crit-1', 'duplicate'],
    ]);
    expect(t.of('system.metrics').map((e) => e.id)).toEqual(['crit-1', 'norm-1']);
    expect(t.plane.counters.acksSent).toBe(2);
  });

  it('acknowledges a critical channel message with its channel and sequence', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, endpoints: { agents: false, graph: false } });
    await waitFor('alerts channel', () => s.sessionInfo()[0]?.channels.includes('alerts'));
    s.sendOnChannel('control', 'alerts', vis('alert-1', 'system.metrics', { activeAgents: 1, totalAgents: 1 }, { metadata: { priority: 'critical' } }));
    await waitFor('ack', () => s.stats.acks === 1);
    expect(AckSchema.parse(s.stats.ackMessages[0]).payload).toEqual({ messageId: 'alert-1', status: 'received', channel: 'alerts', sequence: 1 });
    expect(t.of('system.metrics')[0]!.channel).toBe('alerts');
  });

  it('turns every error into an operator event with code, message, recoverable and suggestedAction', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, endpoints: { graph: false, control: false } });
    await t.state('LIVE');
    s.inject('agents', { id: 'e-1', type: 'error', timestamp: new Date().toISOString(), payload: { code: 'AGENT_NOT_FOUND', message: "Agent with ID 'agent-999' not found" } });
    s.sendError('agents', 'RATE_LIMIT_EXCEEDED', 'slow down', { binary: true });
    await waitFor('2 errors', () => t.of('error').length === 2);
    const [json, bin] = t.of('error');
    expect(json!.payload).toMatchObject({ code: 'AGENT_NOT_FOUND', message: "Agent with ID 'agent-999' not found", recoverable: true, suggestedAction: 'verify_agent_id' });
    expect(bin!.origin).toBe('binary');
    expect(bin!.payload).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', recoverable: true, suggestedAction: 'slow_down' });
    expect(t.plane.counters.serverErrors).toBe(2);
    expect(t.plane.state).toBe('LIVE');
  });
});

describe('agent liveness', () => {
  it('marks an agent lost when its heartbeats stop, and recovered when they resume', async () => {
    const s = await h.sim({ ...QUIET, agents: 5, agentHeartbeatMs: 100 });
    const t = h.plane({ url: s.url, agentTimeoutMs: 400 });
    await t.state('LIVE');
    await waitFor('beats from every agent', () => new Set([...t.of('heartbeat'), ...t.of('status_update')].map((e) => e.agentId).filter(Boolean)).size === 5);
    s.setFault('silent-agents', 'agent-002');
    const lost = await t.event('agent-002 lost', (e) => e.type === 'client.agent_lost', 3000);
    expect(lost.payload.agentId).toBe('agent-002');
    expect(lost.payload.silentForMs as number).toBeGreaterThan(400);
    expect(t.plane.status().agentsLost).toBe(1);
    await sleep(300);
    expect(t.of('client.agent_lost').map((e) => e.payload.agentId)).toEqual(['agent-002']);
    s.setFault('silent-agents', '');
    await t.event('agent-002 recovered', (e) => e.type === 'client.agent_recovered' && e.payload.agentId === 'agent-002', 3000);
    expect(t.plane.status().agentsLost).toBe(0);
  });
});

describe('simulator', () => {
  it('speaks every message type of both seeds, with consensus votes filling in and binary frames', async () => {
    const s = await h.sim({
      agents: 30,
      rate: 20,
      heartbeatIntervalMs: 200,
      stateChangesPerSecond: 20,
      messagesPerSecond: 20,
      agentHeartbeatMs: 300,
      metricsIntervalMs: 200,
      systemMetricsIntervalMs: 200,
      coordinationEveryMs: 100,
      flowStatsEveryMs: 300,
      capabilityEveryMs: 200,
    });
    const t = h.plane({ url: s.url, channels: false });
    const wanted = [
      'handshake_ack',
      'version.negotiate',
      'compression.negotiate',
      'agent.state.changed',
      'agent.performance.update',
      'agent.capability.update',
      'message.sent',
      'message.flow.stats',
      'coordination.initiated',
      'coordination.progress',
      'system.metrics',
      'status_update',
      'heartbeat',
    ];
    await waitFor('every type', () => wanted.every((w) => t.events.some((e) => e.type === w)) && t.events.some((e) => e.type === 'coordination.progress' && e.payload.status === 'COMPLETED'), 8000);
    const progress = t.of('coordination.progress');
    const round = progress[0]!.payload.coordinationId;
    const steps = progress.filter((e) => e.payload.coordinationId === round).map((e) => e.payload.progress as number);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    expect(progress.some((e) => e.origin === 'binary')).toBe(true);
    expect(progress.some((e) => e.origin === 'vis')).toBe(true);
    expect(t.of('heartbeat').some((e) => e.origin === 'binary')).toBe(true);
    expect(t.of('heartbeat').some((e) => e.origin === 'cp' && e.agentId !== undefined)).toBe(true);
    expect(t.of('status_update').every((e) => typeof e.payload.cpuPercent === 'number' && typeof e.payload.memoryBytes === 'number')).toBe(true);
    // PERFORMANCE_METRICS frames reached the store.
    await waitFor('metrics in the store', () => [...t.plane.store.tasks.subarray(0, t.plane.store.slotCount)].some((x) => x > 0));
    expect(t.plane.counters.protocolErrors).toBe(0);
  });

  it('serves a seed-minimal client (handshake only, no version.negotiate) as 1.1 after a short wait', async () => {
    const s = await h.sim({ ...QUIET, agents: 3, legacyAfterMs: 100 });
    const ws = new WebSocket(s.url + '/api/visualisation/agents/ws');
    h.defer(() => ws.terminate());
    const got: { binary: boolean; at: number }[] = [];
    let opened = 0;
    ws.on('open', () => {
      opened = Date.now();
      ws.send(JSON.stringify({ type: 'handshake', version: '1.0.0', capabilities: ['binary'], clientId: 'seed', timestamp: new Date().toISOString() }));
    });
    ws.on('message', (_d, isBinary) => got.push({ binary: isBinary, at: Date.now() }));
    await waitFor('binary positions', () => got.filter((g) => g.binary).length >= 2);
    expect(got[0]!.binary).toBe(false); // handshake_ack first
    expect(got.find((g) => g.binary)!.at - opened).toBeGreaterThanOrEqual(90);
    expect(s.sessionInfo()[0]).toMatchObject({ version: '1.1', live: true });
  });

  it('encodes the position stream once per tick for every session', async () => {
    const s = await h.sim({ ...QUIET, agents: 50, rate: 30 });
    const planes = [h.plane({ url: s.url }), h.plane({ url: s.url }), h.plane({ url: s.url })];
    for (const p of planes) await p.state('LIVE');
    const e0 = s.stats.positionEncodes;
    const m0 = s.stats.positionMessages;
    await sleep(400);
    const encodes = s.stats.positionEncodes - e0;
    const sent = s.stats.positionMessages - m0;
    expect(encodes).toBeGreaterThan(3);
    expect(sent).toBeGreaterThanOrEqual(3 * encodes - 3);
    expect(sent).toBeLessThanOrEqual(3 * encodes + 3);
  });
});
