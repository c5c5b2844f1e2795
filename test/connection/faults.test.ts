// Network and server faults: restart, stale, garbage, oversized, token expiry,
// token command refresh, unrecoverable errors, flapping and backoff.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOT_EMPTY } from '../../shared/index.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { QUIET, sleep, useHarness, vis } from '../helpers/harness.js';

const h = useHarness();

describe('server restart', () => {
  it('is back within the backoff cap after a restart, with the store resynchronised and no duplicate agents', async () => {
    const s = await h.sim({ ...QUIET, agents: 12, seed: 1 });
    const port = s.port;
    const t = h.plane({ url: s.url, backoff: { minMs: 50, maxMs: 200 }, resyncGraceMs: 300 });
    await waitFor('12 agents', () => t.plane.store.agents === 12);
    await s.stop();
    await t.state('RECONNECTING');
    // The restarted control plane has 8 agents now.
    const again = new Simulator({ ...QUIET, port, agents: 8, seed: 5 });
    await again.start();
    h.defer(() => again.stop());
    const restartedAt = Date.now();
    await t.state('LIVE', 5000);
    const back = Date.now() - restartedAt;
    // One retry at most 200 ms (the cap) away, plus connect and negotiation on a noisy machine.
    expect(back).toBeLessThan(200 + 800);
    await t.event('resync', (e) => e.type === 'client.resync' && e.at >= restartedAt);
    expect(t.plane.store.agents).toBe(8);
    const st = t.plane.store;
    const ids: number[] = [];
    for (let i = 0; i < st.slotCount; i++) if (st.state[i] !== SLOT_EMPTY) ids.push(st.ids[i]!);
    expect(ids.sort((a, b) => a - b)).toEqual([...again.world.ids]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(t.plane.counters.reconnects).toBeGreaterThanOrEqual(1);
  });
});

describe('stale connections', () => {
  it('a server that stops its heartbeats but answers pings is alive: pongs count as traffic', async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 300 });
    const t = h.plane({ url: s.url, endpoints: { agents: false, graph: false }, heartbeatLimitsMs: { minMs: 100, staleMinMs: 300 } });
    await t.state('LIVE');
    await waitFor('a server heartbeat', () => t.of('heartbeat').length >= 1);
    s.setFault('stop-heartbeats', true);
    await sleep(1500);
    expect(t.of('client.stale')).toEqual([]);
    expect(t.plane.state).toBe('LIVE');
  });

  it('detects a silent server at 3 intervals after its last traffic (not before), probes, and is LIVE again when it answers', async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 300 });
    const t = h.plane({ url: s.url, endpoints: { agents: false, graph: false }, heartbeatLimitsMs: { minMs: 100, staleMinMs: 300 } });
    await t.state('LIVE');
    await waitFor('a server heartbeat', () => t.of('heartbeat').length >= 1);
    s.setFault('silence', true);
    const stale = await t.event('stale', (e) => e.type === 'client.stale', 3000);
    const p = stale.payload as { silentForMs: number; lastRxAt: number; heartbeatIntervalMs: number };
    expect(p.heartbeatIntervalMs).toBe(300);
    // Not before 3 intervals of silence, and well before a fourth (timer slack on a busy machine).
    expect(p.silentForMs).toBeGreaterThanOrEqual(900);
    expect(p.silentForMs).toBeLessThan(900 + 250);
    expect(t.of('client.connection').some((e) => e.payload.state === 'STALE')).toBe(true);
    // The server answers again: LIVE (on the same socket when within the probe's 300 ms; test/cli/tail-stale.test.ts checks that with room to spare).
    s.setFault('silence', false);
    await t.event('LIVE again', (e) => e.type === 'client.connection' && e.seq > stale.seq && e.payload.state === 'LIVE');
    expect(t.plane.counters.staleDetections).toBeGreaterThanOrEqual(1);
  });

  it('counts data as liveness: a streaming endpoint stays LIVE without heartbeats', async () => {
    const s = await h.sim({ ...QUIET, rate: 20, heartbeatIntervalMs: 150 });
    const t = h.plane({ url: s.url, endpoints: { graph: false, control: false } });
    await t.state('LIVE');
    s.setFault('stopHeartbeats', true);
    await sleep(900);
    expect(t.plane.counters.staleDetections).toBe(0);
    expect(t.plane.state).toBe('LIVE');
  });

  it('a hung server (silence) goes STALE on every endpoint', async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 150 });
    const t = h.plane({ url: s.url, backoff: { minMs: 2000, maxMs: 2000 }, heartbeatLimitsMs: { minMs: 100, staleMinMs: 450 } });
    await t.state('LIVE');
    s.setFault('silence', true);
    await waitFor('3 stale endpoints', () => t.of('client.stale').length === 3, 3000);
    expect(new Set(t.of('client.stale').map((e) => e.payload.endpoint))).toEqual(new Set(['agents', 'graph', 'control']));
  });
});

