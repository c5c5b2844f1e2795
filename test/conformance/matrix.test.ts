// The conformance matrix, core side: a Plane against the simulator in every
// dialect (sim/dialects.ts). Each must have every endpoint LIVE within 3 s of
// the upgrade, agents and events received, a command round trip, exactly the
// conformance notes its deviations call for, and no reconnect.

import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';
import { QUIET, useHarness } from '../helpers/harness.js';
import { EXPECTED_NOTES } from './expected-notes.js';

const h = useHarness();

describe('conformance matrix (core)', () => {
  it.each(DIALECT_NAMES)('%s: LIVE within 3 s, agents, events, a command round trip, its notes, no reconnect', async (dialect) => {
    const s = await h.sim({ ...QUIET, agents: 6, stateChangesPerSecond: 10, compressThreshold: 0, dialect });
    const t = h.plane({ url: s.url }, false);
    const liveAt = new Map<string, number>();
    const startedAt = Date.now();
    t.plane.connect();
    await waitFor(
      'every endpoint LIVE',
      () => {
        for (const e of t.plane.status().endpoints!) if (e.state === 'LIVE' && !liveAt.has(e.endpoint)) liveAt.set(e.endpoint, Date.now());
        return liveAt.size === 3;
      },
      5000,
      5,
    );
    for (const at of liveAt.values()) expect(at - startedAt).toBeLessThan(3000);
    await waitFor('6 agents', () => t.plane.store.agents === 6, 5000);
    await t.event('a state change', (e) => e.type === 'agent.state.changed', 5000);
    const r = await t.plane.command({ kind: 'command', command: 'fetch_logs', agentId: 'agent-001', parameters: { lines: 2 }, timeoutMs: 3000 });
    expect(r.status).toBe('success');
    // Channel notes come after their wait; positions (and compressed ones) keep flowing meanwhile.
    await waitFor('positions or JSON states', () => t.plane.counters.messagesIn > 20, 5000);
    const want = EXPECTED_NOTES[dialect];
    if (want.all.includes('channel_no_status')) await waitFor('channel replies', () => t.plane.conformance().some((n) => n.code === 'channel_no_status'), 3000);
    if (want.agents) await waitFor('agents notes', () => want.agents!.every((c) => t.plane.conformance().some((n) => n.endpoint === 'agents' && n.code === c)), 3000);
    const notes = t.plane.conformance();
    for (const ep of ['agents', 'graph', 'control'] as const) {
      const codes = new Set(notes.filter((n) => n.endpoint === ep).map((n) => n.code));
      const expected = new Set([...want.all, ...(ep === 'agents' ? (want.agents ?? []) : [])]);
      // channel_no_status only where the profile creates a channel: every endpoint has one by default.
      expect([...codes].sort(), `${dialect} ${ep}`).toEqual([...expected].sort());
    }
    // Every note is one client.conformance event, and the status lists them.
    expect(t.of('client.conformance').length).toBe(notes.length);
    if (notes.length) expect(t.plane.status().conformance!.length).toBeGreaterThan(0);
    else expect(t.plane.status().conformance).toBeUndefined();
    expect(t.plane.counters.reconnects).toBe(0);
    expect(t.plane.state).toBe('LIVE');
    expect(t.plane.counters.protocolErrors).toBe(0);
  });
});

describe('commands never wait on optional negotiation', () => {
  it('go out once the handshake is done, while version.negotiate is still unanswered', async () => {
    const s = await h.sim({ ...QUIET, dialect: 'silent-negotiation' });
    const t = h.plane({ url: s.url, negotiationWaitMs: 8000, endpoints: { agents: false, graph: false } });
    const r = await t.plane.command({ kind: 'command', command: 'fetch_logs', agentId: 'agent-001', timeoutMs: 3000 });
    expect(r.status).toBe('success');
    // Answered while the endpoint still waits for its version reply.
    expect(t.plane.status().endpoints![0]!.state).toBe('HANDSHAKING');
  });
});

describe('no common version in the seed shape', () => {
  it('is FAILED with both lists named, and not retried', async () => {
    const s = await h.sim({ ...QUIET, dialect: 'seed-echo', faults: { refuseVersions: true } });
    const t = h.plane({ url: s.url, endpoints: { graph: false, control: false } });
    await t.state('FAILED', 5000);
    expect(t.plane.status().reason).toContain('no common protocol version: this client supports 1.0, 1.1, 2.0; the server supports 3.0');
    const connections = s.stats.connections;
    await new Promise((r) => setTimeout(r, 500)); // backoff here is 50-200 ms: a loop would have reconnected
    expect(s.stats.connections).toBe(connections);
    expect(t.plane.state).toBe('FAILED');
  });
});
