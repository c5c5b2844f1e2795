// JSON normalisation: every message type of both seeds (their examples
// verbatim), status_update units, agent ids, channels, ttl, and invalid
// messages naming their field.

import { describe, expect, it } from 'vitest';
import { PlaneEventSchema, agentLabel, agentNumber } from '../../shared/events.js';
import { MAX_JSON_DEPTH, type NormalisedEvent, normaliseCoordinationFrame, normaliseJson, normaliseObject } from '../../electron/core/protocol/json.js';
import { jsonProblem } from '../../electron/core/protocol/json-shape.js';
import { parseBytes, parsePercent } from '../../electron/core/protocol/units.js';
import { CP_SEED_EXAMPLES, VIS_SEED_EXAMPLES } from '../helpers/seed-examples.js';

const INVALID = 'protocol.invalid_message';

/** The event must also pass the IPC schema once the pipeline stamps it. */
function stamped(ev: NormalisedEvent): void {
  const r = PlaneEventSchema.safeParse({ ...ev, seq: 1, plane: 'p', at: 1 });
  expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
}

function valid(text: string): NormalisedEvent {
  const ev = normaliseJson(text);
  expect(ev.type, JSON.stringify(ev.payload)).not.toBe(INVALID);
  stamped(ev);
  return ev;
}

function invalid(input: string | unknown, field: string): NormalisedEvent {
  const ev = typeof input === 'string' ? normaliseJson(input) : normaliseObject(input);
  expect(ev.type).toBe(INVALID);
  expect(ev.origin).toBe('client');
  expect(ev.payload.code).toBe('INVALID_MESSAGE');
  expect(ev.payload.field).toBe(field);
  expect(typeof ev.payload.message).toBe('string');
  stamped(ev);
  return ev;
}

const vis = (type: string, payload: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ id: 'm-1', type, timestamp: '2024-01-10T12:00:00Z', payload, ...extra });
const cp = (type: string, payload: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type, request_id: 'r-1', timestamp: '2025-02-24T12:34:56Z', payload, ...extra });

describe('seed examples, verbatim', () => {
  for (const [type, text] of Object.entries(VIS_SEED_EXAMPLES)) {
    it(`visualisation ${type}`, () => {
      const ev = valid(text);
      expect(ev.origin).toBe('vis');
      if (type === 'channel') {
        expect(ev.type).toBe('agent.state.changed');
        expect([ev.channel, ev.sequence]).toEqual(['perf-metrics', 12345]);
        expect(ev.agentId).toBe('agent-001');
      } else {
        expect(ev.type).toBe(type);
      }
    });
  }
  for (const [type, text] of Object.entries(CP_SEED_EXAMPLES)) {
    it(`control plane ${type}`, () => {
      const ev = valid(text);
      expect(ev.origin).toBe('cp');
      expect(ev.type).toBe(type);
    });
  }

  it('keeps the envelope fields', () => {
    const ev = valid(VIS_SEED_EXAMPLES['agent.state.changed']!);
    expect(ev).toMatchObject({ id: 'msg-123', agentId: 'agent-001', timestamp: '2024-01-10T12:00:00Z', priority: 'normal' });
    expect(ev.payload.newState).toBe('EXECUTING');
    expect(valid(VIS_SEED_EXAMPLES['control.execute']!).agentId).toBe('agent-001');
    expect(valid(VIS_SEED_EXAMPLES.error!).priority).toBe('high');
    expect(valid(CP_SEED_EXAMPLES.error!)).toMatchObject({ priority: 'high', id: '123456' });
    expect(valid(CP_SEED_EXAMPLES.command!)).toMatchObject({ id: '123456', payload: { command: 'restart' } });
    const ack = valid(VIS_SEED_EXAMPLES.handshake_ack!);
    expect(ack.payload).toEqual({
      sessionId: 'session-uuid',
      protocols: ['binary', 'json'],
      heartbeatInterval: 30000,
      compression: 'zlib',
      serverTime: '2024-01-10T12:00:00Z',
    });
    expect(valid(VIS_SEED_EXAMPLES.handshake!).timestamp).toBe('2024-01-10T12:00:00Z');
  });

  it('extra fields are kept (lenient)', () => {
    const ev = valid(vis('agent.state.changed', { agentId: 'a', newState: 'IDLE', extra: { deep: [1] } }, { more: 1 }));
    expect(ev.payload.extra).toEqual({ deep: [1] });
  });
});