describe('bad input from the server', () => {
  it('reports garbage and truncated binary and invalid JSON, and keeps the connection', async () => {
    const s = await h.sim({ ...QUIET, agents: 4 });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    s.sendGarbage('agents');
    s.sendTruncated('agents');
    s.inject('graph', '{"type": "agent.state.changed", oops');
    await waitFor('3 protocol errors', () => t.plane.counters.protocolErrors === 3);
    expect(t.of('protocol.error').map((e) => e.payload.kind)).toEqual(['bad_magic', 'length_past_end']);
    expect(t.of('protocol.invalid_message')[0]!.payload.field).toBe('(json)');
    const positions = t.plane.counters.positionMessages;
    await waitFor('positions keep coming', () => t.plane.counters.positionMessages > positions + 2);
    expect(t.plane.state).toBe('LIVE');
    expect(t.plane.counters.reconnects).toBe(0);
  });

  it('closes on a message over maxPayload (1009), says so, and reconnects', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, maxPayloadBytes: 64 * 1024, endpoints: { graph: false, control: false } });
    await t.state('LIVE');
    s.inject('agents', new Uint8Array(100_000));
    const err = await t.event('MESSAGE_TOO_LARGE', (e) => e.type === 'client.error' && e.payload.code === 'MESSAGE_TOO_LARGE');
    expect(err.payload.message).toContain('65536');
    await t.event('RECONNECTING', (e) => e.type === 'client.connection' && e.payload.state === 'RECONNECTING');
    expect(t.plane.status().reason ?? String(t.of('client.connection').at(-1)!.payload.reason)).toContain('65536');
    await t.event('LIVE again', (e) => e.type === 'client.connection' && e.seq > err.seq && e.payload.state === 'LIVE');
    expect(t.plane.counters.protocolErrors).toBeGreaterThanOrEqual(1);
  });
});

