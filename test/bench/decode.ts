// Position-decode bench (issue 3). On the same data in one run: the binary
// decoder, a plain memory copy of the same bytes (the physical limit), and the
// naive JSON path (JSON.parse of {id,x,y,z,vx,vy,vz} objects, then validated
// into the same records). Targets: decode >= 1/3 of memcpy, >= 100x JSON.
// The scalar JS decoder (the fallback without WebAssembly SIMD) is printed too.

import { DEFAULT_POSITION_DECODER, DecodedMessage, decodeMessage } from '../../electron/core/protocol/binary.js';
import { encodePositions } from '../../electron/core/protocol/encode.js';
// The simulator's seeded PRNG (mulberry32): the same data on every run.
import { prng } from '../../electron/core/sim/world.js';

interface Case {
  name: string;
  /** Runs the case once; returns something so the work cannot be optimised away. */
  run: () => number;
}

let sink = 0;

/**
 * Seconds per run: warm up, then whole batches until `minMs` has passed. The
 * clock is read per batch, never per run: a read costs ~30 ns, 6% of a
 * 0.5 µs memcpy, and would flatter whatever is compared with it.
 */
function measure(c: Case, minMs: number): number {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink += c.run();
    if (performance.now() - t0 >= 1) break;
    batch *= 2;
  }
  let runs = 0;
  const t0 = performance.now();
  let t1 = t0;
  do {
    for (let i = 0; i < batch; i++) sink += c.run();
    runs += batch;
    t1 = performance.now();
  } while (t1 - t0 < minMs);
  return (t1 - t0) / 1000 / runs;
}

