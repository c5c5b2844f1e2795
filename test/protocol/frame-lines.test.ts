// The two printers of decoded frames read them in one place
// (protocol/frame-records.ts): for every good vector of docs/PROTOCOL.md,
// `tail --frames` (protocol/frame-lines.ts) carries the same values, frame by
// frame, as the `decode` CLI, whose lines docs/PROTOCOL.md pins
// (test/cli/decode.test.ts). Each keeps its own field names.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDecode } from '../../electron/core/cli/decode.js';
import { DecodedMessage, decodeMessage } from '../../electron/core/protocol/binary.js';
import { detectingInflater } from '../../electron/core/protocol/compression.js';
import type { JsonObject } from '../../shared/events.js';
import { frameLine, jsonLine } from '../../electron/core/protocol/frame-lines.js';
import { readVectors } from '../helpers/protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-frame-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const vectors = readVectors();

const GOOD = [
  'position_2_agents',
  'state_batch',
  'state_batch_meta',
  'metrics_one',
  'coordination_event',
  'heartbeat_empty',
  'heartbeat_time',
  'heartbeat_u64_big',
  'error_frame',
  'two_frames',
  'unknown_type',
  'reserved_flags',
  'compressed_batch_deflate',
  'heartbeat_compressed',
];

type Line = Record<string, unknown>;

async function decodeLines(name: string): Promise<Line[]> {
  const file = join(dir, `${name}.bin`);
  writeFileSync(file, vectors.get(name)!);
  const lines: string[] = [];
  await runDecode([file], (l) => lines.push(l));
  return lines.map((l) => JSON.parse(l) as Line).filter((l) => typeof l.frame === 'number');
}

function tailLines(name: string): JsonObject[] {
  const out: JsonObject[] = [];
  decodeMessage(vectors.get(name)!, new DecodedMessage(), { inflate: detectingInflater(), onFrame: (f, d) => out.push(frameLine('agents', f, d, 0)) });
  return out;
}

/** What a decode line says about a frame, in tail's field names. */
function asTail(d: Line): Line {
  const common: Line = { frame: d.type };
  if (d.skipped) return { ...common, typeCode: d.typeCode, skipped: true };
  if (d.type === 'COMPRESSED_BATCH') return { ...common, compressedLength: d.compressedLength, originalLength: d.originalLength };
  switch (d.type) {
    case 'POSITION_UPDATE':
      return { ...common, count: d.count, records: (d.agents as { id: number; pos: number[]; vel: number[] }[]).map((a) => ({ id: a.id, x: a.pos[0], y: a.pos[1], z: a.pos[2], vx: a.vel[0], vy: a.vel[1], vz: a.vel[2] })) };
    case 'STATE_BATCH':
      return { ...common, count: d.count, records: (d.records as Line[]).map((r) => ({ id: r.id, state: r.stateName, code: r.state, flags: r.flags, metadata: r.meta })) };
    case 'PERFORMANCE_METRICS':
      return { ...common, count: d.count, records: (d.records as Line[]).map((r) => ({ ...r, mem: String(r.mem) })) };
    case 'COORDINATION_EVENT':
      return { ...common, message: 'json' in d ? d.json : d.text };
    case 'HEARTBEAT':
      return { ...common, serverTime: d.serverTime };
    case 'ERROR':
      return { ...common, code: d.errorName, codeNumber: d.errorCode, message: d.message };
  }
  throw new Error(`no mapping for ${String(d.type)}`);
}

describe('tail --frames and decode', () => {
  it.each(GOOD)('%s: the same frames with the same values', async (name) => {
    const decoded = await decodeLines(name);
    const tailed = tailLines(name);
    expect(decoded.length).toBeGreaterThan(0);
    expect(tailed).toHaveLength(decoded.length);
    decoded.forEach((d, i) => {
      const { endpoint: _e, at: _a, priority: _p, compressed: _c, inBatch: _b, ...values } = tailed[i]!;
      expect(values, `frame ${i}`).toEqual(asTail(d));
      expect(tailed[i]!.priority).toBe(d.type === 'COMPRESSED_BATCH' ? tailed[i]!.priority : d.priority);
      expect(tailed[i]!.inBatch === true).toBe(typeof d.batch === 'number');
    });
  });

  it('escapes bidi and C1 controls in a line, keeping the value', () => {
    const v = { name: 'a\u202eb\u0085c\u2066' };
    const line = jsonLine(v);
    expect(line).toBe('{"name":"a\\u202eb\\u0085c\\u2066"}');
    expect(JSON.parse(line)).toEqual(v);
  });
});
