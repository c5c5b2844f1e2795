// The file itself: a recording parses with the independent framing reader
// (mcap-framing.ts, from the MCAP spec, not @mcap/core) and agrees with the
// app's reader; a file cut at every few bytes over a chunk boundary opens,
// plays what was complete and names the offset; a corrupt chunk is named;
// no token is stored; snapshots round-trip and refuse malformed input.

import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, sanitiseUrl, takeSnapshot } from '../../electron/core/recording/format.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { OP, readFraming, records } from '../helpers/mcap-framing.js';
import { BUSY_SIM, recordSession, sleep, storeRows, tempDir } from '../helpers/recording.js';

const tmp = tempDir();
const path = tmp.file('small-chunks.mcap');
const TOKEN = 'sekret-token-123';
let file: Uint8Array;

beforeAll(async () => {
  const sim = new Simulator({ port: 0, ...BUSY_SIM, agents: 30, token: TOKEN });
  await sim.start();
  // Small chunks and a fast flush: many chunk boundaries in a short file.
  const s = await recordSession(path, sim, { chunkBytes: 16 * 1024, flushEveryMs: 100, snapshotEveryMs: 500 }, { token: TOKEN });
  await sleep(2500);
  await s.stop();
  await sim.stop();
  file = new Uint8Array(readFileSync(path));
}, 30_000);

afterAll(() => tmp.remove());

describe('an independent reader of the MCAP framing', () => {
  it('parses the file: magic, CRCs, chunks, statistics and footer agree; json channels hold JSON', async () => {
    const f = await readFraming(file);
    expect(f.complete).toBe(true);
    expect(f.header.profile).toBe('swarmdeck');
    expect(f.dataEndCrc).toBe(f.computedDataCrc);
    expect(f.footer!.summaryCrc).toBe(f.computedSummaryCrc);
    expect(f.chunks.length).toBeGreaterThan(5);
    expect(f.chunks.every((c) => c.compression === 'zstd')).toBe(true);
    const messages = f.chunks.flatMap((c) => c.messages);
    expect(BigInt(messages.length)).toBe(f.statistics!.messageCount);
    expect(f.statistics!.chunkCount).toBe(f.chunks.length);
    for (const [id, n] of f.statistics!.channelMessageCounts) expect(BigInt(messages.filter((m) => m.channelId === id).length), `channel ${id}`).toBe(n);
    // Log times strictly increase through the file.
    for (let i = 1; i < messages.length; i++) expect(messages[i]!.logTime > messages[i - 1]!.logTime).toBe(true);
    // Channels: per plane and endpoint, json and agnt; connection, status, snapshot.
    const topics = [...f.channels.values()].map((c) => `${c.topic} ${c.encoding}`).sort();
    expect(topics).toEqual(
      [
        '/p1/agents json',
        '/p1/agents/agnt swarmdeck.agnt',
        '/p1/control json',
        '/p1/control/agnt swarmdeck.agnt',
        '/p1/graph json',
        '/p1/graph/agnt swarmdeck.agnt',
        '/p1/connection json',
        '/p1/status json',
        '/p1/snapshot swarmdeck.snapshot',
      ].sort(),
    );
    for (const m of messages) {
      const ch = f.channels.get(m.channelId)!;
      if (ch.encoding === 'json') expect(() => JSON.parse(Buffer.from(m.data).toString('utf8'))).not.toThrow();
      if (ch.encoding === 'swarmdeck.agnt') expect(Buffer.from(m.data.subarray(0, 4)).toString('latin1')).toBe('AGNT');
    }
    const meta = f.metadata.get('swarmdeck.recording')!;
    expect(JSON.parse(meta.get('planes')!)[0]).toMatchObject({ id: 'p1', label: 'sim one' });
  });

  it('agrees with the app reader message for message', async () => {
    const f = await readFraming(file);
    const rec = await Recording.open(path);
    expect(rec.chunks.list().map((c) => c.offset)).toEqual(f.chunks.map((c) => c.offset));
    for (let i = 0; i < rec.chunks.length; i++) {
      const mine = await rec.readChunk(i);
      expect(mine.map((m) => [m.channel.id, m.logTime])).toEqual(f.chunks[i]!.messages.map((m) => [m.channelId, m.logTime]));
    }
    await rec.close();
  });

  it('stores no token: not in the metadata, the URL or anywhere in the uncompressed records', async () => {
    const f = await readFraming(file);
    const all = [Buffer.from(file), ...f.chunks.flatMap((c) => c.messages.map((m) => Buffer.from(m.data)))];
    for (const b of all) {
      expect(b.includes(TOKEN)).toBe(false);
    }
    expect(sanitiseUrl('wss://a:b@h:1/x?token=t#f')).toBe('wss://h:1/x');
  });
});

