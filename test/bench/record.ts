// Record benchmark (issue 13), `npm run bench -- record`:
//  1. the recorder's CPU cost on the live path: the core on 10 planes x 5,000
//     agents x 30 Hz with the recorder tapping every message, as a ratio to
//     the same core without it (same stream, same run); bytes per hour.
//  2. seek time in a generated one-hour recording of 5,000 agents at 10 Hz
//     (snapshots every 5 s, as the recorder writes them): target < 300 ms.
// SWARMDECK_BENCH_QUICK=1 shortens both (a 10-minute recording, shorter windows).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plane } from '../../electron/core/connection/plane.js';
import type { PlaneStatus } from '../../shared/model.js';
import { RECORDING_SNAPSHOT_MS } from '../../shared/limits.js';
import { DecodedMessage, decodeMessage } from '../../electron/core/protocol/binary.js';
import { encodePositions } from '../../electron/core/protocol/encode.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { Replay } from '../../electron/core/recording/replay.js';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { percentile } from './ingest.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const QUICK = process.env.SWARMDECK_BENCH_QUICK === '1';

interface Report {
  kind: 'report';
  cpuMs: number;
  elu: number;
  windowMs: number;
  positionMessages: number;
  loopDelayP99: number;
  loopDelayMax: number;
  bytes: number;
  messagesDropped: number;
}

