// Feeds recorded messages into planes that are never connected, through
// Plane.ingest: the same decoder, store and event path as live.
//
// A replayed plane never negotiated anything, so it has no inflater: binary
// messages that the live session received compressed (COMPRESSED_BATCH, or
// frames with the compressed flag) are inflated here first, with the
// algorithm the live session had negotiated (from the recorded status and
// client.session events). The frames the plane then decodes are the ones it
// decoded live. The file keeps the raw bytes.

import type { Plane } from '../connection/index.js';
import {
  COMPRESSED_HEAD_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  type EndpointName,
  FLAG_COMPRESSED,
  FRAME_TYPE_NAMES,
  FrameType,
  HEADER_BYTES,
  type Inflater,
  inflaterForNegotiated,
  MAGIC_BYTES,
  MAX_FRAME_PAYLOAD,
} from '../protocol/index.js';
import { type PlaneEvent, PlaneEventSchema, PlaneStatusSchema } from '../../../shared/index.js';
import type { RecMessage } from './reader.js';

const isMagic = (b: Uint8Array, off: number): boolean =>
  off + 4 <= b.byteLength && b[off] === MAGIC_BYTES[0] && b[off + 1] === MAGIC_BYTES[1] && b[off + 2] === MAGIC_BYTES[2] && b[off + 3] === MAGIC_BYTES[3];

/**
 * The message with its compressed batch or frames inflated, or the message
 * itself when nothing in it is compressed or something does not inflate (the
 * plane then reports it as it would).
 */
