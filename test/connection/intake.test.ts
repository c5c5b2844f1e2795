// Intake without sockets: messages fed as they would arrive, against the
// plane's real parts (store, liveness, commands, clock) and a recording host.
// What it must do: publish each event once and in order, apply the message
// rules (duplicate, TTL, critical ack), and report what a message means for
// its session only after its event.

import { describe, expect, it } from 'vitest';
import { AgentLiveness } from '../../electron/core/connection/agent-liveness.js';
import { ServerClock } from '../../electron/core/connection/clock.js';
import { Commands } from '../../electron/core/connection/commands.js';
import { newCounters } from '../../electron/core/connection/counters.js';
import { Intake, type IntakeEndpoint, type IntakeHost } from '../../electron/core/connection/intake.js';
import { type PlaneConfig, resolvePlaneSettings } from '../../electron/core/connection/plane-config.js';
import { encodeHeartbeat, encodePositions } from '../../electron/core/protocol/encode.js';
import type { NormalisedEvent } from '../../electron/core/protocol/json.js';
import { channelMessage } from '../../electron/core/protocol/session.js';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { waitFor } from '../helpers/wait.js';

type Msg = Record<string, unknown>;
type Endpoint = { -readonly [K in keyof IntakeEndpoint]: IntakeEndpoint[K] };

function vis(id: string, type: string, payload: Msg, extra: Msg = {}): Msg {
  return { id, type, timestamp: new Date().toISOString(), payload, ...extra };
}

function rig(config: Partial<PlaneConfig> = {}, storeOpts: ConstructorParameters<typeof AgentStore>[0] = {}) {
  const settings = resolvePlaneSettings({ id: 'p', label: 'p', color: 0, url: 'ws://x', ...config });
  const counters = newCounters();
  const store = new AgentStore(storeOpts);
  const lost: Msg[] = [];
  const liveness = new AgentLiveness(1000, { lost: (p) => lost.push(p), recovered: () => undefined });
  const commandsOut: Msg[] = [];
  const commands = new Commands({ planeId: 'p', send: (m) => (commandsOut.push(m), true), live: () => true }, { rateLimit: false });
  const clock = new ServerClock();
  /** Everything the host was told, in order. */
  const calls: [string, ...unknown[]][] = [];
  const events: NormalisedEvent[] = [];
  const host: IntakeHost<Endpoint> = {
    emit: (ev) => {
      events.push(ev);
      calls.push(['emit', ev.type]);
    },
    note: (_e, code) => calls.push(['note', code]),
    reply: (_e, type, fields) => calls.push(['reply', type, fields]),
    authFailed: (_e, reason) => calls.push(['authFailed', reason]),
    fatal: (_e, code, reason) => calls.push(['fatal', code, reason]),
    drop: (_e, reason) => calls.push(['drop', reason]),
    inbound: (endpoint, data, isBinary) => calls.push(['inbound', endpoint, Buffer.from(data), isBinary]),
  };
  const intake = new Intake({ counters, store, liveness, commands, clock, settings, dedupe: config.dedupe }, host);
  const acks: Msg[] = [];
  const e: Endpoint = {
    name: 'agents',
    connected: true,
    step: 'live',
    version: '2.0',
    features: new Set(['binary', 'compression', 'multiplexing']),
    compression: null,
    inflate: undefined,
    sendJson: (m) => (acks.push(m as Msg), true),
  };
  return {
    intake,
    e,
    counters,
    store,
    clock,
    commands,
    commandsOut,
    calls,
    events,
    acks,
    lost,
    liveness,
    text: (m: unknown) => intake.receive(e, Buffer.from(JSON.stringify(m)), false, Date.now()),
    binary: (b: Uint8Array) => intake.receive(e, Buffer.from(b), true, Date.now()),
    of: (type: string) => events.filter((x) => x.type === type),
    told: (what: string) => calls.filter((c) => c[0] === what),
  };
}

