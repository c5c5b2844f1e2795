// What a recording holds, read within its budgets (limits.ts, "recording"):
// a complete file through its summary (McapIndexedReader, after checking
// the footer and the summary's size); one without a valid summary (cut off
// by a crash) by walking its records up to the first problem. The walk reads
// only the records it needs: chunks (each decoded, to find where a damaged
// file stops being good), channels, metadata; everything else is skipped by
// its length, so a sparse file's hole costs nothing and a zero-filled one
// at most REPLAY_MAX_SCAN_RECORDS steps. Runs in the decode worker.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { McapIndexedReader, McapStreamReader } from '@mcap/core';
import type { DecompressHandlers, TypedMcapRecord } from '@mcap/core';
import {
  REPLAY_MAX_CHANNELS,
  REPLAY_MAX_CHUNK_BYTES,
  REPLAY_MAX_CHUNKS,
  REPLAY_MAX_METADATA_RECORDS,
  REPLAY_MAX_RECORD_BYTES,
  REPLAY_MAX_SCAN_RECORDS,
  REPLAY_MAX_SCHEMAS,
  REPLAY_MAX_SUMMARY_BYTES,
} from '../../../shared/index.js';
import { type ChannelSpec, type RecordingMeta, METADATA_NAME, metaFromRecord, specOfChannel } from './format.js';
import { CHUNK_RECORD_MAX_BYTES, OP_ATTACHMENT, OP_CHANNEL, OP_CHUNK, OP_DATA_END, OP_FOOTER, OP_HEADER, OP_METADATA, OP_SCHEMA, RECORD_HEAD, decodeChunk } from './chunk-decode.js';
import { RecordingLimitError, overLimit } from './limit-error.js';

export interface RecChannel extends ChannelSpec {
  id: number;
}

export interface RecordingProblem {
  offset: number;
  message: string;
}

/** The file the host opened: the worker reads the same one or refuses. */
export interface FileIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
}

/** Chunks as columns (transferred from the worker without copying). Chunk i's channels are channelIds[channelStart[i] .. channelStart[i + 1]). */
export interface ChunkColumns {
  offset: Float64Array;
  length: Float64Array;
  startNs: BigUint64Array;
  endNs: BigUint64Array;
  channelStart: Uint32Array;
  channelIds: Uint16Array;
}

export interface RecordingIndex {
  meta: RecordingMeta | null;
  /** Swarmdeck's channels (by their metadata); other channels are skipped. */
  channels: RecChannel[];
  chunks: ChunkColumns;
  /** Messages per channel id. */
  counts: [number, number][];
  /** Summary and footer present and valid. */
  complete: boolean;
  /** Why the file is not complete, and where; null when it is. */
  problem: RecordingProblem | null;
  /** What reading it cost: bytes read from the file, records walked. */
  work: { bytesRead: number; records: number };
}

/** Bytes read per step of a walk. */
const SCAN_STEP = 1 << 20;
const MAGIC = Uint8Array.of(0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a);
const FOOTER_AND_MAGIC = RECORD_HEAD + 8 + 8 + 4 + MAGIC.length;
const DATA_END_BYTES = RECORD_HEAD + 4;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class ChunkColumnsBuilder {
  private readonly rows: { offset: number; length: number; startNs: bigint; endNs: bigint; channels: number[] }[] = [];
  get length(): number {
    return this.rows.length;
  }
  push(offset: number, length: number, startNs: bigint, endNs: bigint, channels: Iterable<number>): void {
    this.rows.push({ offset, length, startNs, endNs, channels: [...channels] });
  }
  pop(): void {
    this.rows.pop();
  }
  build(): ChunkColumns {
    const n = this.rows.length;
    const c: ChunkColumns = {
      offset: new Float64Array(n),
      length: new Float64Array(n),
      startNs: new BigUint64Array(n),
      endNs: new BigUint64Array(n),
      channelStart: new Uint32Array(n + 1),
      channelIds: new Uint16Array(this.rows.reduce((a, r) => a + r.channels.length, 0)),
    };
    let k = 0;
    this.rows.forEach((r, i) => {
      c.offset[i] = r.offset;
      c.length[i] = r.length;
      c.startNs[i] = r.startNs;
      c.endNs[i] = r.endNs;
      c.channelStart[i] = k;
      for (const id of r.channels) c.channelIds[k++] = id;
    });
    c.channelStart[n] = k;
    return c;
  }
}

