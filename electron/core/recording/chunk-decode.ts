// One MCAP chunk record into its messages: the chunk's head checked against
// the budgets first (limits.ts), then decompressed, CRC-checked and split
// into messages as typed columns over the decompressed bytes (no object per
// message, nothing copied). Runs in the decode worker (decode-worker.ts),
// never on the host's main thread.

import { crc32 } from 'node:zlib';
import type { DecompressHandlers } from '@mcap/core';
import { REPLAY_MAX_CHUNK_BYTES, REPLAY_MAX_CHUNK_MESSAGES } from '../../../shared/index.js';
import { overLimit } from './limit-error.js';

export const OP_HEADER = 0x01;
export const OP_FOOTER = 0x02;
export const OP_SCHEMA = 0x03;
export const OP_CHANNEL = 0x04;
export const OP_MESSAGE = 0x05;
export const OP_CHUNK = 0x06;
export const OP_ATTACHMENT = 0x09;
export const OP_METADATA = 0x0c;
export const OP_DATA_END = 0x0f;
/** Opcode and content length before every record's content. */
export const RECORD_HEAD = 9;

/** A chunk record may be a little larger than its uncompressed records (its own fields; zstd on incompressible data). */
export const CHUNK_RECORD_MAX_BYTES = REPLAY_MAX_CHUNK_BYTES + 1024 * 1024;

export interface ChunkHead {
  startNs: bigint;
  endNs: bigint;
  uncompressedSize: number;
  crc: number;
  compression: string;
  /** Where the (compressed) records start within the record, and their length. */
  recordsStart: number;
  recordsLength: number;
}

export interface DecodedChunk {
  /** The chunk's records, decompressed; each message's data is a view of it. */
  bytes: Uint8Array;
  count: number;
  channel: Uint16Array;
  logTime: BigUint64Array;
  publishTime: BigUint64Array;
  /** Each message's data within `bytes`. */
  dataStart: Uint32Array;
  dataLength: Uint32Array;
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The fields of a chunk record (`rec` is the whole record, opcode included); throws on a malformed head or one over REPLAY_MAX_CHUNK_BYTES. */
export function chunkHead(rec: Uint8Array): ChunkHead {
  const dv = view(rec);
  if (rec.byteLength < RECORD_HEAD + 8 + 8 + 8 + 4 + 4 + 8 || dv.getUint8(0) !== OP_CHUNK) throw new Error('not a chunk record');
  if (dv.getBigUint64(1, true) !== BigInt(rec.byteLength - RECORD_HEAD)) throw new Error('chunk record length does not match');
  let o = RECORD_HEAD;
  const startNs = dv.getBigUint64(o, true);
  const endNs = dv.getBigUint64(o + 8, true);
  const size = dv.getBigUint64(o + 16, true);
  const crc = dv.getUint32(o + 24, true);
  if (size > BigInt(REPLAY_MAX_CHUNK_BYTES)) throw overLimit('REPLAY_MAX_CHUNK_BYTES', 'its uncompressed size', size, REPLAY_MAX_CHUNK_BYTES, true);
  o += 28;
  const nameLength = dv.getUint32(o, true);
  o += 4;
  if (o + nameLength + 8 > rec.byteLength) throw new Error('chunk compression name runs past the record');
  const compression = Buffer.from(rec.buffer, rec.byteOffset + o, nameLength).toString('utf8');
  o += nameLength;
  const recordsLength = dv.getBigUint64(o, true);
  o += 8;
  if (recordsLength > BigInt(rec.byteLength - o)) throw new Error('chunk records run past the record');
  return { startNs, endNs, uncompressedSize: Number(size), crc, compression, recordsStart: o, recordsLength: Number(recordsLength) };
}

/** The messages of a chunk record; throws (naming the limit when one is exceeded) on anything that does not add up. */
export function decodeChunk(rec: Uint8Array, handlers: DecompressHandlers): DecodedChunk {
  const h = chunkHead(rec);
  const records = rec.subarray(h.recordsStart, h.recordsStart + h.recordsLength);
  let bytes: Uint8Array;
  if (h.compression === '') {
    bytes = records;
  } else {
    const decompress = handlers[h.compression];
    if (!decompress) throw new Error(`unsupported compression "${h.compression.slice(0, 40)}"`);
    bytes = decompress(records, BigInt(h.uncompressedSize));
  }
  if (bytes.byteLength !== h.uncompressedSize) throw new Error(`records are ${bytes.byteLength} bytes, the chunk says ${h.uncompressedSize}`);
  if (h.crc !== 0) {
    const crc = crc32(bytes);
    if (crc !== h.crc) throw new Error(`incorrect chunk CRC ${crc} (expected ${h.crc})`);
  }
  const dv = view(bytes);
  // First pass: framing and the message count (the columns are sized once).
  let count = 0;
  for (let o = 0; o < bytes.byteLength; ) {
    if (o + RECORD_HEAD > bytes.byteLength) throw new Error(`a record at ${o} inside the chunk is cut off`);
    const len = dv.getBigUint64(o + 1, true);
    if (len > BigInt(bytes.byteLength - o - RECORD_HEAD)) throw new Error(`a record at ${o} inside the chunk runs past it`);
    if (dv.getUint8(o) === OP_MESSAGE) {
      if (len < 22n) throw new Error(`a message at ${o} inside the chunk is too short`);
      if (++count > REPLAY_MAX_CHUNK_MESSAGES) throw overLimit('REPLAY_MAX_CHUNK_MESSAGES', 'its message count', count, REPLAY_MAX_CHUNK_MESSAGES);
    }
    o += RECORD_HEAD + Number(len);
  }
  const out: DecodedChunk = {
    bytes,
    count,
    channel: new Uint16Array(count),
    logTime: new BigUint64Array(count),
    publishTime: new BigUint64Array(count),
    dataStart: new Uint32Array(count),
    dataLength: new Uint32Array(count),
  };
  let k = 0;
  for (let o = 0; o < bytes.byteLength; ) {
    const len = Number(dv.getBigUint64(o + 1, true));
    if (dv.getUint8(o) === OP_MESSAGE) {
      const c = o + RECORD_HEAD;
      out.channel[k] = dv.getUint16(c, true);
      out.logTime[k] = dv.getBigUint64(c + 6, true);
      out.publishTime[k] = dv.getBigUint64(c + 14, true);
      out.dataStart[k] = c + 22;
      out.dataLength[k] = len - 22;
      k++;
    }
    o += RECORD_HEAD + len;
  }
  return out;
}
