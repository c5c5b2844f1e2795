// One playback tick ingests at most REPLAY_TICK_BYTES of messages (besides
// REPLAY_TICK_MESSAGES) before it yields: a file of large messages cannot
// hold the host's event loop for a whole chunk in one tick.

import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { REPLAY_TICK_BYTES } from '../../shared/index.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { AGENTS_CHANNEL, swarmdeckFile, zstdReady } from '../helpers/crafted-mcap.js';
import { tempDir } from '../helpers/recording.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('a playback tick', () => {
  it(`ingests at most REPLAY_TICK_BYTES (${REPLAY_TICK_BYTES / 2 ** 20} MiB) of messages`, async () => {
    await zstdReady;
    const T0 = 1_700_000_000_000;
    const SIZE = 512 * 1024;
    // 60 heartbeats of 512 KiB, 1 ms apart: at 16x a tick could take them all but for the byte budget.
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
      // Messages ingested, read at each state the replay reports (a tick reports once, at its end).
      let ingested = 0;
      const ingest = vi.spyOn(Plane.prototype, 'ingest').mockImplementation(() => (ingested++, true));
      const counts: number[] = [];
      replay.onState(() => counts.push(ingested));
      replay.setSpeed(16);
      replay.play();
      await new Promise((r) => setTimeout(r, 1500));
      replay.pause();
      ingest.mockRestore();
      const steps = counts.slice(1).map((x, i) => x - counts[i]!);
      expect(steps.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(Math.max(...steps)).toBe(Math.floor(REPLAY_TICK_BYTES / SIZE));
    } finally {
      await replay.close();
    }
  }, 60_000);
});
