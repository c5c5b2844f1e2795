// Fuzzer for browser mode's contract socket (/ipc): random and mutated wire
// messages from an authenticated page, against `swarmdeck web` in a child
// process (with its embedded simulator, so inspect and command reach real
// agents). Seeds: one valid message per channel. Mutations: JSON-level (values
// swapped for random JSON, keys dropped or added, deep nesting, long strings,
// wrong types) and text-level (byte flips, cuts, splices), plus random text,
// random binary messages and, rarely, invalid UTF-8 (which closes the socket).
//
// A crash is the host exiting or its last-resort handler firing (a handler
// threw). A hang is a hello probe, sent after every burst, not answered in
// time. Both are counted, and the run goes on (a fresh host, a fresh socket).
// Used by test/fuzz/contract.fuzz.test.ts (CI) and `npm run bench -- fuzz`.

import { prng } from '../../electron/core/sim/world.js';
import { type Child, startCli } from '../hostile/child.js';
import { openPage, type PageClient } from '../hostile/page-client.js';

export interface ContractFuzzResult {
  messages: number;
  crashes: number;
  hangs: number;
  /** Sockets the host closed (invalid UTF-8, over-long messages): expected, not failures. */
  closes: number;
  /** Replies received to fuzzed requests (valid enough to be answered). */
  answered: number;
  ms: number;
  peakMb: number;
  /** CPU seconds of the (last) host process: the load-independent cost. */
  hostCpuS: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const CHANNELS = ['swarmdeck:hello', 'swarmdeck:ack', 'swarmdeck:inspect', 'swarmdeck:command', 'swarmdeck:frame', 'swarmdeck:nope'];

function seeds(): Json[] {
  return [
    { c: 'swarmdeck:hello', r: 1 },
    { c: 'swarmdeck:ack', p: { seq: 3 } },
    { c: 'swarmdeck:inspect', r: 2, p: { plane: 'sim', id: 3 } },
    { c: 'swarmdeck:command', r: 3, p: { plane: 'sim', request: { kind: 'command', command: 'fetch_logs', agentId: 'agent-003', parameters: { lines: 10 }, timeoutMs: 500 } } },
    { c: 'swarmdeck:command', r: 4, p: { plane: 'sim', request: { kind: 'execute', targetAgent: 'agent-004', command: 'pause', timeoutMs: 500 } } },
    { c: 'swarmdeck:command', r: 5, p: { plane: 'sim', request: { kind: 'configure', multiAgentId: 'swarm-1', configuration: { topology: 'mesh' }, timeoutMs: 500 } } },
  ];
}

export async function runContractFuzz(opts: { messages: number; seed?: number; burst?: number; log?: (l: string) => void }): Promise<ContractFuzzResult> {
  const rand = prng(opts.seed ?? 0xc0ffee);
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  const burst = opts.burst ?? 500;
  const log = opts.log ?? (() => undefined);

  const randomJson = (depth = 0): Json => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return rand() < 0.5;
      case 2:
        return pick([0, -1, 1e308, -0, 2 ** 32, 2 ** 53 + 1, 0.5, int(1000)]);
      case 3:
        return pick(['', 'sim', 'agent-001', '__proto__', 'constructor', '\u202e', 'x'.repeat(int(5000)), 'swarmdeck:hello']);
      case 4:
        return pick(CHANNELS);
      case 5:
        return Array.from({ length: int(4) }, () => randomJson(depth + 1));
      default: {
        const o: { [k: string]: Json } = {};
        for (let i = int(4); i > 0; i--) o[pick(['c', 'r', 'p', 'seq', 'plane', 'id', 'request', 'kind', '__proto__', 'constructor', 'x'])] = randomJson(depth + 1);
        return o;
      }
    }
  };

  /** Mutates a JSON value in place at a random node; returns the (possibly replaced) root. */
  const mutateJson = (v: Json): Json => {
    if (v === null || typeof v !== 'object' || rand() < 0.2) return randomJson();
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    const o = v as Record<string | number, Json>;
    const op = int(6);
    if (op === 0 && keys.length > 0) delete o[pick(keys)];
    else if (op === 1) o[pick(['c', 'r', 'p', 'b', 'seq', 'id', 'plane', 'extra'])] = randomJson();
    else if (op === 2) {
      const n = 2 + int(70);
      let deep: Json = 1;
      for (let i = 0; i < n; i++) deep = [deep];
      o[keys.length > 0 ? pick(keys) : 'p'] = deep;
    } else if (keys.length > 0) {
      const k = pick(keys);
      o[k] = mutateJson(o[k] ?? null);
    }
    return v;
  };

  const mutateText = (t: string): string => {
    const op = int(5);
    const at = int(t.length + 1);
    if (op === 0) return t.slice(0, at);
    if (op === 1) return t.slice(0, at) + String.fromCharCode(int(0x10000)) + t.slice(at + 1);
    if (op === 2) return t.slice(0, at) + pick(['{', '}', '"', '\\', ',', ':', '[', '\u0000', 'null', '1e999']) + t.slice(at);
    if (op === 3) return t + t.slice(int(t.length));
    return t.slice(at) + t.slice(0, at);
  };

  const message = (): string | Buffer => {
    const r = rand();
    if (r < 0.005) return Buffer.from(Array.from({ length: int(64) }, () => int(256))); // binary
    if (r < 0.0052) return Buffer.from([0x7b, 0xc3, 0x28, 0x7d]); // invalid UTF-8: the host closes the socket
    if (r < 0.05) return Array.from({ length: int(200) }, () => String.fromCharCode(32 + int(95))).join('');
    if (r < 0.052) {
      // Deep nesting as text: deeper than this process could stringify.
      const n = 100 + int(20_000);
      return `{"c":"${pick(CHANNELS)}","r":7,"p":{"plane":"sim","id":1,"request":${'['.repeat(n)}${']'.repeat(n)}}}`;
    }
    const base = structuredClone(pick(seeds()));
    const m = rand() < 0.15 ? base : mutateJson(base);
    const text = JSON.stringify(m) ?? 'null';
    return rand() < 0.3 ? mutateText(text) : text;
  };

  const t0 = performance.now();
  const res: ContractFuzzResult = { messages: 0, crashes: 0, hangs: 0, closes: 0, answered: 0, ms: 0, peakMb: 0, hostCpuS: 0 };
  let child: Child | null = null;
  let openUrl = '';
  let page: PageClient | null = null;
  let lastResortSeen = 0;
  const startHost = async (): Promise<void> => {
    child = startCli(['web', '--agents', '50', '--rate', '5']);
    openUrl = (await child.line(/browser mode\): (http\S+)/, 60_000)).replace(/.*browser mode\): /, '');
    lastResortSeen = 0;
  };
  const lastResorts = (): number => (child!.stderr.join('').match(/uncaught exception|unhandled rejection/g) ?? []).length;
  const openFresh = async (): Promise<void> => {
    page?.close();
    page = await openPage(openUrl);
    page.ws.on('close', () => res.closes++);
    page.ws.on('message', () => res.answered++);
  };

  await startHost();
  await openFresh();
  try {
    while (res.messages < opts.messages) {
      const n = Math.min(burst, opts.messages - res.messages);
      for (let i = 0; i < n; i++) {
        if (page!.ws.readyState !== page!.ws.OPEN) await openFresh();
        const m = message();
        page!.ws.send(m, { binary: Buffer.isBuffer(m) && m[0] !== 0x7b });
        res.messages++;
      }
      // The probe: the host must still answer on a socket (this one, or a fresh one if it was closed).
      if (page!.ws.readyState !== page!.ws.OPEN) await openFresh();
      let ok = false;
      for (let attempt = 0; attempt < 3 && !ok; attempt++) {
        const probed = page!;
        try {
          await probed.request('swarmdeck:hello', undefined, 10_000);
          ok = true;
        } catch {
          // A socket the host closed meanwhile (a close in flight) is not a hang: probe on a fresh one.
          if (probed.ws.readyState === probed.ws.OPEN) break;
          await openFresh();
        }
      }
      const lr = lastResorts();
      if (!child!.alive() || lr > lastResortSeen) {
        res.crashes++;
        log(`contract fuzz: crash after ${res.messages} messages: ${child!.stderr.join('').slice(-1500)}`);
        lastResortSeen = lr;
        if (!child!.alive()) {
          await startHost();
          await openFresh();
        }
      } else if (!ok) {
        res.hangs++;
        log(`contract fuzz: hello not answered after ${res.messages} messages`);
        await openFresh();
      }
      if (res.messages % 100_000 < burst) log(`contract fuzz: ${res.messages} messages, ${res.crashes} crashes, ${res.hangs} hangs, ${res.closes} closes`);
    }
    res.peakMb = child!.memory().peakMb;
    res.hostCpuS = child!.cpuSeconds();
  } finally {
    (page as PageClient | null)?.close();
    await (child as Child | null)?.stop();
  }
  res.ms = performance.now() - t0;
  return res;
}
