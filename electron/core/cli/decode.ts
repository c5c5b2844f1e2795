// `swarmdeck decode FILE`: decodes a file holding one WebSocket binary message
// (the raw bytes, or hex text with --hex) and prints one JSON line per frame,
// per protocol error, then a summary line. Field names are pinned in
// docs/PROTOCOL.md ("Decode CLI"). Exit code: 0 all frames good, 1 any bad
// frame, 2 usage error (no file, unreadable, bad option).

import { readFile } from 'node:fs/promises';
import { FLAGS, parseFlags } from '../args/index.js';
import {
  COMPRESSION_ALGORITHMS,
  type CompressionAlgorithm,
  DecodedMessage,
  decodeMessage,
  DEFAULT_COMPRESSION,
  DEFAULT_MAX_INFLATED_BYTES,
  FLAG_RESERVED_MASK,
  type FrameInfo,
  FrameType,
  frameTypeName,
  frameValues,
  inflaterFor,
  jsonLine,
  parsedOrText,
} from '../protocol/index.js';
import { PRIORITIES } from '../../../shared/index.js';

export const DECODE_USAGE =
  'usage: swarmdeck decode FILE [--compression gzip|deflate|brotli|none] [--max-inflated BYTES] [--hex]';

interface DecodeArgs {
  file: string;
  compression: CompressionAlgorithm | 'none';
  maxInflated: number;
  hex: boolean;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** The arguments, or what is wrong with them. */
function decodeArgs(argv: readonly string[]): DecodeArgs | string {
  let parsed;
  try {
    parsed = parseFlags(FLAGS.decode, argv);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const { values, positionals } = parsed;
  let compression: CompressionAlgorithm | 'none' = DEFAULT_COMPRESSION;
  const c = values.compression;
  if (c === 'none') compression = 'none';
  else if (c !== undefined && (COMPRESSION_ALGORITHMS as readonly string[]).includes(c)) compression = c as CompressionAlgorithm;
  else if (c !== undefined) return `--compression needs one of ${COMPRESSION_ALGORITHMS.join(', ')}, none`;
  let maxInflated = DEFAULT_MAX_INFLATED_BYTES;
  const m = values['max-inflated'];
  if (m !== undefined) {
    maxInflated = /^\d+$/.test(m) ? Number(m) : NaN;
    if (!Number.isSafeInteger(maxInflated)) return '--max-inflated needs a byte count';
  }
  if (positionals.length === 0) return 'no FILE given';
  if (positionals.length > 1) return `unexpected argument ${positionals[1]}`;
  return { file: positionals[0]!, compression, maxInflated, hex: values.hex === true };
}

/** Hex text (whitespace, newlines and "#" comments ignored) to bytes; null when not hex. */
export function parseHex(text: string): Uint8Array | null {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** The per-frame line: common fields, then the frame type's own. */
function frameLine(f: FrameInfo, out: DecodedMessage, compression: string): Record<string, Json> {
  const line: Record<string, Json> = { frame: f.index, offset: f.offset };
  if (f.batch >= 0) line.batch = f.batch;
  line.type = frameTypeName(f.type);
  line.typeCode = f.type;
  if (f.type === FrameType.COMPRESSED_BATCH) {
    line.algorithm = compression;
    line.compressedLength = f.length;
    line.originalLength = f.inflatedLength;
    return line;
  }
  line.flags = f.flags;
  line.priority = PRIORITIES[f.priority]!;
  line.compressed = f.compressed;
  line.length = f.length;
  if (f.compressed) line.inflatedLength = f.inflatedLength;
  if ((f.flags & FLAG_RESERVED_MASK) !== 0) line.reservedFlags = f.flags & FLAG_RESERVED_MASK;
  if (!f.known) {
    line.skipped = true;
    return line;
  }
  const v = frameValues(f, out);
  if (v === null) return line;
  switch (v.kind) {
    case 'positions':
      line.count = f.count;
      line.agents = v.records.map((r) => ({ id: r.id, pos: [r.x, r.y, r.z], vel: [r.vx, r.vy, r.vz] }));
      break;
    case 'states':
      line.count = f.count;
      line.records = v.records.map((r) => ({ id: r.id, state: r.code, stateName: r.name, flags: r.flags, meta: r.meta === undefined ? null : (JSON.parse(r.meta) as Json) }));
      break;
    case 'metrics':
      line.count = f.count;
      // Above 2^53 a JSON number would round: print the exact decimal string.
      line.records = v.records.map((r) => ({ id: r.id, tasks: r.tasks, successRate: r.successRate, avgMs: r.avgMs, cpu: r.cpu, mem: r.memExact ?? r.mem }));
      break;
    case 'coordination':
      Object.assign(line, parsedOrText(v.text));
      break;
    case 'heartbeat':
      line.serverTime = v.serverTime;
      break;
    case 'error':
      line.errorCode = v.code;
      line.errorName = v.name;
      line.message = v.message;
      break;
  }
  return line;
}

export async function runDecode(argv: string[], out: (line: string) => void): Promise<number> {
  const args = decodeArgs(argv);
  if (typeof args === 'string') {
    if (argv.includes('--help') || argv.includes('-h')) {
      out(DECODE_USAGE);
      return argv.length === 1 ? 0 : 2;
    }
    out(jsonLine({ usageError: args, usage: DECODE_USAGE }));
    return 2;
  }
  let bytes: Uint8Array;
  try {
    const raw = await readFile(args.file);
    if (args.hex) {
      const parsed = parseHex(raw.toString('utf8'));
      if (parsed === null) {
        out(jsonLine({ usageError: `${args.file} is not hex text`, usage: DECODE_USAGE }));
        return 2;
      }
      bytes = parsed;
    } else {
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    }
  } catch (e) {
    out(jsonLine({ usageError: `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, usage: DECODE_USAGE }));
    return 2;
  }

  const decoded = new DecodedMessage();
  const lines: string[] = [];
  decodeMessage(bytes, decoded, {
    ...(args.compression !== 'none' ? { inflate: inflaterFor(args.compression) } : {}),
    maxInflatedBytes: args.maxInflated,
    onFrame: (f, o) => lines.push(jsonLine(frameLine(f, o, args.compression))),
  });
  for (const l of lines) out(l);
  for (const e of decoded.protocolErrors) {
    const line: Record<string, Json> = {
      error: e.reason,
      kind: e.kind,
      type: e.frameType < 0 ? null : frameTypeName(e.frameType),
      typeCode: e.frameType,
      offset: e.offset,
    };
    if (e.batch >= 0) line.batch = e.batch;
    line.hex = e.hex;
    out(jsonLine(line));
  }
  out(
    jsonLine({
      summary: true,
      bytes: bytes.byteLength,
      frames: decoded.frames,
      unknownFrames: decoded.unknownFrames,
      reservedFlagFrames: decoded.reservedFlagFrames,
      compressedBatches: decoded.compressedBatches,
      inflatedBytes: decoded.inflatedBytes,
      maxPriority: PRIORITIES[decoded.maxPriority]!,
      protocolErrors: decoded.protocolErrors.length,
    }),
  );
  return decoded.protocolErrors.length > 0 ? 1 : 0;
}
