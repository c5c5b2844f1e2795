import { describe, expect, it } from 'vitest';
import { buildRequest, describeRequest, logLines, type ConfigureFields } from '../../../../renderer/src/panels/Commands/build-request.js';

const cfg: ConfigureFields = { kind: 'configure', multiAgentId: 'm1', topology: 'MESH', strategy: 'consensus', faultTolerance: true, redundancy: '2', heartbeatMs: '5000', maxLatencyMs: '100', minThroughput: '', targetSuccessRate: '0.99', timeoutS: '30' };

describe('command forms', () => {
  it('builds a control-plane command with typed parameters and the agent in the envelope', () => {
    const b = buildRequest({ kind: 'command', command: 'restart', agent: 'agent-003', params: 'delay_seconds=5', timeoutS: '10' });
    expect(b).toEqual({ ok: true, request: { kind: 'command', command: 'restart', agentId: 'agent-003', parameters: { delay_seconds: 5 }, timeoutMs: 10_000 } });
  });
  it('refuses what the standard forbids before anything is sent', () => {
    expect(buildRequest({ kind: 'command', command: 'update', agent: '', params: '', timeoutS: '10' })).toMatchObject({ ok: false, error: expect.stringMatching(/version/) });
    expect(buildRequest({ kind: 'command', command: 'restart', agent: '', params: 'delay_seconds=-1', timeoutS: '10' })).toMatchObject({ ok: false });
    expect(buildRequest({ kind: 'command', command: 'fetch_logs', agent: '', params: 'lines=0', timeoutS: '10' })).toMatchObject({ ok: false });
    expect(buildRequest({ kind: 'command', command: 'restart', agent: '', params: '', timeoutS: '0' })).toMatchObject({ ok: false, error: expect.stringMatching(/timeout/) });
    expect(buildRequest({ kind: 'execute', command: 'ping', target: ' ', params: '', timeoutS: '5' })).toMatchObject({ ok: false, error: 'a target agent is needed' });
    expect(buildRequest({ ...cfg, topology: 'BLOB' })).toMatchObject({ ok: false, error: expect.stringMatching(/topology/) });
    expect(buildRequest({ ...cfg, targetSuccessRate: '1.5' })).toMatchObject({ ok: false, error: expect.stringMatching(/success rate/) });
    expect(buildRequest({ kind: 'command', command: 'x'.repeat(201), agent: '', params: '', timeoutS: '5' })).toMatchObject({ ok: false, error: expect.stringMatching(/^command/) });
  });
  it('builds control.execute and control.multi-agent.configure as the protocol shows them', () => {
    expect(buildRequest({ kind: 'execute', command: 'pause', target: 'agent-1', params: '{"reason":"x"}', timeoutS: '5' })).toEqual({
      ok: true,
      request: { kind: 'execute', targetAgent: 'agent-1', command: 'pause', parameters: { reason: 'x' }, timeoutMs: 5000 },
    });
    const b = buildRequest(cfg);
    expect(b.ok && b.request).toEqual({
      kind: 'configure',
      multiAgentId: 'm1',
      timeoutMs: 30_000,
      configuration: { topology: 'MESH', coordinationStrategy: 'consensus', faultTolerance: { enabled: true, redundancy: 2, heartbeatInterval: 5000 }, performanceTargets: { maxLatency: 100, targetSuccessRate: 0.99 } },
    });
    expect(describeRequest('sim', b.ok ? b.request : { kind: 'command', command: '' })).toBe('control.multi-agent.configure m1 on sim');
  });
  it('finds fetch_logs lines in a response payload', () => {
    expect(logLines({ status: 'success', result: { logs: ['a', 'b'] } })).toEqual(['a', 'b']);
    expect(logLines({ logs: 'x\ny' })).toEqual(['x', 'y']);
    expect(logLines({ status: 'success' })).toBeNull();
  });
});
