import { afterEach, describe, expect, it } from 'vitest';
import { Plane, type PlaneConfig } from '../../electron/core/connection/plane.js';
import type { PlaneEvent } from '../../shared/events.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function sim(opts: ConstructorParameters<typeof Simulator>[0]): Promise<Simulator> {
  const s = new Simulator({ port: 0, ...opts });
  await s.start();
  cleanup.push(() => s.stop());
  return s;
}

function plane(config: Partial<PlaneConfig> & { url: string }): { plane: Plane; events: PlaneEvent[] } {
  const events: PlaneEvent[] = [];
  const p = new Plane({ id: 'p', label: 'test', color: 0xffffff, backoff: { minMs: 50, maxMs: 200 }, ...config }, { event: (e) => events.push(e) });
  p.connect();
  cleanup.push(() => p.close());
  return { plane: p, events };
}

describe('connection core against the simulator', () => {
  it('connects with a token, handshakes on every endpoint, and receives all N agents', async () => {
    const s = await sim({ agents: 37, rate: 30, token: 'secret-token' });
    const { plane: p, events } = plane({ url: s.url, token: 'secret-token' });
    await waitFor('LIVE', () => p.state === 'LIVE');
    await waitFor('37 agents in the store', () => p.store.agents === 37);
    // The ids are the simulator's, each once: no duplicates, no strays.
    const ids = [...p.store.ids.subarray(0, p.store.slotCount)].sort((a, b) => a - b);
    expect(ids).toEqual([...s.world.ids].sort((a, b) => a - b));
    // Positions match the world within the distance an agent moves in a few frames.
    await waitFor('several position messages', () => p.counters.positionMessages >= 3);
    const slot = p.store.slotOf(s.world.ids[0]!);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(Math.hypot(p.store.pos[slot * 3]! - s.world.pos[0]!, p.store.pos[slot * 3 + 1]! - s.world.pos[1]!)).toBeLessThan(50);
    expect(events.some((e) => e.type === 'handshake_ack')).toBe(true);
    expect(p.counters.protocolErrors).toBe(0);
  });

  it('is refused without a token and stops in AUTH_REQUIRED instead of retrying', async () => {
    const s = await sim({ agents: 5, token: 'secret-token' });
    const { plane: p, events } = plane({ url: s.url });
    await waitFor('AUTH_REQUIRED', () => p.state === 'AUTH_REQUIRED');
    const refusedAfterAuth = s.stats.refused;
    expect(refusedAfterAuth).toBeGreaterThanOrEqual(1);
    // Backoff here is 50-200 ms: a retry loop would have hit the server again in 600 ms.
    await new Promise((r) => setTimeout(r, 600));
    expect(s.stats.refused).toBe(refusedAfterAuth);
    expect(p.store.agents).toBe(0);
    expect(events.some((e) => e.type === 'client.auth_required')).toBe(true);
  });

  it('is refused with a wrong token', async () => {
    const s = await sim({ agents: 5, token: 'secret-token' });
    const { plane: p } = plane({ url: s.url, token: 'wrong' });
    await waitFor('AUTH_REQUIRED', () => p.state === 'AUTH_REQUIRED');
    expect(s.stats.connections).toBe(0);
  });

  it('applies agent.state.changed and message.sent events from the JSON endpoints', async () => {
    const s = await sim({ agents: 20, rate: 30, stateChangesPerSecond: 40, messagesPerSecond: 40 });
    const { plane: p, events } = plane({ url: s.url });
    await waitFor('state and message events', () => events.some((e) => e.type === 'agent.state.changed') && events.some((e) => e.type === 'message.sent'));
    // Sequence numbers give a total order without gaps.
    events.forEach((e, i) => expect(e.seq).toBe(i));
    // One endpoint's events can arrive while another is still negotiating: the plane is LIVE once all are.
    await waitFor('LIVE', () => p.state === 'LIVE');
  });

  it('reconnects after the server restarts on the same port, without duplicate agents', async () => {
    const s = await sim({ agents: 12, rate: 30 });
    const port = s.port;
    const { plane: p } = plane({ url: s.url });
    await waitFor('12 agents', () => p.store.agents === 12);
    await s.stop();
    await waitFor('RECONNECTING', () => p.state === 'RECONNECTING');
    const again = new Simulator({ port, agents: 12, rate: 30 });
    await again.start();
    cleanup.push(() => again.stop());
    await waitFor('LIVE again', () => p.state === 'LIVE', 5000);
    await waitFor('positions after reconnect', () => again.stats.positionMessages > 2);
    expect(p.store.agents).toBe(12);
    expect(p.counters.reconnects).toBeGreaterThanOrEqual(1);
  });
});
