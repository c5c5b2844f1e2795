// Encoder for AGNT binary frames: the simulator's and the tests' side of the
// codec in binary.ts. Output is the exact layout docs/PROTOCOL.md pins.

import { COMPRESSED_HEAD_BYTES, FLAG_COMPRESSED, FLAG_PRIORITY_SHIFT, FrameType, HEADER_BYTES, MAGIC_LE, MAX_FRAME_PAYLOAD, MAX_POSITIONS_PER_FRAME, METRICS_RECORD_BYTES, POSITION_COUNT_BYTES, POSITION_RECORD_BYTES, STATE_RECORD_HEAD_BYTES } from './constants.js';
import { PRIORITIES, type Priority } from '../../../shared/index.js';

const utf8 = new TextEncoder();

export interface FrameOptions {
  priority?: Priority;
  /** Set the compressed bit; the caller has already compressed the payload. */
  compressed?: boolean;
  /** Raw flags byte; overrides priority/compressed (tests use it for reserved bits). */
  flags?: number;
}

function flagsOf(o: FrameOptions): number {
  if (o.flags !== undefined) return o.flags & 0xff;
  const pri = PRIORITIES.indexOf(o.priority ?? 'normal');
  return (pri << FLAG_PRIORITY_SHIFT) | (o.compressed ? FLAG_COMPRESSED : 0);
}

