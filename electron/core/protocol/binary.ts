// Decoder for AGNT binary frames. One WebSocket message carries one or more
// frames back to back (docs/PROTOCOL.md). Decoding writes into a reusable
// DecodedMessage of typed arrays: no object per agent, and no throw for any
// input — a bad frame becomes a ProtocolError entry and ends that message.

import {
  COMPRESSED_HEAD_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  FLAG_COMPRESSED,
  FLAG_PRIORITY_MASK,
  FLAG_PRIORITY_SHIFT,
  FLAG_RESERVED_MASK,
  FRAME_TYPE_NAMES,
  FrameType,
  HEADER_BYTES,
  MAGIC_BYTES,
  MAX_FRAME_PAYLOAD,
  METRICS_RECORD_BYTES,
  POSITION_COUNT_BYTES,
  POSITION_RECORD_BYTES,
  POSITION_RECORD_WORDS,
  STATE_RECORD_HEAD_BYTES,
} from './constants.js';
import { grownCapacity, MAX_JSON_DEPTH, resized } from '../../../shared/index.js';
import { PositionKernel, simdKernelAvailable } from './position-kernel.js';
import { textNestsDeeperThan } from './json-shape.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const TWO_POW_32 = 0x1_0000_0000;
/** A u64 whose high word is below this fits a double exactly (< 2^53). */
const EXACT_HIGH_WORD_LIMIT = 0x20_0000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Inflates `data` with the session's negotiated algorithm. Must not produce
 * more than `maxBytes`: throw (ideally an InflateLimitError) instead, having
 * stopped inflating at the limit. Returning more is treated as over the limit.
 */
export type Inflater = (data: Uint8Array, maxBytes: number) => Uint8Array;

/** Thrown by an Inflater whose output would pass its maxBytes. */
export class InflateLimitError extends RangeError {
  constructor(readonly maxBytes: number) {
    super(`inflated output exceeds ${maxBytes} bytes`);
    this.name = 'InflateLimitError';
  }
}

/** What decodeMessage reports per frame to DecodeOptions.onFrame. One object, reused: copy what you keep. */
export interface FrameInfo {
  /** Frame number within the message, counting batches and their inner frames in wire order. */
  index: number;
  /** Byte offset of the frame's header (within the inflated batch when `batch` >= 0). */
  offset: number;
  /** Offset of the enclosing COMPRESSED_BATCH in the message, or -1 at top level. */
  batch: number;
  type: number;
  /** Flags byte (0 for COMPRESSED_BATCH, which has none). */
  flags: number;
  priority: number;
  /** Payload bytes on the wire (compressed bytes for a compressed frame or batch). */
  length: number;
  /** Payload bytes after inflating (= length when not compressed; the original length for a batch). */
  inflatedLength: number;
  compressed: boolean;
  /** False for an unknown type, skipped by its length. */
  known: boolean;
  /** First index this frame appended to its column/list (positions, states, metrics, coordination, heartbeats, errorFrames). */
  start: number;
  /** Records appended (agents, states, metrics; 1 for coordination, heartbeat, error; 0 for unknown/batch). */
  count: number;
}

export interface DecodeOptions {
  /** Required to read compressed frames; without it they are protocol errors (kind not_negotiated). */
  inflate?: Inflater;
  /** Most bytes one message may inflate to, all compressed frames and batches together. Default 16 MiB. */
  maxInflatedBytes?: number;
  /** Called after each frame that decoded (including unknown ones skipped, and a batch before its inner frames). */
  onFrame?: (frame: FrameInfo, out: DecodedMessage) => void;
}

/** Stable machine-readable class of a ProtocolError (docs/PROTOCOL.md, "Bad input"). */
export type ProtocolErrorKind =
  | 'empty_message'
  | 'bad_magic'
  | 'truncated_header'
  | 'length_past_end'
  | 'count_mismatch'
  | 'state_overflow'
  | 'metrics_length'
  | 'bad_length'
  | 'non_finite'
  | 'bad_utf8'
  | 'bad_json'
  | 'not_negotiated'
  | 'inflate_limit'
  | 'inflate_failed'
  | 'inflated_size_mismatch'
  | 'nested_batch'
  | 'compressed_in_batch';