describe('authentication', () => {
  it('an expired token ends in AUTH_REQUIRED without a retry loop; a new token resumes', async () => {
    const s = await h.sim({ ...QUIET, token: 't1' });
    const t = h.plane({ url: s.url, token: 't1' });
    await t.state('LIVE');
    const connections = s.stats.connections;
    s.expireToken('t2');
    await t.state('AUTH_REQUIRED');
    expect(t.plane.status().reason).toContain('AUTH_FAILED');
    expect(t.of('client.auth_required').length).toBeGreaterThanOrEqual(1);
    const refused = s.stats.refused;
    await sleep(600); // backoff is 50-200 ms: a loop would have knocked again
    expect(s.stats.refused).toBe(refused);
    expect(s.stats.connections).toBe(connections);
    expect(t.plane.state).toBe('AUTH_REQUIRED');
    t.plane.setToken('t2');
    await t.state('LIVE');
  });

  it('a 401 on upgrade (wrong token) stops at once', async () => {
    const s = await h.sim({ ...QUIET, token: 't1' });
    const t = h.plane({ url: s.url, token: 'nope' });
    await t.state('AUTH_REQUIRED');
    await sleep(400);
    expect(s.stats.refused).toBe(3); // one per endpoint, no retries
    expect(t.plane.status().reason).toMatch(/401/);
  });

  it('runs the token command for a fresh token on AUTH_FAILED, and stops if the fresh token is refused too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-token-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const tokenFile = join(dir, 'token');
    const script = join(dir, 'print-token.cjs');
    writeFileSync(script, `process.stdout.write(require('fs').readFileSync(${JSON.stringify(tokenFile)}, 'utf8') + '\\n');`);
    chmodSync(script, 0o755);
    writeFileSync(tokenFile, 't1');
    const s = await h.sim({ ...QUIET, token: 't1' });
    const t = h.plane({ url: s.url, tokenCommand: { command: process.execPath, args: [script], timeoutMs: 5000 } });
    await t.state('LIVE');
    expect(t.plane.counters.tokenRefreshes).toBe(1);
    // The token rotates: the server expires t1, the command now prints t2.
    writeFileSync(tokenFile, 't2');
    const mark = t.events.length;
    s.expireToken('t2');
    await waitFor('refreshed and LIVE', () => t.plane.counters.tokenRefreshes === 2 && t.plane.state === 'LIVE' && s.sessionInfo().length === 3);
    expect(t.events.slice(mark).some((e) => e.type === 'client.connection' && e.payload.state === 'AUTH_REQUIRED')).toBe(false);
    expect(t.of('client.token_refreshed')).toHaveLength(2);
    // Dead credentials: the command's next token is refused too → AUTH_REQUIRED, no loop.
    writeFileSync(tokenFile, 'still-wrong');
    s.expireToken('t3');
    await t.state('AUTH_REQUIRED');
    expect(t.plane.status().reason).toContain("token command's token was refused too");
    // The plane is AUTH_REQUIRED as soon as one endpoint is; the others' refusals may still be on their way.
    await waitFor('every endpoint AUTH_REQUIRED', () => t.plane.status().endpoints!.every((e) => e.state === 'AUTH_REQUIRED'));
    const refreshes = t.plane.counters.tokenRefreshes;
    const refused = s.stats.refused;
    await sleep(500);
    expect(t.plane.counters.tokenRefreshes).toBe(refreshes);
    expect(refreshes).toBe(3);
    expect(s.stats.refused).toBe(refused);
  });

  it('a failing token command is a clear error and AUTH_REQUIRED', async () => {
    const s = await h.sim({ ...QUIET, token: 't1' });
    const t = h.plane({ url: s.url, tokenCommand: { command: process.execPath, args: ['-e', 'console.error("vault sealed"); process.exit(1)'] } });
    await t.state('AUTH_REQUIRED');
    const err = t.of('client.error').find((e) => e.payload.code === 'TOKEN_COMMAND_FAILED')!;
    expect(err.payload.message).toMatch(/exited with code 1: vault sealed/);
    expect(t.plane.status().reason).toContain('vault sealed');
    expect(s.stats.connections + s.stats.refused).toBe(0);
  });
});

