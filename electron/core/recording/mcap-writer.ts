// A chunked, indexed MCAP writer for live recording, built on @mcap/core's
// record and chunk builders. Unlike McapWriter it (1) closes the open chunk
// on demand (flush every second: a crash loses at most that), (2) never makes
// the caller wait: messages go into the chunk synchronously and finished
// chunks into a bounded queue that a single loop writes to disk; a chunk that
// does not fit in the queue is not written and counted, and (3) writes channel
// records outside chunks, so dropping a chunk never orphans a channel.
// Summary on close: schemas, channels, statistics, metadata and chunk indexes,
// summary offsets, footer (CRCs included).

import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  type Channel,
  type ChunkIndex,
  McapChunkBuilder,
  McapRecordBuilder,
  type MetadataIndex,
  Opcode,
  type Schema,
  type Statistics,
  type SummaryOffset,
} from '@mcap/core';
import * as zstd from '@foxglove/wasm-zstd';
import { RECORDING_CHUNK_BYTES, RECORDING_WRITE_QUEUE_BYTES } from '../../../shared/index.js';

/** Where the bytes go: a file, or (tests) anything slower. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A file for a recording, readable by its owner only (0600, whatever it was if it existed): it holds what the planes sent. */
export async function fileSink(path: string): Promise<ByteSink> {
  const fh: FileHandle = await open(path, 'w', 0o600);
  try {
    await fh.chmod(0o600);
  } catch (e) {
    await fh.close();
    throw e;
  }
  return {
    write: async (b) => {
      let off = 0;
      while (off < b.byteLength) off += (await fh.write(b, off, b.byteLength - off)).bytesWritten;
    },
    close: () => fh.close(),
  };
}

export type ChunkCompression = 'zstd' | 'none';

export interface WriterOptions {
  compression?: ChunkCompression;
  /** zstd level; default ZSTD_LEVEL. */
  level?: number;
  chunkBytes?: number;
  queueLimitBytes?: number;
}

export interface WriterStats {
  messages: number;
  chunks: number;
  /** Bytes handed to the disk (written or waiting in the queue). */
  bytes: number;
  /** Bytes the disk has confirmed. */
  bytesWritten: number;
  queuedBytes: number;
  /** Messages (and their chunks) not written because the queue was full. */
  messagesDropped: number;
  chunksDropped: number;
  bytesDropped: number;
  /** The first disk error, if any: nothing more is written after it. */
  error: string | null;
}

/** zstd level of live recording: 1, the fastest; the stream is mostly float positions or already compressed. */
export const ZSTD_LEVEL = 1;

/** Loads the zstd WebAssembly once; await before constructing a writer with zstd. */
export const compressionReady: Promise<boolean> = zstd.isLoaded;

export class LiveMcapWriter {
  readonly stats: WriterStats = {
    messages: 0,
    chunks: 0,
    bytes: 0,
    bytesWritten: 0,
    queuedBytes: 0,
    messagesDropped: 0,
    chunksDropped: 0,
    bytesDropped: 0,
    error: null,
  };
  private readonly rec = new McapRecordBuilder();
  private readonly chunk = new McapChunkBuilder({ useMessageIndex: true });
  private readonly schemas = new Map<number, Schema>();
  private readonly channels = new Map<number, Channel>();
  private readonly chunkIndexes: ChunkIndex[] = [];
  private readonly metadataIndexes: MetadataIndex[] = [];
  private readonly statistics: Statistics = {
    messageCount: 0n,
    schemaCount: 0,
    channelCount: 0,
    attachmentCount: 0,
    metadataCount: 0,
    chunkCount: 0,
    messageStartTime: 0n,
    messageEndTime: 0n,
    channelMessageCounts: new Map(),
  };
  private readonly queue: Uint8Array[] = [];
  private draining: Promise<void> | null = null;
  private dataCrc = 0;
  private lastLogTime = 0n;
  private seq = 0;
  private ended = false;
  private readonly compression: ChunkCompression;
  private readonly level: number;
  private readonly chunkBytes: number;
  private readonly queueLimit: number;