export interface ProtocolError {
  /** Frame type byte at the failing offset, or -1 when the header itself was unreadable. */
  frameType: number;
  /** Byte offset of the failing frame within the message (within the inflated batch when `batch` >= 0). */
  offset: number;
  reason: string;
  /** Up to 16 bytes from the failing offset, hex. */
  hex: string;
  kind: ProtocolErrorKind;
  /** Offset of the enclosing COMPRESSED_BATCH in the message, or -1 at top level. */
  batch: number;
}

export interface ErrorFrame {
  code: number;
  message: string;
  /** Priority (0-3) from the frame's flags. */
  priority: number;
}

/**
 * How POSITION_UPDATE records are checked: 'simd' (the WebAssembly kernel,
 * position-kernel.ts; the default where it runs) or 'js' (recordsFinite below,
 * which is also the exact check behind the kernel).
 */
export type PositionDecoder = 'simd' | 'js';

/** The decoder used when none is asked for. */
export const DEFAULT_POSITION_DECODER: PositionDecoder = LITTLE_ENDIAN_HOST && simdKernelAvailable() ? 'simd' : 'js';

/**
 * Decoded POSITION_UPDATE records, kept as on the wire: record i is words
 * 7i..7i+6 (POSITION_RECORD_WORDS), the id read from `u32`, then x, y, z, vx,
 * vy, vz from `f32` (host byte order). Not de-interleaved into columns: the
 * store scatters each record into its agent's slot anyway, so columns here
 * would be a second copy of every coordinate. `count` records are valid.
 */
export class PositionRecords {
  count = 0;
  f32 = new Float32Array(0);
  u32 = new Uint32Array(0);
  /** @internal The same memory as bytes, for the frame copy. */
  bytes = new Uint8Array(0);
  /** @internal The SIMD kernel whose memory holds the records ('simd', once there are any). */
  kernel: PositionKernel | null = null;

  constructor(readonly decoder: PositionDecoder = DEFAULT_POSITION_DECODER) {
    if (decoder === 'simd' && !(LITTLE_ENDIAN_HOST && simdKernelAvailable())) {
      throw new Error('the SIMD position decoder needs WebAssembly SIMD on a little-endian host');
    }
  }

  /** Room for `total` records, keeping the first `count`. */
  reserve(total: number): void {
    const have = Math.floor(this.bytes.byteLength / POSITION_RECORD_BYTES);
    if (total <= have) return;
    const bytes = grownCapacity(have, total, 64) * POSITION_RECORD_BYTES;
    if (this.decoder === 'simd') {
      // Created on first use: a DecodedMessage that never sees positions holds no wasm memory.
      const k = (this.kernel ??= PositionKernel.create()!);
      k.reserve(bytes);
      this.bytes = k.bytes;
      this.f32 = k.f32;
      this.u32 = k.u32;
      return;
    }
    this.bytes = resized(this.bytes, bytes, this.count * POSITION_RECORD_BYTES);
    this.f32 = new Float32Array(this.bytes.buffer);
    this.u32 = new Uint32Array(this.bytes.buffer);
  }

  /** Writes record i (tests and tools; the decoder copies whole frames). */
  set(i: number, id: number, x: number, y: number, z: number, vx: number, vy: number, vz: number): void {
    const w = i * POSITION_RECORD_WORDS;
    this.u32[w] = id;
    this.f32[w + 1] = x;
    this.f32[w + 2] = y;
    this.f32[w + 3] = z;
    this.f32[w + 4] = vx;
    this.f32[w + 5] = vy;
    this.f32[w + 6] = vz;
  }
}

export class StateColumns {
  count = 0;
  ids = new Uint32Array(0);
  codes = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Metadata JSON text (an object) of record i, only for records that carried some. */
  meta = new Map<number, string>();