describe('control-plane specifics', () => {
  it('status_update: "30%" and "1.5GB" become numbers, originals kept', () => {
    const ev = valid(CP_SEED_EXAMPLES.status_update!);
    expect(ev.payload).toEqual({ cpu_usage: '30%', memory_usage: '1.5GB', cpuPercent: 30, memoryBytes: 1610612736 });
    expect(ev.id).toBeUndefined();
  });

  it.each([
    ['30%', 30],
    ['30 %', 30],
    ['  7.5%', 7.5],
    ['250%', 250],
    ['0', 0],
    [12, 12],
    ['.5%', 0.5],
  ] as const)('parsePercent(%j) = %j', (s, n) => expect(parsePercent(s)).toBe(n));

  it.each([['-1%'], ['lots'], ['30%%'], [''], [-3]] as const)('parsePercent(%j) is null', (s) => expect(parsePercent(s)).toBeNull());

  it.each([
    ['1.5GB', 1610612736],
    ['512MB', 536870912],
    ['512 mb', 536870912],
    ['1KiB', 1024],
    ['2 TB', 2 * 1024 ** 4],
    ['100B', 100],
    [4096, 4096],
  ] as const)('parseBytes(%j) = %j', (s, n) => expect(parseBytes(s)).toBe(n));

  it.each([['512'], ['1.5XB'], ['GB'], ['-1GB'], [Number.NaN]] as const)('parseBytes(%j) is null', (s) => expect(parseBytes(s)).toBeNull());

  it('status_update with unparsable values names the field', () => {
    invalid(cp('status_update', { cpu_usage: 'busy', memory_usage: '1GB' }), 'payload.cpu_usage');
    invalid(cp('status_update', { cpu_usage: '3%', memory_usage: '1024' }), 'payload.memory_usage');
    invalid(cp('status_update', { cpu_usage: '3%' }), 'payload.memory_usage');
    invalid(cp('status_update', { cpu_usage: true, memory_usage: '1GB' }), 'payload.cpu_usage');
  });

  it('agent id from payload.agent_id, else the envelope agent_id', () => {
    const p = { cpu_usage: '1%', memory_usage: '1MB' };
    expect(valid(cp('status_update', { ...p, agent_id: 'agent-007' }, { agent_id: 'agent-009' })).agentId).toBe('agent-007');
    expect(valid(cp('status_update', p, { agent_id: 'agent-009' })).agentId).toBe('agent-009');
    expect(valid(cp('heartbeat', {}, { agent_id: 7 })).agentId).toBe('7');
    expect(valid(cp('heartbeat', { agent_id: 12 })).agentId).toBe('12');
    expect(valid(cp('heartbeat', {})).agentId).toBeUndefined();
    invalid(cp('heartbeat', { agent_id: { x: 1 } }), 'payload.agent_id');
    invalid(cp('heartbeat', {}, { agent_id: -1 }), 'agent_id');
    invalid(cp('response', { status: 'success', agent_id: [] }), 'payload.agent_id');
  });

  it('request_id is required for command, response and error, not for heartbeat/status_update', () => {
    for (const t of ['command', 'response', 'error']) {
      const o = JSON.parse(CP_SEED_EXAMPLES[t]!) as Record<string, unknown>;
      delete o.request_id;
      invalid(JSON.stringify(o), 'request_id');
    }
    valid(CP_SEED_EXAMPLES.heartbeat!);
  });

  it('payload schemas', () => {
    invalid(cp('command', { parameters: {} }), 'payload.command');
    invalid(cp('response', { status: 'maybe' }), 'payload.status');
    invalid(cp('error', { code: 'TIMEOUT' }), 'payload.message');
    invalid(cp('command', { command: 'x', parameters: [1] }), 'payload.parameters');
  });
});

