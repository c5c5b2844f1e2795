// `swarmdeck tail` prints each alert transition as a `client.alert` JSON line
// (docs/PROTOCOL.md, "Headless CLI"), against the independent test plane: an
// agent in ERROR fires and its healthy state resolves it; the server killed
// fires plane_down; exactly the public fields.
import { afterEach, describe, expect, it } from 'vitest';
import { runTail } from '../../electron/core/cli/headless.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';

const planes: TestPlane[] = [];
afterEach(async () => {
  for (const p of planes.splice(0)) await p.stop();
});

describe('tail prints client.alert lines', () => {
  it('firing then resolved for an agent in ERROR, firing for a plane whose server died', async () => {
    const tp = new TestPlane({ agents: 2, heartbeatIntervalMs: 30_000 });
    planes.push(tp);
    await tp.start();
    const lines: Record<string, unknown>[] = [];
    const stop = new AbortController();
    const done = runTail(['--url', tp.url, '--endpoints', 'agents,control'], (l) => lines.push(JSON.parse(l) as Record<string, unknown>), stop.signal);
    const alerts = (key = 'cli/agent_error/agent-002') => lines.filter((l) => l.type === 'client.alert' && l.key === key);
    await waitFor('LIVE', () => lines.some((l) => l.type === 'client.connection' && (l.payload as { state: string }).state === 'LIVE'));
    tp.setState(2, 'ERROR', 'ACTIVE', 'disk full');
    await waitFor('firing', () => alerts().length === 1);
    const firing = alerts()[0]!;
    expect(firing).toEqual({ type: 'client.alert', state: 'firing', key: 'cli/agent_error/agent-002', kind: 'agent_error', plane: 'cli', agent: 'agent-002', count: 1, since: expect.any(Number) });
    // The transition follows the event that caused it.
    const stateLine = lines.findIndex((l) => l.type === 'agent.state.changed');
    expect(lines.indexOf(firing)).toBe(stateLine + 1);
    tp.setState(2, 'ACTIVE', 'ERROR');
    await waitFor('resolved', () => alerts().length === 2);
    expect(alerts()[1]).toMatchObject({ state: 'resolved', key: 'cli/agent_error/agent-002', count: 1 });
    expect(alerts()[1]!.since as number).toBeGreaterThanOrEqual(firing.since as number);
    await tp.kill();
    await waitFor('plane down', () => alerts('cli/plane_down').length > 0);
    expect(alerts('cli/plane_down')[0]).toEqual({ type: 'client.alert', state: 'firing', key: 'cli/plane_down', kind: 'plane_down', plane: 'cli', count: 1, since: expect.any(Number) });
    stop.abort();
    await expect(done).resolves.toBe(0);
  });
});
