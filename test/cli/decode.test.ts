// `swarmdeck decode FILE`: runDecode's lines and exit codes.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDecode } from '../../electron/core/cli/decode.js';
import { deflaterFor } from '../../electron/core/protocol/compression.js';
import * as E from '../../electron/core/protocol/encode.js';
import { PROTOCOL_MD, hex, readVectors } from '../helpers/protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function file(content: Uint8Array | string): string {
  const p = join(dir, `m${n++}.bin`);
  writeFileSync(p, content);
  return p;
}

async function run(args: string[]): Promise<{ code: number; lines: string[]; json: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const code = await runDecode(args, (l) => lines.push(l));
  return { code, lines, json: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const vectors = readVectors();

describe('decode CLI', () => {
  it('prints exactly the example of docs/PROTOCOL.md for position_2_agents', async () => {
    const md = readFileSync(PROTOCOL_MD, 'utf8');
    const example = /Example \(`position_2_agents`\):\n\n```\n([\s\S]*?)```/.exec(md)![1]!.trim().split('\n');
    const r = await run([file(vectors.get('position_2_agents')!)]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(example);
  });

  it('--hex reads a vector block pasted into a file', async () => {
    const md = readFileSync(PROTOCOL_MD, 'utf8');
    const block = /```hex vector=two_frames\n([\s\S]*?)```/.exec(md)![1]!;
    const r = await run([file(block), '--hex']);
    expect(r.code).toBe(0);
    expect(r.json.map((l) => l.type)).toEqual(['POSITION_UPDATE', 'HEARTBEAT', undefined]);
    expect(r.json[0]).toMatchObject({ priority: 'critical', agents: [{ id: 9, pos: [1.5, -2, 0], vel: [0, 0, 1] }] });
    expect(r.json[1]).toMatchObject({ frame: 1, offset: 40, serverTime: null });
    expect(r.json[2]).toMatchObject({ summary: true, frames: 2, maxPriority: 'critical', protocolErrors: 0 });
  });

  it('every frame type has its fields', async () => {
    const msg = E.concatBytes([
      E.encodeStateBatch([{ id: 1, state: 2, meta: { a: 'b' } }, { id: 2, state: 77 }]),
      E.encodeMetrics([{ id: 3, tasks: 4, successRate: 0.5, avgMs: 10, cpu: 25, mem: 2n ** 60n }]),
      E.encodeCoordination({ type: 'coordination.progress', x: 1 }),
      E.encodeFrame(4, new TextEncoder().encode('not json')),
      E.encodeHeartbeat(2n ** 60n + 1n),
      E.encodeErrorFrame(6, 'slow down', { priority: 'high' }),
      E.encodeFrame(0x33, Uint8Array.of(1), { flags: 0x12 }),
    ]);
    const r = await run([file(msg)]);
    expect(r.code).toBe(0);
    const [st, me, co, tx, hb, er, un, sum] = r.json;
    expect(st).toMatchObject({
      type: 'STATE_BATCH',
      count: 2,
      records: [
        { id: 1, state: 2, stateName: 'EXECUTING', flags: 0, meta: { a: 'b' } },
        { id: 2, state: 77, stateName: 'UNKNOWN(77)', meta: null },
      ],
    });
    expect(me).toMatchObject({ type: 'PERFORMANCE_METRICS', records: [{ id: 3, tasks: 4, successRate: 0.5, avgMs: 10, cpu: 25, mem: '1152921504606846976' }] });
    expect(co).toMatchObject({ type: 'COORDINATION_EVENT', json: { type: 'coordination.progress', x: 1 } });
    expect(tx).toMatchObject({ text: 'not json' });
    expect(hb).toMatchObject({ type: 'HEARTBEAT', serverTime: '1152921504606846977' });
    expect(er).toMatchObject({ type: 'ERROR', typeCode: 255, priority: 'high', errorCode: 6, errorName: 'RATE_LIMIT_EXCEEDED', message: 'slow down' });
    expect(un).toMatchObject({ type: 'UNKNOWN(0x33)', typeCode: 0x33, skipped: true, reservedFlags: 0x10 });
    expect(sum).toMatchObject({ frames: 6, unknownFrames: 1, reservedFlagFrames: 1 });
  });

  it('a compressed batch, inner frames with their batch offset', async () => {
    const r = await run([file(vectors.get('compressed_batch_deflate')!)]);
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({ frame: 0, offset: 0, type: 'COMPRESSED_BATCH', algorithm: 'deflate', originalLength: 76 });
    expect(r.json[1]).toMatchObject({ frame: 1, offset: 0, batch: 0, type: 'POSITION_UPDATE', count: 2 });
    expect(r.json[2]).toMatchObject({ frame: 2, offset: 68, batch: 0, type: 'HEARTBEAT' });
    const gz = E.encodeCompressedBatch(E.encodeHeartbeat(1), deflaterFor('gzip'));
    expect((await run([file(gz), '--compression', 'gzip'])).code).toBe(0);
    expect((await run([file(gz), '--compression=deflate'])).code).toBe(1);
  });

  it('a bad frame: exit 1, the frames before it, then an error line', async () => {
    const r = await run([file(vectors.get('truncated_header')!)]);
    expect(r.code).toBe(1);
    expect(r.json[0]).toMatchObject({ type: 'HEARTBEAT' });
    expect(r.json[1]).toEqual({
      error: expect.stringContaining('truncated header'),
      kind: 'truncated_header',
      type: 'POSITION_UPDATE',
      typeCode: 1,
      offset: 8,
      hex: '41474e540102',
    });
    expect(r.json[2]).toMatchObject({ summary: true, frames: 1, protocolErrors: 1 });
    const nested = await run([file(vectors.get('nested_batch')!)]);
    expect(nested.json.find((l) => 'error' in l)).toMatchObject({ kind: 'nested_batch', batch: 0, offset: 0 });
    const bad = await run([file(vectors.get('bad_magic')!)]);
    expect(bad.json[0]).toMatchObject({ kind: 'bad_magic', type: null, typeCode: -1 });
  });

  it('--compression none and --max-inflated', async () => {
    const none = await run([file(vectors.get('heartbeat_compressed')!), '--compression', 'none']);
    expect(none.code).toBe(1);
    expect(none.json[0]).toMatchObject({ kind: 'not_negotiated' });
    const small = await run([file(vectors.get('compressed_batch_deflate')!), '--max-inflated', '50']);
    expect(small.code).toBe(1);
    expect(small.json[0]).toMatchObject({ kind: 'inflate_limit' });
  });

  it('an empty file is a bad message, not a usage error', async () => {
    const r = await run([file(new Uint8Array(0))]);
    expect(r.code).toBe(1);
    expect(r.json[0]).toMatchObject({ kind: 'empty_message' });
  });

  it.each([
    [[]],
    [['--compression', 'lz4', 'x']],
    [['--max-inflated', 'lots', 'x']],
    [['--bogus', 'x']],
    [['a', 'b']],
    [[join(tmpdir(), 'swarmdeck-does-not-exist.bin')]],
  ])('usage error %j: exit 2', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ usageError: expect.any(String), usage: expect.stringContaining('decode FILE') });
  });

  it('--hex with a file that is not hex, and a directory: exit 2', async () => {
    expect((await run([file('zz'), '--hex'])).code).toBe(2);
    expect((await run([dir])).code).toBe(2);
  });

  it('--help prints the usage text', async () => {
    const lines: string[] = [];
    expect(await runDecode(['--help'], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^usage: swarmdeck decode FILE/)]);
  });

  it('raw bytes and hex of the same vector print the same lines', async () => {
    const v = vectors.get('state_batch_meta')!;
    const a = await run([file(v)]);
    const b = await run([file(hex(v)), '--hex']);
    expect(a.lines).toEqual(b.lines);
  });
});
