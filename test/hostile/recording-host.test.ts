// Hostile recordings against the real browser-mode host (`swarmdeck web` in
// a child process): a page asks it to open files of the recordings folder
// that break the recording budgets. Each is refused with an error naming
// the limit, and the host keeps serving: pages connect, requests are
// answered, and a good recording opens after them.

import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type ReplayEntry, REPLAY_MAX_CHUNK_BYTES } from '../../shared/index.js';
import { AGENTS_CHANNEL, footerAndMagic, heartbeats, swarmdeckFile, zstdReady } from '../helpers/crafted-mcap.js';
import { type Child, startCli } from './child.js';
import { openPage, type PageClient } from './page-client.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-hostile-recordings-'));
let child: Child;
let openUrl: string;
let page: PageClient;

beforeAll(async () => {
  await zstdReady;
  const t = 1_700_000_000_000;
  writeFileSync(join(dir, 'good.mcap'), swarmdeckFile().chunk(heartbeats(50, t)).chunk(heartbeats(50, t + 1000)).end());
  writeFileSync(join(dir, 'big-chunk.mcap'), swarmdeckFile().chunk(heartbeats(5, t)).chunk([{ channel: AGENTS_CHANNEL, timeNs: BigInt(t + 100) * 1_000_000n, data: new Uint8Array(REPLAY_MAX_CHUNK_BYTES + 1024 * 1024) }]).end());
  const fd = openSync(join(dir, 'sparse.mcap'), 'w');
  const head = swarmdeckFile().chunk(heartbeats(5, t)).cut();
  writeSync(fd, head, 0, head.byteLength, 0);
  ftruncateSync(fd, 8 * 2 ** 30);
  const tail = footerAndMagic(64n);
  writeSync(fd, tail, 0, tail.byteLength, 8 * 2 ** 30 - tail.byteLength);
  closeSync(fd);
  child = startCli(['web', '--url', 'ws://127.0.0.1:9'], { SWARMDECK_RECORDINGS_DIR: dir });
  openUrl = (await child.line(/browser mode\): (http\S+)/, 60_000)).replace(/.*browser mode\): /, '');
  page = await openPage(openUrl);
}, 90_000);
afterAll(async () => {
  page?.close();
  await child?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function hostServes(): Promise<void> {
  expect(child.alive()).toBe(true);
  expect(child.stderr.join('')).not.toMatch(/uncaught exception|unhandled rejection/);
  expect([200, 404]).toContain((await fetch(new URL(openUrl).origin + '/')).status);
  const other = await openPage(openUrl);
  expect(await other.request(IPC_CHANNELS.replays, undefined)).toBeInstanceOf(Array);
  other.close();
}

describe('recordings over their budgets, opened through the page', () => {
  it('a chunk over REPLAY_MAX_CHUNK_BYTES: refused naming the limit; the host serves', async () => {
    await expect(page.request(IPC_CHANNELS.openRecording, { name: 'big-chunk.mcap' }, 60_000)).rejects.toThrow(/REPLAY_MAX_CHUNK_BYTES \(32 MiB\)/);
    await hostServes();
  }, 90_000);

  it('a sparse 8 GiB file whose summary spans the hole: refused naming REPLAY_MAX_SUMMARY_BYTES; the host serves', async () => {
    await expect(page.request(IPC_CHANNELS.openRecording, { name: 'sparse.mcap' }, 60_000)).rejects.toThrow(/REPLAY_MAX_SUMMARY_BYTES/);
    await hostServes();
  }, 90_000);

  it('a good recording opens after them', async () => {
    const entry = (await page.request(IPC_CHANNELS.openRecording, { name: 'good.mcap' }, 60_000)) as ReplayEntry;
    expect(Object.keys(entry.state.planes)).toEqual(['p']);
    expect(entry.state.error).toBeNull();
  }, 90_000);
});