/** One frame: header + payload. Throws if the payload exceeds the u16 length field. */
export function encodeFrame(type: number, payload: Uint8Array, o: FrameOptions = {}): Uint8Array {
  if (payload.byteLength > MAX_FRAME_PAYLOAD) {
    throw new RangeError(`frame payload ${payload.byteLength} exceeds ${MAX_FRAME_PAYLOAD} bytes`);
  }
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC_LE, true);
  out[4] = type;
  out[5] = flagsOf(o);
  v.setUint16(6, payload.byteLength, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/**
 * POSITION_UPDATE frames for `count` agents (pos/vel: xyz per agent), split
 * into as many frames as needed (at most MAX_POSITIONS_PER_FRAME each), back to back.
 */
export function encodePositions(
  ids: ArrayLike<number>,
  pos: ArrayLike<number>,
  vel: ArrayLike<number>,
  count: number,
  o: FrameOptions = {},
): Uint8Array {
  const frames = Math.max(1, Math.ceil(count / MAX_POSITIONS_PER_FRAME));
  const out = new Uint8Array(frames * (HEADER_BYTES + POSITION_COUNT_BYTES) + count * POSITION_RECORD_BYTES);
  const v = new DataView(out.buffer);
  const flags = flagsOf(o);
  let off = 0;
  for (let start = 0, f = 0; f < frames; f++, start += MAX_POSITIONS_PER_FRAME) {
    const n = Math.min(MAX_POSITIONS_PER_FRAME, count - start);
    v.setUint32(off, MAGIC_LE, true);
    out[off + 4] = FrameType.POSITION_UPDATE;
    out[off + 5] = flags;
    v.setUint16(off + 6, POSITION_COUNT_BYTES + n * POSITION_RECORD_BYTES, true);
    v.setUint32(off + 8, n, true);
    off += HEADER_BYTES + POSITION_COUNT_BYTES;
    for (let i = start; i < start + n; i++) {
      v.setUint32(off, ids[i]!, true);
      for (let k = 0; k < 3; k++) {
        v.setFloat32(off + 4 + 4 * k, pos[i * 3 + k]!, true);
        v.setFloat32(off + 16 + 4 * k, vel[i * 3 + k]!, true);
      }
      off += POSITION_RECORD_BYTES;
    }
  }
  return out;
}

export interface StateRecord {
  id: number;
  state: number;
  flags?: number;
  /** JSON metadata (an object, as the decoder requires); serialised as UTF-8. */
  meta?: unknown;
  /** Raw metadata bytes or text, sent as is (tests use it for bad UTF-8 / non-JSON); overrides `meta`. */
  metaRaw?: Uint8Array | string;
}

function metaBytes(r: StateRecord): Uint8Array {
  if (r.metaRaw !== undefined) return typeof r.metaRaw === 'string' ? utf8.encode(r.metaRaw) : r.metaRaw;
  return r.meta === undefined ? new Uint8Array(0) : utf8.encode(JSON.stringify(r.meta));
}

/** One STATE_BATCH frame. Throws if a metadata text exceeds the u16 metaLen or the frame its u16 length. */
export function encodeStateBatch(records: readonly StateRecord[], o: FrameOptions = {}): Uint8Array {
  const metas = records.map(metaBytes);
  for (const m of metas) {
    if (m.byteLength > 0xffff) throw new RangeError(`state metadata ${m.byteLength} bytes exceeds 65535`);
  }
  let size = 4;
  for (const m of metas) size += STATE_RECORD_HEAD_BYTES + m.byteLength;
  const p = new Uint8Array(size);
  const v = new DataView(p.buffer);
  v.setUint32(0, records.length, true);
  let off = 4;
  records.forEach((r, i) => {
    const m = metas[i]!;
    v.setUint32(off, r.id, true);
    p[off + 4] = r.state;
    p[off + 5] = r.flags ?? 0;
    v.setUint16(off + 6, m.byteLength, true);
    p.set(m, off + 8);
    off += STATE_RECORD_HEAD_BYTES + m.byteLength;
  });
  return encodeFrame(FrameType.STATE_BATCH, p, o);
}

export interface MetricsRecord {
  id: number;
  tasks: number;
  successRate: number;
  avgMs: number;
  cpu: number;
  mem: number | bigint;
}

export function encodeMetrics(records: readonly MetricsRecord[], o: FrameOptions = {}): Uint8Array {
  const p = new Uint8Array(records.length * METRICS_RECORD_BYTES);
  const v = new DataView(p.buffer);
  records.forEach((r, i) => {
    const off = i * METRICS_RECORD_BYTES;
    v.setUint32(off, r.id, true);
    v.setUint32(off + 4, r.tasks, true);
    v.setFloat32(off + 8, r.successRate, true);
    v.setFloat32(off + 12, r.avgMs, true);
    v.setFloat32(off + 16, r.cpu, true);
    v.setBigUint64(off + 20, BigInt(r.mem), true);
  });
  return encodeFrame(FrameType.PERFORMANCE_METRICS, p, o);
}

export function encodeCoordination(message: unknown, o: FrameOptions = {}): Uint8Array {
  return encodeFrame(FrameType.COORDINATION_EVENT, utf8.encode(JSON.stringify(message)), o);
}

/** HEARTBEAT: empty, or the server time in ms as u64 (a bigint is written exactly). */
export function encodeHeartbeat(serverTimeMs?: number | bigint, o: FrameOptions = {}): Uint8Array {
  if (serverTimeMs === undefined) return encodeFrame(FrameType.HEARTBEAT, new Uint8Array(0), o);
  const p = new Uint8Array(8);
  const t = typeof serverTimeMs === 'bigint' ? serverTimeMs : BigInt(Math.trunc(serverTimeMs));
  new DataView(p.buffer).setBigUint64(0, BigInt.asUintN(64, t), true);
  return encodeFrame(FrameType.HEARTBEAT, p, o);
}

export function encodeErrorFrame(code: number, message: string, o: FrameOptions = {}): Uint8Array {
  const m = utf8.encode(message);
  const p = new Uint8Array(2 + m.byteLength);
  new DataView(p.buffer).setUint16(0, code, true);
  p.set(m, 2);
  return encodeFrame(FrameType.ERROR, p, o);
}

/** A frame whose payload is `compress(payload)`, with the compressed flag set. */
export function encodeCompressedFrame(
  type: number,
  payload: Uint8Array,
  compress: (b: Uint8Array) => Uint8Array,
  o: FrameOptions = {},
): Uint8Array {
  const flags = o.flags !== undefined ? o.flags | FLAG_COMPRESSED : undefined;
  return encodeFrame(type, compress(payload), { ...o, compressed: true, ...(flags !== undefined ? { flags } : {}) });
}

/** COMPRESSED_BATCH: magic, 0x05, original length u32, then `compress(frames)` to the end of the message. */
export function encodeCompressedBatch(frames: Uint8Array, compress: (b: Uint8Array) => Uint8Array): Uint8Array {
  const body = compress(frames);
  const out = new Uint8Array(COMPRESSED_HEAD_BYTES + body.byteLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC_LE, true);
  out[4] = FrameType.COMPRESSED_BATCH;
  v.setUint32(5, frames.byteLength, true);
  out.set(body, COMPRESSED_HEAD_BYTES);
  return out;
}
