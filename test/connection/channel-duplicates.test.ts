// Duplicate channel sequences are reported, not only counted (issue 23):
// client.conformance {code: 'channel_duplicate', channel, sequence,
// duplicate: true, count} for the 1st, 2nd, 4th... duplicate per channel,
// against the independent test plane.
import { describe, expect, it } from 'vitest';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { sleep, useHarness } from '../helpers/harness.js';

const h = useHarness();

describe('channel duplicates', () => {
  it('names the channel, the sequence and the count per channel', async () => {
    const tp = new TestPlane({ heartbeatIntervalMs: 30_000 });
    await tp.start();
    const t = h.plane({ url: tp.url, endpoints: { agents: false, control: false } });
    try {
      await t.state('LIVE', 10_000);
      const msg = (i: number): Record<string, unknown> => tp.event('agent.state.changed', { agentId: 'agent-001', previousState: 'IDLE', newState: 'EXECUTING', reason: `r${i}` });
      tp.sendChannel('graph', 'a', 1, msg(1));
      tp.sendChannel('graph', 'a', 2, msg(2));
      for (let i = 0; i < 4; i++) tp.sendChannel('graph', 'a', 2, msg(2));
      tp.sendChannel('graph', 'b', 7, msg(3));
      tp.sendChannel('graph', 'b', 7, msg(3));
      await waitFor('duplicates counted', () => t.plane.counters.channelDuplicates === 5, 5000);
      await sleep(100);
      const dups = t.of('client.conformance').filter((e) => e.payload.code === 'channel_duplicate');
      expect(dups.map((e) => [e.payload.channel, e.payload.sequence, e.payload.duplicate, e.payload.count])).toEqual([
        ['a', 2, true, 1],
        ['a', 2, true, 2],
        ['a', 2, true, 4],
        ['b', 7, true, 1],
      ]);
      expect(String(dups[0]!.payload.message)).toMatch(/channel "a": sequence 2 is a duplicate/);
      expect(dups[0]!.payload.endpoint).toBe('graph');
    } finally {
      await tp.stop();
    }
  });
});