describe('visualisation specifics', () => {
  it('metadata: correlationId, priority, ttl', () => {
    const ev = valid(
      vis('agent.state.changed', { agentId: 'agent-1', newState: 'IDLE' }, { metadata: { correlationId: 'c-9', priority: 'critical', ttl: 5000 } }),
    );
    expect(ev).toMatchObject({ correlationId: 'c-9', priority: 'critical', ttl: 5000 });
    invalid(vis('agent.state.changed', { agentId: 'a', newState: 'IDLE' }, { metadata: { priority: 'urgent' } }), 'metadata.priority');
    invalid(vis('agent.state.changed', { agentId: 'a', newState: 'IDLE' }, { metadata: { ttl: -1 } }), 'metadata.ttl');
    invalid(vis('agent.state.changed', { agentId: 'a', newState: 'IDLE' }, { metadata: 'x' }), 'metadata');
  });

  it('each visualisation type rejects a bad product field, naming it', () => {
    invalid(vis('agent.state.changed', { agentId: 7, newState: 'IDLE' }), 'payload.agentId');
    invalid(vis('agent.state.changed', { agentId: 'a' }), 'payload.newState');
    invalid(vis('agent.performance.update', { agentId: 'a', metrics: { successRate: 1.5 } }), 'payload.metrics.successRate');
    invalid(vis('agent.performance.update', { agentId: 'a' }), 'payload.metrics');
    invalid(vis('agent.capability.update', { agentId: 'a', action: 'drop', capability: { name: 'x' } }), 'payload.action');
    invalid(vis('message.sent', { from: { id: 'a' }, to: [{ namespace: 'n' }] }), 'payload.to.0.id');
    invalid(vis('message.sent', { from: 'a', to: [] }), 'payload.from');
    invalid(vis('message.flow.stats', { flowId: 'f', statistics: { messageCount: -1 } }), 'payload.statistics.messageCount');
    invalid(vis('coordination.initiated', { coordinationId: 'c', pattern: 'P', initiator: {}, participants: [] }), 'payload.initiator.id');
    invalid(vis('coordination.progress', { coordinationId: 'c', progress: '66%', status: 'VOTING' }), 'payload.progress');
    invalid(vis('system.metrics', { activeAgents: 1.5, totalAgents: 2 }), 'payload.activeAgents');
    invalid(vis('system.metrics', { activeAgents: 1, totalAgents: 2, alerts: [{ level: 'warning' }] }), 'payload.alerts.0.message');
    invalid(vis('control.execute', { command: 'x' }), 'payload.targetAgent');
    invalid(vis('control.multi-agent.configure', { configuration: {} }), 'payload.multi-agentId');
    invalid(vis('error', { code: 'X' }), 'payload.message');
  });

  it('bare session messages validate their top-level fields', () => {
    invalid({ type: 'handshake_ack', protocols: [], heartbeatInterval: 1 }, 'sessionId');
    invalid({ type: 'handshake_ack', sessionId: 's', protocols: [], heartbeatInterval: 0 }, 'heartbeatInterval');
    invalid({ type: 'compression.negotiate', algorithms: [] }, 'algorithms');
    invalid({ type: 'channel.create', channelId: 'c', priority: 'urgent' }, 'priority');
    invalid({ type: 'version.negotiate', supported: '2.0' }, 'supported');
    invalid({ type: 'handshake', version: '1', capabilities: 'binary', clientId: 'c' }, 'capabilities');
    // The same types in an envelope: fields in payload.
    const ev = valid(vis('handshake_ack', { sessionId: 's', protocols: ['json'], heartbeatInterval: 1000, compression: null }));
    expect(ev.payload.sessionId).toBe('s');
    invalid(vis('handshake_ack', { sessionId: 's', protocols: ['json'] }), 'payload.heartbeatInterval');
  });

  it('a visualisation type needs its envelope id', () => {
    invalid(JSON.stringify({ type: 'agent.state.changed', timestamp: '2024-01-10T12:00:00Z', payload: { agentId: 'a', newState: 'X' } }), 'id');
  });

  it('a type neither seed names passes through, envelope validated', () => {
    const ev = valid(vis('agent.custom.thing', { anything: [1, 2] }));
    expect(ev.type).toBe('agent.custom.thing');
    expect(valid(cp('custom_cp', { x: 1 })).origin).toBe('cp');
  });
});

describe('channel messages', () => {
  it('normalises the inner message and carries channel + sequence', () => {
    const inner = JSON.parse(CP_SEED_EXAMPLES.status_update!) as unknown;
    const ev = valid(JSON.stringify({ channel: 'ops', sequence: 0, message: inner }));
    expect(ev).toMatchObject({ type: 'status_update', origin: 'cp', channel: 'ops', sequence: 0 });
    expect(ev.payload.cpuPercent).toBe(30);
  });

  it('an invalid inner message names the field from the outer root, and keeps channel/sequence', () => {
    const ev = invalid(JSON.stringify({ channel: 'ops', sequence: 9, message: { id: 'x', type: 'message.sent', timestamp: '2024-01-10T12:00:00Z', payload: {} } }), 'message.payload.from');
    expect([ev.channel, ev.sequence]).toEqual(['ops', 9]);
    invalid({ channel: 'ops', sequence: 1, message: { channel: 'x', sequence: 2, message: {} } }, 'message');
  });

  it('bad channel envelopes', () => {
    invalid({ channel: 'ops', sequence: -1, message: {} }, 'sequence');
    invalid({ channel: 'ops', sequence: 1.5, message: {} }, 'sequence');
    invalid({ channel: '', sequence: 1, message: {} }, 'channel');
    invalid({ channel: 'ops', sequence: 1, message: [] }, 'message');
  });
});

