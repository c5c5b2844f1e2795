// The core requests behind the console's Search and Connections panels,
// against a running simulator.
import { describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';
import { waitFor } from '../helpers/wait.js';

async function setup(opts = {}) {
  const sim = new Simulator({ port: 0, ...QUIET, agents: 12, ...opts });
  await sim.start();
  const core = new SwarmCore([{ id: 'sim', label: 'Sim', url: sim.url, color: 0, backoff: { minMs: 50, maxMs: 200 } }]);
  core.start();
  await waitFor('12 agents', () => core.plane('sim')!.store.agents === 12);
  return {
    core,
    sim,
    async stop() {
      core.stop();
      await sim.stop();
    },
  };
}

describe('search over the stores', () => {
  it('finds agents by id, state and plane, learns namespaces from messages, and bounds the result', async () => {
    const { core, sim, stop } = await setup({ messagesPerSecond: 200 });
    try {
      expect(core.search({ text: 'agent-007' })).toMatchObject({ total: 1, matches: [{ plane: 'sim', id: 7, label: 'agent-007' }] });
      expect(core.search({ text: '7' }).matches.map((m) => m.id)).toContain(7);
      expect(core.search({ plane: 'elsewhere' }).total).toBe(0);
      const all = core.search({});
      expect(all.total).toBe(12);
      const limited = core.search({ limit: 5 });
      expect(limited).toMatchObject({ total: 12, truncated: true });
      expect(limited.matches).toHaveLength(5);
      // The simulator names each agent's namespace in message.sent.
      const ns = await waitFor('namespaces learned', () => core.search({}).matches.find((m) => m.namespace)?.namespace);
      const inNs = core.search({ namespace: ns });
      expect(inNs.total).toBeGreaterThan(0);
      expect(inNs.total).toBeLessThan(12);
      expect(inNs.matches.every((m) => m.namespace === ns)).toBe(true);
      // State: put one agent in ERROR through the simulator's own state change.
      sim.inject('agents', { id: 'x1', type: 'agent.state.changed', timestamp: new Date().toISOString(), payload: { agentId: 'agent-003', newState: 'ERROR' } });
      await waitFor('agent-003 in ERROR', () => core.search({ state: 'error' }).matches.some((m) => m.id === 3));
      expect(core.search({ state: 'ERROR', text: 'agent-004' }).total).toBe(0);
    } finally {
      await stop();
    }
  });
});

describe('connection actions', () => {
  it('disconnects, connects and reconnects a plane', async () => {
    const { core, stop } = await setup();
    try {
      const p = core.plane('sim')!;
      await waitFor('LIVE', () => p.state === 'LIVE');
      expect(core.planeAction({ plane: 'sim', action: 'disconnect' })).toMatchObject({ ok: true, state: 'CLOSED' });
      expect(core.planeAction({ plane: 'sim', action: 'connect' }).ok).toBe(true);
      await waitFor('LIVE again', () => p.state === 'LIVE');
      // Reconnect from CLOSED connects again (retry-now of FAILED endpoints is the connection engine's own test).
      core.planeAction({ plane: 'sim', action: 'disconnect' });
      expect(core.planeAction({ plane: 'sim', action: 'reconnect' }).ok).toBe(true);
      await waitFor('LIVE after reconnect', () => p.state === 'LIVE');
      expect(core.planeAction({ plane: 'nope', action: 'connect' })).toMatchObject({ ok: false, message: 'no plane "nope"' });
    } finally {
      await stop();
    }
  });
});
