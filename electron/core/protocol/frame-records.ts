// One decoded frame's values, read out of a DecodedMessage's columns: what
// every printer of frames (the decode CLI, `tail --frames`) starts from, so
// the columns are walked in one place and each printer only chooses its
// field names (docs/PROTOCOL.md pins both).

import { type DecodedMessage, type FrameInfo } from './binary.js';
import { FrameType, POSITION_RECORD_WORDS, errorCodeName } from './constants.js';
import { type JsonValue, stateName } from '../../../shared/index.js';

export type PositionValues = {
  id: number;
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
};

export type StateValues = {
  id: number;
  code: number;
  name: string;
  flags: number;
  /** The metadata JSON text, when the record carried some. */
  meta: string | undefined;
};

export type MetricsValues = {
  id: number;
  tasks: number;
  successRate: number;
  avgMs: number;
  cpu: number;
  /** Bytes, the nearest double above 2^53. */
  mem: number;
  /** The exact decimal, only where `mem` is not exact. */
  memExact: string | undefined;
};

export type FrameValues =
  | { kind: 'positions'; records: PositionValues[] }
  | { kind: 'states'; records: StateValues[] }
  | { kind: 'metrics'; records: MetricsValues[] }
  | { kind: 'coordination'; text: string }
  /** The server time in ms (an exact decimal string above 2^53), null for an empty heartbeat. */
  | { kind: 'heartbeat'; serverTime: number | string | null }
  | { kind: 'error'; code: number; name: string; message: string };

/** The values of frame `f` of `d`; null for a COMPRESSED_BATCH (its frames follow it) or a type skipped as unknown. */
export function frameValues(f: FrameInfo, d: DecodedMessage): FrameValues | null {
  if (!f.known) return null;
  const end = f.start + f.count;
  switch (f.type) {
    case FrameType.POSITION_UPDATE: {
      const { u32, f32 } = d.positions;
      const records: PositionValues[] = [];
      for (let i = f.start; i < end; i++) {
        const w = i * POSITION_RECORD_WORDS;
        records.push({ id: u32[w]!, x: f32[w + 1]!, y: f32[w + 2]!, z: f32[w + 3]!, vx: f32[w + 4]!, vy: f32[w + 5]!, vz: f32[w + 6]! });
      }
      return { kind: 'positions', records };
    }
    case FrameType.STATE_BATCH: {
      const s = d.states;
      const records: StateValues[] = [];
      for (let i = f.start; i < end; i++) records.push({ id: s.ids[i]!, code: s.codes[i]!, name: stateName(s.codes[i]!), flags: s.flags[i]!, meta: s.meta.get(i) });
      return { kind: 'states', records };
    }
    case FrameType.PERFORMANCE_METRICS: {
      const m = d.metrics;
      const records: MetricsValues[] = [];
      for (let i = f.start; i < end; i++) {
        const exact = m.memExact.get(i);
        records.push({ id: m.ids[i]!, tasks: m.tasks[i]!, successRate: m.successRate[i]!, avgMs: m.avgMs[i]!, cpu: m.cpu[i]!, mem: m.mem[i]!, memExact: exact?.toString() });
      }
      return { kind: 'metrics', records };
    }
    case FrameType.COORDINATION_EVENT:
      return { kind: 'coordination', text: d.coordination[f.start]! };
    case FrameType.HEARTBEAT: {
      const exact = d.heartbeatsExact.get(f.start);
      return { kind: 'heartbeat', serverTime: exact !== undefined ? exact.toString() : d.heartbeats[f.start]! };
    }
    case FrameType.ERROR: {
      const e = d.errorFrames[f.start]!;
      return { kind: 'error', code: e.code, name: errorCodeName(e.code), message: e.message };
    }
    default:
      return null;
  }
}

/** JSON text parsed (`json`), or the text as it was when it is not JSON. */
export function parsedOrText(text: string): { json: JsonValue } | { text: string } {
  try {
    return { json: JSON.parse(text) as JsonValue };
  } catch {
    return { text };
  }
}
