// A recording has a byte cap and a duration cap (RECORDING_MAX_BYTES,
// RECORDING_MAX_DURATION_MS; smaller ones given here): at either it finishes
// the file by itself and says so: in the recorder's stats, in the status the
// page polls (`recordings`), and in `record`'s JSON line, which it prints at
// once rather than at --for. Recordings are their owner's only: files 0600,
// the folder the app makes 0700.

import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { runRecord } from '../../electron/core/cli/record.js';
import { IPC_CHANNELS, type RecordingStatus, RECORDING_MAX_BYTES, RECORDING_MAX_DURATION_MS } from '../../shared/index.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { RecordingService } from '../../electron/core/recording/service.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';
import { BUSY_SIM, recordSession, sleep, tempDir } from '../helpers/recording.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const KiB = 1024;
const mode = (p: string): number => statSync(p).mode & 0o777;

async function busySim(): Promise<Simulator> {
  const sim = new Simulator({ ...BUSY_SIM, port: 0, agents: 2000, rate: 30 });
  await sim.start();
  return sim;
}

describe('the byte and duration caps', () => {
  it('the defaults are 4 GiB and 24 h', () => {
    expect(RECORDING_MAX_BYTES).toBe(4 * 2 ** 30);
    expect(RECORDING_MAX_DURATION_MS).toBe(24 * 3600_000);
  });

  it('at the byte cap the recorder stops by itself, says so once, and the file is complete and only a chunk over', async () => {
    const sim = await busySim();
    const p = tmp.file('bytes.mcap');
    const maxBytes = 300 * KiB;
    const said: string[] = [];
    const s = await recordSession(p, sim, { maxBytes, chunkBytes: 64 * KiB, onLimit: (l) => said.push(l) });
    try {
      await waitFor('the byte cap', () => s.recorder.stats().stoppedAt, 20_000);
      await s.recorder.stop();
      const st = s.recorder.stats();
      expect(st.stoppedAt).toBe('RECORDING_MAX_BYTES');
      expect(said).toEqual(['RECORDING_MAX_BYTES']);
      const messages = st.messages;
      await sleep(300);
      expect(s.recorder.stats().messages).toBe(messages); // nothing more is taken
      const size = statSync(p).size;
      expect(size).toBeGreaterThanOrEqual(maxBytes);
      // One chunk, the closing snapshot (2,000 agents) and the summary past the cap at most.
      expect(size).toBeLessThan(maxBytes + 64 * KiB + 2000 * 55 + 64 * KiB);
      const rec = await Recording.open(p);
      expect(rec.complete).toBe(true);
      await rec.close();
      expect(mode(p)).toBe(0o600);
    } finally {
      s.plane.close();
      await sim.stop();
    }
  }, 40_000);

  it('at the duration cap it stops too; its elapsed time stops there', async () => {
    const sim = await busySim();
    const p = tmp.file('duration.mcap');
    const s = await recordSession(p, sim, { maxDurationMs: 700 });
    try {
      await waitFor('the duration cap', () => s.recorder.stats().stoppedAt, 20_000);
      expect(s.recorder.stats().stoppedAt).toBe('RECORDING_MAX_DURATION_MS');
      const elapsed = s.recorder.stats().elapsedMs;
      expect(elapsed).toBeGreaterThanOrEqual(700);
      await sleep(300);
      expect(s.recorder.stats().elapsedMs).toBe(elapsed);
    } finally {
      await s.stop();
      await sim.stop();
    }
  }, 40_000);
});

describe('says so where it is watched', () => {
  it('the page: the recordings request shows the stopped recording and its limit until it is stopped by hand', async () => {
    const sim = await busySim();
    const core = new SwarmCore([{ id: 'sim', label: 'sim', url: sim.url, color: 0xffffff }]);
    core.start();
    const dir = join(tmp.dir, 'made-by-the-app');
    const server = serveContract(core, 'web', { recordings: new RecordingService(core, dir, { maxBytes: 200 * KiB }) });
    const req = (name: keyof typeof IPC_CHANNELS, payload: unknown): Promise<unknown> => server.request({} as View, IPC_CHANNELS[name], payload);
    try {
      await waitFor('the plane', () => core.plane('sim')!.store.agents > 0, 20_000);
      const started = (await req('record', { action: 'start' })) as RecordingStatus;
      expect(started.stoppedAt).toBeNull();
      let list: RecordingStatus[] = [];
      for (let t = Date.now(); Date.now() - t < 20_000; await sleep(100)) {
        list = (await req('recordings', undefined)) as RecordingStatus[];
        if (list[0]?.stoppedAt) break;
      }
      expect(list).toHaveLength(1);
      expect(list[0]!.stoppedAt).toBe('RECORDING_MAX_BYTES');
      expect(mode(dir)).toBe(0o700);
      expect(mode(started.path)).toBe(0o600);
      const stopped = (await req('record', { action: 'stop', id: started.id })) as RecordingStatus;
      expect(stopped.stoppedAt).toBe('RECORDING_MAX_BYTES');
      expect(await req('recordings', undefined)).toEqual([]);
    } finally {
      core.stop();
      await sim.stop();
    }
  }, 40_000);

  it('`record`: ends at the cap, long before --for, and its JSON line names the limit; --out is made 0600 even if it existed', async () => {
    const sim = await busySim();
    const p = tmp.file('cli.mcap');
    writeFileSync(p, 'old');
    chmodSync(p, 0o644);
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runRecord(['--url', sim.url, '--out', p, '--for', '10m'], (l) => out.push(l), (l) => err.push(l), undefined, { maxBytes: 200 * KiB });
      expect(code).toBe(0);
      const line = JSON.parse(out.at(-1)!) as { stoppedAt: string; bytes: number };
      expect(line.stoppedAt).toBe('RECORDING_MAX_BYTES');
      expect(err.join('\n')).toMatch(/stopped at RECORDING_MAX_BYTES \(200 KiB\)/);
      expect(mode(p)).toBe(0o600);
    } finally {
      await sim.stop();
    }
  }, 40_000);

  it('fileSink: a new file is 0600', async () => {
    const p = tmp.file('new.mcap');
    const sink = await fileSink(p);
    await sink.close();
    expect(mode(p)).toBe(0o600);
  });
});
