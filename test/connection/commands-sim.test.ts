// Command lifecycle against the simulator: each command kind, request ids,
// success / failed / error / timeout, local and server rate limits, waiting
// for the connection, and a connection lost under a pending command.

import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { QUIET, sleep, useHarness } from '../helpers/harness.js';

const h = useHarness();
const CONTROL_ONLY = { endpoints: { agents: false, graph: false } as const };

describe('commands', () => {
  it('restart, update and fetch_logs succeed with their parameters, each with its own request id', async () => {
    const s = await h.sim({ ...QUIET, agents: 5 });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY });
    await t.state('LIVE');
    const restart = await t.plane.command({ kind: 'command', command: 'restart', agentId: 'agent-003', parameters: { delay_seconds: 10 } });
    const update = await t.plane.command({ kind: 'command', command: 'update', agentId: 'agent-003', parameters: { version: '2.1.0' } });
    const logs = await t.plane.command({ kind: 'command', command: 'fetch_logs', agentId: 'agent-003', parameters: { lines: 3 } });
    expect(restart).toMatchObject({ status: 'success', command: 'restart', message: 'restarting agent-003 in 10 s' });
    expect(update).toMatchObject({ status: 'success', payload: { result: { version: '2.1.0' } } });
    expect(logs.status).toBe('success');
    const lines = (logs as unknown as { payload: { result: { logs: string[] } } }).payload.result.logs;
    expect(lines).toHaveLength(3);
    const ids = [restart, update, logs].map((r) => (r as { requestId: string }).requestId);
    expect(new Set(ids).size).toBe(3);
    // The responses were events too, carrying those request ids.
    expect(t.of('response').map((e) => e.id)).toEqual(ids);
  });

  it('control.execute and control.multi-agent.configure are answered by correlation id', async () => {
    const s = await h.sim({ ...QUIET, agents: 5 });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY });
    await t.state('LIVE');
    expect(await t.plane.command({ kind: 'execute', targetAgent: 'agent-002', command: 'execute_tool', parameters: { tool: 'web_search' } })).toMatchObject({
      status: 'success',
      command: 'execute_tool',
    });
    expect(await t.plane.command({ kind: 'configure', multiAgentId: 'm-1', configuration: { topology: 'HIERARCHICAL' } })).toMatchObject({
      status: 'success',
      command: 'control.multi-agent.configure',
    });
    expect(await t.plane.command({ kind: 'configure', multiAgentId: 'm-1', configuration: { topology: 'TORUS' } })).toMatchObject({ status: 'failed' });
    expect(await t.plane.command({ kind: 'execute', targetAgent: 'agent-999', command: 'pause' })).toMatchObject({
      status: 'error',
      code: 'AGENT_NOT_FOUND',
      suggestedAction: 'verify_agent_id',
    });
  });

  it('reports failed responses and errors: missing parameter, unknown command, unknown agent', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY });
    await t.state('LIVE');
    expect(await t.plane.command({ kind: 'command', command: 'update' })).toMatchObject({ status: 'failed', message: 'update: parameters.version (a string) is required' });
    expect(await t.plane.command({ kind: 'command', command: 'shutdown' })).toMatchObject({
      status: 'error',
      code: 'INVALID_COMMAND',
      message: "The command 'shutdown' is not recognized.",
      recoverable: true,
    });
    expect(await t.plane.command({ kind: 'command', command: 'restart', agentId: 'agent-404' })).toMatchObject({ status: 'error', code: 'AGENT_NOT_FOUND' });
    s.setFault('fail-commands', true);
    expect(await t.plane.command({ kind: 'command', command: 'restart' })).toMatchObject({ status: 'failed', message: 'simulated failure (fault fail-commands)' });
  });

  it('times out on its own timeout when the server never answers or answers too slowly', async () => {
    const s = await h.sim({ ...QUIET, faults: { commandNoAnswer: true } });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY });
    await t.state('LIVE');
    const started = Date.now();
    const r = await t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 200 });
    expect(r).toMatchObject({ status: 'timeout', timeoutMs: 200, sent: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(s.stats.commands).toBe(1);
    s.setFault('command-no-answer', false);
    s.setFault('command-delay', '300ms');
    expect(await t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 100 })).toMatchObject({ status: 'timeout' });
    const slow = await t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 2000 });
    expect(slow.status).toBe('success');
    expect((slow as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(290);
    expect(t.plane.status().counters.commandsTimedOut).toBe(2);
  });

  it('refuses locally past the outgoing rate limit, without sending', async () => {
    const s = await h.sim({ ...QUIET });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY, commandRateLimit: { perSecond: 1, burst: 2 } });
    await t.state('LIVE');
    const results = await Promise.all([1, 2, 3].map(() => t.plane.command({ kind: 'command', command: 'restart' })));
    expect(results.map((r) => r.status)).toEqual(['success', 'success', 'refused']);
    expect(results[2]).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    expect((results[2] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(s.stats.commands).toBe(2);
    expect(t.plane.status().counters.commandsRefused).toBe(1);
  });

  it("backs off after the server's RATE_LIMIT_EXCEEDED: later commands are refused locally until retryAfterMs passes", async () => {
    const s = await h.sim({ ...QUIET, faults: { commandRateLimit: 2 } });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY, commandRateLimit: false });
    await t.state('LIVE');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => t.plane.command({ kind: 'command', command: 'restart' })));
    expect([a!.status, b!.status]).toEqual(['success', 'success']);
    expect(c).toMatchObject({ status: 'error', code: 'RATE_LIMIT_EXCEEDED', retryAfterMs: 500 });
    expect(s.stats.rateLimited).toBe(1);
    const during = await t.plane.command({ kind: 'command', command: 'restart' });
    expect(during).toMatchObject({ status: 'refused', code: 'RATE_LIMIT_EXCEEDED' });
    expect(s.stats.commands).toBe(3); // the refused one never left
    await sleep(550);
    expect((await t.plane.command({ kind: 'command', command: 'restart' })).status).toBe('success');
  });

  it('waits for the control connection (within its timeout) and is refused in AUTH_REQUIRED', async () => {
    const s = await h.sim({ ...QUIET, token: 'ok' });
    const t = h.plane({ url: s.url, token: 'ok', ...CONTROL_ONLY });
    // Issued before the session is LIVE.
    expect(await t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 3000 })).toMatchObject({ status: 'success' });
    const bad = h.plane({ url: s.url, token: 'bad', ...CONTROL_ONLY });
    const pending = bad.plane.command({ kind: 'command', command: 'restart', timeoutMs: 3000 });
    expect(await pending).toMatchObject({ status: 'refused', code: 'AUTH_REQUIRED' });
    expect(await bad.plane.command({ kind: 'command', command: 'restart' })).toMatchObject({ status: 'refused', code: 'AUTH_REQUIRED' });
  });

  it('ends a pending command with CONNECTION_LOST when the control connection drops', async () => {
    const s = await h.sim({ ...QUIET, faults: { commandNoAnswer: true } });
    const t = h.plane({ url: s.url, ...CONTROL_ONLY });
    await t.state('LIVE');
    const pending = t.plane.command({ kind: 'command', command: 'restart', timeoutMs: 5000 });
    await waitFor('command at the server', () => s.stats.commands === 1);
    s.dropAll();
    expect(await pending).toMatchObject({ status: 'error', code: 'CONNECTION_LOST', recoverable: true });
    expect(t.plane.resources().pendingCommands).toBe(0);
  });
});