export function inflateForReplay(bytes: Uint8Array, inflate: Inflater | undefined): Uint8Array {
  if (!inflate) return bytes;
  const parts: Uint8Array[] = [];
  let changed = false;
  let off = 0;
  let budget = DEFAULT_MAX_INFLATED_BYTES;
  while (off < bytes.byteLength) {
    if (!isMagic(bytes, off) || off + 5 > bytes.byteLength) break;
    const type = bytes[off + 4]!;
    if (type === FrameType.COMPRESSED_BATCH) {
      if (off + COMPRESSED_HEAD_BYTES > bytes.byteLength) break;
      const original = new DataView(bytes.buffer, bytes.byteOffset + off + 5, 4).getUint32(0, true);
      if (original > budget) break;
      try {
        const inner = inflate(bytes.subarray(off + COMPRESSED_HEAD_BYTES), original);
        if (inner.byteLength !== original) break;
        parts.push(inner);
        changed = true;
        off = bytes.byteLength;
      } catch {
        // left as received
      }
      break;
    }
    if (off + HEADER_BYTES > bytes.byteLength) break;
    const flags = bytes[off + 5]!;
    const length = bytes[off + 6]! | (bytes[off + 7]! << 8);
    const end = off + HEADER_BYTES + length;
    if (end > bytes.byteLength) break;
    if (flags & FLAG_COMPRESSED && FRAME_TYPE_NAMES[type] !== undefined) {
      let payload: Uint8Array;
      try {
        payload = inflate(bytes.subarray(off + HEADER_BYTES, end), Math.min(MAX_FRAME_PAYLOAD, budget));
      } catch {
        break;
      }
      if (payload.byteLength > MAX_FRAME_PAYLOAD) break;
      budget -= payload.byteLength;
      const head = bytes.slice(off, off + HEADER_BYTES);
      head[5] = flags & ~FLAG_COMPRESSED;
      head[6] = payload.byteLength & 0xff;
      head[7] = payload.byteLength >> 8;
      parts.push(head, payload);
      changed = true;
    } else {
      parts.push(bytes.subarray(off, end));
    }
    off = end;
  }
  if (!changed) return bytes;
  if (off < bytes.byteLength) parts.push(bytes.subarray(off));
  return Buffer.concat(parts);
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One recorded plane's feed into its replay plane. */
export class PlaneFeed {
  /** Negotiated compression per endpoint as last recorded (undefined: before the handshake said). */
  private readonly compression = new Map<EndpointName, string | null | undefined>();
  private readonly inflaters = new Map<EndpointName, Inflater | undefined>();

  /** Server clock minus local clock when recorded (from the status records), as the live TTL check used it. */
  private clockOffsetMs = 0;
  /** Shifted timestamp → the recorded one, for the events of the message being applied (restore()). */
  private readonly shifted = new Map<string, string>();

  constructor(public plane: Plane) {}

  /**
   * A TTL'd message (metadata.ttl) is checked by the plane against its clock;
   * replayed later, every one would have expired. Its `timestamp` is moved by
   * the time since it arrived, so the check sees the age it had live (an
   * expired one stays expired); restore() puts the recorded one back in the
   * event it makes.
   */
  private forTtl(m: RecMessage): Buffer {
    const raw = asBuffer(m.data);
    if (!raw.includes('"ttl"')) return raw;
    let o: unknown;
    try {
      o = JSON.parse(raw.toString('utf8'));
    } catch {
      return raw;
    }
    const inner = isObj(o) && isObj(o.message) && 'channel' in o ? o.message : o;
    if (!isObj(inner) || typeof inner.timestamp !== 'string' || !isObj(inner.metadata) || typeof inner.metadata.ttl !== 'number') return raw;
    const sent = Date.parse(inner.timestamp);
    if (!Number.isFinite(sent)) return raw;
    const shift = Date.now() - m.timeMs - this.clockOffsetMs;
    const moved = new Date(sent + shift).toISOString();
    this.shifted.set(moved, inner.timestamp);
    if (this.shifted.size > 64) this.shifted.delete(this.shifted.keys().next().value!);
    inner.timestamp = moved;
    return Buffer.from(JSON.stringify(o), 'utf8');
  }

  /** The event as live: its recorded timestamp when forTtl moved it. */
  restore(ev: PlaneEvent): PlaneEvent {
    const t = ev.timestamp !== undefined ? this.shifted.get(ev.timestamp) : undefined;
    return t === undefined ? ev : { ...ev, timestamp: t };
  }

  /** Applies one recorded message of this plane. Returns the recorded client event when it is one (the plane does not make those itself in replay). */
  apply(m: RecMessage): PlaneEvent | null {
    const c = m.channel;
    switch (c.kind) {
      case 'json':
        this.plane.ingest(c.endpoint!, this.forTtl(m), false);
        return null;
      case 'agnt':
        this.plane.ingest(c.endpoint!, asBuffer(inflateForReplay(m.data, this.inflaterFor(c.endpoint!))), true);
        return null;
      case 'status':
        this.noteStatus(m.data);
        return null;
      case 'connection': {
        const ev = parseJson(m.data, PlaneEventSchema);
        if (ev?.type === 'client.session' && typeof ev.payload.endpoint === 'string') {
          const comp = ev.payload.compression;
          this.setCompression(ev.payload.endpoint as EndpointName, typeof comp === 'string' ? comp : null);
        }
        return ev;
      }
      case 'snapshot':
        return null;
    }
  }

  /** Compression state as of a status record (the one written with each snapshot). */
  noteStatus(data: Uint8Array): void {
    const st = parseJson(data, PlaneStatusSchema);
    if (st?.serverClockOffsetMs !== undefined) this.clockOffsetMs = st.serverClockOffsetMs;
    for (const e of st?.endpoints ?? []) if (e.compression !== undefined) this.setCompression(e.endpoint as EndpointName, e.compression);
  }

  private setCompression(endpoint: EndpointName, c: string | null): void {
    this.compression.set(endpoint, c);
    this.inflaters.set(endpoint, inflaterForNegotiated(c));
  }

  /** The inflater of the endpoint's negotiated compression, as recorded so far. */
  inflaterFor(endpoint: EndpointName): Inflater | undefined {
    if (!this.inflaters.has(endpoint)) this.inflaters.set(endpoint, inflaterForNegotiated(undefined));
    return this.inflaters.get(endpoint);
  }
}

function parseJson<T>(data: Uint8Array, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | null {
  try {
    const r = schema.safeParse(JSON.parse(asBuffer(data).toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * Live, the messages that arrive together are handled in one event-loop
 * turn, and channel messages of normal priority are delivered after it. A
 * replay loop that applies many messages at once must give the loop a turn
 * at the same boundaries, or a later binary frame overtakes a deferred JSON
 * update. The recorder marks each message with its turn (publish_time = log
 * time of the turn's first message); a new turn after a JSON message drains.
 */
export class TurnGate {
  private turn = -1n;
  private pending = false;

  /** True when the caller should let a turn pass (`nextTurn()`) before applying `m`. */
  before(m: RecMessage): boolean {
    const drain = this.pending && m.publishTime !== this.turn;
    if (drain) this.pending = false;
    this.turn = m.publishTime;
    if (m.channel.kind === 'json') this.pending = true;
    return drain;
  }
}

/** One turn of the event loop (channel deliveries queued before it have run after it). */
export const nextTurn = (): Promise<void> => new Promise<void>((r) => setImmediate(r));
