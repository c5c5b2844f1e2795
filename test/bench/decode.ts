// Position-decode bench (issue 3). On the same data in one run: the binary
// decoder, a plain memory copy of the same bytes (the physical limit), and the
// naive JSON path (JSON.parse of {id,x,y,z,vx,vy,vz} objects, then validated
// into the same columns). Targets: decode >= 1/3 of memcpy, >= 100x JSON.

import { DecodedMessage, decodeMessage } from '../../electron/core/protocol/binary.js';
import { encodePositions } from '../../electron/core/protocol/encode.js';
// The simulator's seeded PRNG (mulberry32): the same data on every run.
import { prng } from '../../electron/core/sim/world.js';

interface Case {
  name: string;
  /** Runs the case once; returns something so the work cannot be optimised away. */
  run: () => number;
}

interface Result {
  /** Median seconds per run. */
  perRun: number;
}


let sink = 0;

/** Warm up, then `rounds` timed batches of >= `minMs` each; the median batch rate. */
function measure(c: Case, rounds: number, minMs: number): Result {
  const warmEnd = performance.now() + minMs;
  while (performance.now() < warmEnd) sink += c.run();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let iters = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      sink += c.run();
      iters++;
      t1 = performance.now();
    } while (t1 - t0 < minMs);
    rates.push((t1 - t0) / 1000 / iters);
  }
  rates.sort((a, b) => a - b);
  return { perRun: rates[Math.floor(rates.length / 2)]! };
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

  const out = new DecodedMessage();
  const copy = new Uint8Array(msg.byteLength);
  const jIds = new Uint32Array(agents);
  const jPos = new Float32Array(agents * 3);
  const jVel = new Float32Array(agents * 3);

  const decode: Case = {
    name: 'decode',
    run: () => {
      decodeMessage(msg, out);
      if (out.protocolErrors.length !== 0 || out.positions.count !== agents) throw new Error('bench decode failed');
      return out.positions.count;
    },
  };
  const memcpy: Case = {
    name: 'memcpy',
    run: () => {
      copy.set(msg);
      return copy[copy.length - 1]!;
    },
  };
  // The naive path to the same validated columns: parse, check each field, copy.
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
        const p = i * 3;
        jIds[i] = id;
        jPos[p] = x;
        jPos[p + 1] = y;
        jPos[p + 2] = z;
        jVel[p] = vx;
        jVel[p + 1] = vy;
        jVel[p + 2] = vz;
      }
      return arr.length;
    },
  };
  // Reference floor for this layout in JS: the same stride-7 → xyz scatter,
  // no header, no validation. Shows how much of the gap to memcpy is the
  // column layout itself rather than the decoder.
  const src32 = new Int32Array(msg.buffer, msg.byteOffset, msg.byteLength >> 2);
  const sIds = new Int32Array(agents);
  const sPos = new Int32Array(agents * 3);
  const sVel = new Int32Array(agents * 3);
  const frameStarts: number[] = [];
  for (let o = 0; o < msg.byteLength; o += 8 + (msg[o + 6]! | (msg[o + 7]! << 8))) frameStarts.push(o);
  const scatter: Case = {
    name: 'scatter',
    run: () => {
      let k = 0;
      for (const o of frameStarts) {
        const n = src32[(o >> 2) + 2]!;
        for (let i = 0, w = (o >> 2) + 3; i < n; i++, w += 7, k++) {
          const d = k * 3;
          sIds[k] = src32[w]!;
          sPos[d] = src32[w + 1]!;
          sPos[d + 1] = src32[w + 2]!;
          sPos[d + 2] = src32[w + 3]!;
          sVel[d] = src32[w + 4]!;
          sVel[d + 1] = src32[w + 5]!;
          sVel[d + 2] = src32[w + 6]!;
        }
      }
      return k;
    },
  };
  const jsonParseOnly: Case = {
    name: 'json-parse-only',
    run: () => (JSON.parse(json) as unknown[]).length,
  };

  // Interleave the cases round by round so drift (turbo, GC) hits all alike.
  const rounds = 5;
  const results = new Map<string, number[]>();
  const all = [memcpy, decode, scatter, jsonPath, jsonParseOnly];
  for (const c of all) measure(c, 1, 50); // warm-up (JIT)
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      const ms = c === jsonPath || c === jsonParseOnly ? 80 : 40;
      const list = results.get(c.name) ?? [];
      list.push(measure(c, 1, ms).perRun);
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
  const tScatter = median('scatter');
  const mb = msg.byteLength / 1e6;
  const f: DecodeBenchFigures = {
    agents,
    bytes: msg.byteLength,
    decodeRecordsPerSec: agents / tDecode,
    decodeMBps: mb / tDecode,
    memcpyMBps: mb / tCopy,
    jsonRecordsPerSec: agents / tJson,
    jsonParseOnlyRecordsPerSec: agents / tParse,
    vsMemcpy: tCopy / tDecode,
    vsJson: tJson / tDecode,
  };
  const jsonMb = json.length / 1e6;
  print(`positions ${agents} agents: binary message ${msg.byteLength} B, JSON text ${json.length} B`);
  print(`  decode        ${fmt(f.decodeRecordsPerSec)}records/s  ${f.decodeMBps.toFixed(0)} MB/s  (${(tDecode * 1e6).toFixed(1)} µs/message)`);
  print(`  memcpy        ${f.memcpyMBps.toFixed(0)} MB/s  (${(tCopy * 1e6).toFixed(1)} µs/message)`);
  print(`  JS scatter    ${fmt(agents / tScatter)}records/s  ${(mb / tScatter).toFixed(0)} MB/s  (reference: the same copy with no validation: ${(tScatter * 1e6).toFixed(1)} µs/message)`);
  print(`  JSON path     ${fmt(f.jsonRecordsPerSec)}records/s  ${(jsonMb / tJson).toFixed(0)} MB/s of JSON text  (${(tJson * 1e3).toFixed(2)} ms/message)`);
  print(`  JSON.parse    ${fmt(f.jsonParseOnlyRecordsPerSec)}records/s  (parse only, no validation: ${(tParse * 1e3).toFixed(2)} ms/message)`);
  print(`  decode / memcpy speed = ${f.vsMemcpy.toFixed(2)}  target >= 0.33  ${f.vsMemcpy >= 1 / 3 ? 'PASS' : 'MISS'}`);
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
