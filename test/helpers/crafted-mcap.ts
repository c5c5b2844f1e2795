// Crafted MCAP files for the hostile-file tests, written record by record
// from the MCAP specification (https://mcap.dev/spec), independent of the
// app's writer and reader: magic, records of opcode u8 + content length u64
// LE, strings as u32 length + UTF-8, maps as u32 byte length + entries.
// Chunks may be zstd, lz4 (a frame of stored blocks, written here) or plain,
// and may claim whatever sizes a test needs.

import { crc32 } from 'node:zlib';
import * as zstd from '@foxglove/wasm-zstd';
import { MAGIC, OP } from './mcap-framing.js';

class Bytes {
  private readonly parts: Uint8Array[] = [];
  length = 0;
  raw(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.byteLength;
    return this;
  }
  u8(v: number): this {
    return this.raw(Uint8Array.of(v));
  }
  u16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    return this.raw(b);
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    return this.raw(b);
  }
  u64(v: bigint | number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return this.raw(b);
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u32(b.byteLength).raw(b);
  }
  strMap(m: Record<string, string>): this {
    const inner = new Bytes();
    for (const [k, v] of Object.entries(m)) inner.str(k).str(v);
    return this.u32(inner.length).raw(inner.bytes());
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** One record: opcode, content length, content. */
export function record(op: number, content: Uint8Array): Uint8Array {
  return new Bytes().u8(op).u64(content.byteLength).raw(content).bytes();
}

export interface CraftedMessage {
  channel: number;
  timeNs: bigint;
  data: Uint8Array;
}

export type CraftedCompression = 'zstd' | 'lz4' | '';

// ------------------------------------------------------------------ lz4 frame (stored blocks), for lz4 chunks

const PRIME1 = 2654435761;
const PRIME2 = 2246822519;
const PRIME3 = 3266489917;
const PRIME4 = 668265263;
const PRIME5 = 374761393;
const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a: number, b: number): number => Math.imul(a, b) >>> 0;