/** Opens `file` (refusing anything but the regular file the host opened) and reads what it holds. */
export async function readRecordingIndex(file: FileIdentity, handlers: DecompressHandlers): Promise<RecordingIndex> {
  // O_NONBLOCK: a FIFO put in the file's place must not block this thread on open.
  const fh = await open(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.dev !== file.dev || st.ino !== file.ino || st.size !== file.size) throw new Error(`${file.path} changed while it was being opened`);
    const work = { bytesRead: 0, records: 0 };
    const read = async (offset: number, length: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      work.bytesRead += bytesRead;
      if (bytesRead !== length) throw new Error(`read ${bytesRead} of ${length} bytes at offset ${offset}`);
      return buf;
    };
    const indexed = await readSummary(file.size, read, work);
    return indexed ?? (await scan(file.size, read, handlers, work));
  } finally {
    await fh.close();
  }
}

type Read = (offset: number, length: number) => Promise<Uint8Array>;

function addChannel(into: RecChannel[], c: { id: number; topic: string; messageEncoding: string; metadata: ReadonlyMap<string, string> }): void {
  const spec = specOfChannel(c.topic, c.messageEncoding, c.metadata);
  if (spec) into.push({ ...spec, id: c.id });
}

function parseMeta(m: ReadonlyMap<string, string>): RecordingMeta | null {
  try {
    return metaFromRecord(m);
  } catch {
    return null;
  }
}

/**
 * Through the summary; null when the file has none or it does not read
 * (the caller then walks it). A summary over a budget is refused: the
 * RecordingLimitError names the limit.
 */
async function readSummary(size: number, read: Read, work: RecordingIndex['work']): Promise<RecordingIndex | null> {
  if (size < MAGIC.length + RECORD_HEAD + 8 + FOOTER_AND_MAGIC) return null;
  const footerOffset = size - FOOTER_AND_MAGIC;
  const f = await read(footerOffset, FOOTER_AND_MAGIC);
  const dv = new DataView(f.buffer);
  if (!MAGIC.every((b, i) => f[FOOTER_AND_MAGIC - MAGIC.length + i] === b) || f[0] !== OP_FOOTER || dv.getBigUint64(1, true) !== 20n) return null;
  const summaryStart = dv.getBigUint64(RECORD_HEAD, true);
  if (summaryStart === 0n || summaryStart > BigInt(footerOffset) || summaryStart < BigInt(MAGIC.length + DATA_END_BYTES)) return null;
  const summaryBytes = footerOffset - (Number(summaryStart) - DATA_END_BYTES);
  if (summaryBytes > REPLAY_MAX_SUMMARY_BYTES) throw overLimit('REPLAY_MAX_SUMMARY_BYTES', 'the summary section', summaryBytes, REPLAY_MAX_SUMMARY_BYTES, true);
  const head = await read(MAGIC.length, RECORD_HEAD);
  const headerLength = new DataView(head.buffer).getBigUint64(1, true);
  if (head[0] === OP_HEADER && headerLength > BigInt(REPLAY_MAX_RECORD_BYTES)) throw overLimit('REPLAY_MAX_RECORD_BYTES', 'the header record', headerLength, REPLAY_MAX_RECORD_BYTES, true);
  let r: McapIndexedReader;
  try {
    r = await McapIndexedReader.Initialize({
      readable: {
        size: async () => BigInt(size),
        read: async (offset, length) => {
          // Every read is bounded (the checks above are the specific ones; this catches any other).
          if (length > BigInt(REPLAY_MAX_SUMMARY_BYTES)) throw overLimit('REPLAY_MAX_SUMMARY_BYTES', `a read at offset ${offset}`, length, REPLAY_MAX_SUMMARY_BYTES, true);
          if (offset + length > BigInt(size)) throw new Error(`read past the end (${offset}+${length} of ${size})`);
          return read(Number(offset), Number(length));
        },
      },
    });
  } catch (e) {
    if (e instanceof RecordingLimitError) throw e;
    return null;
  }
  if (r.chunkIndexes.length > REPLAY_MAX_CHUNKS) throw overLimit('REPLAY_MAX_CHUNKS', 'its chunk count', r.chunkIndexes.length, REPLAY_MAX_CHUNKS);
  if (r.channelsById.size > REPLAY_MAX_CHANNELS) throw overLimit('REPLAY_MAX_CHANNELS', 'its channel count', r.channelsById.size, REPLAY_MAX_CHANNELS);
  if (r.schemasById.size > REPLAY_MAX_SCHEMAS) throw overLimit('REPLAY_MAX_SCHEMAS', 'its schema count', r.schemasById.size, REPLAY_MAX_SCHEMAS);
  const records = r.metadataIndexes.length + r.attachmentIndexes.length;
  if (records > REPLAY_MAX_METADATA_RECORDS) throw overLimit('REPLAY_MAX_METADATA_RECORDS', 'its metadata and attachment count', records, REPLAY_MAX_METADATA_RECORDS);
  const channels: RecChannel[] = [];
  for (const c of r.channelsById.values()) addChannel(channels, c);
  let meta: RecordingMeta | null = null;
  for (const m of r.metadataIndexes) {
    if (m.name === METADATA_NAME && m.length > BigInt(REPLAY_MAX_RECORD_BYTES)) throw overLimit('REPLAY_MAX_RECORD_BYTES', 'the metadata record', m.length, REPLAY_MAX_RECORD_BYTES, true);
  }
  try {
    for await (const m of r.readMetadata({ name: METADATA_NAME })) meta = parseMeta(m.metadata);
  } catch (e) {
    if (e instanceof RecordingLimitError) throw e;
    return null;
  }
  const sorted = [...r.chunkIndexes].sort((a, b) => (a.chunkStartOffset < b.chunkStartOffset ? -1 : 1));
  const chunks = new ChunkColumnsBuilder();
  for (const c of sorted) {
    const at = Number(c.chunkStartOffset);
    if (c.uncompressedSize > BigInt(REPLAY_MAX_CHUNK_BYTES)) throw overLimit('REPLAY_MAX_CHUNK_BYTES', `the chunk at offset ${at}: its uncompressed size`, c.uncompressedSize, REPLAY_MAX_CHUNK_BYTES, true);
    if (c.chunkLength > BigInt(CHUNK_RECORD_MAX_BYTES)) throw overLimit('REPLAY_MAX_CHUNK_BYTES', `the chunk at offset ${at}: its record`, c.chunkLength, CHUNK_RECORD_MAX_BYTES, true);
    if (c.chunkStartOffset + c.chunkLength > BigInt(size)) return null;
    chunks.push(at, Number(c.chunkLength), c.messageStartTime, c.messageEndTime, c.messageIndexOffsets.keys());
  }
  const counts: [number, number][] = [];
  for (const [id, n] of r.statistics?.channelMessageCounts ?? []) counts.push([id, Number(n)]);
  return { meta, channels, chunks: chunks.build(), counts, complete: true, problem: null, work };
}