function fmt(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} k`;
  return n.toFixed(2);
}

export interface DecodeBenchFigures {
  agents: number;
  bytes: number;
  decodeRecordsPerSec: number;
  decodeMBps: number;
  /** The scalar JS decoder, for reference (the product uses it only without WebAssembly SIMD). */
  jsDecodeMBps: number;
  memcpyMBps: number;
  jsonRecordsPerSec: number;
  jsonParseOnlyRecordsPerSec: number;
  vsMemcpy: number;
  vsJson: number;
}

function benchSize(agents: number, print: (line: string) => void): DecodeBenchFigures {
  const rand = prng(agents);
  const ids = new Uint32Array(agents);
  const pos = new Float32Array(agents * 3);
  const vel = new Float32Array(agents * 3);
  for (let i = 0; i < agents; i++) {
    ids[i] = i + 1;
    for (let k = 0; k < 3; k++) {
      pos[i * 3 + k] = (rand() - 0.5) * 2000;
      vel[i * 3 + k] = (rand() - 0.5) * 20;
    }
  }
  const msg = encodePositions(ids, pos, vel, agents);
  const objects = [];
  for (let i = 0; i < agents; i++) {
    const p = i * 3;
    objects.push({ id: ids[i]!, x: pos[p]!, y: pos[p + 1]!, z: pos[p + 2]!, vx: vel[p]!, vy: vel[p + 1]!, vz: vel[p + 2]! });
  }
  const json = JSON.stringify(objects);

  const copy = new Uint8Array(msg.byteLength);
  // The JSON path's output: the same 7-word records the decoder keeps.
  const jF32 = new Float32Array(agents * 7);
  const jU32 = new Uint32Array(jF32.buffer);

  const decodeCase = (name: string, into: DecodedMessage): Case => ({
    name,
    run: () => {
      decodeMessage(msg, into);
      if (into.protocolErrors.length !== 0 || into.positions.count !== agents) throw new Error(`bench ${name} failed`);
      return into.positions.count;
    },
  });
  const decode = decodeCase('decode', new DecodedMessage());
  const decodeJs = decodeCase('decode-js', new DecodedMessage('js'));
  const memcpy: Case = {
    name: 'memcpy',
    run: () => {
      copy.set(msg);
      return copy[copy.length - 1]!;
    },
  };
  // The naive path to the same validated records: parse, check each field, copy.
  const jsonPath: Case = {
    name: 'json',
    run: () => {
      const arr: unknown = JSON.parse(json);
      if (!Array.isArray(arr)) throw new Error('not an array');
      for (let i = 0; i < arr.length; i++) {
        const o = arr[i] as Record<string, unknown>;
        const { id, x, y, z, vx, vy, vz } = o;
        if (
          typeof id !== 'number' ||
          typeof x !== 'number' ||
          typeof y !== 'number' ||
          typeof z !== 'number' ||
          typeof vx !== 'number' ||
          typeof vy !== 'number' ||
          typeof vz !== 'number' ||
          !Number.isFinite(x + y + z + vx + vy + vz)
        ) {
          throw new Error(`bad record ${i}`);
        }
        const w = i * 7;
        jU32[w] = id;
        jF32[w + 1] = x;
        jF32[w + 2] = y;
        jF32[w + 3] = z;
        jF32[w + 4] = vx;
        jF32[w + 5] = vy;
        jF32[w + 6] = vz;
      }
      return arr.length;
    },
  };
  const jsonParseOnly: Case = {
    name: 'json-parse-only',
    run: () => (JSON.parse(json) as unknown[]).length,
  };

  // Interleave the cases round by round so drift (turbo, GC) hits all alike.
  const rounds = 5;
  const results = new Map<string, number[]>();
  const all = [memcpy, decode, decodeJs, jsonPath, jsonParseOnly];
  for (const c of all) measure(c, 50); // warm-up (JIT)
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      const ms = c === jsonPath || c === jsonParseOnly ? 80 : 40;
      const list = results.get(c.name) ?? [];
      list.push(measure(c, ms));
      results.set(c.name, list);
    }
  }
  const median = (name: string): number => {
    const l = [...results.get(name)!].sort((a, b) => a - b);
    return l[Math.floor(l.length / 2)]!;
  };
  const tDecode = median('decode');
  const tCopy = median('memcpy');
  const tJson = median('json');
  const tParse = median('json-parse-only');
  const tDecodeJs = median('decode-js');
  const mb = msg.byteLength / 1e6;
  const f: DecodeBenchFigures = {
    agents,
    bytes: msg.byteLength,
    decodeRecordsPerSec: agents / tDecode,
    decodeMBps: mb / tDecode,
    jsDecodeMBps: mb / tDecodeJs,
    memcpyMBps: mb / tCopy,
    jsonRecordsPerSec: agents / tJson,
    jsonParseOnlyRecordsPerSec: agents / tParse,
    vsMemcpy: tCopy / tDecode,
    vsJson: tJson / tDecode,
  };
  const jsonMb = json.length / 1e6;
  print(`positions ${agents} agents: binary message ${msg.byteLength} B, JSON text ${json.length} B`);
  print(`  decode        ${fmt(f.decodeRecordsPerSec)}records/s  ${f.decodeMBps.toFixed(0)} MB/s  (${(tDecode * 1e6).toFixed(1)} µs/message, '${DEFAULT_POSITION_DECODER}' decoder)`);
  print(`  decode, JS    ${fmt(agents / tDecodeJs)}records/s  ${f.jsDecodeMBps.toFixed(0)} MB/s  (${(tDecodeJs * 1e6).toFixed(1)} µs/message, the scalar fallback, for reference)`);
  print(`  memcpy        ${f.memcpyMBps.toFixed(0)} MB/s  (${(tCopy * 1e6).toFixed(1)} µs/message)`);
  print(`  JSON path     ${fmt(f.jsonRecordsPerSec)}records/s  ${(jsonMb / tJson).toFixed(0)} MB/s of JSON text  (${(tJson * 1e3).toFixed(2)} ms/message)`);
  print(`  JSON.parse    ${fmt(f.jsonParseOnlyRecordsPerSec)}records/s  (parse only, no validation: ${(tParse * 1e3).toFixed(2)} ms/message)`);
  print(`  decode / memcpy speed = ${f.vsMemcpy.toFixed(2)}  target >= 0.33  ${f.vsMemcpy >= 1 / 3 ? 'PASS' : 'MISS'}  (JS fallback: ${(tCopy / tDecodeJs).toFixed(2)})`);
  print(`  decode / JSON path    = ${f.vsJson.toFixed(0)}x  target >= 100x  ${f.vsJson >= 100 ? 'PASS' : 'MISS'}`);
  print(`  decode / JSON.parse   = ${(tParse / tDecode).toFixed(0)}x  (parse only, for reference)`);
  return f;
}

export function runDecodeBench(print: (line: string) => void): void {
  print('## Decode (issue 3): POSITION_UPDATE decoding vs memcpy and JSON');
  benchSize(2_000, print);
  benchSize(50_000, print);
  if (sink === -1) print('');
}
