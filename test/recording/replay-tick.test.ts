// One playback tick ingests at most REPLAY_TICK_BYTES of messages (besides
// REPLAY_TICK_MESSAGES) before it yields: a file of large messages cannot
// hold the host's event loop for a whole chunk in one tick.

import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plane } from '../../electron/core/connection/plane.js';
import { REPLAY_TICK_BYTES } from '../../electron/core/limits.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { AGENTS_CHANNEL, swarmdeckFile, zstdReady } from './crafted-mcap.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('a playback tick', () => {
  it(`ingests at most REPLAY_TICK_BYTES (${REPLAY_TICK_BYTES / 2 ** 20} MiB) of messages`, async () => {
    await zstdReady;
    const T0 = 1_700_000_000_000;
    const SIZE = 512 * 1024;
    // 60 heartbeats of 512 KiB, 1 ms apart: the position after a tick says how many were applied.
    const heartbeat = (t: number): Buffer => {
      const bare = JSON.stringify({ type: 'heartbeat', timestamp: t, pad: '' }).length;
      return Buffer.from(JSON.stringify({ type: 'heartbeat', timestamp: t, pad: 'x'.repeat(SIZE - bare) }));
    };
    const msgs = Array.from({ length: 60 }, (_, i) => ({ channel: AGENTS_CHANNEL, timeNs: BigInt(T0 + i) * 1_000_000n, data: heartbeat(T0 + i) }));
    expect(msgs[0]!.data.byteLength).toBe(SIZE);
    const p = tmp.file('large-messages.mcap');
    writeFileSync(p, swarmdeckFile().chunk(msgs).end());
    const planes = new Map<string, Plane>();
    const replay = await Replay.open(p, { listenerFor: () => ({ event: () => undefined }), putPlane: (pl) => void planes.set(pl.config.id, pl), removePlane: (id) => planes.delete(id), plane: (id) => planes.get(id) });
    try {
      const start = replay.state().startMs;
      const positions: number[] = [];
      replay.onState((s) => positions.push(s.positionMs - start));
      replay.setSpeed(16);
      replay.play();
      await new Promise((r) => setTimeout(r, 1500));
      replay.pause();
      const ticks = positions.filter((x, i) => i > 0 && x > positions[i - 1]!);
      expect(ticks.length).toBeGreaterThan(1);
      // Each tick moved the position by the messages it applied: at most the budget's worth.
      const perTick = Math.floor(REPLAY_TICK_BYTES / SIZE);
      // From the first tick on (the message at the start was applied when the replay opened at it).
      const from = positions.slice(positions.findIndex((x) => x > 0));
      const steps = from.slice(1).map((x, i) => x - from[i]!);
      expect(Math.max(...steps)).toBeLessThanOrEqual(perTick + 0.01); // ms from ns: float
      expect(Math.max(...steps)).toBeGreaterThanOrEqual(1);
    } finally {
      await replay.close();
    }
  }, 60_000);
});