describe('invalid messages name the field; never a throw, never a drop', () => {
  it.each([
    ['not JSON', '{"type":', '(json)'],
    ['empty text', '', '(json)'],
    ['array root', '[{"type":"heartbeat"}]', '(root)'],
    ['string root', '"hello"', '(root)'],
    ['null root', 'null', '(root)'],
    ['number root', '42', '(root)'],
    ['missing type', '{"payload":{}}', 'type'],
    ['numeric type', '{"type":7,"payload":{}}', 'type'],
    ['empty type', '{"type":"","payload":{}}', 'type'],
  ])('%s', (_label, text, field) => {
    const ev = invalid(text, field);
    expect(typeof ev.payload.excerpt).toBe('string');
  });

  it('missing payload, wrong types, bad timestamps', () => {
    invalid(JSON.stringify({ id: 'm', type: 'agent.state.changed', timestamp: '2024-01-10T12:00:00Z' }), 'payload');
    invalid(JSON.stringify({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z' }), 'payload');
    invalid(JSON.stringify({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: [] }), 'payload');
    invalid(JSON.stringify({ type: 'heartbeat', timestamp: 'yesterday', payload: {} }), 'timestamp');
    invalid(JSON.stringify({ type: 'heartbeat', payload: {} }), 'timestamp');
    invalid(JSON.stringify({ id: 5, type: 'x.y', timestamp: '2024-01-10T12:00:00Z', payload: {} }), 'id');
    invalid(JSON.stringify({ type: 'command', request_id: 5, timestamp: '2025-02-24T12:34:56Z', payload: { command: 'x' } }), 'request_id');
  });

  it('INVALID_MESSAGE carries the message type and id when readable, and several issues', () => {
    const ev = invalid(vis('agent.state.changed', { agentId: 1 }), 'payload.agentId');
    expect(ev.id).toBe('m-1');
    expect(ev.payload.messageType).toBe('agent.state.changed');
    expect(ev.payload.issues).toEqual([
      { field: 'payload.agentId', message: expect.any(String) },
      { field: 'payload.newState', message: expect.any(String) },
    ]);
  });

  it('non-JSON values and deep nesting from normaliseObject', () => {
    invalid({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: { t: new Date(0) } }, 'payload.t');
    invalid({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: { f: () => 1 } }, 'payload.f');
    invalid({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: { n: Number.NaN } }, 'payload.n');
    invalid({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: { u: undefined } }, 'payload.u');
    const deep = '{"type":"heartbeat","timestamp":"2025-02-24T12:36:00Z","payload":{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}}';
    expect(() => normaliseJson(deep)).not.toThrow();
    expect(normaliseJson(deep).type).toBe(INVALID);
    expect(jsonProblem({ a: [[[]]] }, 3)).toBe('a.0.0: nested deeper than 3');
    expect(MAX_JSON_DEPTH).toBe(64);
  });

  it('strings are data: markup is carried untouched', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const ev = valid(cp('error', { code: 'X', message: evil }));
    expect(ev.payload.message).toBe(evil);
    expect(invalid(`{"type": "${'<b>'}"`, '(json)').payload.excerpt).toContain('<b>');
  });

  it('__proto__ keys stay plain data', () => {
    const ev = valid('{"type":"heartbeat","timestamp":"2025-02-24T12:36:00Z","payload":{"__proto__":{"polluted":true}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(ev.payload)).toEqual(['__proto__']);
  });
});

describe('coordination frames and ids', () => {
  it('a COORDINATION_EVENT frame is the JSON coordination message, origin binary', () => {
    const ev = normaliseCoordinationFrame(VIS_SEED_EXAMPLES['coordination.initiated']!, 3);
    expect([ev.type, ev.origin, ev.priority]).toEqual(['coordination.initiated', 'binary', 'critical']);
  });

  it('normaliseCoordinationFrame rejects other types', () => {
    const ev = normaliseCoordinationFrame(VIS_SEED_EXAMPLES['agent.state.changed']!);
    expect(ev.type).toBe(INVALID);
    expect(ev.payload.field).toBe('type');
    expect(normaliseCoordinationFrame('nope').payload.field).toBe('(json)');
  });

  it('agentNumber: "agent-007" and "7" are binary agent 7', () => {
    expect(agentNumber('agent-007')).toBe(7);
    expect(agentNumber('agent-7')).toBe(7);
    expect(agentNumber('7')).toBe(7);
    expect(agentNumber('007')).toBe(7);
    expect(agentNumber('agent-0')).toBe(0);
    expect(agentNumber('agent-4294967295')).toBe(4294967295);
    expect(agentNumber('agent-4294967296')).toBeNull();
    expect(agentNumber('agent-x')).toBeNull();
    expect(agentNumber('worker-7')).toBeNull();
    expect(agentNumber('-1')).toBeNull();
    expect(agentLabel(7)).toBe('agent-007');
    expect(agentNumber(agentLabel(123456))).toBe(123456);
  });
});