describe('intake: publishing', () => {
  it('taps each message as received, counts it, and publishes its event once', () => {
    const r = rig();
    const m = vis('m1', 'agent.state.changed', { agentId: 'a-1', previousState: 'IDLE', newState: 'EXECUTING' });
    r.text(m);
    const bytes = Buffer.byteLength(JSON.stringify(m));
    expect(r.calls[0]).toEqual(['inbound', 'agents', Buffer.from(JSON.stringify(m)), false]);
    expect(r.calls.slice(1)).toEqual([['emit', 'agent.state.changed']]);
    expect(r.counters.bytesIn).toBe(bytes);
    expect(r.counters.messagesIn).toBe(1);
    expect(r.counters.protocolErrors).toBe(0);
  });

  it('puts binary positions in the store and counts them; a HEARTBEAT frame with a server time sets the clock', () => {
    const r = rig();
    r.binary(encodePositions([7, 8], [1, 2, 0, 3, 4, 0], [0, 0, 0, 0, 0, 0], 2));
    expect(r.store.agents).toBe(2);
    expect(r.counters.positionMessages).toBe(1);
    r.binary(encodeHeartbeat(Date.now() + 60_000));
    expect(r.clock.offsetMs).toBeGreaterThan(59_000);
    expect(r.clock.offsetMs).toBeLessThan(61_000);
    expect(r.of('heartbeat').length).toBe(1);
  });

  it('reports binary on a 1.0 session once per session, and decodes it anyway', () => {
    const r = rig();
    r.e.version = '1.0';
    r.e.features = new Set(['basic']);
    for (let i = 0; i < 3; i++) r.binary(encodePositions([1], [0, 0, 0], [0, 0, 0], 1));
    expect(r.store.agents).toBe(1);
    expect(r.of('client.error').map((x) => x.payload.code)).toEqual(['INVALID_MESSAGE']);
    expect(r.counters.protocolErrors).toBe(1);
    r.intake.sessionEnded('agents');
    r.binary(encodePositions([1], [0, 0, 0], [0, 0, 0], 1));
    expect(r.of('client.error').length).toBe(2);
  });

  it('reports agents past the store cap as one AGENT_LIMIT protocol error', () => {
    const r = rig({}, { maxAgents: 2 });
    r.binary(encodePositions([1, 2, 3, 4], new Array(12).fill(0), new Array(12).fill(0), 4));
    expect(r.store.agents).toBe(2);
    const err = r.of('protocol.error');
    expect(err.length).toBe(1);
    expect(err[0]!.payload).toMatchObject({ code: 'AGENT_LIMIT', limit: 2, recoverable: true });
    expect(r.store.limits.agentsRefused).toBe(2);
    expect(r.counters.protocolErrors).toBe(1);
  });
});

describe('intake: message rules', () => {
  it('drops a repeated id (counted) and acks a critical message as received, then as duplicate', () => {
    const r = rig();
    const m = vis('c1', 'message.sent', { from: { id: 'a' }, to: [] }, { metadata: { priority: 'critical' } });
    r.text(m);
    r.text(m);
    expect(r.of('message.sent').length).toBe(1);
    expect(r.counters.duplicatesDropped).toBe(1);
    expect(r.counters.framesDropped).toBe(1);
    expect(r.acks.map((a) => (a.payload as Msg).status)).toEqual(['received', 'duplicate']);
    expect(r.counters.acksSent).toBe(2);
  });

  it('drops a message past its TTL by the server clock', () => {
    const r = rig();
    r.clock.fromHeartbeat(Date.now() - 10_000, Date.now()); // the server is 10 s behind: its timestamps look old
    const old = new Date(Date.now() - 10_500).toISOString();
    r.text(vis('t1', 'message.sent', { from: { id: 'a' }, to: [] }, { timestamp: old, metadata: { ttl: 1000 } }));
    expect(r.of('message.sent').length).toBe(1);
    r.clock.fromHeartbeat(Date.now(), Date.now()); // a fresh timestamp: the server's clock is ours after all
    r.text(vis('t2', 'message.sent', { from: { id: 'a' }, to: [] }, { timestamp: old, metadata: { ttl: 1000 } }));
    expect(r.of('message.sent').length).toBe(1);
    expect(r.counters.ttlExpired).toBe(1);
  });

  it('beats an agent on heartbeat and status_update', () => {
    const r = rig();
    r.text({ type: 'heartbeat', agent_id: 'ag-1', timestamp: new Date().toISOString(), payload: {} });
    r.liveness.check(Date.now() + 5000);
    expect(r.lost.map((x) => x.agentId)).toEqual(['ag-1']);
  });
});

