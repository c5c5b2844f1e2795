// `swarmdeck decode FILE`: decodes a file holding one WebSocket binary message
// (the raw bytes, or hex text with --hex) and prints one JSON line per frame,
// per protocol error, then a summary line. Field names are pinned in
// docs/PROTOCOL.md ("Decode CLI"). Exit code: 0 all frames good, 1 any bad
// frame, 2 usage error (no file, unreadable, bad option).

import { readFile } from 'node:fs/promises';
import {
  COMPRESSION_ALGORITHMS,
  type CompressionAlgorithm,
  DecodedMessage,
  decodeMessage,
  DEFAULT_COMPRESSION,
  DEFAULT_MAX_INFLATED_BYTES,
  errorCodeName,
  FLAG_RESERVED_MASK,
  type FrameInfo,
  FrameType,
  frameTypeName,
  inflaterFor,
  POSITION_RECORD_WORDS,
} from '../protocol/index.js';
import { PRIORITIES, stateName } from '../../../shared/index.js';

export const DECODE_USAGE =
  'usage: swarmdeck decode FILE [--compression gzip|deflate|brotli|none] [--max-inflated BYTES] [--hex]';

interface DecodeArgs {
  file: string;
  compression: CompressionAlgorithm | 'none';
  maxInflated: number;
  hex: boolean;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function parseArgs(argv: readonly string[]): DecodeArgs | string {
  let file: string | undefined;
  let compression: CompressionAlgorithm | 'none' = DEFAULT_COMPRESSION;
  let maxInflated = DEFAULT_MAX_INFLATED_BYTES;
  let hex = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    if (name === '--compression') {
      const v = value();
      if (v === 'none') compression = 'none';
      else if (v !== undefined && (COMPRESSION_ALGORITHMS as readonly string[]).includes(v)) compression = v as CompressionAlgorithm;
      else return `--compression needs one of ${COMPRESSION_ALGORITHMS.join(', ')}, none`;
    } else if (name === '--max-inflated') {
      const v = value();
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n)) return '--max-inflated needs a byte count';
      maxInflated = n;
    } else if (name === '--hex') {
      hex = true;
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (file === undefined) {
      file = a;
    } else {
      return `unexpected argument ${a}`;
    }
  }
  if (file === undefined) return 'no FILE given';
  return { file, compression, maxInflated, hex };
}

/** Hex text (whitespace, newlines and "#" comments ignored) to bytes; null when not hex. */
export function parseHex(text: string): Uint8Array | null {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Three floats from word `w`. */
function vec3(a: Float32Array, w: number): Json {
  return [a[w]!, a[w + 1]!, a[w + 2]!];
}

function parseJsonOr(text: string): { json: Json } | { text: string } {
  try {
    return { json: JSON.parse(text) as Json };
  } catch {
    return { text };
  }
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
  const end = f.start + f.count;
  switch (f.type) {
    case FrameType.POSITION_UPDATE: {
      const p = out.positions;
      const agents: Json[] = [];
      for (let i = f.start; i < end; i++) {
        const w = i * POSITION_RECORD_WORDS;
        agents.push({ id: p.u32[w]!, pos: vec3(p.f32, w + 1), vel: vec3(p.f32, w + 4) });
      }
      line.count = f.count;
      line.agents = agents;
      break;
    }
    case FrameType.STATE_BATCH: {
      const s = out.states;
      const records: Json[] = [];
      for (let i = f.start; i < end; i++) {
        const meta = s.meta.get(i);
        records.push({
          id: s.ids[i]!,
          state: s.codes[i]!,
          stateName: stateName(s.codes[i]!),
          flags: s.flags[i]!,
          meta: meta === undefined ? null : (JSON.parse(meta) as Json),
        });
      }
      line.count = f.count;
      line.records = records;
      break;
    }
    case FrameType.PERFORMANCE_METRICS: {
      const m = out.metrics;
      const records: Json[] = [];
      for (let i = f.start; i < end; i++) {
        const exact = m.memExact.get(i);
        records.push({
          id: m.ids[i]!,
          tasks: m.tasks[i]!,
          successRate: m.successRate[i]!,
          avgMs: m.avgMs[i]!,
          cpu: m.cpu[i]!,
          // Above 2^53 a JSON number would round: print the exact decimal string.
          mem: exact === undefined ? m.mem[i]! : exact.toString(),
        });
      }
      line.count = f.count;
      line.records = records;
      break;
    }
    case FrameType.COORDINATION_EVENT:
      Object.assign(line, parseJsonOr(out.coordination[f.start]!));
      break;
    case FrameType.HEARTBEAT: {
      const t = out.heartbeats[f.start]!;
      const exact = out.heartbeatsExact.get(f.start);
      line.serverTime = exact !== undefined ? exact.toString() : t;
      break;
    }
    case FrameType.ERROR: {
      const e = out.errorFrames[f.start]!;
      line.errorCode = e.code;
      line.errorName = errorCodeName(e.code);
      line.message = e.message;
      break;
    }
  }
  return line;
}

export async function runDecode(argv: string[], out: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (argv.includes('--help') || argv.includes('-h')) {
      out(DECODE_USAGE);
      return argv.length === 1 ? 0 : 2;
    }
    out(JSON.stringify({ usageError: args, usage: DECODE_USAGE }));
    return 2;
  }
  let bytes: Uint8Array;
  try {
    const raw = await readFile(args.file);
    if (args.hex) {
      const parsed = parseHex(raw.toString('utf8'));
      if (parsed === null) {
        out(JSON.stringify({ usageError: `${args.file} is not hex text`, usage: DECODE_USAGE }));
        return 2;
      }
      bytes = parsed;
    } else {
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    }
  } catch (e) {
    out(JSON.stringify({ usageError: `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, usage: DECODE_USAGE }));
    return 2;
  }

  const decoded = new DecodedMessage();
  const lines: string[] = [];
  decodeMessage(bytes, decoded, {
    ...(args.compression !== 'none' ? { inflate: inflaterFor(args.compression) } : {}),
    maxInflatedBytes: args.maxInflated,
    onFrame: (f, o) => lines.push(JSON.stringify(frameLine(f, o, args.compression))),
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
    out(JSON.stringify(line));
  }
  out(
    JSON.stringify({
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