describe('server errors', () => {
  it('an unrecoverable error (JSON) closes the session with its reason; a recoverable one does not', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, backoff: { minMs: 300, maxMs: 300 } });
    await t.state('LIVE');
    s.sendError('graph', 'AGENT_NOT_FOUND', 'who is agent-999');
    const soft = await t.event('recoverable error', (e) => e.type === 'error' && e.payload.code === 'AGENT_NOT_FOUND');
    expect(soft.payload).toMatchObject({ recoverable: true, suggestedAction: 'verify_agent_id', endpoint: 'graph' });
    await sleep(100);
    expect(t.plane.state).toBe('LIVE');
    s.sendError('control', 'INTERNAL_ERROR', 'disk on fire');
    const hard = await t.event('unrecoverable error', (e) => e.type === 'error' && e.payload.code === 'INTERNAL_ERROR');
    expect(hard.payload).toMatchObject({ recoverable: false, suggestedAction: 'contact_control_plane_operator', message: 'disk on fire' });
    const next = await t.event('RECONNECTING', (e) => e.type === 'client.connection' && e.seq > hard.seq);
    expect(next.payload.state).toBe('RECONNECTING');
    expect(next.payload.reason).toMatch(/control: server error INTERNAL_ERROR \(unrecoverable\): disk on fire/);
    await t.state('LIVE');
  });

  it('an unrecoverable 0xFF ERROR frame does the same', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, endpoints: { graph: false, control: false } });
    await t.state('LIVE');
    s.sendError('agents', 'INTERNAL_ERROR', 'binary boom', { binary: true, priority: 'critical' });
    const e = await t.event('binary error', (x) => x.type === 'error' && x.origin === 'binary');
    expect(e.payload).toMatchObject({ code: 'INTERNAL_ERROR', codeNumber: 7, message: 'binary boom', recoverable: false, suggestedAction: 'contact_control_plane_operator' });
    await t.event('RECONNECTING', (x) => x.type === 'client.connection' && x.seq > e.seq && x.payload.state === 'RECONNECTING');
  });
});

describe('slow server', () => {
  it('a delay fault slows every message but keeps the session and its order', async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 2000 });
    const t = h.plane({ url: s.url, endpoints: { agents: false, graph: false } });
    await t.state('LIVE');
    s.setFault('delay', '250ms');
    const r = await t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 3000 });
    expect(r.status).toBe('success');
    expect((r as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(240);
    for (let i = 0; i < 5; i++) s.inject('control', vis(`ord-${i}`, 'message.sent', { from: { id: 'a' }, to: [] }));
    await waitFor('5 delayed', () => t.of('message.sent').length === 5, 3000);
    expect(t.of('message.sent').map((e) => e.id)).toEqual(['ord-0', 'ord-1', 'ord-2', 'ord-3', 'ord-4']);
    expect(t.plane.counters.reconnects).toBe(0);
  });
});

describe('flapping', () => {
  it('backs off further while connections do not last and deliver nothing, and resets only after a stable connection', async () => {
    // No data on the endpoint, so only the stable stretch resets (a LIVE connection that delivers data
    // resets at once: the flap guard, test/connection/flap-guard.test.ts).
    const tp = new TestPlane({ heartbeatIntervalMs: 60_000 });
    await tp.start();
    const drops = setInterval(() => tp.dropAll(), 60);
    try {
      const t = h.plane({ url: tp.url, backoff: { minMs: 10, maxMs: 5000, stableAfterMs: 400 }, endpoints: { graph: false, control: false } });
      const attempt = (): number => t.plane.status().endpoints![0]!.attempt;
      await waitFor('several drops without a reset', () => attempt() >= 4, 8000);
      clearInterval(drops);
      await t.state('LIVE', 8000);
      expect(attempt()).toBeGreaterThanOrEqual(1); // LIVE alone does not reset
      await waitFor('reset after 400 ms LIVE', () => attempt() === 0, 3000);
      expect(t.plane.state).toBe('LIVE');
    } finally {
      clearInterval(drops);
      await tp.stop();
    }
  });

  it('keeps seq gap-free and monotonic across many reconnects', async () => {
    const s = await h.sim({ ...QUIET, rate: 50, faults: { dropEveryMs: 80 } });
    const t = h.plane({ url: s.url, backoff: { minMs: 5, maxMs: 20 } });
    await waitFor('10 reconnects', () => t.plane.counters.reconnects >= 10, 8000);
    t.events.forEach((e, i) => expect(e.seq).toBe(i));
  });
});