/** xxHash32 (seed 0), for the LZ4 frame descriptor's checksum. */
function xxh32(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 0;
  let h: number;
  if (b.byteLength >= 16) {
    let v = [(PRIME1 + PRIME2) >>> 0, PRIME2, 0, (0 - PRIME1) >>> 0];
    for (; i + 16 <= b.byteLength; i += 16) v = v.map((x, k) => mul(rotl((x + mul(dv.getUint32(i + 4 * k, true), PRIME2)) >>> 0, 13), PRIME1));
    h = (rotl(v[0]!, 1) + rotl(v[1]!, 7) + rotl(v[2]!, 12) + rotl(v[3]!, 18)) >>> 0;
  } else h = PRIME5;
  h = (h + b.byteLength) >>> 0;
  for (; i + 4 <= b.byteLength; i += 4) h = mul(rotl((h + mul(dv.getUint32(i, true), PRIME3)) >>> 0, 17), PRIME4);
  for (; i < b.byteLength; i++) h = mul(rotl((h + mul(b[i]!, PRIME5)) >>> 0, 11), PRIME1);
  h = mul(h ^ (h >>> 15), PRIME2);
  h = mul(h ^ (h >>> 13), PRIME3);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An LZ4 frame holding `data` in stored (uncompressed) blocks of up to 4 MiB. */
export function lz4Frame(data: Uint8Array): Uint8Array {
  const descriptor = Uint8Array.of(0x60, 0x70); // version 01, independent blocks; 4 MiB blocks
  const out = new Bytes().u32(0x184d2204).raw(descriptor).u8((xxh32(descriptor) >>> 8) & 0xff);
  for (let o = 0; o < data.byteLength; o += 4 << 20) {
    const block = data.subarray(o, Math.min(data.byteLength, o + (4 << 20)));
    out.u32((block.byteLength | 0x80000000) >>> 0).raw(block);
  }
  return out.u32(0).bytes();
}

// ------------------------------------------------------------------ records

export function messageRecord(m: CraftedMessage, sequence = 0): Uint8Array {
  return record(OP.MESSAGE, new Bytes().u16(m.channel).u32(sequence).u64(m.timeNs).u64(m.timeNs).raw(m.data).bytes());
}

export interface ChunkOptions {
  compression?: CraftedCompression;
  /** The uncompressed size the chunk claims (default: the true one). */
  claimSize?: bigint;
}

export function chunkRecord(messages: CraftedMessage[], opts: ChunkOptions = {}): Uint8Array {
  const raw = Buffer.concat(messages.map((m, i) => messageRecord(m, i)));
  const compression = opts.compression ?? 'zstd';
  const records = compression === 'zstd' ? new Uint8Array(zstd.compress(raw, 1)) : compression === 'lz4' ? lz4Frame(raw) : raw;
  const start = messages[0]?.timeNs ?? 0n;
  const end = messages.at(-1)?.timeNs ?? 0n;
  return record(OP.CHUNK, new Bytes().u64(start).u64(end).u64(opts.claimSize ?? BigInt(raw.byteLength)).u32(crc32(raw)).str(compression).u64(records.byteLength).raw(records).bytes());
}

export interface ChunkAt {
  offset: number;
  length: number;
  start: bigint;
  end: bigint;
  channels: number[];
  uncompressed: bigint;
  compression: string;
}

export function chunkIndexRecord(c: ChunkAt): Uint8Array {
  const offsets = new Bytes();
  for (const ch of c.channels) offsets.u16(ch).u64(0);
  return record(OP.CHUNK_INDEX, new Bytes().u64(c.start).u64(c.end).u64(c.offset).u64(c.length).u32(offsets.length).raw(offsets.bytes()).u64(0).str(c.compression).u64(c.length).u64(c.uncompressed).bytes());
}

/**
 * A file, record by record. `summary()` then `end()` make it complete (the
 * footer's summary CRC is 0: not checked, as the spec allows).
 */
export class CraftedMcap {
  private readonly out = new Bytes();
  readonly chunks: ChunkAt[] = [];
  private readonly channelRecords: Uint8Array[] = [];
  private readonly metadataIndexes: Uint8Array[] = [];

  constructor() {
    this.out.raw(MAGIC);
    this.raw(record(OP.HEADER, new Bytes().str('swarmdeck').str('crafted').bytes()));
  }

  get offset(): number {
    return this.out.length;
  }

  raw(b: Uint8Array): this {
    this.out.raw(b);
    return this;
  }

  channel(id: number, topic: string, encoding: string, metadata: Record<string, string>): this {
    const r = record(OP.CHANNEL, new Bytes().u16(id).u16(0).str(topic).str(encoding).strMap(metadata).bytes());
    this.channelRecords.push(r);
    return this.raw(r);
  }

  metadata(name: string, m: Record<string, string>): this {
    const at = this.offset;
    const r = record(OP.METADATA, new Bytes().str(name).strMap(m).bytes());
    this.metadataIndexes.push(record(OP.METADATA_INDEX, new Bytes().u64(at).u64(r.byteLength).str(name).bytes()));
    return this.raw(r);
  }

  chunk(messages: CraftedMessage[], opts: ChunkOptions = {}): this {
    const r = chunkRecord(messages, opts);
    const raw = messages.reduce((a, m) => a + 31 + m.data.byteLength, 0);
    this.chunks.push({ offset: this.offset, length: r.byteLength, start: messages[0]?.timeNs ?? 0n, end: messages.at(-1)?.timeNs ?? 0n, channels: [...new Set(messages.map((m) => m.channel))], uncompressed: opts.claimSize ?? BigInt(raw), compression: opts.compression ?? 'zstd' });
    return this.raw(r);
  }

  /** Data end, summary (channels, metadata indexes, chunk indexes plus `extra`), footer, magic. */
  end(extra: Uint8Array[] = []): Uint8Array {
    this.raw(record(OP.DATA_END, new Bytes().u32(0).bytes()));
    const summaryStart = this.offset;
    for (const c of this.channelRecords) this.raw(c);
    for (const m of this.metadataIndexes) this.raw(m);
    for (const c of this.chunks) this.raw(chunkIndexRecord(c));
    for (const e of extra) this.raw(e);
    this.raw(record(OP.FOOTER, new Bytes().u64(summaryStart).u64(0).u32(0).bytes()));
    return this.raw(MAGIC).out.bytes();
  }

  /** The file as it is (no summary: read by walking it). */
  cut(): Uint8Array {
    return this.out.bytes();
  }
}

/** A footer (and magic) that says the summary starts at `summaryStart`. */
export function footerAndMagic(summaryStart: bigint): Uint8Array {
  return Buffer.concat([record(OP.FOOTER, new Bytes().u64(summaryStart).u64(0).u32(0).bytes()), MAGIC]);
}

export const PLANE = 'p';
/** The channel of plane "p"'s agents endpoint (JSON), as Swarmdeck's metadata names it. */
export const AGENTS_CHANNEL = 1;

/** A Swarmdeck recording of plane "p": the metadata record and its agents channel, ready for chunks. */
export function swarmdeckFile(): CraftedMcap {
  return new CraftedMcap()
    .metadata('swarmdeck.recording', {
      app: 'swarmdeck',
      appVersion: 'crafted',
      formatVersion: '1',
      createdAt: new Date(0).toISOString(),
      planes: JSON.stringify([{ id: PLANE, label: 'crafted', url: 'ws://127.0.0.1:9/', color: 0xffffff, endpoints: ['agents'] }]),
    })
    .channel(AGENTS_CHANNEL, `/${PLANE}/agents`, 'json', { 'swarmdeck.plane': PLANE, 'swarmdeck.kind': 'json', 'swarmdeck.endpoint': 'agents' });
}

/** `n` heartbeat messages on the agents channel from `t0` ms on, 1 ms apart. */
export function heartbeats(n: number, t0 = 1_700_000_000_000): CraftedMessage[] {
  return Array.from({ length: n }, (_, i) => ({ channel: AGENTS_CHANNEL, timeNs: BigInt(t0 + i) * 1_000_000n, data: Buffer.from(JSON.stringify({ type: 'heartbeat', timestamp: t0 + i })) }));
}

export const zstdReady = zstd.isLoaded;
