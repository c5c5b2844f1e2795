// `tail --frames`: one JSON line per decoded binary frame, with its records'
// values (docs/PROTOCOL.md, "Headless CLI"): positions as id, x, y, z, vx,
// vy, vz; states as the state name and metadata; metrics with every field and
// the u64 memory exact as a decimal string; heartbeats with the server time;
// coordination with its JSON; errors with code and message. Live tail and
// `tail --recording` print the same lines.

import { type DecodedMessage, type FrameInfo, frameTypeName } from './binary.js';
import { FrameType, type EndpointName } from './constants.js';
import { type JsonObject, type JsonValue, PRIORITIES } from '../../../shared/index.js';
import { frameValues, parsedOrText } from './frame-records.js';

function parsed(text: string): JsonValue {
  const v = parsedOrText(text);
  return 'json' in v ? v.json : v.text;
}

export function frameLine(endpoint: EndpointName, f: FrameInfo, out: DecodedMessage, at: number): JsonObject {
  const line: JsonObject = { frame: frameTypeName(f.type), endpoint, at, priority: PRIORITIES[f.priority]!, compressed: f.compressed };
  if (f.batch >= 0) line.inBatch = true;
  if (f.type === FrameType.COMPRESSED_BATCH) {
    line.compressedLength = f.length;
    line.originalLength = f.inflatedLength;
    return line;
  }
  const v = frameValues(f, out);
  if (v === null) {
    line.typeCode = f.type;
    line.skipped = true;
    return line;
  }
  switch (v.kind) {
    case 'positions':
      return { ...line, count: f.count, records: v.records };
    case 'states':
      return { ...line, count: f.count, records: v.records.map((r) => ({ id: r.id, state: r.name, code: r.code, flags: r.flags, metadata: r.meta === undefined ? null : parsed(r.meta) })) };
    case 'metrics':
      // u64: a JSON number would round above 2^53, so always the exact decimal.
      return { ...line, count: f.count, records: v.records.map((r) => ({ id: r.id, tasks: r.tasks, successRate: r.successRate, avgMs: r.avgMs, cpu: r.cpu, mem: r.memExact ?? String(r.mem) })) };
    case 'coordination':
      return { ...line, message: parsed(v.text) };
    case 'heartbeat':
      return { ...line, serverTime: v.serverTime };
    case 'error':
      return { ...line, code: v.name, codeNumber: v.code, message: v.message };
  }
}

const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify, with bidi and C1 controls (which JSON leaves raw) escaped
 * as \uXXXX: the same value, but a plane's U+202E cannot reorder the
 * operator's terminal line.
 */
export function jsonLine(v: unknown, indent?: number): string {
  return JSON.stringify(v, undefined, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
