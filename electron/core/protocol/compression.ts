// Compression algorithms of compression.negotiate, on Node's zlib. The decoder
// receives an Inflater bound to the negotiated algorithm, or one that detects
// the stream format from its header when nothing usable was negotiated.

import * as zlib from 'node:zlib';
import { InflateLimitError, type Inflater } from './binary.js';
import { DEFAULT_COMPRESSION } from './constants.js';

export const COMPRESSION_ALGORITHMS = ['gzip', 'deflate', 'brotli'] as const;
export type CompressionAlgorithm = (typeof COMPRESSION_ALGORITHMS)[number];

/** handshake_ack may name "zlib": the same RFC 1950 stream as "deflate". */
export function normaliseAlgorithm(name: string): CompressionAlgorithm | null {
  const n = name.toLowerCase();
  if (n === 'zlib' || n === 'deflate') return 'deflate';
  if (n === 'gzip') return 'gzip';
  if (n === 'brotli' || n === 'br') return 'brotli';
  return null;
}

/**
 * The session's inflater (docs/PROTOCOL.md, "Compression before negotiation"):
 * nothing negotiated yet (undefined) means the handshake_ack default, zlib
 * ("deflate"); an explicit "none"/""/null or a name we do not know means no
 * inflater, so compressed frames become not_negotiated protocol errors.
 */
export function inflaterForNegotiated(name: string | null | undefined): Inflater | undefined {
  if (name === undefined) return inflaterFor(DEFAULT_COMPRESSION);
  if (name === null) return undefined;
  const alg = normaliseAlgorithm(name);
  return alg === null ? undefined : inflaterFor(alg);
}

/** The stream formats a compressed frame may be in; "raw" is headerless deflate (RFC 1951). */
export type StreamFormat = 'gzip' | 'zlib' | 'raw';

/** gzip by its magic 1f 8b; zlib by its CMF/FLG header (deflate method, check bits); anything else is taken as raw deflate. */
export function detectStreamFormat(data: Uint8Array): StreamFormat {
  const a = data[0];
  const b = data[1];
  if (a === undefined || b === undefined) return 'raw';
  if (a === 0x1f && b === 0x8b) return 'gzip';
  if ((a & 0x0f) === 8 && a >> 4 <= 7 && ((a << 8) | b) % 31 === 0) return 'zlib';
  return 'raw';
}

/**
 * An inflater for sessions where nothing (or nothing usable) was negotiated
 * (docs/PROTOCOL.md, "Assumptions"): the format is read from each stream's
 * header bytes (gzip, zlib, else raw deflate). Brotli has no header: it is
 * tried when `hint` is brotli, and as the last resort when the detected
 * format fails to inflate.
 */
export function detectingInflater(hint?: CompressionAlgorithm | null): Inflater {
  const gzip = inflateWith((b, o) => zlib.gunzipSync(b, o));
  const zlibStream = inflateWith((b, o) => zlib.inflateSync(b, o));
  const raw = inflateWith((b, o) => zlib.inflateRawSync(b, o));
  const brotli = inflateWith((b, o) => zlib.brotliDecompressSync(b, o));
  const byFormat: Record<StreamFormat, Inflater[]> = {
    gzip: [gzip],
    zlib: [zlibStream, raw, brotli],
    raw: hint === 'brotli' ? [brotli, raw] : [raw, brotli],
  };
  return (data, maxBytes) => {
    const tries = byFormat[detectStreamFormat(data)];
    let first: unknown;
    for (const inflate of tries) {
      try {
        return inflate(data, maxBytes);
      } catch (e) {
        // Past the limit is an answer, not a wrong guess.
        if (e instanceof InflateLimitError) throw e;
        first ??= e;
      }
    }
    throw first;
  };
}

type ZlibSync = (buf: Buffer, opts: { maxOutputLength: number }) => Buffer;

function inflateWith(fn: ZlibSync): Inflater {
  return (data, maxBytes) => {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let out: Buffer;
    try {
      out = fn(buf, { maxOutputLength: Math.max(1, Math.floor(maxBytes)) });
    } catch (e) {
      if (e instanceof RangeError && (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError(maxBytes);
      throw e;
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
}

/**
 * maxOutputLength makes zlib stop inflating once past the limit (it never
 * allocates the whole bomb); that overrun is reported as InflateLimitError.
 */
export function inflaterFor(alg: CompressionAlgorithm): Inflater {
  return inflateWith(alg === 'gzip' ? (b, o) => zlib.gunzipSync(b, o) : alg === 'brotli' ? (b, o) => zlib.brotliDecompressSync(b, o) : (b, o) => zlib.inflateSync(b, o));
}

export function deflaterFor(alg: CompressionAlgorithm, level = 6): (b: Uint8Array) => Uint8Array {
  return (b) => {
    const out =
      alg === 'gzip'
        ? zlib.gzipSync(b, { level })
        : alg === 'brotli'
          ? zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: Math.min(11, level) } })
          : zlib.deflateSync(b, { level });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
}
