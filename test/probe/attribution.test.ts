// probe files a channel-wrapped invalid message under the endpoint that sent
// it (issue 23), not under whichever socket spoke last: the wrapped message is
// held for its channel's order (a gap) while the agents endpoint keeps streaming.
// Against the independent test plane.
import { afterEach, describe, expect, it } from 'vitest';
import { runProbe } from '../../electron/core/cli/probe.js';
import { TestPlane } from '../helpers/test-plane.js';

const planes: TestPlane[] = [];
afterEach(async () => {
  for (const p of planes.splice(0)) await p.stop();
});

interface Report {
  endpoints: Record<string, { invalid: Record<string, { count: number; first: string }> }>;
}

describe('probe: where an invalid message came from', () => {
  it('a wrapped invalid message on control is filed under control, while agents streams', { timeout: 30_000 }, async () => {
    const tp = new TestPlane({ agents: 50, positionHz: 50, heartbeatIntervalMs: 1000 });
    planes.push(tp);
    await tp.start();
    const lines: string[] = [];
    const probing = runProbe(['--url', tp.url, '--for', '3s', '--json'], (l) => lines.push(l));
    // Once connected: sequence 5 with 1-4 never sent, so it waits out the reorder window (agents frames arrive meanwhile); it is invalid (no agentId).
    await new Promise((r) => setTimeout(r, 1200));
    tp.sendChannel('control', 'ops', 5, { type: 'agent.state.changed', timestamp: new Date().toISOString(), payload: { newState: 'IDLE' } });
    await probing;
    const report = JSON.parse(lines.at(-1)!) as Report;
    const invalidOn = (ep: string): number => Object.values(report.endpoints[ep]?.invalid ?? {}).reduce((n, x) => n + x.count, 0);
    expect(invalidOn('control')).toBeGreaterThanOrEqual(1);
    expect(invalidOn('agents')).toBe(0);
    expect(invalidOn('graph')).toBe(0);
  });
});