  reserve(total: number): void {
    if (total <= this.ids.length) return;
    const cap = grownCapacity(this.ids.length, total, 64);
    this.ids = resized(this.ids, cap, this.count);
    this.codes = resized(this.codes, cap, this.count);
    this.flags = resized(this.flags, cap, this.count);
  }
}

export class MetricsColumns {
  count = 0;
  ids = new Uint32Array(0);
  tasks = new Uint32Array(0);
  successRate = new Float32Array(0);
  avgMs = new Float32Array(0);
  cpu = new Float32Array(0);
  /** Bytes as a Number: exact below 2^53, else the nearest double (the exact value is in memExact). */
  mem = new Float64Array(0);
  memExact = new Map<number, bigint>();

  reserve(total: number): void {
    if (total <= this.ids.length) return;
    const cap = grownCapacity(this.ids.length, total, 16);
    const n = this.count;
    this.ids = resized(this.ids, cap, n);
    this.tasks = resized(this.tasks, cap, n);
    this.successRate = resized(this.successRate, cap, n);
    this.avgMs = resized(this.avgMs, cap, n);
    this.cpu = resized(this.cpu, cap, n);
    this.mem = resized(this.mem, cap, n);
  }
}

/** Everything one WebSocket message decoded to. Reuse one instance per connection. */
export class DecodedMessage {
  readonly positions: PositionRecords;
  readonly states = new StateColumns();
  readonly metrics = new MetricsColumns();
  /** COORDINATION_EVENT payloads (UTF-8 JSON text, to be normalised by json.ts). */
  coordination: string[] = [];
  /** Priority (0-3) of each coordination frame, parallel to `coordination`. */
  coordinationPriorities: number[] = [];
  /**
   * HEARTBEAT frames: server time in ms, or null for an empty heartbeat. A u64
   * above 2^53 - 1 is the nearest double here and exact in heartbeatsExact.
   */
  heartbeats: (number | null)[] = [];
  /** Index into `heartbeats` → exact value, only for times above Number.MAX_SAFE_INTEGER. */
  heartbeatsExact = new Map<number, bigint>();
  errorFrames: ErrorFrame[] = [];
  protocolErrors: ProtocolError[] = [];
  /** Frames decoded successfully (compressed batches count their inner frames, not themselves). */
  frames = 0;
  unknownFrames = 0;
  reservedFlagFrames = 0;
  /** COMPRESSED_BATCH frames that inflated (their inner frames may still be bad). */
  compressedBatches = 0;
  /** Bytes inflated for this message (frames and batches). */
  inflatedBytes = 0;
  /** Highest priority (0-3) of any decoded frame in the message. */
  maxPriority = 0;

  constructor(decoder: PositionDecoder = DEFAULT_POSITION_DECODER) {
    this.positions = new PositionRecords(decoder);
  }

  reset(): void {
    this.positions.count = 0;
    this.states.count = 0;
    // Map#clear allocates a fresh table even when empty: skip it on the hot path.
    if (this.states.meta.size) this.states.meta.clear();
    this.metrics.count = 0;
    if (this.metrics.memExact.size) this.metrics.memExact.clear();
    // Fresh lists rather than truncation: a consumer may still hold the previous ones.
    if (this.coordination.length) this.coordination = [];
    if (this.coordinationPriorities.length) this.coordinationPriorities = [];
    if (this.heartbeats.length) this.heartbeats = [];
    if (this.heartbeatsExact.size) this.heartbeatsExact = new Map();
    if (this.errorFrames.length) this.errorFrames = [];
    if (this.protocolErrors.length) this.protocolErrors = [];
    this.frames = 0;
    this.unknownFrames = 0;
    this.reservedFlagFrames = 0;
    this.compressedBatches = 0;
    this.inflatedBytes = 0;
    this.maxPriority = 0;
  }
}