/** Reads the file through a window of SCAN_STEP bytes: a record head costs no read of its own. */
class Window {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  constructor(
    private readonly read: Read,
    private readonly size: number,
  ) {}
  /** Bytes [offset, offset + length) (length ≤ SCAN_STEP: valid until the next call; longer: a fresh buffer). */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    if (length > SCAN_STEP) return this.read(offset, length);
    if (offset < this.start || offset + length > this.start + this.buf.byteLength) {
      this.start = offset;
      this.buf = await this.read(offset, Math.min(SCAN_STEP, this.size - offset));
    }
    return this.buf.subarray(offset - this.start, offset - this.start + length);
  }
}

/** Walks the records from the start: every complete chunk up to the first problem (a file cut off by a crash, or damaged). */
async function scan(size: number, read: Read, handlers: DecompressHandlers, work: RecordingIndex['work']): Promise<RecordingIndex> {
  const channels: RecChannel[] = [];
  const chunks = new ChunkColumnsBuilder();
  const counts = new Map<number, number>();
  let meta: RecordingMeta | null = null;
  let problem: RecordingProblem | null = null;
  let channelRecords = 0;
  let schemas = 0;
  let metadataRecords = 0;
  // Header, channel and metadata records are parsed by @mcap/core's stream reader, fed only those records.
  const parser = new McapStreamReader({ validateCrcs: true });
  parser.append(MAGIC);
  const parse = (bytes: Uint8Array): TypedMcapRecord => {
    parser.append(bytes);
    const r = parser.nextRecord();
    if (!r) throw new Error('record does not parse');
    return r;
  };
  const win = new Window(read, size);
  let off = 0;
  const magic = await win.bytes(0, Math.min(MAGIC.length, size));
  if (magic.byteLength < MAGIC.length || !MAGIC.every((b, i) => magic[i] === b)) {
    problem = { offset: 0, message: 'bad record at offset 0: not an MCAP file (no magic)' };
  } else off = MAGIC.length;
  while (!problem && off < size) {
    if (work.records >= REPLAY_MAX_SCAN_RECORDS) {
      problem = { offset: off, message: `the walk stopped at offset ${off} after ${work.records} records, the most REPLAY_MAX_SCAN_RECORDS (${REPLAY_MAX_SCAN_RECORDS.toLocaleString('en-US')}) allows` };
      break;
    }
    work.records++;
    if (off + RECORD_HEAD > size) {
      problem = { offset: off, message: `truncated at offset ${size}: the record starting at offset ${off} is incomplete (${size - off} of its bytes present)` };
      break;
    }
    const head = await win.bytes(off, RECORD_HEAD);
    const op = head[0]!;
    const len = new DataView(head.buffer, head.byteOffset, RECORD_HEAD).getBigUint64(1, true);
    if (len > BigInt(size - off - RECORD_HEAD)) {
      problem = { offset: off, message: `truncated at offset ${size}: the record starting at offset ${off} is incomplete (${size - off} of its bytes present)` };
      if (op === OP_CHUNK && len > BigInt(CHUNK_RECORD_MAX_BYTES)) problem.message = `bad chunk at offset ${off}: ${overLimit('REPLAY_MAX_CHUNK_BYTES', 'its record', len, CHUNK_RECORD_MAX_BYTES, true).message}`;
      break;
    }
    const end = off + RECORD_HEAD + Number(len);
    try {
      switch (op) {
        case OP_CHUNK: {
          if (len > BigInt(CHUNK_RECORD_MAX_BYTES)) throw overLimit('REPLAY_MAX_CHUNK_BYTES', 'its record', len, CHUNK_RECORD_MAX_BYTES, true);
          if (chunks.length >= REPLAY_MAX_CHUNKS) throw overLimit('REPLAY_MAX_CHUNKS', 'the chunk count', chunks.length + 1, REPLAY_MAX_CHUNKS);
          const d = decodeChunk(await win.bytes(off, end - off), handlers);
          const seen = new Set<number>();
          let start: bigint | null = null;
          let last = 0n;
          for (let i = 0; i < d.count; i++) {
            const ch = d.channel[i]!;
            seen.add(ch);
            counts.set(ch, (counts.get(ch) ?? 0) + 1);
            start ??= d.logTime[i]!;
            last = d.logTime[i]!;
          }
          chunks.push(off, end - off, start ?? 0n, last, seen);
          break;
        }
        case OP_HEADER:
        case OP_CHANNEL:
        case OP_METADATA: {
          if (len > BigInt(REPLAY_MAX_RECORD_BYTES)) throw overLimit('REPLAY_MAX_RECORD_BYTES', 'its length', len, REPLAY_MAX_RECORD_BYTES, true);
          if (op === OP_CHANNEL && ++channelRecords > REPLAY_MAX_CHANNELS) throw overLimit('REPLAY_MAX_CHANNELS', 'the channel count', channelRecords, REPLAY_MAX_CHANNELS);
          if (op === OP_METADATA && ++metadataRecords > REPLAY_MAX_METADATA_RECORDS) throw overLimit('REPLAY_MAX_METADATA_RECORDS', 'the metadata and attachment count', metadataRecords, REPLAY_MAX_METADATA_RECORDS);
          const r = parse(await win.bytes(off, end - off));
          if (r.type === 'Channel') addChannel(channels, r);
          else if (r.type === 'Metadata' && r.name === METADATA_NAME) meta = parseMeta(r.metadata);
          break;
        }
        case OP_SCHEMA:
          if (++schemas > REPLAY_MAX_SCHEMAS) throw overLimit('REPLAY_MAX_SCHEMAS', 'the schema count', schemas, REPLAY_MAX_SCHEMAS);
          break;
        case OP_ATTACHMENT:
          if (++metadataRecords > REPLAY_MAX_METADATA_RECORDS) throw overLimit('REPLAY_MAX_METADATA_RECORDS', 'the metadata and attachment count', metadataRecords, REPLAY_MAX_METADATA_RECORDS);
          break;
        case OP_DATA_END:
        case OP_FOOTER:
          // The data section ends here; what follows is the summary, which did not read.
          problem = { offset: off, message: `the summary does not read; data read through offset ${off}` };
          break;
        default:
          // Message indexes, indexes and records this reader does not use: skipped by their length, unread.
          break;
      }
    } catch (e) {
      problem = { offset: off, message: `bad ${op === OP_CHUNK ? 'chunk' : 'record'} at offset ${off}: ${errorText(e)}` };
      break;
    }
    off = end;
  }
  problem ??= { offset: off, message: `truncated at offset ${off}: the file ends without a summary or footer` };
  return { meta, channels, chunks: chunks.build(), counts: [...counts], complete: false, problem, work };
}
