// Chunks are decompressed in the decode worker, never on the host's main
// thread: the main thread's decompression handlers (@mcap/support, mocked
// here to count calls) are never even loaded while zstd and lz4 recordings
// open and play, and every decode job reports a worker thread. A job that
// hangs is stopped at its time limit, a worker that dies fails only the job
// it was running, and the next file decodes on a fresh worker. The stall
// this saves is a benchmark figure (`npm run bench -- hostile`), not a test.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { BUNDLED_WORKER_FILE, DecodeWorker, decodeWorkerEntry, decoders } from '../../electron/core/recording/decoder.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { heartbeats, swarmdeckFile, zstdReady } from '../helpers/crafted-mcap.js';
import { tempDir } from '../helpers/recording.js';

const mainThreadDecompress = vi.hoisted(() => ({ loads: 0, calls: 0 }));
vi.mock('@mcap/support', async (importOriginal) => {
  const real = await importOriginal<typeof import('@mcap/support')>();
  return {
    ...real,
    loadDecompressHandlers: async () => {
      mainThreadDecompress.loads++;
      const h = await real.loadDecompressHandlers();
      return Object.fromEntries(Object.entries(h).map(([k, f]) => [k, (b: Uint8Array, n: bigint) => (mainThreadDecompress.calls++, f(b, n))]));
    },
  };
});

const tmp = tempDir();
beforeAll(async () => {
  await zstdReady;
});
afterAll(() => tmp.remove());

function crafted(name: string, compression: 'zstd' | 'lz4' | '', chunks = 4, perChunk = 50): string {
  const f = swarmdeckFile();
  for (let i = 0; i < chunks; i++) f.chunk(heartbeats(perChunk, 1_700_000_000_000 + i * 1000), { compression });
  const p = tmp.file(name);
  require('node:fs').writeFileSync(p, f.end());
  return p;
}
const require = createRequire(import.meta.url);

describe('decompression runs in the decode worker', () => {
  it('zstd and lz4 recordings open, read and replay without the main thread loading or calling a codec', async () => {
    expect(isMainThread).toBe(true);
    for (const compression of ['zstd', 'lz4'] as const) {
      const p = crafted(`w-${compression}.mcap`, compression);
      const rec = await Recording.open(p);
      let n = 0;
      for (let i = 0; i < rec.chunks.length; i++) {
        const msgs = await rec.readChunk(i);
        expect(JSON.parse(Buffer.from(msgs[0]!.data).toString('utf8'))).toMatchObject({ type: 'heartbeat' });
        n += msgs.length;
      }
      expect(n).toBe(200);
      await rec.close();
      // A whole replay too: open, seek (snapshot lookup), play to the end.
      const core = new SwarmCore([]);
      const replay = await Replay.open(p, core);
      await replay.seek(replay.state().endMs);
      expect(replay.state().positionMs).toBe(replay.state().endMs);
      await replay.close();
    }
    expect(mainThreadDecompress).toEqual({ loads: 0, calls: 0 });
    const { index, chunks } = decoders();
    expect(chunks.stats.jobs).toBeGreaterThanOrEqual(8);
    expect(index.stats.jobs).toBeGreaterThanOrEqual(4);
    for (const id of [...chunks.stats.threadIds, ...index.stats.threadIds]) expect(id).not.toBe(threadId);
    expect(chunks.stats.threadIds.size).toBeGreaterThan(0);
  });
});

describe('a hung or crashed worker is an error of that file only', () => {
  const flaky = (): DecodeWorker =>
    new DecodeWorker(
      () => ({ file: new URL('./flaky-decode-worker.ts', import.meta.url), execArgv: [...process.execArgv, '--import', pathToFileURL(require.resolve('tsx')).href] }),
      { indexMs: 3000, chunkMs: 1500 },
    );

  it('a hang is stopped at the time limit, naming it; a crash fails that job; the next file decodes on a fresh worker', async () => {
    const w = flaky();
    const d = { index: w, chunks: w };
    try {
      await expect(Recording.open(crafted('HANG-ME.mcap', 'zstd'), { decoders: d })).rejects.toThrow(/REPLAY_OPEN_TIMEOUT_MS/);
      await expect(Recording.open(crafted('CRASH-ME.mcap', 'zstd'), { decoders: d })).rejects.toThrow(/decode worker exited/);
      // Chunks: a plain chunk carrying the marker hangs or crashes its job only.
      const f = swarmdeckFile().chunk(heartbeats(5)).chunk([{ channel: 1, timeNs: 1_700_000_001_000_000_000n, data: Buffer.from('HANG-ME') }], { compression: '' }).chunk([{ channel: 1, timeNs: 1_700_000_002_000_000_000n, data: Buffer.from('CRASH-ME') }], { compression: '' }).chunk(heartbeats(5, 1_700_000_003_000));
      const p = tmp.file('mixed.mcap');
      require('node:fs').writeFileSync(p, f.end());
      const rec = await Recording.open(p, { decoders: d });
      expect(await rec.readChunk(0)).toHaveLength(5);
      await expect(rec.readChunk(1)).rejects.toThrow(/REPLAY_CHUNK_TIMEOUT_MS/);
      await expect(rec.readChunk(2)).rejects.toThrow(/decode worker exited/);
      expect(await rec.readChunk(3)).toHaveLength(5);
      await rec.close();
      const good = await Recording.open(crafted('good.mcap', 'lz4'), { decoders: d });
      expect(await good.readChunk(0)).toHaveLength(50);
      await good.close();
      expect(w.stats.timeouts).toBe(2);
      expect(w.stats.crashes).toBe(2);
      expect(w.stats.workersStarted).toBeGreaterThanOrEqual(5);
    } finally {
      await w.close();
    }
  }, 60_000);
});

describe('where the worker is', () => {
  it('the TypeScript source, with tsx as its loader, from source; the bundled file beside main.cjs in the Electron bundle', () => {
    const source = new URL('../../electron/core/recording/decoder.ts', import.meta.url).href;
    const e = decodeWorkerEntry(source, undefined);
    expect(String(e.file)).toBe(new URL('../../electron/core/recording/decode-worker.ts', import.meta.url).href);
    expect(e.execArgv?.slice(-2)).toEqual(['--import', pathToFileURL(require.resolve('tsx')).href]);
    expect(decodeWorkerEntry(undefined, '/app/dist/electron').file).toBe(`/app/dist/electron/${BUNDLED_WORKER_FILE}`);
  });
});