  constructor(
    private readonly sink: ByteSink,
    opts: WriterOptions = {},
  ) {
    this.compression = opts.compression ?? 'zstd';
    this.level = opts.level ?? ZSTD_LEVEL;
    this.chunkBytes = opts.chunkBytes ?? RECORDING_CHUNK_BYTES;
    this.queueLimit = opts.queueLimitBytes ?? RECORDING_WRITE_QUEUE_BYTES;
  }

  /** Magic and header. */
  start(profile: string, library: string): void {
    this.rec.writeMagic();
    this.rec.writeHeader({ profile, library });
    this.emitRecords(true);
  }

  registerSchema(s: Omit<Schema, 'id'>): number {
    const id = this.schemas.size + 1;
    const schema = { ...s, id };
    this.schemas.set(id, schema);
    this.statistics.schemaCount++;
    this.rec.writeSchema(schema);
    this.emitRecords(true);
    return id;
  }

  registerChannel(c: Omit<Channel, 'id'>): number {
    const id = this.channels.size;
    const channel = { ...c, id };
    this.channels.set(id, channel);
    this.statistics.channelCount++;
    this.rec.writeChannel(channel);
    this.emitRecords(true);
    return id;
  }

  addMetadata(name: string, metadata: Map<string, string>): void {
    const offset = BigInt(this.stats.bytes);
    const length = this.rec.writeMetadata({ name, metadata });
    this.metadataIndexes.push({ offset, length, name });
    this.statistics.metadataCount++;
    this.emitRecords(true);
  }

  /**
   * Adds a message (copied now); returns its log time in ns. Times only move
   * forward: equal or earlier ones get +1 ns, so file order is time order.
   * `publishTime` defaults to the log time.
   */
  addMessage(channelId: number, timeMs: number, data: Uint8Array, publishTime?: bigint): bigint {
    if (this.ended) return this.lastLogTime;
    let t = BigInt(Math.round(timeMs * 1000)) * 1000n;
    if (t <= this.lastLogTime) t = this.lastLogTime + 1n;
    this.lastLogTime = t;
    this.chunk.addMessage({ channelId, sequence: this.seq++ >>> 0, logTime: t, publishTime: publishTime ?? t, data });
    const st = this.statistics;
    if (st.messageCount === 0n) st.messageStartTime = t;
    st.messageEndTime = t;
    st.messageCount++;
    st.channelMessageCounts.set(channelId, (st.channelMessageCounts.get(channelId) ?? 0n) + 1n);
    this.stats.messages++;
    if (this.chunk.byteLength >= this.chunkBytes) this.flush();
    return t;
  }

  /** Closes the open chunk (if it has messages) and queues it for the disk. */
  flush(): void {
    const c = this.chunk;
    if (c.numMessages === 0) return;
    const raw = c.buffer;
    const uncompressedCrc = crc32(raw);
    const compressed = this.compression === 'zstd' ? new Uint8Array(zstd.compress(raw, this.level)) : raw.slice();
    const chunkStartOffset = BigInt(this.stats.bytes);
    const chunkLength = this.rec.writeChunk({
      messageStartTime: c.messageStartTime,
      messageEndTime: c.messageEndTime,
      uncompressedSize: BigInt(raw.byteLength),
      uncompressedCrc,
      compression: this.compression === 'zstd' ? 'zstd' : '',
      records: compressed,
    });
    const messageIndexStart = chunkStartOffset + chunkLength;
    let messageIndexLength = 0n;
    const messageIndexOffsets = new Map<number, bigint>();
    for (const mi of c.indices) {
      messageIndexOffsets.set(mi.channelId, messageIndexStart + messageIndexLength);
      messageIndexLength += this.rec.writeMessageIndex(mi);
    }
    const count = c.numMessages;
    const index: ChunkIndex = {
      messageStartTime: c.messageStartTime,
      messageEndTime: c.messageEndTime,
      chunkStartOffset,
      chunkLength,
      messageIndexOffsets,
      messageIndexLength,
      compression: this.compression === 'zstd' ? 'zstd' : '',
      compressedSize: BigInt(compressed.byteLength),
      uncompressedSize: BigInt(raw.byteLength),
    };
    c.reset();
    if (this.stats.queuedBytes + this.rec.length > this.queueLimit) {
      // The disk is behind: this chunk is lost, counted; the live path goes on.
      this.stats.chunksDropped++;
      this.stats.messagesDropped += count;
      this.stats.bytesDropped += this.rec.length;
      this.rec.reset();
      return;
    }
    this.chunkIndexes.push(index);
    this.statistics.chunkCount++;
    this.stats.chunks++;
    this.emitRecords(true);
  }

