// Hostile recordings against the real reader (recording/reader.ts and the
// decode worker): each crafted file breaks one budget of limits.ts
// ("recording"), and each must be refused with an error naming that limit,
// with bounded work and memory: no chunk over REPLAY_MAX_CHUNK_BYTES is
// decompressed, no index over its budget is kept, a sparse 8 GiB file costs
// megabytes of reading, and the chunks of every open recording together stay
// within REPLAY_CHUNK_CACHE_BYTES.

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import {
  MAX_OPEN_REPLAYS,
  REPLAY_CHUNK_CACHE_BYTES,
  REPLAY_MAX_CHANNELS,
  REPLAY_MAX_CHUNK_BYTES,
  REPLAY_MAX_CHUNK_MESSAGES,
  REPLAY_MAX_CHUNKS,
  REPLAY_MAX_METADATA_RECORDS,
  REPLAY_MAX_RECORD_BYTES,
  REPLAY_MAX_SCHEMAS,
} from '../../shared/index.js';
import { openRecording } from '../../electron/core/recording/open.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { OP } from '../helpers/mcap-framing.js';
import { AGENTS_CHANNEL, CraftedMcap, chunkIndexRecord, footerAndMagic, heartbeats, record, swarmdeckFile, zstdReady } from '../helpers/crafted-mcap.js';
import { tempDir } from '../helpers/recording.js';

const tmp = tempDir();
beforeAll(async () => {
  await zstdReady;
});
afterAll(() => tmp.remove());

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const T0 = 1_700_000_000_000;

