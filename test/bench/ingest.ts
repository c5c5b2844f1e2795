// Ingest benchmark (issue 5): a stream of control-plane position frames into
// the core and out to the renderer side, through the product's typed-array
// path and through a naive JSON-objects-per-agent path over the same link.
// Three processes per run so the core's CPU is its own: stream (the
// simulators), core (typed or naive), consumer (the page's side).

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConsumerReport, CoreReport, FromChild, ToChild } from './procs/messages.js';

const proc = (name: string): string => fileURLToPath(new URL(`./procs/${name}.ts`, import.meta.url));

interface Child {
  cp: ChildProcess;
  next: (kind: FromChild['kind']) => Promise<FromChild>;
  tell: (m: ToChild) => void;
}

function start(name: string, args: string[]): Child {
  // SWARMDECK_BENCH_PROFILE=DIR writes a V8 CPU profile of each core process there.
  const prof = process.env.SWARMDECK_BENCH_PROFILE && name.startsWith('core') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SWARMDECK_BENCH_PROFILE}`] : [];
  const cp = fork(proc(name), args, { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: FromChild[] = [];
  const waiters: ((m: FromChild) => void)[] = [];
  cp.on('message', (m) => {
    const msg = m as FromChild;
    const w = waiters.shift();
    if (w) w(msg);
    else inbox.push(msg);
  });
  return {
    cp,
    tell: (m) => cp.send(m),
    next: (kind) =>
      new Promise((resolve, reject) => {
        const take = (m: FromChild): void => (m.kind === kind ? resolve(m) : reject(new Error(`${name}: expected ${kind}, got ${JSON.stringify(m).slice(0, 200)}`)));
        const queued = inbox.shift();
        if (queued) take(queued);
        else waiters.push(take);
        cp.once('exit', (code) => reject(new Error(`${name} exited (${code}) before sending ${kind}`)));
      }),
  };
}

async function stop(c: Child): Promise<void> {
  if (c.cp.exitCode !== null) return;
  const exited = new Promise((r) => c.cp.once('exit', r));
  c.tell({ cmd: 'exit' });
  const t = setTimeout(() => c.cp.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export interface PathResult {
  mode: 'typed' | 'naive';
  core: CoreReport;
  consumer: ConsumerReport;
  cpuPctOfCore: number;
  /** Core CPU ms per million agent positions delivered: the cost of the work actually done. */
  cpuMsPerMillion: number;
  p50: number;
  p99: number;
}

async function runPath(mode: 'typed' | 'naive', urls: string[], warmupMs: number, windowMs: number): Promise<PathResult> {
  const core = start(mode === 'typed' ? 'core-typed' : 'core-naive', [JSON.stringify(urls)]);
  const ready = (await core.next('ready')) as { url: string; urls?: string[] };
  const consumer = start('consumer', [mode, ready.url, ...(ready.urls ?? [])]);
  try {
    await consumer.next('ready');
    await sleep(warmupMs);
    core.tell({ cmd: 'measure-start' });
    consumer.tell({ cmd: 'measure-start' });
    await sleep(windowMs);
    core.tell({ cmd: 'measure-stop' });
    consumer.tell({ cmd: 'measure-stop' });
    const c = (await core.next('core')) as CoreReport;
    const r = (await consumer.next('consumer')) as ConsumerReport;
    return {
      mode,
      core: c,
      consumer: r,
      cpuPctOfCore: (100 * c.cpuMs) / c.windowMs,
      cpuMsPerMillion: c.cpuMs / (r.agentUpdates / 1e6),
      p50: percentile(r.latencies, 50),
      p99: percentile(r.latencies, 99),
    };
  } finally {
    await stop(consumer);
    await stop(core);
  }
}

export interface Scenario {
  name: string;
  planes: number;
  agents: number;
  rate: number;
}

export const SCENARIOS: Scenario[] = [
  { name: '10 planes x 5,000 agents x 30 Hz', planes: 10, agents: 5000, rate: 30 },
  { name: '1 plane x 50,000 agents x 30 Hz', planes: 1, agents: 50_000, rate: 30 },
];

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export async function runIngestBench(print: (line: string) => void, opts: { warmupMs?: number; windowMs?: number; scenarios?: Scenario[] } = {}): Promise<PathResult[][]> {
  const warmupMs = opts.warmupMs ?? 3000;
  const windowMs = opts.windowMs ?? 6000;
  const all: PathResult[][] = [];
  print(`## Ingest: stream → core → renderer side (warm-up ${warmupMs} ms, window ${windowMs} ms)`);
  for (const sc of opts.scenarios ?? SCENARIOS) {
    // Positions at `rate` Hz plus the simulator's other traffic (state changes, messages,
    // consensus rounds, per-agent metrics every second, system metrics). Per-agent
    // heartbeats are off: at the simulator's 10 s per agent they would add 5,000 JSON
    // events/s at 50,000 agents, a load of its own rather than the position stream.
    const stream = start('stream', [String(sc.planes), String(sc.agents), String(sc.rate), JSON.stringify({ agentHeartbeatMs: 0 })]);
    try {
      const { urls } = (await stream.next('ready')) as { urls: string[] };
      const results: PathResult[] = [];
      for (const mode of ['typed', 'naive'] as const) results.push(await runPath(mode, urls, warmupMs, windowMs));
      all.push(results);
      const secs = (r: PathResult) => r.core.windowMs / 1000;
      print(`\n### ${sc.name}`);
      print('| path | core CPU ms per s of stream | % of one core | core CPU ms per 1M agent updates delivered | main-thread busy ms per 60 Hz frame | event-loop delay p99 / max ms | p50 ms | p99 ms | frames delivered/s | agent updates delivered/s | position msgs in/s | superseded |');
      print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const r of results) {
        print(
          `| ${r.mode === 'typed' ? 'typed arrays (product)' : 'naive JSON objects'} | ${f1(r.core.cpuMs / secs(r))} | ${f1(r.cpuPctOfCore)}% | ${f1(r.cpuMsPerMillion)} | ${(r.core.elu * (1000 / 60)).toFixed(2)} | ${f1(r.core.loopDelayP99)} / ${f1(r.core.loopDelayMax)} | ${f1(r.p50)} | ${f1(r.p99)} | ${f1(r.consumer.frames / secs(r))} | ${Math.round(r.consumer.agentUpdates / secs(r))} | ${f1(r.core.positionMessages / secs(r))} | ${r.core.supersededPositions} |`,
        );
      }
      const [typed, naive] = results as [PathResult, PathResult];
      // Per unit of work: the naive path saturates and delivers fewer updates, so CPU% alone flatters it.
      const ratio = naive.cpuMsPerMillion / typed.cpuMsPerMillion;
      print(`naive/typed core CPU per agent update delivered: ${ratio.toFixed(1)}x (target >= 10x: ${ratio >= 10 ? 'PASS' : 'MISS'}); naive/typed CPU share: ${(naive.cpuPctOfCore / typed.cpuPctOfCore).toFixed(1)}x`);
      if (sc.planes === 1 && sc.agents >= 50_000) {
        print(`typed p99 ${f1(typed.p99)} ms (target < 16 ms: ${typed.p99 < 16 ? 'PASS' : 'MISS'}); core ${f1(typed.cpuPctOfCore)}% of one core (target < 25%: ${typed.cpuPctOfCore < 25 ? 'PASS' : 'MISS'})`);
      }
    } finally {
      await stop(stream);
    }
  }
  return all;
}

// Run alone: `npx tsx test/bench/ingest.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runIngestBench((l) => console.log(l));
}