  /** Finishes the file: last chunk, data end, summary, footer; then closes the sink. Resolves when all is on disk. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.rec.writeDataEnd({ dataSectionCrc: this.dataCrc });
    this.emitRecords(false);
    const summaryStart = BigInt(this.stats.bytes);
    const offsets: SummaryOffset[] = [];
    const group = (opcode: number, write: () => void): void => {
      const start = BigInt(this.stats.bytes + this.rec.length);
      const before = this.rec.length;
      write();
      const length = BigInt(this.rec.length - before);
      if (length > 0n) offsets.push({ groupOpcode: opcode, groupStart: start, groupLength: length });
    };
    group(Opcode.SCHEMA, () => {
      for (const s of this.schemas.values()) this.rec.writeSchema(s);
    });
    group(Opcode.CHANNEL, () => {
      for (const c of this.channels.values()) this.rec.writeChannel(c);
    });
    group(Opcode.STATISTICS, () => {
      this.rec.writeStatistics(this.statistics);
    });
    group(Opcode.METADATA_INDEX, () => {
      for (const m of this.metadataIndexes) this.rec.writeMetadataIndex(m);
    });
    group(Opcode.CHUNK_INDEX, () => {
      for (const c of this.chunkIndexes) this.rec.writeChunkIndex(c);
    });
    const summaryOffsetStart = BigInt(this.stats.bytes + this.rec.length);
    for (const o of offsets) this.rec.writeSummaryOffset(o);
    // Footer: its CRC covers the summary through the footer's summary_offset_start field.
    const head = new DataView(new ArrayBuffer(1 + 8 + 8 + 8));
    head.setUint8(0, Opcode.FOOTER);
    head.setBigUint64(1, 20n, true);
    head.setBigUint64(9, summaryStart, true);
    head.setBigUint64(17, summaryOffsetStart, true);
    const summaryCrc = crc32(new Uint8Array(head.buffer), crc32(this.rec.buffer));
    this.rec.writeFooter({ summaryStart, summaryOffsetStart, summaryCrc });
    this.rec.writeMagic();
    this.emitRecords(false);
    await this.drain();
    await this.sink.close();
  }

  /** Resolves when everything queued so far is written (or the disk failed). */
  async drain(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Moves the record builder's bytes to the write queue (always: headers, channels and summaries are small). */
  private emitRecords(dataSection: boolean): void {
    if (this.rec.length === 0) return;
    const bytes = this.rec.buffer.slice();
    this.rec.reset();
    if (dataSection) this.dataCrc = crc32(bytes, this.dataCrc);
    this.stats.bytes += bytes.byteLength;
    this.stats.queuedBytes += bytes.byteLength;
    this.queue.push(bytes);
    this.draining ??= this.drainLoop();
  }

  private async drainLoop(): Promise<void> {
    try {
      for (let b = this.queue.shift(); b !== undefined; b = this.queue.shift()) {
        if (this.stats.error === null) {
          try {
            await this.sink.write(b);
            this.stats.bytesWritten += b.byteLength;
          } catch (e) {
            this.stats.error = e instanceof Error ? e.message : String(e);
          }
        }
        this.stats.queuedBytes -= b.byteLength;
      }
    } finally {
      this.draining = null;
    }
  }
}