export function child(script: string, args: string[], execArgv: string[] = []): { cp: ChildProcess; next: <T>() => Promise<T> } {
  const cp = fork(script, args, { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  cp.on('message', (m) => {
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  return {
    cp,
    next: <T>() =>
      new Promise<T>((resolve, reject) => {
        if (inbox.length) return resolve(inbox.shift() as T);
        waiters.push((m) => resolve(m as T));
        cp.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
      }),
  };
}

export async function stopChild(c: { cp: ChildProcess }): Promise<void> {
  if (c.cp.exitCode !== null) return;
  const exited = new Promise((r) => c.cp.once('exit', r));
  c.cp.send({ cmd: 'exit' });
  const t = setTimeout(() => c.cp.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** Starts a core child process, lets it warm up, measures one window and returns its report; the child is stopped either way. */
export async function measureChild<R>(script: string, args: string[], warmupMs: number, windowMs: number): Promise<R> {
  const core = child(script, args);
  try {
    await core.next();
    await sleep(warmupMs);
    core.cp.send({ cmd: 'measure-start' });
    await sleep(windowMs);
    core.cp.send({ cmd: 'measure-stop' });
    return await core.next<R>();
  } finally {
    await stopChild(core);
  }
}

function corePass(urls: string[], mode: 'plain' | 'record', out: string, warmupMs: number, windowMs: number): Promise<Report> {
  return measureChild<Report>(here('./record-core.ts'), [JSON.stringify(urls), mode, out], warmupMs, windowMs);
}

/** The benches' synthetic swarm at time t (s): agent i on a circle of its own, turning slowly; velocities with it. */
export function orbitPositions(pos: Float32Array, vel: Float32Array, agents: number, t: number): void {
  for (let i = 0; i < agents; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = 50 + (i % 97) * 3;
    pos[3 * i] = Math.fround(r * Math.cos(a + t * 0.05));
    pos[3 * i + 1] = Math.fround(r * Math.sin(a + t * 0.05));
    vel[3 * i] = -pos[3 * i + 1]! * 0.05;
    vel[3 * i + 1] = pos[3 * i]! * 0.05;
  }
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

async function overhead(print: (l: string) => void, dir: string): Promise<void> {
  const planes = 10;
  const agents = 5000;
  const rate = 30;
  const warmupMs = QUICK ? 2000 : 3000;
  const windowMs = QUICK ? 4000 : 8000;
  print(`### Recorder overhead: ${planes} planes x ${agents.toLocaleString('en')} agents x ${rate} Hz (warm-up ${warmupMs} ms, window ${windowMs} ms)`);
  const stream = child(here('./procs/stream.ts'), [String(planes), String(agents), String(rate), JSON.stringify({ agentHeartbeatMs: 0 })]);
  try {
    const { urls } = await stream.next<{ urls: string[] }>();
    const out = join(dir, 'live.mcap');
    // plain, record, plain again: the two plain runs bracket the recording run (the machine is shared).
    const runs: [string, Report][] = [];
    for (const mode of ['plain', 'record', 'plain'] as const) runs.push([mode, await corePass(urls, mode, out, warmupMs, windowMs)]);
    print('| run | core CPU ms per s | % of one core | main-thread busy (ELU) | event-loop delay p99 / max ms | position msgs in/s | recorded MB/s | not written |');
    print('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [mode, r] of runs) {
      const s = r.windowMs / 1000;
      print(`| ${mode === 'record' ? 'recording' : 'not recording'} | ${f1(r.cpuMs / s)} | ${f1((100 * r.cpuMs) / r.windowMs)}% | ${f1(100 * r.elu)}% | ${f1(r.loopDelayP99)} / ${f1(r.loopDelayMax)} | ${f1(r.positionMessages / s)} | ${mode === 'record' ? f1(r.bytes / s / 1e6) : '-'} | ${mode === 'record' ? r.messagesDropped : '-'} |`);
    }
    const plain = (runs[0]![1].cpuMs / runs[0]![1].positionMessages + runs[2]![1].cpuMs / runs[2]![1].positionMessages) / 2;
    const rec = runs[1]![1];
    const ratio = rec.cpuMs / rec.positionMessages / plain;
    print(`recording/not-recording core CPU per position message: ${ratio.toFixed(2)}x`);
    print(`bytes per hour at this load: ${f1((rec.bytes / (rec.windowMs / 1000)) * 3600 / 1e9)} GB (zstd chunks); messages not written in the window: ${rec.messagesDropped}`);
    // The stream may deliver less than its nominal rate on a loaded machine: per message, then scaled to the nominal rate.
    const perMsg = rec.bytes / Math.max(1, rec.positionMessages);
    print(`bytes per position message (all channels included): ${Math.round(perMsg / 1024)} KiB; at the nominal ${planes * rate} position msgs/s: ${f1((perMsg * planes * rate * 3600) / 1e9)} GB per hour`);
  } finally {
    await stopChild(stream);
  }
}

/** A plane for the recorder without a connection: its store is fed here. */
function fakePlane(store: AgentStore): Pick<Plane, 'config' | 'store' | 'status'> {
  const config = { id: 'gen', label: 'generated', url: 'ws://generated.invalid', color: 0x4cc9f0 };
  return { config, store, status: () => ({ plane: 'gen', label: 'generated', color: config.color, url: config.url, state: 'LIVE', agents: store.agents }) as unknown as PlaneStatus };
}

async function seeks(print: (l: string) => void, dir: string): Promise<void> {
  const agents = 5000;
  const rate = 10;
  const durationMs = QUICK ? 600_000 : 3_600_000;
  const path = join(dir, 'hour.mcap');
  print(`\n### Seek: generated recording, ${agents.toLocaleString('en')} agents at ${rate} Hz for ${durationMs / 60_000} min, snapshots every ${RECORDING_SNAPSHOT_MS / 1000} s`);
  const t0 = Date.now();
  const store = new AgentStore();
  let clock = Date.UTC(2026, 0, 1);
  const start = clock;
  const rec = await Recorder.start(await fileSink(path), [fakePlane(store) as Plane], { snapshotEveryMs: 0, flushEveryMs: 3_600_000, now: () => clock, level: 1 });
  const ids = new Uint32Array(agents).map((_, i) => i + 1);
  const pos = new Float32Array(agents * 3);
  const vel = new Float32Array(agents * 3);
  const decoded = new DecodedMessage();
  const stepMs = 1000 / rate;
  let nextSnap = start + RECORDING_SNAPSHOT_MS;
  for (let k = 0; clock - start < durationMs; k++) {
    const t = k / rate;
    orbitPositions(pos, vel, agents, t);
    const msg = encodePositions(ids, pos, vel, agents);
    rec.inbound('gen', 'agents', msg, true, clock);
    if (clock >= nextSnap) {
      decodeMessage(msg, decoded);
      store.applyPositions(decoded.positions, clock);
      rec.snapshot();
      nextSnap += RECORDING_SNAPSHOT_MS;
    }
    clock += stepMs;
    // Generating runs faster than a disk: wait for it rather than let the queue drop.
    const s = rec.stats();
    if (s.bytes - s.bytesWritten > 32 * 1024 * 1024) while (rec.stats().bytes - rec.stats().bytesWritten > 8 * 1024 * 1024) await sleep(5);
  }
  await rec.stop();
  const size = statSync(path).size;
  print(`generated ${(size / 1e9).toFixed(2)} GB in ${((Date.now() - t0) / 1000).toFixed(0)} s (not written: ${rec.stats().messagesDropped})`);
  const planes = new Map<string, Plane>();
  const o0 = performance.now();
  const replay = await Replay.open(path, {
    listenerFor: () => ({ event: () => undefined }),
    putPlane: (p) => void planes.set(p.config.id, p),
    removePlane: (id) => planes.delete(id),
    plane: (id) => planes.get(id),
  });
  const openMs = performance.now() - o0;
  const { startMs, endMs } = replay.state();
  const times: number[] = [];
  const cpuMs: number[] = [];
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const targets = [endMs, startMs, (startMs + endMs) / 2, ...Array.from({ length: 30 }, () => startMs + rnd() * (endMs - startMs))];
  for (const t of targets) {
    const s0 = performance.now();
    const c0 = process.cpuUsage();
    await replay.seek(t);
    times.push(performance.now() - s0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    if (planes.get('rec:gen')!.store.agents !== agents && t > startMs + RECORDING_SNAPSHOT_MS) throw new Error(`seek to ${t}: ${planes.get('rec:gen')!.store.agents} agents`);
  }
  await replay.close();
  const max = Math.max(...times);
  // CPU ms beside wall ms: on a shared machine the wall time includes waiting for a core.
  print(`load average while seeking: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  print(`| open | seeks | wall p50 ms | wall p95 ms | wall max ms | CPU p50 ms | CPU max ms | target (wall, any point) |`);
  print(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  print(`| ${f1(openMs)} ms | ${times.length} | ${f1(percentile(times, 50))} | ${f1(percentile(times, 95))} | ${f1(max)} | ${f1(percentile(cpuMs, 50))} | ${f1(Math.max(...cpuMs))} | < 300 ms: ${max < 300 ? 'PASS' : 'MISS'} |`);
  print(`file: ${(size / 1e9).toFixed(2)} GB for ${durationMs / 60_000} min = ${((size / durationMs) * 3_600_000 / 1e9).toFixed(2)} GB per hour at ${agents} agents x ${rate} Hz`);
}

export async function runRecordBench(print: (l: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-rec-'));
  try {
    print('## Record and replay');
    if (process.env.SWARMDECK_BENCH_ONLY !== 'seek') await overhead(print, dir);
    await seeks(print, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runRecordBench((l) => console.log(l));
}
