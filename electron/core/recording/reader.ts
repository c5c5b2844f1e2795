// Opens a recording for replay, `tail --recording` and `info`. A complete
// file is read through its summary (McapIndexedReader); one without a
// summary (cut off by a crash) or with a bad one is scanned with a streaming
// reader up to its last complete record, and the first problem is reported
// with its byte offset. Either way the result is the same list of chunks,
// read on demand one at a time.

import { open, type FileHandle } from 'node:fs/promises';
import { type DecompressHandlers, McapIndexedReader, McapRecordBuilder, McapStreamReader, type TypedMcapRecord } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import { REPLAY_CACHED_CHUNKS, REPLAY_MAX_CHUNK_BYTES } from '../../../shared/index.js';
import { type ChannelSpec, type RecordingMeta, METADATA_NAME, metaFromRecord, specOfChannel } from './format.js';

export interface RecChannel extends ChannelSpec {
  id: number;
}

export interface RecMessage {
  channel: RecChannel;
  /** ns since epoch; strictly increasing through the file. */
  logTime: bigint;
  /** The same in ms. */
  timeMs: number;
  /** ns; Swarmdeck writes the log time of the first message of the same event-loop turn here. */
  publishTime: bigint;
  data: Uint8Array;
}

export interface ChunkRef {
  offset: number;
  length: number;
  startNs: bigint;
  endNs: bigint;
  /** Channels with messages in the chunk. */
  channels: ReadonlySet<number>;
}

export interface RecordingProblem {
  offset: number;
  message: string;
}

/** Bytes read per step of a scan. */
const SCAN_STEP = 1 << 20;

export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

