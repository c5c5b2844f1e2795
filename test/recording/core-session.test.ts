// Recording from the app's core: the chosen planes of a running SwarmCore
// (one of two), through the core's taps; then the file opens back in the
// same core as a replay plane beside the live ones.

import { afterAll, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { recordCore } from '../../electron/core/recording/session.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { BUSY_SIM, sleep, tempDir } from '../helpers/recording.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('recording a running core', () => {
  it('records only the chosen plane, then replays it beside the live planes', async () => {
    const a = new Simulator({ port: 0, ...BUSY_SIM, agents: 20 });
    const b = new Simulator({ port: 0, ...BUSY_SIM, agents: 15, seed: 2 });
    await a.start();
    await b.start();
    const core = new SwarmCore([
      { id: 'a', label: 'A', url: a.url, color: 1 },
      { id: 'b', label: 'B', url: b.url, color: 2 },
    ]);
    core.start();
    const path = tmp.file('core.mcap');
    try {
      const r = await recordCore(core, path, ['b']);
      expect(r.planes).toEqual(['b']);
      await sleep(1500);
      expect(r.stats().messages).toBeGreaterThan(10);
      const done = await r.stop();
      expect(done.messagesDropped).toBe(0);
      expect(done.bytesWritten).toBe(done.bytes);
      const rec = await Recording.open(path);
      expect(rec.complete).toBe(true);
      expect(new Set([...rec.channels.values()].map((c) => c.plane))).toEqual(new Set(['b']));
      await rec.close();
      await expect(recordCore(core, tmp.file('x.mcap'), ['nope'])).rejects.toThrow(/no plane "nope"/);

      const replay = await Replay.open(path, core);
      await replay.seek(replay.state().endMs);
      expect(core.planes.map((p) => p.config.id)).toEqual(['a', 'b', 'rec:b']);
      expect(core.plane('rec:b')!.store.agents).toBe(15);
      expect(core.plane('rec:b')!.state).toBe('CLOSED'); // never connected
      expect(core.plane('rec:b')!.status().replay).toBe(true); // shown as REPLAY
      expect(core.plane('a')!.status().replay).toBeUndefined();
      expect(core.plane('a')!.state).toBe('LIVE');
      await replay.close();
      expect(core.plane('rec:b')).toBeUndefined();
    } finally {
      core.stop();
      await a.stop();
      await b.stop();
    }
  }, 30_000);
});
