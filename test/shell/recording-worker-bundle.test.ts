// The Electron main process is an esbuild bundle (CommonJS), where the
// recording decoder cannot start its worker from TypeScript source: the
// build writes the worker as recording-worker.cjs beside main.cjs, main.cjs
// names that file, and the bundled worker, started as the bundle starts it
// (no tsx), decodes a zstd recording. Built into a folder under dist/, so
// the codecs it leaves external resolve from node_modules as in the app.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_WORKER_FILE, DecodeWorker, decodeWorkerEntry } from '../../electron/core/recording/decoder.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { heartbeats, swarmdeckFile, zstdReady } from '../helpers/crafted-mcap.js';

mkdirSync('dist', { recursive: true });
const out = mkdtempSync(join('dist', 'test-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  await zstdReady;
  const r = spawnSync(process.execPath, ['scripts/build-electron.mjs', '--outdir', out], { encoding: 'utf8', timeout: 180_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe(''); // no warning: import.meta is empty in the bundle on purpose
}, 200_000);

describe('the bundled decode worker', () => {
  it('is built beside main.cjs, which names it', () => {
    expect(existsSync(join(out, BUNDLED_WORKER_FILE))).toBe(true);
    expect(readFileSync(join(out, 'main.cjs'), 'utf8')).toContain(`"${BUNDLED_WORKER_FILE}"`);
  });

  it('starts without tsx, from where the bundle looks for it, and decodes a zstd recording', async () => {
    const entry = decodeWorkerEntry(undefined, join(process.cwd(), out));
    expect(entry.execArgv).toBeUndefined();
    const w = new DecodeWorker(() => ({ ...entry, execArgv: [] }));
    const p = join(out, 'r.mcap');
    writeFileSync(p, swarmdeckFile().chunk(heartbeats(30)).chunk(heartbeats(30, 1_700_000_001_000)).end());
    try {
      const rec = await Recording.open(p, { decoders: { index: w, chunks: w } });
      expect(rec.chunks.length).toBe(2);
      expect(await rec.readChunk(1)).toHaveLength(30);
      await rec.close();
      expect(w.stats.jobs).toBe(2); // the index, one chunk
      expect(w.stats.failed).toBe(0);
    } finally {
      await w.close();
    }
  });
});