export class Recording {
  private prefix: Uint8Array | null = null;
  private readonly cache = new Map<number, Promise<RecMessage[]>>();

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly handlers: DecompressHandlers,
    readonly size: number,
    readonly meta: RecordingMeta | null,
    readonly channels: ReadonlyMap<number, RecChannel>,
    readonly chunks: readonly ChunkRef[],
    readonly messageCounts: ReadonlyMap<number, number>,
    /** Summary and footer present and valid. */
    readonly complete: boolean,
    /** Why the file is not complete, and where; null when it is. */
    readonly problem: RecordingProblem | null,
  ) {}

  static async open(path: string): Promise<Recording> {
    const handlers = await loadDecompressHandlers();
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const indexed = await tryIndexed(fh, size, handlers);
      if (indexed) return new Recording(path, fh, handlers, size, indexed.meta, indexed.channels, indexed.chunks, indexed.counts, true, null);
      const s = await scan(fh, size, handlers);
      return new Recording(path, fh, handlers, size, s.meta, s.channels, s.chunks, s.counts, false, s.problem);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get startMs(): number {
    return this.chunks.length ? nsToMs(this.chunks[0]!.startNs) : 0;
  }

  get endMs(): number {
    return this.chunks.length ? nsToMs(this.chunks[this.chunks.length - 1]!.endNs) : 0;
  }

  /** Channels of one kind, by plane. */
  channelsOf(kind: ChannelSpec['kind'], plane?: string): RecChannel[] {
    return [...this.channels.values()].filter((c) => c.kind === kind && (plane === undefined || c.plane === plane));
  }

  /** Index of the first chunk whose messages end at or after `ms` (chunks.length when none). */
  chunkAt(ms: number): number {
    const ns = BigInt(Math.floor(ms * 1e6));
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid]!.endNs < ns) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The messages of chunk `i`, in file (= time) order. Throws with the offset on a bad chunk. Recent chunks are cached (a seek reads back to a snapshot, then forward over the same chunks). */
  readChunk(i: number): Promise<RecMessage[]> {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    const p = this.loadChunk(i);
    this.cache.set(i, p);
    p.catch(() => this.cache.delete(i));
    while (this.cache.size > REPLAY_CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }

  private async loadChunk(i: number): Promise<RecMessage[]> {
    const c = this.chunks[i];
    if (!c) throw new Error(`no chunk ${i}`);
    const bytes = new Uint8Array(c.length);
    const { bytesRead } = await this.fh.read(bytes, 0, c.length, c.offset);
    if (bytesRead !== c.length) throw new Error(`${this.path}: chunk at offset ${c.offset}: read ${bytesRead} of ${c.length} bytes`);
    // The channel records first (they live outside the chunks), then the chunk.
    const reader = new McapStreamReader({ noMagicPrefix: true, includeChunks: true, decompressHandlers: this.handlers, validateCrcs: true });
    reader.append(this.channelPrefix());
    reader.append(bytes);
    const out: RecMessage[] = [];
    try {
      for (let r = reader.nextRecord(); r !== undefined; r = reader.nextRecord()) {
        if (r.type === 'Chunk') checkChunk(r);
        if (r.type !== 'Message') continue;
        const channel = this.channels.get(r.channelId);
        if (!channel) continue; // not one of ours: skipped
        out.push({ channel, logTime: r.logTime, timeMs: nsToMs(r.logTime), publishTime: r.publishTime, data: r.data });
      }
    } catch (e) {
      throw new Error(`${this.path}: chunk at offset ${c.offset}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private channelPrefix(): Uint8Array {
    if (!this.prefix) {
      const b = new McapRecordBuilder();
      for (const c of this.channels.values()) {
        b.writeChannel({ id: c.id, schemaId: 0, topic: c.topic, messageEncoding: c.encoding, metadata: new Map() });
      }
      this.prefix = b.buffer.slice();
    }
    return this.prefix;
  }
}

function checkChunk(r: Extract<TypedMcapRecord, { type: 'Chunk' }>): void {
  if (r.uncompressedSize > BigInt(REPLAY_MAX_CHUNK_BYTES)) {
    throw new Error(`a chunk claims ${r.uncompressedSize} uncompressed bytes, more than the ${REPLAY_MAX_CHUNK_BYTES} allowed`);
  }
}

interface Parts {
  meta: RecordingMeta | null;
  channels: Map<number, RecChannel>;
  chunks: ChunkRef[];
  counts: Map<number, number>;
}

function addChannel(into: Map<number, RecChannel>, c: { id: number; topic: string; messageEncoding: string; metadata: ReadonlyMap<string, string> }): void {
  const spec = specOfChannel(c.topic, c.messageEncoding, c.metadata);
  if (spec) into.set(c.id, { ...spec, id: c.id });
}

function parseMeta(m: ReadonlyMap<string, string>): RecordingMeta | null {
  try {
    return metaFromRecord(m);
  } catch {
    return null;
  }
}

/** Through the summary; null when the file has none or it does not read. */
async function tryIndexed(fh: FileHandle, size: number, handlers: DecompressHandlers): Promise<Parts | null> {
  let r: McapIndexedReader;
  try {
    r = await McapIndexedReader.Initialize({
      readable: {
        size: async () => BigInt(size),
        read: async (offset, length) => {
          if (offset + length > BigInt(size)) throw new Error(`read past the end (${offset}+${length} of ${size})`);
          const buf = new Uint8Array(Number(length));
          await fh.read(buf, 0, buf.byteLength, Number(offset));
          return buf;
        },
      },
      decompressHandlers: handlers,
    });
  } catch {
    return null;
  }
  const channels = new Map<number, RecChannel>();
  for (const c of r.channelsById.values()) addChannel(channels, c);
  let meta: RecordingMeta | null = null;
  try {
    for await (const m of r.readMetadata({ name: METADATA_NAME })) meta = parseMeta(m.metadata);
  } catch {
    return null;
  }
  const chunks = [...r.chunkIndexes]
    .sort((a, b) => (a.chunkStartOffset < b.chunkStartOffset ? -1 : 1))
    .map(
      (c): ChunkRef => ({
        offset: Number(c.chunkStartOffset),
        length: Number(c.chunkLength),
        startNs: c.messageStartTime,
        endNs: c.messageEndTime,
        channels: new Set(c.messageIndexOffsets.keys()),
      }),
    );
  for (const c of chunks) if (c.offset + c.length > size) return null;
  const counts = new Map<number, number>();
  for (const [id, n] of r.statistics?.channelMessageCounts ?? []) counts.set(id, Number(n));
  return { meta, channels, chunks, counts };
}

/** Streams the whole file: every complete chunk up to the first problem. */
async function scan(fh: FileHandle, size: number, handlers: DecompressHandlers): Promise<Parts & { problem: RecordingProblem }> {
  const parts: Parts = { meta: null, channels: new Map(), chunks: [], counts: new Map() };
  const reader = new McapStreamReader({ includeChunks: true, decompressHandlers: handlers, validateCrcs: true });
  let appended = 0;
  let problem: RecordingProblem | null = null;
  let current: (ChunkRef & { channels: Set<number> }) | null = null;
  let ended = false;
  const buf = new Uint8Array(SCAN_STEP);
  outer: while (appended < size) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(SCAN_STEP, size - appended), appended);
    if (bytesRead <= 0) break;
    reader.append(buf.subarray(0, bytesRead));
    appended += bytesRead;
    for (;;) {
      const before = appended - reader.bytesRemaining();
      let r: TypedMcapRecord | undefined;
      try {
        r = reader.nextRecord();
      } catch (e) {
        // A failure inside a chunk's contents: that chunk does not count.
        if (current && before === current.offset + current.length) {
          parts.chunks.pop();
          problem = { offset: current.offset, message: `bad chunk at offset ${current.offset}: ${e instanceof Error ? e.message : String(e)}` };
        } else {
          problem = { offset: before, message: `bad record at offset ${before}: ${e instanceof Error ? e.message : String(e)}` };
        }
        break outer;
      }
      if (r === undefined) {
        if (reader.done()) ended = true;
        break;
      }
      const after = appended - reader.bytesRemaining();
      switch (r.type) {
        case 'Channel':
          addChannel(parts.channels, r);
          break;
        case 'Metadata':
          if (r.name === METADATA_NAME) parts.meta = parseMeta(r.metadata);
          break;
        case 'Chunk':
          try {
            checkChunk(r);
          } catch (e) {
            problem = { offset: before, message: `bad chunk at offset ${before}: ${e instanceof Error ? e.message : String(e)}` };
            break outer;
          }
          current = { offset: before, length: after - before, startNs: r.messageStartTime, endNs: r.messageEndTime, channels: new Set() };
          parts.chunks.push(current);
          break;
        case 'Message':
          if (current && after === current.offset + current.length) current.channels.add(r.channelId);
          parts.counts.set(r.channelId, (parts.counts.get(r.channelId) ?? 0) + 1);
          break;
        case 'DataEnd':
          current = null;
          break;
      }
    }
    if (reader.bytesRemaining() > REPLAY_MAX_CHUNK_BYTES + SCAN_STEP) {
      const at = appended - reader.bytesRemaining();
      problem = { offset: at, message: `the record at offset ${at} claims more than ${REPLAY_MAX_CHUNK_BYTES} bytes` };
      break;
    }
  }
  if (!problem) {
    const at = appended - reader.bytesRemaining();
    problem = ended
      ? { offset: size, message: 'the summary does not read; data read through the footer' }
      : reader.bytesRemaining() > 0
        ? { offset: at, message: `truncated at offset ${size}: the record starting at offset ${at} is incomplete (${reader.bytesRemaining()} of its bytes present)` }
        : { offset: at, message: `truncated at offset ${at}: the file ends without a summary or footer` };
  }
  // Messages of a chunk cut by the problem were counted before it: recount from the chunks kept.
  return { ...parts, problem };
}
