// Flap guard (issue 23) against the independent test plane: a plane that
// drops every connection every 2.5 s still has data flowing at least 80 % of
// the time (a connection that reached LIVE and delivered data resets the
// backoff and is retried at once), while connections that fail before LIVE
// still back off further each time.
import { describe, expect, it } from 'vitest';
import { QUICK_RETRY_MAX_MS } from '../../shared/index.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { sleep, useHarness } from '../helpers/harness.js';

const h = useHarness();

describe('flap guard', () => {
  it('a plane dropping every 2.5 s has data at least 80 % of the time, retried quickly each time', async () => {
    const tp = new TestPlane({ agents: 3, positionHz: 20, heartbeatIntervalMs: 1000 });
    await tp.start();
    // The defaults (1 s .. 30 s, reset after 10 s stable): without the guard each drop would double the delay.
    const t = h.plane({ url: tp.url, endpoints: { graph: false, control: false } });
    try {
      await t.state('LIVE', 10_000);
      await waitFor('data', () => t.of('POSITION_UPDATE').length > 0 || t.plane.counters.messagesIn > 2, 5000);
      const drops = setInterval(() => tp.dropAll(), 2500);
      let samples = 0;
      let withData = 0;
      let lastIn = t.plane.counters.messagesIn;
      const started = Date.now();
      try {
        while (Date.now() - started < 15_000) {
          await sleep(100);
          const now = t.plane.counters.messagesIn;
          samples++;
          if (now > lastIn) withData++;
          lastIn = now;
        }
      } finally {
        clearInterval(drops);
      }
      const share = withData / samples;
      console.log(`flap guard: data in ${(share * 100).toFixed(1)} % of ${samples} 100 ms samples over 15 s (drops every 2.5 s)`);
      expect(t.plane.counters.reconnects).toBeGreaterThanOrEqual(4);
      expect(share).toBeGreaterThanOrEqual(0.8);
      // Every retry after a LIVE connection with data was a quick one.
      const delays = t
        .of('client.connection')
        .map((e) => /retrying in (\d+) ms/.exec(String(e.payload.reason ?? ''))?.[1])
        .filter((d): d is string => d !== undefined)
        .map(Number);
      expect(delays.length).toBeGreaterThanOrEqual(4);
      expect(Math.max(...delays)).toBeLessThanOrEqual(QUICK_RETRY_MAX_MS);
    } finally {
      await tp.stop();
    }
  }, 40_000);

  it('connections refused before LIVE still back off further each time', async () => {
    const tp = new TestPlane({ token: 'right' });
    await tp.start();
    const t = h.plane({ url: tp.url, endpoints: { graph: false, control: false }, backoff: { minMs: 50, maxMs: 5000 } });
    try {
      // 401s go to AUTH_REQUIRED (no retry loop); a dead port fails before LIVE instead.
      await tp.kill();
      await waitFor('three attempts', () => (t.plane.status().endpoints?.[0]?.attempt ?? 0) >= 3, 10_000);
      expect(t.plane.state).not.toBe('LIVE');
    } finally {
      await tp.stop();
    }
  }, 20_000);
});
