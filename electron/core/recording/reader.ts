// Opens a recording for replay, `tail --recording` and `info`. The file must
// be a regular file; what it holds (a complete file through its summary, a
// damaged one by walking it up to its first problem, reported with its byte
// offset) is read in the decode worker within the recording budgets
// (index-read.ts, limits.ts). Chunks are read on demand, decoded in the
// worker, and kept in one cache bounded by bytes for every open recording.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { REPLAY_CHUNK_CACHE_BYTES } from '../../../shared/index.js';
import { CHUNK_RECORD_MAX_BYTES } from './chunk-decode.js';
import { ChunkCache, MESSAGE_OBJECT_BYTES, type ChunkCacheStats } from './chunk-cache.js';
import { decoders, type DecodeWorker } from './decoder.js';
import type { ChannelSpec, RecordingMeta } from './format.js';
import type { ChunkColumns, RecChannel, RecordingIndex, RecordingProblem } from './index-read.js';
import { overLimit } from './limit-error.js';

export type { RecChannel, RecordingProblem } from './index-read.js';

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

export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

/** A recording's chunks as columns: no object per chunk (a long recording has 100,000). */
export class ChunkTable {
  readonly length: number;
  constructor(private readonly c: ChunkColumns) {
    this.length = c.offset.length;
  }
  offset(i: number): number {
    return this.c.offset[i]!;
  }
  byteLength(i: number): number {
    return this.c.length[i]!;
  }
  startNs(i: number): bigint {
    return this.c.startNs[i]!;
  }
  endNs(i: number): bigint {
    return this.c.endNs[i]!;
  }
  /** Chunk `i` has messages of channel `id`. */
  hasChannel(i: number, id: number): boolean {
    for (let k = this.c.channelStart[i]!; k < this.c.channelStart[i + 1]!; k++) if (this.c.channelIds[k] === id) return true;
    return false;
  }
  /** Every chunk as an object (for `info` and tests; allocates one per chunk). */
  list(): ChunkRef[] {
    return Array.from({ length: this.length }, (_, i) => ({
      offset: this.offset(i),
      length: this.byteLength(i),
      startNs: this.startNs(i),
      endNs: this.endNs(i),
      channels: new Set(this.c.channelIds.subarray(this.c.channelStart[i], this.c.channelStart[i + 1])),
    }));
  }
}

/** Every open recording's chunks, least recently used out first past REPLAY_CHUNK_CACHE_BYTES. */
const cache = new ChunkCache<RecMessage[]>(REPLAY_CHUNK_CACHE_BYTES);
let nextRecordingId = 1;

export interface OpenOptions {
  /** The decode workers (tests); default the host's. */
  decoders?: { index: DecodeWorker; chunks: DecodeWorker };
}

export class Recording {
  private readonly key = `${nextRecordingId++}:`;
  readonly channels: ReadonlyMap<number, RecChannel>;
  readonly chunks: ChunkTable;
  readonly messageCounts: ReadonlyMap<number, number>;
  readonly meta: RecordingMeta | null;
  /** Summary and footer present and valid. */
  readonly complete: boolean;
  /** Why the file is not complete, and where; null when it is. */
  readonly problem: RecordingProblem | null;
  /** What opening it cost: bytes read, records walked. */
  readonly work: RecordingIndex['work'];

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly size: number,
    index: RecordingIndex,
    private readonly chunkDecoder: DecodeWorker,
  ) {
    this.channels = new Map(index.channels.map((c) => [c.id, c]));
    this.chunks = new ChunkTable(index.chunks);
    this.messageCounts = new Map(index.counts);
    this.meta = index.meta;
    this.complete = index.complete;
    this.problem = index.problem;
    this.work = index.work;
  }

  /** Opens `path`: a regular file only (a FIFO or device is refused without blocking); a file over a budget is refused with the limit named. */
  static async open(path: string, opts: OpenOptions = {}): Promise<Recording> {
    const d = opts.decoders ?? decoders();
    const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new Error(`${path}: not a regular file`);
      let index: RecordingIndex;
      try {
        index = await d.index.index({ path, dev: st.dev, ino: st.ino, size: st.size });
      } catch (e) {
        throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      return new Recording(path, fh, st.size, index, d.chunks);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The chunk cache all recordings share. */
  static cacheStats(): ChunkCacheStats {
    return cache.stats();
  }

  get startMs(): number {
    return this.chunks.length ? nsToMs(this.chunks.startNs(0)) : 0;
  }

  get endMs(): number {
    return this.chunks.length ? nsToMs(this.chunks.endNs(this.chunks.length - 1)) : 0;
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
      if (this.chunks.endNs(mid) < ns) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The messages of chunk `i`, in file (= time) order. Throws with the offset on a bad chunk. Read chunks are cached (a seek reads back to a snapshot, then forward over the same chunks). */
  readChunk(i: number): Promise<RecMessage[]> {
    return cache.get(this.key + i, () => this.loadChunk(i), this.chunks.byteLength(i), (msgs) => (msgs[0]?.data.buffer.byteLength ?? 0) + msgs.length * MESSAGE_OBJECT_BYTES);
  }

  private async loadChunk(i: number): Promise<RecMessage[]> {
    if (i < 0 || i >= this.chunks.length) throw new Error(`no chunk ${i}`);
    const offset = this.chunks.offset(i);
    const length = this.chunks.byteLength(i);
    try {
      if (length > CHUNK_RECORD_MAX_BYTES) throw overLimit('REPLAY_MAX_CHUNK_BYTES', 'its record', length, CHUNK_RECORD_MAX_BYTES, true);
      const bytes = new Uint8Array(length);
      const { bytesRead } = await this.fh.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new Error(`read ${bytesRead} of ${length} bytes`);
      const d = await this.chunkDecoder.chunk(bytes);
      const out: RecMessage[] = [];
      for (let k = 0; k < d.count; k++) {
        const channel = this.channels.get(d.channel[k]!);
        if (!channel) continue; // not one of ours: skipped
        const logTime = d.logTime[k]!;
        const start = d.dataStart[k]!;
        out.push({ channel, logTime, timeMs: nsToMs(logTime), publishTime: d.publishTime[k]!, data: d.bytes.subarray(start, start + d.dataLength[k]!) });
      }
      return out;
    } catch (e) {
      throw new Error(`${this.path}: chunk at offset ${offset}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    cache.dropPrefix(this.key);
    await this.fh.close();
  }
}
