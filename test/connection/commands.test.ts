// Commands without a socket: refused at once when the control endpoint cannot
// take them, queued until it can, answered by a response or error, and ended
// when the session or the plane goes.

import { describe, expect, it } from 'vitest';
import { type CommandRequest, Commands, type ControlGate } from '../../electron/core/connection/commands.js';

function rig(live = true) {
  const sent: Record<string, unknown>[] = [];
  const state = { live };
  const commands = new Commands({ planeId: 'p', send: (m) => state.live && (sent.push(m), true), live: () => state.live }, { rateLimit: false, defaultTimeoutMs: 5000 });
  return { commands, sent, state, id: (i: number) => String(sent[i]!.request_id ?? sent[i]!.id) };
}

const CMD: CommandRequest = { kind: 'command', command: 'status' };
const LIVE: ControlGate = { state: 'LIVE', reason: undefined };

describe('commands: the gate', () => {
  it('refuses at once what cannot go, saying why, and counts it', async () => {
    const r = rig();
    const cases: [boolean, ControlGate | undefined, CommandRequest, string][] = [
      [true, LIVE, CMD, 'CLOSED'],
      [false, undefined, CMD, 'ENDPOINT_DISABLED'],
      [false, { state: 'AUTH_REQUIRED', reason: 'control: 401; a new token is needed' }, CMD, 'AUTH_REQUIRED'],
      [false, { state: 'FAILED', reason: undefined }, CMD, 'CONNECTION_FAILED'],
      [false, LIVE, { kind: 'execute', targetAgent: 'a', command: '' }, 'INVALID_COMMAND'],
    ];
    for (const [closed, control, req, code] of cases) {
      await expect(r.commands.request(req, closed, control)).resolves.toMatchObject({ status: 'refused', plane: 'p', code });
    }
    await expect(r.commands.request(CMD, false, { state: 'AUTH_REQUIRED', reason: 'why' })).resolves.toMatchObject({ message: 'why' });
    expect(r.commands.counters.refused).toBe(6);
    expect(r.sent).toEqual([]);
  });

  it('sends through the gate while reconnecting: the command waits for the session', async () => {
    const r = rig(false);
    const p = r.commands.request({ kind: 'configure', multiAgentId: 'm', configuration: {} }, false, { state: 'RECONNECTING', reason: 'x' });
    expect(r.sent).toEqual([]);
    r.state.live = true;
    r.commands.flushWaiting();
    expect(r.sent[0]).toMatchObject({ type: 'control.multi-agent.configure', payload: { 'multi-agentId': 'm' } });
    r.commands.resolveResponse(r.id(0), { status: 'failed', message: 'nope' });
    await expect(p).resolves.toMatchObject({ status: 'failed', command: 'control.multi-agent.configure', message: 'nope' });
  });
});

describe('commands: answers and endings', () => {
  it('resolves an error answer with the seed table filled in, and the server retry hint', async () => {
    const r = rig();
    const p = r.commands.request(CMD, false, LIVE);
    expect(r.commands.resolveError(r.id(0), { code: 'INTERNAL_ERROR', message: 'boom' }, 2000)).toBe(true);
    await expect(p).resolves.toMatchObject({ status: 'error', code: 'INTERNAL_ERROR', recoverable: false, suggestedAction: 'contact_control_plane_operator', retryAfterMs: 2000 });
    expect(r.commands.resolveError(r.id(0), { code: 'X', message: '' })).toBe(false);
  });

  it('ends sent commands when the session is lost and keeps unsent ones; ends all when the plane stops', async () => {
    const r = rig();
    const sent = r.commands.request(CMD, false, LIVE);
    r.state.live = false;
    const waiting = r.commands.request(CMD, false, LIVE);
    r.commands.sessionLost('socket closed');
    await expect(sent).resolves.toMatchObject({ status: 'error', code: 'CONNECTION_LOST', recoverable: true });
    expect(r.commands.size).toBe(1);
    r.commands.abortAll('CLOSED', 'the plane was closed before a response');
    await expect(waiting).resolves.toMatchObject({ status: 'refused', code: 'CLOSED' });
    expect(r.commands.size).toBe(0);
  });

  it('refuses locally during a server cooldown', async () => {
    const r = rig();
    expect(r.commands.serverRateLimited(undefined)).toBeGreaterThan(0);
    await expect(r.commands.request(CMD, false, LIVE)).resolves.toMatchObject({ status: 'refused', code: 'RATE_LIMIT_EXCEEDED' });
    expect(r.sent).toEqual([]);
  });
});

describe('commands without a server', () => {
  it('refuses locally past the token bucket with RATE_LIMIT_EXCEEDED, and times out unsent ones', async () => {
    const sent: unknown[] = [];
    const c = new Commands({ planeId: 'p', send: (m) => (sent.push(m), true), live: () => false }, { rateLimit: { perSecond: 1, burst: 2 }, defaultTimeoutMs: 50 });
    const a = c.submit({ kind: 'command', command: 'restart' });
    const b = c.submit({ kind: 'command', command: 'restart' });
    const refused = await c.submit({ kind: 'command', command: 'restart' });
    expect(refused).toMatchObject({ status: 'refused', code: 'RATE_LIMIT_EXCEEDED' });
    expect(await a).toMatchObject({ status: 'timeout', sent: false, timeoutMs: 50 });
    expect(await b).toMatchObject({ status: 'timeout', sent: false });
    expect(sent).toEqual([]);
    expect(c.size).toBe(0);
  });
});