describe('a file cut off by a crash', () => {
  it('at every few bytes over a chunk boundary: opens, keeps every complete chunk, names the offset, and replays', async () => {
    const f = await readFraming(file);
    const k = Math.floor(f.chunks.length / 2);
    const boundary = f.chunks[k]!.end;
    const from = f.chunks[k]!.offset - 64;
    const to = f.chunks[k + 1]!.offset + 64;
    let cuts = 0;
    for (let cut = from; cut <= to; cut += cut > boundary - 40 && cut < boundary + 40 ? 1 : 13) {
      const p = tmp.file('cut.mcap');
      writeFileSync(p, file.subarray(0, cut));
      const rec = await Recording.open(p);
      const expected = f.chunks.filter((c) => c.end <= cut);
      expect(rec.complete, `cut ${cut}`).toBe(false);
      expect(rec.chunks.list().map((c) => c.offset), `cut ${cut}`).toEqual(expected.map((c) => c.offset));
      expect(rec.problem!.message, `cut ${cut}`).toMatch(/offset \d+/);
      expect(rec.problem!.offset).toBeLessThanOrEqual(cut);
      expect(rec.problem!.offset).toBeGreaterThanOrEqual(expected.at(-1)!.end);
      let n = 0;
      for (let i = 0; i < rec.chunks.length; i++) n += (await rec.readChunk(i)).length;
      expect(n).toBe(expected.reduce((a, c) => a + c.messages.length, 0));
      await rec.close();
      cuts++;
    }
    expect(cuts).toBeGreaterThan(80);
  }, 60_000);

  it('plays everything before the cut', async () => {
    const f = await readFraming(file);
    const cut = f.chunks[f.chunks.length - 3]!.end + 5;
    const p = tmp.file('cut-replay.mcap');
    writeFileSync(p, file.subarray(0, cut));
    const planes = new Map();
    const replay = await Replay.open(p, {
      listenerFor: () => ({ event: () => undefined }),
      putPlane: (pl) => void planes.set(pl.config.id, pl),
      removePlane: (id) => planes.delete(id),
      plane: (id) => planes.get(id),
    });
    const st = replay.state();
    expect(st.complete).toBe(false);
    expect(st.problem!.message).toContain(`offset`);
    await replay.seek(st.endMs);
    expect(replay.state().positionMs).toBe(st.endMs);
    expect(planes.get('rec:p1').store.agents).toBe(30);
    await replay.close();
  });

  it('a corrupt chunk: the scan names its offset, the chunks before it play', async () => {
    const f = await readFraming(file);
    const k = 3;
    const bad = file.slice(0, f.chunks[k + 2]!.end); // no summary: scanned
    const at = f.chunks[k]!.offset + 60; // inside the compressed records
    bad[at] = bad[at]! ^ 0xff;
    const p = tmp.file('corrupt.mcap');
    writeFileSync(p, bad);
    const rec = await Recording.open(p);
    expect(rec.problem!.offset).toBe(f.chunks[k]!.offset);
    expect(rec.problem!.message).toContain(`offset ${f.chunks[k]!.offset}`);
    expect(rec.chunks.length).toBe(k);
    await rec.close();
  });

  it('garbage with a huge record length is refused with its offset, without allocating it', async () => {
    const b = new Uint8Array(64);
    b.set(file.subarray(0, 8));
    b[8] = OP.CHUNK;
    new DataView(b.buffer).setBigUint64(9, 1n << 50n, true);
    const p = tmp.file('huge.mcap');
    writeFileSync(p, b);
    const rec = await Recording.open(p);
    expect(rec.chunks.length).toBe(0);
    expect(rec.problem!.message).toMatch(/offset 8/);
    await rec.close();
    expect(records(b, 8).list.length).toBe(0);
  });
});

describe('snapshots', () => {
  it('round-trip a store and refuse malformed bytes', () => {
    const s = new AgentStore();
    s.setState(7, 2, 1);
    s.setState(1 << 22, 3, 1);
    s.applyEvent({ seq: 0, plane: 'p', at: 5, origin: 'vis', type: 'agent.state.changed', priority: 'normal', agentId: 'agent-7', payload: { agentId: 'agent-7', newState: 'WAITING', previousState: 'IDLE', metadata: { a: 1 } } });
    s.cpu[0] = 12.5;
    s.mem[0] = 2 ** 40;
    s.pos[0] = 3.25;
    const bytes = encodeSnapshot(takeSnapshot(s));
    const t = new AgentStore();
    restoreSnapshot(t, decodeSnapshot(bytes), 0);
    expect(storeRows(t)).toEqual(storeRows(s));
    expect(t.meta.get(7)).toEqual({ a: 1 });
    expect(t.history.get(7)).toEqual(s.history.get(7));
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.byteLength - 1))).toThrow(/need/);
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeSnapshot(bad)).toThrow(/magic/);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
    expect(() => decodeSnapshot(huge)).toThrow();
  });
});