/** Bytes this process has read through read(2) so far (every thread: the decode worker's reads count). */
function bytesRead(): number {
  return Number(/^rchar:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

function file(name: string, bytes: Uint8Array): string {
  const p = tmp.file(name);
  writeFileSync(p, bytes);
  return p;
}

/** `head` at the start, `tail` at the end of a sparse file of `size` bytes (the hole between costs no disk). */
function sparse(name: string, size: number, head: Uint8Array, tail: Uint8Array = new Uint8Array(0)): string {
  const p = tmp.file(name);
  const fd = openSync(p, 'w');
  try {
    writeSync(fd, head, 0, head.byteLength, 0);
    ftruncateSync(fd, size);
    if (tail.byteLength) writeSync(fd, tail, 0, tail.byteLength, size - tail.byteLength);
  } finally {
    closeSync(fd);
  }
  return p;
}

/** Opens, reads every chunk, closes: what a replay does with a file. */
async function readAll(path: string): Promise<number> {
  const rec = await Recording.open(path);
  try {
    let n = 0;
    for (let i = 0; i < rec.chunks.length; i++) n += (await rec.readChunk(i)).length;
    return n;
  } finally {
    await rec.close();
  }
}

/** One message of `bytes` zeros: compresses to almost nothing, decompresses to `bytes`. */
const zeros = (bytes: number, t: number = T0): { channel: number; timeNs: bigint; data: Uint8Array }[] => [{ channel: AGENTS_CHANNEL, timeNs: BigInt(t) * 1_000_000n, data: new Uint8Array(bytes) }];

describe('a chunk over its budget', () => {
  const big = REPLAY_MAX_CHUNK_BYTES + 8 * MiB;

  it('a complete file whose index claims a chunk over REPLAY_MAX_CHUNK_BYTES is refused at open, naming the limit', async () => {
    const f = swarmdeckFile().chunk(heartbeats(10)).chunk(zeros(big, T0 + 100));
    const p = file('big-chunk.mcap', f.end());
    await expect(readAll(p)).rejects.toThrow(/REPLAY_MAX_CHUNK_BYTES \(32 MiB\)/);
  });

  it('an index that lies about the chunk: the chunk is refused from its own head, before it is decompressed', async () => {
    const f = swarmdeckFile().chunk(heartbeats(10)).chunk(zeros(big, T0 + 100));
    f.chunks[1]!.uncompressed = 1000n; // the summary says small; the chunk record says 40 MiB
    const p = file('lying-index.mcap', f.end());
    const rec = await Recording.open(p);
    try {
      expect(await rec.readChunk(0)).toHaveLength(10);
      await expect(rec.readChunk(1)).rejects.toThrow(/REPLAY_MAX_CHUNK_BYTES/);
    } finally {
      await rec.close();
    }
  });

  it('a damaged file (no summary) plays up to the chunk over the limit; the problem names it and its offset', async () => {
    const f = swarmdeckFile().chunk(heartbeats(10)).chunk(zeros(big, T0 + 100));
    const at = f.chunks[1]!.offset;
    const rec = await Recording.open(file('big-chunk-cut.mcap', f.cut()));
    try {
      expect(rec.chunks.length).toBe(1);
      expect(rec.problem!.offset).toBe(at);
      expect(rec.problem!.message).toMatch(new RegExp(`bad chunk at offset ${at}: .*REPLAY_MAX_CHUNK_BYTES`));
    } finally {
      await rec.close();
    }
  });

  it(`a chunk of more than REPLAY_MAX_CHUNK_MESSAGES (${REPLAY_MAX_CHUNK_MESSAGES}) messages is refused, naming the limit`, async () => {
    const p = file('many-messages.mcap', swarmdeckFile().chunk(heartbeats(REPLAY_MAX_CHUNK_MESSAGES + 1)).end());
    await expect(readAll(p)).rejects.toThrow(/REPLAY_MAX_CHUNK_MESSAGES/);
  });
});

describe('indexes over their budgets are refused at open, naming the limit', () => {
  it(`more than REPLAY_MAX_CHANNELS (${REPLAY_MAX_CHANNELS}) channels`, async () => {
    const f = swarmdeckFile();
    for (let i = 2; i <= REPLAY_MAX_CHANNELS + 1; i++) f.channel(i, `/x/${i}`, 'json', {});
    await expect(Recording.open(file('channels.mcap', f.chunk(heartbeats(3)).end()))).rejects.toThrow(/REPLAY_MAX_CHANNELS/);
  });

  it(`more than REPLAY_MAX_SCHEMAS (${REPLAY_MAX_SCHEMAS}) schemas`, async () => {
    const f = swarmdeckFile().chunk(heartbeats(3));
    const schemas = Array.from({ length: REPLAY_MAX_SCHEMAS + 1 }, (_, i) => {
      const body = Buffer.alloc(2 + 4 + 1 + 4 + 4 + 4);
      body.writeUInt16LE(i + 1, 0);
      body.writeUInt32LE(1, 2);
      body.write('s', 6);
      return record(OP.SCHEMA, body);
    });
    await expect(Recording.open(file('schemas.mcap', f.end(schemas)))).rejects.toThrow(/REPLAY_MAX_SCHEMAS/);
  });

  it(`more than REPLAY_MAX_CHUNKS (${REPLAY_MAX_CHUNKS}) chunk index entries`, async () => {
    const f = swarmdeckFile().chunk(heartbeats(3));
    const c = f.chunks[0]!;
    const extra = Array.from({ length: REPLAY_MAX_CHUNKS }, () => chunkIndexRecord(c));
    await expect(Recording.open(file('chunks.mcap', f.end(extra)))).rejects.toThrow(/REPLAY_MAX_CHUNKS/);
  });

  it(`more than REPLAY_MAX_METADATA_RECORDS (${REPLAY_MAX_METADATA_RECORDS}) metadata records`, async () => {
    const f = swarmdeckFile().chunk(heartbeats(3));
    const index = Buffer.alloc(8 + 8 + 4 + 1);
    index.writeUInt32LE(1, 16);
    index.write('m', 20);
    const extra = Array.from({ length: REPLAY_MAX_METADATA_RECORDS + 1 }, () => record(OP.METADATA_INDEX, index));
    await expect(Recording.open(file('metadata.mcap', f.end(extra)))).rejects.toThrow(/REPLAY_MAX_METADATA_RECORDS/);
  });

  it(`a header record over REPLAY_MAX_RECORD_BYTES (${REPLAY_MAX_RECORD_BYTES / MiB} MiB), complete or not`, async () => {
    const body = Buffer.alloc(4 + REPLAY_MAX_RECORD_BYTES + 4);
    body.writeUInt32LE(REPLAY_MAX_RECORD_BYTES, 0);
    const f = new CraftedMcap();
    const head = Buffer.concat([f.cut().subarray(0, 8), record(OP.HEADER, body)]);
    // Complete: refused at open. Without a summary: the walk stops at the header, naming the limit.
    const complete = Buffer.concat([head, record(OP.DATA_END, Buffer.alloc(4)), footerAndMagic(BigInt(head.byteLength + 13))]);
    await expect(Recording.open(file('header.mcap', complete))).rejects.toThrow(/REPLAY_MAX_RECORD_BYTES/);
    const rec = await Recording.open(file('header-cut.mcap', head));
    expect(rec.problem!.message).toMatch(/bad record at offset 8: .*REPLAY_MAX_RECORD_BYTES/);
    await rec.close();
  });
});

describe('a sparse 8 GiB file costs megabytes of reading, not minutes', () => {
  const SIZE = 8 * GiB;

  it('no footer, zeros after the header: the walk stops at REPLAY_MAX_SCAN_RECORDS, having read a few dozen MB', async () => {
    const p = sparse('sparse-zeros.mcap', SIZE, swarmdeckFile().chunk(heartbeats(5)).cut());
    const before = bytesRead();
    const rec = await Recording.open(p);
    const read = bytesRead() - before;
    try {
      expect(rec.complete).toBe(false);
      expect(rec.chunks.length).toBe(1);
      expect(rec.problem!.message).toMatch(/REPLAY_MAX_SCAN_RECORDS/);
      expect(read, `bytes read: ${read}`).toBeLessThan(64 * MiB);
    } finally {
      await rec.close();
    }
  }, 60_000);

  it('a footer whose summary spans the hole: refused at open, naming REPLAY_MAX_SUMMARY_BYTES, after reading a few bytes', async () => {
    const p = sparse('sparse-summary.mcap', SIZE, swarmdeckFile().chunk(heartbeats(5)).cut(), footerAndMagic(64n));
    const before = bytesRead();
    await expect(Recording.open(p)).rejects.toThrow(/REPLAY_MAX_SUMMARY_BYTES/);
    expect(bytesRead() - before).toBeLessThan(MiB);
  }, 60_000);

  it('a record that spans the hole is skipped by its length, unread; a chunk that does is refused by its length', async () => {
    const head = swarmdeckFile().chunk(heartbeats(5)).cut();
    const unknown = Buffer.alloc(9);
    unknown[0] = 0x80; // a private opcode: skipped
    unknown.writeBigUInt64LE(BigInt(SIZE - head.byteLength - 9), 1);
    const p1 = sparse('sparse-record.mcap', SIZE, Buffer.concat([head, unknown]));
    let before = bytesRead();
    const r1 = await Recording.open(p1);
    expect(r1.chunks.length).toBe(1);
    expect(r1.problem!.message).toMatch(/ends without a summary/);
    expect(bytesRead() - before).toBeLessThan(4 * MiB);
    await r1.close();
    const chunk = Buffer.from(unknown);
    chunk[0] = OP.CHUNK;
    const p2 = sparse('sparse-chunk.mcap', SIZE, Buffer.concat([head, chunk]));
    before = bytesRead();
    const r2 = await Recording.open(p2);
    expect(r2.chunks.length).toBe(1);
    expect(r2.problem!.message).toMatch(/REPLAY_MAX_CHUNK_BYTES/);
    expect(bytesRead() - before).toBeLessThan(4 * MiB);
    await r2.close();
  }, 60_000);
});

describe('the chunk cache', () => {
  it(`is shared by every open recording and bounded by bytes (REPLAY_CHUNK_CACHE_BYTES, ${REPLAY_CHUNK_CACHE_BYTES / MiB} MiB), not a count per recording`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const CHUNK = 8 * MiB;
    const paths = ['a', 'b'].map((n) => {
      const f = swarmdeckFile();
      for (let i = 0; i < 20; i++) f.chunk(zeros(CHUNK, T0 + i));
      return file(`cache-${n}.mcap`, f.end());
    });
    const recs = await Promise.all(paths.map((p) => Recording.open(p)));
    try {
      gc();
      const base = process.memoryUsage().arrayBuffers;
      // Interleaved, as two replays playing at once would read.
      for (let i = 0; i < 20; i++) for (const r of recs) expect((await r.readChunk(i))[0]!.data.byteLength).toBe(CHUNK);
      gc();
      const held = process.memoryUsage().arrayBuffers - base;
      // 40 chunks of 8 MiB were read; what stays is the cache's budget (a count per recording would keep all 320 MiB).
      expect(held, `held ${(held / MiB).toFixed(0)} MiB`).toBeLessThanOrEqual(REPLAY_CHUNK_CACHE_BYTES + 2 * CHUNK);
      const s = Recording.cacheStats();
      expect(s.bytes).toBeLessThanOrEqual(REPLAY_CHUNK_CACHE_BYTES);
      expect(s.evicted).toBeGreaterThan(0);
    } finally {
      await Promise.all(recs.map((r) => r.close()));
    }
  }, 120_000);
});

describe('not a regular file', () => {
  it('a FIFO named as a recording is refused at once, never waited on', async () => {
    const p = tmp.file('fifo.mcap');
    execFileSync('mkfifo', [p]);
    await expect(Recording.open(p)).rejects.toThrow(/not a regular file/);
    await expect(Recording.open('/dev/zero')).rejects.toThrow(/not a regular file/);
  }, 10_000);
});

describe('open replays', () => {
  it(`at most MAX_OPEN_REPLAYS (${MAX_OPEN_REPLAYS}), even when opened all at once`, async () => {
    const p = file('replay.mcap', swarmdeckFile().chunk(heartbeats(20)).end());
    const core = new SwarmCore([]);
    core.start();
    try {
      const results = await Promise.allSettled(Array.from({ length: MAX_OPEN_REPLAYS + 4 }, () => openRecording(core, p, () => undefined)));
      const opened = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(opened).toHaveLength(MAX_OPEN_REPLAYS);
      expect(core.replayList()).toHaveLength(MAX_OPEN_REPLAYS);
      for (const r of refused) expect(String(r.reason)).toMatch(/MAX_OPEN_REPLAYS/);
      for (const r of opened) await r.value.replay.close();
    } finally {
      core.stop();
    }
  });
});
