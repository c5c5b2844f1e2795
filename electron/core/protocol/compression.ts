// Compression algorithms of compression.negotiate, on Node's zlib. The decoder
// receives an Inflater bound to the negotiated algorithm.

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

/**
 * maxOutputLength makes zlib stop inflating once past the limit (it never
 * allocates the whole bomb); that overrun is reported as InflateLimitError.
 */
export function inflaterFor(alg: CompressionAlgorithm): Inflater {
  return (data, maxBytes) => {
    const opts = { maxOutputLength: Math.max(1, Math.floor(maxBytes)) };
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let out: Buffer;
    try {
      out =
        alg === 'gzip'
          ? zlib.gunzipSync(buf, opts)
          : alg === 'brotli'
            ? zlib.brotliDecompressSync(buf, opts)
            : zlib.inflateSync(buf, opts);
    } catch (e) {
      if (e instanceof RangeError && (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError(maxBytes);
      throw e;
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
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