describe('intake: what a message means for its session, after its event', () => {
  it('hands a session reply over after publishing it; reads one in another shape leniently, with a note', () => {
    const r = rig();
    r.text({ type: 'handshake_ack', sessionId: 's-1', protocols: ['json'], heartbeatInterval: 1000 });
    expect(r.calls.slice(1)).toEqual([
      ['emit', 'handshake_ack'],
      ['reply', 'handshake_ack', expect.objectContaining({ sessionId: 's-1' })],
    ]);
    r.calls.length = 0;
    r.text({ type: 'handshake_ack', session_id: 's-2', heartbeat_interval: 1000 });
    expect(r.calls.slice(1)).toEqual([
      ['note', 'shape:handshake_ack'],
      ['emit', 'handshake_ack'],
      ['reply', 'handshake_ack', expect.objectContaining({ session_id: 's-2' })],
    ]);
    expect(r.counters.protocolErrors).toBe(0);
  });

  it('completes errors for the operator and says what they do to the session', () => {
    const r = rig();
    r.text(vis('e1', 'error', { code: 'AUTH_FAILED', message: 'expired' }));
    expect(r.of('error')[0]!.payload).toMatchObject({ code: 'AUTH_FAILED', recoverable: true, suggestedAction: 'refresh_token', endpoint: 'agents' });
    expect(r.told('authFailed')).toEqual([['authFailed', 'agents: server error AUTH_FAILED: expired']]);
    r.text(vis('e2', 'error', { code: 'INTERNAL_ERROR', message: 'boom' }));
    expect(r.told('drop')).toEqual([['drop', 'agents: server error INTERNAL_ERROR (unrecoverable): boom']]);
    r.e.step = 'version';
    r.text(vis('e3', 'error', { code: 'PROTOCOL_VERSION_MISMATCH', message: 'no' }));
    expect(r.told('fatal')[0]).toEqual(['fatal', 'VERSION_UNSUPPORTED', expect.stringMatching(/refused the protocol versions 1\.0, 1\.1, 2\.0: no/)]);
    expect(r.counters.serverErrors).toBe(3);
    // The event always comes first.
    expect(r.calls.findIndex((c) => c[0] === 'authFailed')).toBeGreaterThan(r.calls.findIndex((c) => c[0] === 'emit' && c[1] === 'error'));
  });

  it('does nothing to a session that has no socket (ingest of a recording)', () => {
    const r = rig();
    r.e.connected = false;
    r.text(vis('e1', 'error', { code: 'AUTH_FAILED', message: 'expired' }));
    for (let i = 0; i < 10; i++) r.text('not json');
    expect(r.of('error').length).toBe(1);
    expect(r.told('authFailed')).toEqual([]);
    expect(r.told('drop')).toEqual([]);
  });

  it('answers a pending command and starts a cooldown on a server RATE_LIMIT_EXCEEDED', async () => {
    const r = rig();
    const pending = r.commands.submit({ kind: 'command', command: 'status' });
    const requestId = r.commandsOut[0]!.request_id as string;
    r.text({ type: 'response', request_id: requestId, timestamp: new Date().toISOString(), payload: { status: 'success' } });
    await expect(pending).resolves.toMatchObject({ status: 'success', requestId });
    r.text(vis('e1', 'error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow', details: { retryAfterMs: 5000 } }));
    await expect(r.commands.submit({ kind: 'command', command: 'status' })).resolves.toMatchObject({ status: 'refused', code: 'RATE_LIMIT_EXCEEDED' });
  });

  it('clamps an absurd retryAfterMs to 10 minutes, with a note: a plane cannot disable commands for good', async () => {
    const r = rig();
    const before = Date.now();
    r.text(vis('e1', 'error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow', details: { retryAfterMs: 1e300 } }));
    const refused = (await r.commands.submit({ kind: 'command', command: 'status' })) as { status: string; retryAfterMs?: number };
    expect(refused.status).toBe('refused');
    expect(refused.retryAfterMs).toBeGreaterThan(9 * 60_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(10 * 60_000 + (Date.now() - before));
    expect(r.told('note').some((c) => c[1] === 'retry_after_clamped')).toBe(true);
  });

  it("clamps a server's retryAfterMs to 10 min with a conformance note (a plane cannot hold commands back for days)", async () => {
    const r = rig();
    const pending = r.commands.submit({ kind: 'command', command: 'status' });
    const requestId = r.commandsOut[0]!.request_id as string;
    r.text(vis('e1', 'error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow', details: { retryAfterMs: 86_400_000, requestId } }));
    await expect(pending).resolves.toMatchObject({ status: 'error', code: 'RATE_LIMIT_EXCEEDED', retryAfterMs: 600_000 });
    expect(r.told('note')).toContainEqual(['note', 'retry_after_clamped']);
  });

  it('drops a session past the abuse limit once, with the reason', () => {
    const r = rig({ abuse: { maxErrors: 3, windowMs: 10_000 } });
    for (let i = 0; i < 4; i++) r.text('{not json');
    expect(r.counters.protocolErrors).toBe(4);
    // Each names the endpoint it came on (probe files it there, whatever arrived since).
    expect(r.of('protocol.invalid_message').every((ev) => ev.payload.endpoint === 'agents')).toBe(true);
    expect(r.counters.abuseDisconnects).toBe(1);
    expect(r.of('client.error')[0]!.payload).toMatchObject({ code: 'PROTOCOL_ABUSE', endpoint: 'agents' });
    expect(r.told('drop')).toEqual([['drop', 'agents: disconnected after 4 invalid messages within 10000 ms (limit 3)']]);
  });
});

