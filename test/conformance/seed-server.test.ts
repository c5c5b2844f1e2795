// The client against a control plane written from the seed text alone
// (seed-server.ts, no simulator code): LIVE, agents, events, a command round
// trip, the notes its seed-shaped replies call for; and compressed frames in
// each format with nothing negotiated.

import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { useHarness } from '../helpers/harness.js';
import { SeedServer, type SeedServerOptions } from './seed-server.js';

const h = useHarness();

async function seed(opts: SeedServerOptions = {}): Promise<string> {
  const s = new SeedServer(opts);
  const url = await s.start();
  h.defer(() => s.stop());
  return url;
}

describe('a plane written from the seeds alone', () => {
  it('goes LIVE on every endpoint, fills the store, applies its example events and answers a command', async () => {
    const url = await seed({ agents: 7 });
    const t = h.plane({ url });
    const t0 = Date.now();
    await t.state('LIVE', 5000);
    expect(Date.now() - t0).toBeLessThan(3000);
    await waitFor('7 agents from POSITION_UPDATE', () => t.plane.store.agents === 7);
    const changed = await t.event('the seed example state change', (e) => e.type === 'agent.state.changed');
    expect(changed.payload.newState).toBe('EXECUTING');
    expect(t.events.some((e) => e.type === 'status_update' && e.payload.cpuPercent === 30)).toBe(true);
    const r = await t.plane.command({ kind: 'command', command: 'restart', parameters: { delay_seconds: 10 }, timeoutMs: 3000 });
    expect(r.status).toBe('success');
    const codes = new Set(t.plane.conformance().map((n) => n.code));
    expect(codes.has('version_no_selected')).toBe(true);
    expect(codes.has('compression_no_selected')).toBe(true);
    await waitFor('channel echo note', () => t.plane.conformance().some((n) => n.code === 'channel_no_status'));
    expect(t.plane.status().endpoints!.map((e) => e.version)).toEqual(['2.0', '2.0', '2.0']);
    expect(t.plane.counters.protocolErrors).toBe(0);
    expect(t.plane.counters.reconnects).toBe(0);
  });

  it.each(['gzip', 'zlib', 'raw'] as const)('inflates COMPRESSED_BATCH in %s with no compression negotiated', async (compress) => {
    const url = await seed({ agents: 9, compress });
    const t = h.plane({ url, compression: false, endpoints: { graph: false, control: false } });
    await t.state('LIVE', 5000);
    await waitFor('compressed positions applied', () => t.plane.counters.compressedMessages >= 3 && t.plane.store.agents === 9);
    expect(t.plane.status().endpoints![0]!.compression).toBeNull();
    expect(t.plane.counters.protocolErrors).toBe(0);
    const slot = t.plane.store.slotOf(3);
    expect(Math.hypot(t.plane.store.pos[slot * 3]!, t.plane.store.pos[slot * 3 + 1]!)).toBeGreaterThan(99);
    expect(t.plane.conformance().some((n) => n.code === 'compressed_unnegotiated')).toBe(true);
  });
});
