// A disk that cannot keep up: the writer's queue stays under its limit, what
// did not fit is counted (messages, bytes), the caller never waits, and the
// file that results is still valid with exactly the messages that were kept.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type ByteSink, LiveMcapWriter, compressionReady, fileSink } from '../../electron/core/recording/mcap-writer.js';
import { readFraming } from '../helpers/mcap-framing.js';
import { tempDir } from '../helpers/recording.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** A file sink that takes `delayMs` per write and records the most bytes ever queued. */
async function slowSink(path: string, delayMs: number): Promise<ByteSink & { writes: number }> {
  const inner = await fileSink(path);
  const s = {
    writes: 0,
    write: async (b: Uint8Array) => {
      s.writes++;
      await new Promise((r) => setTimeout(r, delayMs));
      await inner.write(b);
    },
    close: () => inner.close(),
  };
  return s;
}

describe('bounded write queue', () => {
  it('drops and counts whole chunks when the disk is behind; the live path never waits; the file stays valid', async () => {
    await compressionReady;
    const path = tmp.file('slow.mcap');
    const sink = await slowSink(path, 30);
    const limit = 256 * 1024;
    const w = new LiveMcapWriter(sink, { compression: 'none', chunkBytes: 32 * 1024, queueLimitBytes: limit });
    w.start('swarmdeck', 'test');
    const ch = w.registerChannel({ topic: '/t', messageEncoding: 'swarmdeck.agnt', schemaId: 0, metadata: new Map() });
    const payload = new Uint8Array(1000).fill(7);
    let maxQueued = 0;
    const total = 5000;
    for (let i = 0; i < total; i++) {
      // Synchronous: the caller cannot be made to wait for the disk.
      const t: unknown = w.addMessage(ch, 1_700_000_000_000 + i, payload);
      expect(typeof t).toBe('bigint');
      maxQueued = Math.max(maxQueued, w.stats.queuedBytes);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r)); // the event loop turns, as live
    }
    expect(w.stats.messagesDropped).toBeGreaterThan(0);
    expect(w.stats.bytesDropped).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThanOrEqual(limit);
    // The loop ran ahead of the disk: far more chunks were closed than written so far.
    expect(sink.writes).toBeLessThan((w.stats.chunks + w.stats.chunksDropped) / 2);
    await w.end();
    const f = await readFraming(new Uint8Array(readFileSync(path)));
    expect(f.complete).toBe(true);
    const kept = f.chunks.reduce((a, c) => a + c.messages.length, 0);
    expect(kept).toBe(total - w.stats.messagesDropped);
    expect(f.statistics!.chunkCount).toBe(f.chunks.length);
    expect(w.stats.bytesWritten).toBe(readFileSync(path).byteLength);
  });

  it('a disk error stops writing and is reported, without throwing at the caller', async () => {
    const w = new LiveMcapWriter({ write: () => Promise.reject(new Error('ENOSPC: no space left')), close: async () => undefined }, { compression: 'none' });
    w.start('swarmdeck', 'test');
    const ch = w.registerChannel({ topic: '/t', messageEncoding: 'json', schemaId: 0, metadata: new Map() });
    w.addMessage(ch, 1, new Uint8Array(10));
    w.flush();
    await w.end();
    expect(w.stats.error).toMatch(/ENOSPC/);
    expect(w.stats.bytesWritten).toBe(0);
  });
});
