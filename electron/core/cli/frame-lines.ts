// `tail --frames`: one JSON line per decoded binary frame, with its records'
// values (docs/PROTOCOL.md, "Headless CLI"): positions as id, x, y, z, vx,
// vy, vz; states as the state name and metadata; metrics with every field and
// the u64 memory exact as a decimal string; heartbeats with the server time;
// coordination with its JSON; errors with code and message.

import { type DecodedMessage, type EndpointName, errorCodeName, type FrameInfo, FrameType, frameTypeName, POSITION_RECORD_WORDS } from '../protocol/index.js';
import { type JsonObject, type JsonValue, PRIORITIES, stateName } from '../../../shared/index.js';

function parsed(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export function frameLine(endpoint: EndpointName, f: FrameInfo, out: DecodedMessage, at: number): JsonObject {
  const line: JsonObject = { frame: frameTypeName(f.type), endpoint, at, priority: PRIORITIES[f.priority]!, compressed: f.compressed };
  if (f.batch >= 0) line.inBatch = true;
  if (f.type === FrameType.COMPRESSED_BATCH) {
    line.compressedLength = f.length;
    line.originalLength = f.inflatedLength;
    return line;
  }
  if (!f.known) {
    line.typeCode = f.type;
    line.skipped = true;
    return line;
  }
  const end = f.start + f.count;
  const records: JsonValue[] = [];
  switch (f.type) {
    case FrameType.POSITION_UPDATE: {
      const p = out.positions;
      for (let i = f.start; i < end; i++) {
        const w = i * POSITION_RECORD_WORDS;
        records.push({ id: p.u32[w]!, x: p.f32[w + 1]!, y: p.f32[w + 2]!, z: p.f32[w + 3]!, vx: p.f32[w + 4]!, vy: p.f32[w + 5]!, vz: p.f32[w + 6]! });
      }
      break;
    }
    case FrameType.STATE_BATCH: {
      const s = out.states;
      for (let i = f.start; i < end; i++) {
        const meta = s.meta.get(i);
        records.push({ id: s.ids[i]!, state: stateName(s.codes[i]!), code: s.codes[i]!, flags: s.flags[i]!, metadata: meta === undefined ? null : parsed(meta) });
      }
      break;
    }
    case FrameType.PERFORMANCE_METRICS: {
      const m = out.metrics;
      for (let i = f.start; i < end; i++) {
        const exact = m.memExact.get(i);
        records.push({
          id: m.ids[i]!,
          tasks: m.tasks[i]!,
          successRate: m.successRate[i]!,
          avgMs: m.avgMs[i]!,
          cpu: m.cpu[i]!,
          // u64: a JSON number would round above 2^53, so always the exact decimal.
          mem: exact !== undefined ? exact.toString() : String(m.mem[i]!),
        });
      }
      break;
    }
    case FrameType.COORDINATION_EVENT:
      line.message = parsed(out.coordination[f.start]!);
      return line;
    case FrameType.HEARTBEAT: {
      const t = out.heartbeats[f.start]!;
      const exact = out.heartbeatsExact.get(f.start);
      line.serverTime = exact !== undefined ? exact.toString() : t;
      return line;
    }
    case FrameType.ERROR: {
      const e = out.errorFrames[f.start]!;
      line.code = errorCodeName(e.code);
      line.codeNumber = e.code;
      line.message = e.message;
      return line;
    }
  }
  line.count = f.count;
  line.records = records;
  return line;
}

const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify, with bidi and C1 controls (which JSON leaves raw) escaped
 * as \uXXXX: the same value, but a plane's U+202E cannot reorder the
 * operator's terminal line.
 */
export function jsonLine(v: unknown): string {
  return JSON.stringify(v).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
