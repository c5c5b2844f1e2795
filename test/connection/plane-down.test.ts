// A plane whose server dies is DOWN within a second (downSince, the reason),
// stays DOWN through its retries with one countdown for the plane (retryAt,
// the soonest endpoint's), and is LIVE again, not down, when the server is back.
// Against the independent test plane.
import { afterEach, describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import type { PlaneStatus } from '../../shared/index.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('plane DOWN', () => {
  it('is DOWN within 1 s of its server dying, with one retry countdown, and LIVE again when it is back', async () => {
    const tp = new TestPlane({ agents: 2, heartbeatIntervalMs: 1000 });
    await tp.start();
    cleanup.push(() => tp.stop());
    const plane = new Plane({ id: 'p', label: 'P', color: 0, url: tp.url, backoff: { minMs: 2000, maxMs: 4000 } }, { event: () => undefined });
    cleanup.push(() => plane.close());
    plane.connect();
    await waitFor('LIVE', () => plane.state === 'LIVE', 15_000);
    expect(plane.status().downSince).toBeUndefined();
    const killedAt = Date.now();
    await tp.kill();
    const down = await waitFor('DOWN', () => (plane.status().downSince !== undefined ? plane.status() : null), 5000);
    expect(down.downSince! - killedAt).toBeLessThan(1000);
    expect(down.state).toBe('RECONNECTING');
    expect(down.reason).toMatch(/closed|ECONNRESET|lost/i);
    // One countdown for the plane: the soonest of its endpoints' retries, in the future.
    expect(down.retryAt).toBeGreaterThan(Date.now() - 100);
    const endpointRetries = (down.endpoints ?? []).map((e) => e.reason).filter((r) => r && /retrying in/.test(r));
    expect(endpointRetries.length).toBeGreaterThan(0);
    // Still DOWN while it tries again (CONNECTING on a dead port): never LIVE-looking.
    const seen = new Set<PlaneStatus['state']>();
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      const st = plane.status();
      seen.add(st.state);
      expect(st.downSince).toBe(down.downSince);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen.has('LIVE')).toBe(false);
    await tp.start(); // the same port
    await waitFor('LIVE again', () => plane.state === 'LIVE', 20_000);
    expect(plane.status().downSince).toBeUndefined();
    expect(plane.status().retryAt).toBeUndefined();
  }, 60_000);
});
