// Browser mode carries the IPC contract over one localhost WebSocket. A
// contract message becomes one binary WebSocket message:
//
//   u32 LE headerBytes | header (UTF-8 JSON) | pad to 8 | typed-array blobs, each 8-aligned
//
// header = {c: channel, p: payload with every typed array replaced by null,
//           b: [[path, kind, byteOffset, length], ...]}
// Typed arrays travel out of band, addressed by path, so no JSON a control
// plane sends (an event payload) can pose as a typed array. The receiver gets
// zero-copy views over the message buffer, then validates with the contract.
// No Node imports: the renderer bundles this file.

type Kind = 'u8' | 'u16' | 'u32' | 'f32' | 'f64' | 'i32';
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | Int32Array;
type PathSeg = string | number;
type Blob = [PathSeg[], Kind, number, number];

export interface WireMessage {
  channel: string;
  payload: unknown;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function kindOf(v: ArrayBufferView): Kind | null {
  if (v instanceof Uint8Array) return 'u8';
  if (v instanceof Uint16Array) return 'u16';
  if (v instanceof Uint32Array) return 'u32';
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Int32Array) return 'i32';
  return null;
}

function strip(v: unknown, path: PathSeg[], out: { path: PathSeg[]; arr: TypedArray }[]): unknown {
  if (ArrayBuffer.isView(v)) {
    if (kindOf(v) === null) throw new TypeError(`wire: unsupported typed array at ${path.join('.')}`);
    out.push({ path, arr: v as TypedArray });
    return null;
  }
  if (Array.isArray(v)) return v.map((x, i) => strip(x, [...path, i], out));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // Scalars and strings need no walk; only containers may hold typed arrays.
      o[k] = x !== null && typeof x === 'object' ? strip(x, [...path, k], out) : x;
    }
    return o;
  }
  return v;
}

/**
 * Packs a contract message. `alloc` may supply the output buffer (at least
 * `bytes` long, e.g. from a pool); the result is a view of its first bytes.
 */
export function packMessage(channel: string, payload: unknown, alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n)): Uint8Array {
  const found: { path: PathSeg[]; arr: TypedArray }[] = [];
  const p = strip(payload, [], found);
  // Offsets are relative to the blob area, which starts 8-aligned.
  const blobs: Blob[] = [];
  let size = 0;
  for (const f of found) {
    blobs.push([f.path, kindOf(f.arr)!, size, f.arr.length]);
    size += (f.arr.byteLength + 7) & ~7;
  }
  const header = enc.encode(JSON.stringify({ c: channel, p, b: blobs }));
  const blobStart = (4 + header.byteLength + 7) & ~7;
  const total = blobStart + size;
  const out = alloc(total).subarray(0, total);
  // A pooled buffer holds an older message: clear the padding gaps (offsets stay deterministic).
  out.fill(0, 4 + header.byteLength, blobStart);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(0, header.byteLength, true);
  out.set(header, 4);
  for (let i = 0; i < found.length; i++) {
    const a = found[i]!.arr;
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), blobStart + blobs[i]![2]);
  }
  return out;
}

/**
 * Reuses send buffers: a frame of 50,000 agents is ~700 KB, and a fresh one
 * per frame is tens of MB/s of large-object garbage whose collection shows as
 * latency spikes. A buffer returns to the pool when its send has completed.
 */
export class SendBufferPool {
  private readonly free: Uint8Array[] = [];
  constructor(private readonly keep = 2) {}

  take(bytes: number): Uint8Array {
    const i = this.free.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    // Headroom, so a slowly growing swarm does not allocate on every frame.
    return new Uint8Array(Math.ceil(bytes * 1.25));
  }

  give(buf: Uint8Array): void {
    if (this.free.length < this.keep) this.free.push(buf);
  }
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Throws a plain Error with a reason on any malformed input. */
export function unpackMessage(buf: ArrayBuffer): WireMessage {
  if (buf.byteLength < 4) throw new Error('wire: message shorter than its header length');
  const headerBytes = new DataView(buf).getUint32(0, true);
  if (4 + headerBytes > buf.byteLength) throw new Error('wire: header runs past the message');
  const header: unknown = JSON.parse(dec.decode(new Uint8Array(buf, 4, headerBytes)));
  if (typeof header !== 'object' || header === null) throw new Error('wire: header is not an object');
  const { c, p, b } = header as { c?: unknown; p?: unknown; b?: unknown };
  if (typeof c !== 'string') throw new Error('wire: channel missing');
  if (!Array.isArray(b)) throw new Error('wire: blob table missing');
  const blobStart = (4 + headerBytes + 7) & ~7;
  for (const entry of b as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 4) throw new Error('wire: bad blob entry');
    const [path, kind, off, len] = entry as [unknown, unknown, unknown, unknown];
    if (!Array.isArray(path) || path.length === 0) throw new Error('wire: bad blob path');
    if (typeof off !== 'number' || typeof len !== 'number' || off % 8 !== 0 || len < 0) throw new Error('wire: bad blob range');
    const start = blobStart + off;
    const arr = makeView(kind, buf, start, len);
    setAt(p, path as unknown[], arr);
  }
  return { channel: c, payload: p };
}

function makeView(kind: unknown, buf: ArrayBuffer, start: number, len: number): TypedArray {
  const bytesPer = kind === 'u8' ? 1 : kind === 'u16' ? 2 : kind === 'f64' ? 8 : 4;
  if (start + len * bytesPer > buf.byteLength) throw new Error('wire: blob runs past the message');
  switch (kind) {
    case 'u8':
      return new Uint8Array(buf, start, len);
    case 'u16':
      return new Uint16Array(buf, start, len);
    case 'u32':
      return new Uint32Array(buf, start, len);
    case 'f32':
      return new Float32Array(buf, start, len);
    case 'f64':
      return new Float64Array(buf, start, len);
    case 'i32':
      return new Int32Array(buf, start, len);
    default:
      throw new Error(`wire: unknown blob kind ${String(kind)}`);
  }
}

function setAt(root: unknown, path: unknown[], value: TypedArray): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (typeof seg !== 'string' && typeof seg !== 'number') throw new Error('wire: bad path segment');
    if (typeof seg === 'string' && FORBIDDEN.has(seg)) throw new Error('wire: forbidden path segment');
    if (node === null || typeof node !== 'object') throw new Error('wire: blob path does not exist');
    const holder = node as Record<string | number, unknown>;
    if (!Object.prototype.hasOwnProperty.call(holder, seg)) throw new Error('wire: blob path does not exist');
    if (i === path.length - 1) {
      if (holder[seg] !== null) throw new Error('wire: blob path is not a placeholder');
      holder[seg] = value;
    } else {
      node = holder[seg];
    }
  }
}