export function hexExcerpt(bytes: Uint8Array, offset: number, max = 16): string {
  const end = Math.min(bytes.length, Math.max(0, offset) + max);
  let s = '';
  for (let i = Math.max(0, offset); i < end; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

const NO_OPTIONS: DecodeOptions = Object.freeze({});

/** Per-call decode state (one allocation per message, not per frame). */
interface Ctx {
  out: DecodedMessage;
  opts: DecodeOptions;
  limit: number;
  info: FrameInfo | null;
  frameIndex: number;
  /** Enclosing batch offset for errors/frames, -1 at top level. */
  batch: number;
}

/**
 * Decodes one WebSocket binary message into `out` (reset first).
 * Never throws for any input (a throwing onFrame callback propagates):
 * bad frames become `out.protocolErrors` entries.
 */
export function decodeMessage(bytes: Uint8Array, out: DecodedMessage, opts: DecodeOptions = NO_OPTIONS): void {
  out.reset();
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const ctx: Ctx = {
    out,
    opts,
    limit: Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : DEFAULT_MAX_INFLATED_BYTES,
    info: opts.onFrame ? newFrameInfo() : null,
    frameIndex: 0,
    batch: -1,
  };
  if (bytes.byteLength === 0) {
    fail(ctx, bytes, 0, -1, 'empty_message', 'empty message: a binary message carries at least one frame');
    return;
  }
  decodeFrames(bytes, ctx);
}

function newFrameInfo(): FrameInfo {
  return {
    index: 0,
    offset: 0,
    batch: -1,
    type: 0,
    flags: 0,
    priority: 0,
    length: 0,
    inflatedLength: 0,
    compressed: false,
    known: true,
    start: 0,
    count: 0,
  };
}

function fail(ctx: Ctx, bytes: Uint8Array, off: number, type: number, kind: ProtocolErrorKind, reason: string): void {
  ctx.out.protocolErrors.push({ frameType: type, offset: off, reason, hex: hexExcerpt(bytes, off), kind, batch: ctx.batch });
}

function decodeFrames(bytes: Uint8Array, ctx: Ctx): void {
  const end = bytes.byteLength;
  const out = ctx.out;
  const nested = ctx.batch >= 0;
  let off = 0;
  while (off < end) {
    const left = end - off;
    // Magic first, on whatever bytes there are: a short tail that is not
    // "AGNT" is garbage, one that is a prefix of it is a truncated header.
    const m = left < 4 ? left : 4;
    for (let i = 0; i < m; i++) {
      if (bytes[off + i] !== MAGIC_BYTES[i]) {
        fail(ctx, bytes, off, -1, 'bad_magic', 'bad magic (expected "AGNT" 41 47 4e 54)');
        return;
      }
    }
    if (left < 5) {
      fail(ctx, bytes, off, -1, 'truncated_header', `truncated header: ${left} bytes left, need ${HEADER_BYTES}`);
      return;
    }
    const type = bytes[off + 4]!;
    if (type === FrameType.COMPRESSED_BATCH) {
      if (nested) {
        fail(ctx, bytes, off, type, 'nested_batch', 'COMPRESSED_BATCH inside a compressed batch');
        return;
      }
      decodeCompressedBatch(bytes, off, ctx);
      return; // a compressed batch runs to the end of the message
    }
    if (left < HEADER_BYTES) {
      fail(ctx, bytes, off, type, 'truncated_header', `truncated header: ${left} bytes left, need ${HEADER_BYTES}`);
      return;
    }
    const flags = bytes[off + 5]!;
    const length = bytes[off + 6]! | (bytes[off + 7]! << 8);
    const payloadOff = off + HEADER_BYTES;
    if (length > end - payloadOff) {
      fail(ctx, bytes, off, type, 'length_past_end', `length ${length} runs past the end of the message (${end - payloadOff} bytes left)`);
      return;
    }
    if (flags & FLAG_RESERVED_MASK) out.reservedFlagFrames++;
    const priority = (flags & FLAG_PRIORITY_MASK) >> FLAG_PRIORITY_SHIFT;
    const known = FRAME_TYPE_NAMES[type] !== undefined;
    let payload = bytes.subarray(payloadOff, payloadOff + length);
    let start = 0;
    let count = 0;
    if (!known) {
      out.unknownFrames++; // skipped by its length, never inflated
    } else {
      if (flags & FLAG_COMPRESSED) {
        if (nested) {
          fail(ctx, bytes, off, type, 'compressed_in_batch', 'compressed frame inside a COMPRESSED_BATCH');
          return;
        }
        // The inflated payload keeps the u16 bound of an uncompressed one.
        const inflated = inflate(ctx, payload, MAX_FRAME_PAYLOAD, `compressed ${frameTypeName(type)} payload`);
        if (inflated.error !== null) {
          fail(ctx, bytes, off, type, inflated.kind, inflated.error);
          return;
        }
        payload = inflated.data;
      }
      // Record where this frame's records start, for onFrame.
      start = startOf(out, type);
      const err = decodePayload(type, payload, out, priority);
      if (err !== null) {
        fail(ctx, bytes, off, type, err.kind, err.reason);
        return;
      }
      count = startOf(out, type) - start;
    }
    if (priority > out.maxPriority) out.maxPriority = priority;
    const info = ctx.info;
    if (info !== null) {
      info.index = ctx.frameIndex;
      info.offset = off;
      info.batch = ctx.batch;
      info.type = type;
      info.flags = flags;
      info.priority = priority;
      info.length = length;
      info.inflatedLength = payload.byteLength;
      info.compressed = (flags & FLAG_COMPRESSED) !== 0;
      info.known = known;
      info.start = start;
      info.count = count;
      ctx.opts.onFrame!(info, out);
    }
    ctx.frameIndex++;
    off = payloadOff + length;
  }
}

function startOf(out: DecodedMessage, type: number): number {
  switch (type) {
    case FrameType.POSITION_UPDATE:
      return out.positions.count;
    case FrameType.STATE_BATCH:
      return out.states.count;
    case FrameType.PERFORMANCE_METRICS:
      return out.metrics.count;
    case FrameType.COORDINATION_EVENT:
      return out.coordination.length;
    case FrameType.HEARTBEAT:
      return out.heartbeats.length;
    case FrameType.ERROR:
      return out.errorFrames.length;
    default:
      return 0;
  }
}

type InflateResult = { data: Uint8Array; error: null } | { data: null; error: string; kind: ProtocolErrorKind };

/** Inflates within both `cap` and what is left of the message's budget. */
function inflate(ctx: Ctx, data: Uint8Array, cap: number, what: string): InflateResult {
  const inflater = ctx.opts.inflate;
  if (!inflater) {
    return { data: null, error: `${what} but no compression was negotiated`, kind: 'not_negotiated' };
  }
  const budget = ctx.limit - ctx.out.inflatedBytes;
  const max = Math.min(cap, budget);
  if (max < 1) {
    return { data: null, error: `${what}: message already inflated ${ctx.out.inflatedBytes} bytes, limit ${ctx.limit}`, kind: 'inflate_limit' };
  }
  let result: Uint8Array;
  try {
    result = inflater(data, max);
  } catch (e) {
    if (e instanceof InflateLimitError || (e instanceof RangeError && (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')) {
      return { data: null, error: `${what} inflates past ${max} bytes`, kind: 'inflate_limit' };
    }
    return { data: null, error: `${what}: inflate failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'inflate_failed' };
  }
  if (result.byteLength > max) {
    return { data: null, error: `${what} inflates past ${max} bytes`, kind: 'inflate_limit' };
  }
  ctx.out.inflatedBytes += result.byteLength;
  return { data: result, error: null };
}

function decodeCompressedBatch(bytes: Uint8Array, off: number, ctx: Ctx): void {
  const type = FrameType.COMPRESSED_BATCH;
  const out = ctx.out;
  if (bytes.byteLength - off < COMPRESSED_HEAD_BYTES) {
    fail(ctx, bytes, off, type, 'truncated_header', `truncated COMPRESSED_BATCH header: ${bytes.byteLength - off} bytes left, need ${COMPRESSED_HEAD_BYTES}`);
    return;
  }
  const original = readU32(bytes, off + 5);
  const budget = ctx.limit - out.inflatedBytes;
  // Refuse before inflating anything: the header alone is enough to say no.
  if (original > budget) {
    fail(ctx, bytes, off, type, 'inflate_limit', `COMPRESSED_BATCH original length ${original} exceeds limit ${budget}`);
    return;
  }
  if (original === 0) {
    fail(ctx, bytes, off, type, 'empty_message', 'COMPRESSED_BATCH original length 0: a batch carries at least one frame');
    return;
  }
  const body = bytes.subarray(off + COMPRESSED_HEAD_BYTES);
  // Inflating stops at `original` bytes: more than the header said is a bomb or a lie.
  const inflated = inflate(ctx, body, original, 'COMPRESSED_BATCH');
  if (inflated.error !== null) {
    fail(ctx, bytes, off, type, inflated.kind, inflated.error);
    return;
  }
  if (inflated.data.byteLength !== original) {
    fail(
      ctx,
      bytes,
      off,
      type,
      'inflated_size_mismatch',
      `COMPRESSED_BATCH inflated to ${inflated.data.byteLength} bytes, header says ${original}`,
    );
    return;
  }
  out.compressedBatches++;
  const info = ctx.info;
  if (info !== null) {
    info.index = ctx.frameIndex;
    info.offset = off;
    info.batch = -1;
    info.type = type;
    info.flags = 0;
    info.priority = 0;
    info.length = body.byteLength;
    info.inflatedLength = original;
    info.compressed = true;
    info.known = true;
    info.start = 0;
    info.count = 0;
    ctx.opts.onFrame!(info, out);
  }
  ctx.frameIndex++;
  ctx.batch = off;
  decodeFrames(inflated.data, ctx);
  ctx.batch = -1;
}

interface PayloadError {
  kind: ProtocolErrorKind;
  reason: string;
}

function perr(kind: ProtocolErrorKind, reason: string): PayloadError {
  return { kind, reason };
}

/** Returns null on success, or why the payload is bad (nothing of it is kept). */
function decodePayload(type: number, p: Uint8Array, out: DecodedMessage, priority: number): PayloadError | null {
  switch (type) {
    case FrameType.POSITION_UPDATE:
      return decodePositions(p, out);
    case FrameType.STATE_BATCH:
      return decodeStates(p, out);
    case FrameType.PERFORMANCE_METRICS:
      return decodeMetrics(p, out);
    case FrameType.COORDINATION_EVENT: {
      const text = decodeUtf8(p);
      if (text === null) return perr('bad_utf8', 'COORDINATION_EVENT payload is not valid UTF-8');
      out.coordination.push(text);
      out.coordinationPriorities.push(priority);
      out.frames++;
      return null;
    }
    case FrameType.HEARTBEAT: {
      if (p.byteLength === 0) out.heartbeats.push(null);
      else if (p.byteLength === 8) {
        const lo = readU32(p, 0);
        const hi = readU32(p, 4);
        if (hi < EXACT_HIGH_WORD_LIMIT) out.heartbeats.push(hi * TWO_POW_32 + lo);
        else {
          // Past 2^53 a Number cannot hold it: keep the nearest double and the exact BigInt.
          const big = (BigInt(hi) << 32n) | BigInt(lo);
          out.heartbeatsExact.set(out.heartbeats.length, big);
          out.heartbeats.push(Number(big));
        }
      } else return perr('bad_length', `HEARTBEAT payload must be 0 or 8 bytes, got ${p.byteLength}`);
      out.frames++;
      return null;
    }
    case FrameType.ERROR: {
      if (p.byteLength < 2) return perr('bad_length', `ERROR payload must be at least 2 bytes, got ${p.byteLength}`);
      const message = decodeUtf8(p.subarray(2));
      if (message === null) return perr('bad_utf8', 'ERROR message is not valid UTF-8');
      out.errorFrames.push({ code: p[0]! | (p[1]! << 8), message, priority });
      out.frames++;
      return null;
    }
    default:
      return null; // unreachable: unknown types are skipped before this
  }
}

function readU32(p: Uint8Array, o: number): number {
  return (p[o]! | (p[o + 1]! << 8) | (p[o + 2]! << 16) | (p[o + 3]! << 24)) >>> 0;
}

function decodeUtf8(p: Uint8Array): string | null {
  try {
    return utf8.decode(p);
  } catch {
    return null;
  }
}

function decodePositions(p: Uint8Array, out: DecodedMessage): PayloadError | null {
  const len = p.byteLength;
  if (len < POSITION_COUNT_BYTES) {
    return perr('count_mismatch', `POSITION_UPDATE payload too short for count (${len} bytes)`);
  }
  const count = readU32(p, 0);
  // Compare via the record bytes so a huge count cannot overflow anything.
  if ((len - POSITION_COUNT_BYTES) / POSITION_RECORD_BYTES !== count) {
    return perr(
      'count_mismatch',
      `POSITION_UPDATE count ${count} needs length ${POSITION_COUNT_BYTES + POSITION_RECORD_BYTES * count}, frame has ${len}`,
    );
  }
  const recs = out.positions;
  const base = recs.count;
  recs.reserve(base + count);
  let finite: boolean;
  if (LITTLE_ENDIAN_HOST) {
    // One memcpy: the records are kept as they arrive.
    const at = base * POSITION_RECORD_BYTES;
    recs.bytes.set(p.subarray(POSITION_COUNT_BYTES), at);
    const kernel = recs.kernel;
    finite = (kernel !== null && kernel.finite(at, count) === 0) || recordsFinite(recs.f32, base, count);
  } else {
    copyRecordsDataView(p, count, base, recs);
    finite = recordsFinite(recs.f32, base, count);
  }
  // The records were written past `count`, which only moves on success: nothing of a bad frame is kept.
  if (!finite) return perr('non_finite', 'POSITION_UPDATE holds a NaN or infinite coordinate');
  recs.count = base + count;
  out.frames++;
  return null;
}

/**
 * Exact finiteness of records base..base+count-1, two records per iteration
 * (measured faster than one). No branch per value: a double sum of float32
 * values cannot overflow, so it is finite iff every term is; NaN and ±Infinity
 * propagate into `acc`, and acc - acc is 0 only for a finite acc.
 */
function recordsFinite(f32: Float32Array, base: number, count: number): boolean {
  let acc = 0;
  let w = base * POSITION_RECORD_WORDS;
  const pairsEnd = w + (count & ~1) * POSITION_RECORD_WORDS;
  for (; w < pairsEnd; w += 2 * POSITION_RECORD_WORDS) {
    acc +=
      f32[w + 1]! + f32[w + 2]! + f32[w + 3]! + f32[w + 4]! + f32[w + 5]! + f32[w + 6]! +
      f32[w + 8]! + f32[w + 9]! + f32[w + 10]! + f32[w + 11]! + f32[w + 12]! + f32[w + 13]!;
  }
  if ((count & 1) !== 0) acc += f32[w + 1]! + f32[w + 2]! + f32[w + 3]! + f32[w + 4]! + f32[w + 5]! + f32[w + 6]!;
  return acc - acc === 0;
}

/** Big-endian hosts: the same records in host byte order, through DataView. */
function copyRecordsDataView(p: Uint8Array, count: number, base: number, recs: PositionRecords): void {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  for (let i = 0, o = POSITION_COUNT_BYTES, w = base * POSITION_RECORD_WORDS; i < count; i++, o += POSITION_RECORD_BYTES, w += POSITION_RECORD_WORDS) {
    recs.u32[w] = v.getUint32(o, true);
    for (let k = 1; k < POSITION_RECORD_WORDS; k++) recs.f32[w + k] = v.getFloat32(o + 4 * k, true);
  }
}

function decodeStates(p: Uint8Array, out: DecodedMessage): PayloadError | null {
  const len = p.byteLength;
  if (len < 4) return perr('count_mismatch', `STATE_BATCH payload too short for count (${len} bytes)`);
  const count = readU32(p, 0);
  // Each record is at least 8 bytes; reject counts the payload cannot hold before reserving.
  if (count > (len - 4) / STATE_RECORD_HEAD_BYTES) {
    return perr('state_overflow', `STATE_BATCH count ${count} cannot fit in ${len} bytes`);
  }
  const cols = out.states;
  const base = cols.count;
  cols.reserve(base + count);
  let metas: [number, string][] | null = null;
  let o = 4;
  for (let i = 0; i < count; i++) {
    if (o + STATE_RECORD_HEAD_BYTES > len) return perr('state_overflow', `STATE_BATCH record ${i} at ${o} runs past the frame`);
    const metaLen = p[o + 6]! | (p[o + 7]! << 8);
    const metaOff = o + STATE_RECORD_HEAD_BYTES;
    if (metaOff + metaLen > len) {
      return perr('state_overflow', `STATE_BATCH record ${i} metadata (${metaLen} bytes) runs past the frame`);
    }
    cols.ids[base + i] = readU32(p, o);
    cols.codes[base + i] = p[o + 4]!;
    cols.flags[base + i] = p[o + 5]!;
    if (metaLen > 0) {
      const text = decodeUtf8(p.subarray(metaOff, metaOff + metaLen));
      if (text === null) return perr('bad_utf8', `STATE_BATCH record ${i} metadata is not valid UTF-8`);
      const problem = jsonObjectProblem(text);
      if (problem !== null) return perr('bad_json', `STATE_BATCH record ${i} metadata ${problem}`);
      (metas ??= []).push([base + i, text]);
    }
    o = metaOff + metaLen;
  }
  if (o !== len) return perr('count_mismatch', `STATE_BATCH has ${len - o} bytes after its ${count} records`);
  if (metas !== null) for (const [i, text] of metas) cols.meta.set(i, text);
  cols.count = base + count;
  out.frames++;
  return null;
}

/** Null when `text` is a JSON object no deeper than MAX_JSON_DEPTH (the JSON messages' limit), else why not. */
function jsonObjectProblem(text: string): string | null {
  // Depth from the text first: deep input is refused before JSON.parse (slow or overflowing on it).
  if (textNestsDeeperThan(text, MAX_JSON_DEPTH)) return `is nested deeper than ${MAX_JSON_DEPTH}`;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'is not a JSON object';
  } catch {
    return 'is not a JSON object';
  }
}

function decodeMetrics(p: Uint8Array, out: DecodedMessage): PayloadError | null {
  const len = p.byteLength;
  if (len % METRICS_RECORD_BYTES !== 0) {
    return perr('metrics_length', `PERFORMANCE_METRICS length ${len} is not a multiple of ${METRICS_RECORD_BYTES}`);
  }
  const n = len / METRICS_RECORD_BYTES;
  const v = new DataView(p.buffer, p.byteOffset, len);
  const cols = out.metrics;
  const base = cols.count;
  cols.reserve(base + n);
  let bad = false;
  let exact: [number, bigint][] | null = null;
  for (let i = 0, o = 0; i < n; i++, o += METRICS_RECORD_BYTES) {
    const j = base + i;
    cols.ids[j] = v.getUint32(o, true);
    cols.tasks[j] = v.getUint32(o + 4, true);
    const s = v.getFloat32(o + 8, true);
    const a = v.getFloat32(o + 12, true);
    const c = v.getFloat32(o + 16, true);
    if (!(Number.isFinite(s) && Number.isFinite(a) && Number.isFinite(c))) bad = true;
    cols.successRate[j] = s;
    cols.avgMs[j] = a;
    cols.cpu[j] = c;
    const lo = v.getUint32(o + 20, true);
    const hi = v.getUint32(o + 24, true);
    if (hi < EXACT_HIGH_WORD_LIMIT) cols.mem[j] = hi * TWO_POW_32 + lo;
    else {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      cols.mem[j] = Number(big);
      (exact ??= []).push([j, big]);
    }
  }
  if (bad) return perr('non_finite', 'PERFORMANCE_METRICS holds a NaN or infinite value');
  if (exact !== null) for (const [j, big] of exact) cols.memExact.set(j, big);
  cols.count = base + n;
  out.frames++;
  return null;
}

export function frameTypeName(type: number): string {
  return FRAME_TYPE_NAMES[type] ?? `UNKNOWN(0x${type.toString(16).padStart(2, '0')})`;
}
