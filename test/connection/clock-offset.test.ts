// NTP-style server clock (issue 23) against the independent test plane: its
// clock runs 7 s ahead and its handshake_ack comes 4 s late (serverTime taken
// when sent). The midpoint of that one exchange alone would be ~2 s off; the
// timestamped heartbeats that follow bound the offset tightly, and the
// estimate lands within 100 ms, with its uncertainty reported.
import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../electron/core/connection/clock.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { useHarness } from '../helpers/harness.js';

const h = useHarness();

describe('server clock', () => {
  it('vectors: a late two-way sample is bounded by later one-way samples; the lowest delay wins', () => {
    const c = new ServerClock(() => 10_000);
    // Handshake sent at 0, ack stamped 7,000 + 4,000 (server 7 s ahead, 4 s late), received at 4,010.
    c.fromHandshake(0, 4010, new Date(11_000).toISOString(), true);
    expect(c.offsetMs).toBe(7000 - 10 + 0); // lower bound 6,990 (latency unknown)
    c.fromPong(20);
    // A heartbeat stamped 15,000 (server) received at 8,005: offset ≥ 6,995.
    c.fromHeartbeat(15_000, 8005);
    expect(c.offsetMs).toBe(6995 + 10);
    expect(c.uncertaintyMs).toBe(10);
    // A slower one (stamped 16,000, received 9,100) does not loosen it.
    c.fromHeartbeat(16_000, 9100);
    expect(c.offsetMs).toBe(7005);
  });

  it('is within 100 ms of the true offset with a handshake_ack 4 s late', async () => {
    const skew = 7000;
    const tp = new TestPlane({ clockSkewMs: skew, ackDelayMs: 4000, agents: 2, agentHeartbeatMs: 200, heartbeatIntervalMs: 1000 });
    await tp.start();
    const t = h.plane({ url: tp.url, endpoints: { agents: false, graph: false } });
    const started = Date.now();
    try {
      await waitFor('the late ack has come', () => Date.now() - started > 5000 && Object.keys(t.plane.handshakeAcks()).length > 0, 20_000);
      await waitFor('heartbeats after the late ack', () => t.of('heartbeat').length >= 10, 20_000);
      const st = t.plane.status();
      console.log(`clock: offset ${st.serverClockOffsetMs} ms ± ${st.serverClockUncertaintyMs} ms (true ${skew} ms)`);
      expect(Math.abs(st.serverClockOffsetMs! - skew)).toBeLessThanOrEqual(100);
      expect(st.serverClockUncertaintyMs).toBeGreaterThanOrEqual(0);
      expect(st.serverClockUncertaintyMs).toBeLessThanOrEqual(100);
    } finally {
      await tp.stop();
    }
  }, 30_000);
});
