// Against the independent test plane and the real core: one agent of two
// stops heartbeating, and the agent-lost alert fires (in the core, and in a
// view's frames) after 3 × its observed beat interval, clamped to at least
// 1.5 s (not a fixed 30 s: no agentTimeoutMs is configured); it heartbeats
// again, and the alert resolves by itself. The rule's vectors are in
// test/connection/agent-liveness.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import type { Alert } from '../../shared/contract/index.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { collectFrames } from '../helpers/core-view.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

describe('an agent that stops heartbeating', () => {
  it('raises agent_lost for that agent only, and it resolves when the agent heartbeats again', async () => {
    const tp = new TestPlane({ agents: 2, agentHeartbeatMs: 100, heartbeatIntervalMs: 30_000 });
    await tp.start();
    stops.push(() => tp.stop());
    const core = new SwarmCore([{ id: 'tp', label: 'TP', url: tp.url, color: 0 }]);
    core.start();
    stops.push(() => core.stop());
    const frames = collectFrames(core);
    const seen = (): Alert[] => frames.flatMap((f) => f.monitor ?? []).flatMap((d) => d.alerts).filter((a) => a.kind === 'agent_lost');
    await waitFor('LIVE', () => core.plane('tp')!.state === 'LIVE', 15_000);
    const beating = (agent: string): boolean => core.monitor('tp').page(undefined, 1000, Infinity).events.some((e) => e.type === 'heartbeat' && e.agentId === agent);
    await waitFor('both agents beating', () => beating('agent-001') && beating('agent-002'));
    await new Promise((r) => setTimeout(r, 800));
    expect(core.monitor('tp').alerts.list().filter((a) => a.kind === 'agent_lost')).toEqual([]);

    tp.stopHeartbeat(1);
    const stoppedAt = Date.now();
    await waitFor('agent_lost fires', () => core.monitor('tp').alerts.get('tp/agent_lost/agent-001')?.state === 'firing', 10_000);
    const fired = core.monitor('tp').alerts.get('tp/agent_lost/agent-001')!;
    expect(fired).toMatchObject({ agent: 'agent-001', count: 1 });
    // 100 ms beats: 3 × 100 ms clamped up to 1.5 s; well before the 30 s default (timer slack on a busy machine).
    expect(fired.firedAt - stoppedAt).toBeGreaterThanOrEqual(1400);
    expect(fired.firedAt - stoppedAt).toBeLessThan(6000);
    expect(core.monitor('tp').alerts.get('tp/agent_lost/agent-002')).toBeUndefined();
    await waitFor('a view sees it firing', () => seen().some((a) => a.key === 'tp/agent_lost/agent-001' && a.state === 'firing'));

    tp.resumeHeartbeat(1);
    await waitFor('agent_lost resolves', () => core.monitor('tp').alerts.get('tp/agent_lost/agent-001')?.state === 'resolved', 10_000);
    expect(core.monitor('tp').alerts.get('tp/agent_lost/agent-001')).toMatchObject({ count: 1, firedAt: fired.firedAt, resolvedAt: expect.any(Number) });
    await waitFor('a view sees it resolved', () => seen().some((a) => a.key === 'tp/agent_lost/agent-001' && a.state === 'resolved'));
    // A later view (a reload) is answered with the same alert, resolved, with the same count.
    const late = core.openView(() => undefined);
    stops.push(() => late.close());
    const info = late.hello('web');
    expect(info.history[0]!.alerts.find((a) => a.key === 'tp/agent_lost/agent-001')).toMatchObject({ state: 'resolved', count: 1 });
  });
});