describe('intake: channels', () => {
  it('reports a gap once the reorder window passes, counts duplicates, and flushes held messages when the session ends', async () => {
    const r = rig({ reorderWindowMs: 30 });
    r.intake.defineChannels(r.e, [{ channelId: 'ch', priority: 'high', bufferSize: 10 }]);
    r.intake.channelStart(r.e, 'ch', 1);
    const on = (seq: number): Msg => channelMessage('ch', seq, vis(`m-${seq}`, 'message.sent', { from: { id: 'a' }, to: [] }));
    r.text(on(1));
    r.text(on(1));
    r.text(on(3));
    expect(r.of('message.sent').map((x) => x.sequence)).toEqual([1]);
    expect(r.counters.channelDuplicates).toBe(1);
    await waitFor('the gap', () => r.of('client.channel_gap').length === 1, 2000);
    expect(r.of('client.channel_gap')[0]!.payload).toEqual({ endpoint: 'agents', channel: 'ch', expected: 2, received: 3, missed: 1 });
    expect(r.of('message.sent').map((x) => x.sequence)).toEqual([1, 3]);

    r.text(on(6));
    expect(r.intake.resources()).toEqual({ timers: 1, buffered: 1 });
    r.intake.sessionEnded('agents');
    expect(r.of('message.sent').map((x) => x.sequence)).toEqual([1, 3, 6]);
    expect(r.intake.resources()).toEqual({ timers: 0, buffered: 0 });
    expect(r.counters.channelGaps).toBe(2);
  });
});
