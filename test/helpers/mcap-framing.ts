// A second MCAP reader, independent of @mcap/core: the record framing of the
// MCAP specification (https://mcap.dev/spec) written out from it. Magic,
// then records of opcode u8 + content length u64 LE; chunks hold records;
// strings are u32 length + UTF-8, maps are u32 byte length + entries. Only
// what the tests check: framing, CRCs, chunks, messages, statistics, footer.

import { crc32 } from 'node:zlib';
import * as zstd from '@foxglove/wasm-zstd';

export const MAGIC = Uint8Array.of(0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a);
export const OP = {
  HEADER: 0x01,
  FOOTER: 0x02,
  SCHEMA: 0x03,
  CHANNEL: 0x04,
  MESSAGE: 0x05,
  CHUNK: 0x06,
  MESSAGE_INDEX: 0x07,
  CHUNK_INDEX: 0x08,
  STATISTICS: 0x0b,
  METADATA: 0x0c,
  METADATA_INDEX: 0x0d,
  SUMMARY_OFFSET: 0x0e,
  DATA_END: 0x0f,
} as const;

export interface RawRecord {
  op: number;
  /** Offset of the opcode byte in the file (or in the chunk's records). */
  offset: number;
  /** Offset just past the record. */
  end: number;
  body: Uint8Array;
}

export interface FMessage {
  channelId: number;
  sequence: number;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

export interface FChunk {
  offset: number;
  end: number;
  compression: string;
  messages: FMessage[];
}

export interface Framed {
  header: { profile: string; library: string };
  channels: Map<number, { topic: string; encoding: string; schemaId: number; metadata: Map<string, string> }>;
  chunks: FChunk[];
  metadata: Map<string, Map<string, string>>;
  statistics: { messageCount: bigint; channelCount: number; chunkCount: number; channelMessageCounts: Map<number, bigint> } | null;
  footer: { summaryStart: bigint; summaryOffsetStart: bigint; summaryCrc: number } | null;
  dataEndCrc: number | null;
  /** CRC-32 of the data section (magic through the byte before DATA_END), as computed here. */
  computedDataCrc: number;
  computedSummaryCrc: number | null;
  /** Where the records stopped (a partial record, or the end). */
  stoppedAt: number;
  complete: boolean;
}

class Cursor {
  off = 0;
  private readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u8(): number {
    return this.dv.getUint8(this.off++);
  }
  u16(): number {
    const v = this.dv.getUint16(this.off, true);
    this.off += 2;
    return v;
  }
  u32(): number {
    const v = this.dv.getUint32(this.off, true);
    this.off += 4;
    return v;
  }
  u64(): bigint {
    const v = this.dv.getBigUint64(this.off, true);
    this.off += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    if (this.off + n > this.b.byteLength) throw new Error(`field of ${n} bytes runs past the record`);
    const v = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  str(): string {
    return Buffer.from(this.bytes(this.u32())).toString('utf8');
  }
  strMap(): Map<string, string> {
    const end = this.u32() + this.off;
    const m = new Map<string, string>();
    while (this.off < end) m.set(this.str(), this.str());
    return m;
  }
}

/** Records back to back from `start`; stops at the first one that does not fit. */
export function records(b: Uint8Array, start: number): { list: RawRecord[]; stoppedAt: number } {
  const list: RawRecord[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = start;
  while (off + 9 <= b.byteLength) {
    const op = dv.getUint8(off);
    const len = dv.getBigUint64(off + 1, true);
    const end = off + 9 + Number(len);
    if (end > b.byteLength) break;
    list.push({ op, offset: off, end, body: b.subarray(off + 9, end) });
    off = end;
  }
  return { list, stoppedAt: off };
}

function message(body: Uint8Array): FMessage {
  const c = new Cursor(body);
  return { channelId: c.u16(), sequence: c.u32(), logTime: c.u64(), publishTime: c.u64(), data: body.subarray(c.off) };
}

export async function readFraming(file: Uint8Array): Promise<Framed> {
  await zstd.isLoaded;
  for (let i = 0; i < 8; i++) if (file[i] !== MAGIC[i]) throw new Error('no MCAP magic at the start');
  const { list, stoppedAt } = records(file, 8);
  const out: Framed = {
    header: { profile: '', library: '' },
    channels: new Map(),
    chunks: [],
    metadata: new Map(),
    statistics: null,
    footer: null,
    dataEndCrc: null,
    computedDataCrc: 0,
    computedSummaryCrc: null,
    stoppedAt,
    complete: false,
  };
  const addChannel = (body: Uint8Array): void => {
    const c = new Cursor(body);
    const id = c.u16();
    const schemaId = c.u16();
    const topic = c.str();
    const encoding = c.str();
    out.channels.set(id, { topic, encoding, schemaId, metadata: c.strMap() });
  };
  let summary = false;
  for (const r of list) {
    const c = new Cursor(r.body);
    switch (r.op) {
      case OP.HEADER:
        out.header = { profile: c.str(), library: c.str() };
        break;
      case OP.CHANNEL:
        if (!summary) addChannel(r.body);
        break;
      case OP.METADATA: {
        const name = c.str();
        out.metadata.set(name, c.strMap());
        break;
      }
      case OP.CHUNK: {
        c.u64(); // message start time
        c.u64(); // message end time
        const size = Number(c.u64());
        const crc = c.u32();
        const compression = c.str();
        const recs = c.bytes(Number(c.u64()));
        const raw = compression === 'zstd' ? new Uint8Array(zstd.decompress(recs, size)) : compression === '' ? recs : null;
        if (!raw) throw new Error(`unsupported chunk compression ${compression}`);
        if (raw.byteLength !== size) throw new Error(`chunk at ${r.offset}: ${raw.byteLength} bytes, header says ${size}`);
        if (crc !== 0 && crc32(raw) !== crc) throw new Error(`chunk at ${r.offset}: CRC mismatch`);
        const inner = records(raw, 0);
        if (inner.stoppedAt !== raw.byteLength) throw new Error(`chunk at ${r.offset}: records do not fill it`);
        const chunk: FChunk = { offset: r.offset, end: r.end, compression, messages: [] };
        for (const ir of inner.list) {
          if (ir.op === OP.MESSAGE) chunk.messages.push(message(ir.body));
          else if (ir.op === OP.CHANNEL) addChannel(ir.body);
        }
        out.chunks.push(chunk);
        break;
      }
      case OP.DATA_END:
        out.dataEndCrc = c.u32();
        out.computedDataCrc = crc32(file.subarray(0, r.offset));
        summary = true;
        break;
      case OP.STATISTICS: {
        const messageCount = c.u64();
        c.u16(); // schema count
        const channelCount = c.u32();
        c.u32(); // attachments
        c.u32(); // metadata
        const chunkCount = c.u32();
        c.u64();
        c.u64();
        const end = c.u32() + c.off;
        const channelMessageCounts = new Map<number, bigint>();
        while (c.off < end) channelMessageCounts.set(c.u16(), c.u64());
        out.statistics = { messageCount, channelCount, chunkCount, channelMessageCounts };
        break;
      }
      case OP.FOOTER: {
        out.footer = { summaryStart: c.u64(), summaryOffsetStart: c.u64(), summaryCrc: c.u32() };
        const from = Number(out.footer.summaryStart);
        // The summary CRC covers the summary section through the footer's summary_offset_start field.
        out.computedSummaryCrc = crc32(file.subarray(from, r.offset + 1 + 8 + 16));
        out.complete = r.end + 8 === file.byteLength && MAGIC.every((v, i) => file[r.end + i] === v);
        break;
      }
    }
  }
  return out;
}
