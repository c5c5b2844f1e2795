// `npm run bench -- scale` (issue 22): browser mode (`swarmdeck web`, a child
// process) in headless Chromium (Debian's, software WebGL) against
// independent test planes (test/helpers/test-plane.ts, written from the
// seeds; not our simulator), at three loads:
//   baseline   one plane of 5,000 agents, no flows
//   flows      the same plane with 10,000 flows (message.flow.stats about once
//              a second each) and 500 message.sent a second
//   10 planes  ten planes of 5,000 agents, each with flows (--plane-flows, 1,000
//              each by default, and a tenth of the message rate)
// Everything is read through the page (window.__swarmdeck.perf(), every 5 s)
// and the host process (/proc), never the core's internals, so the bench
// measures the same before and after the flow path changes. Per phase:
// fps and its ratio to the baseline, data age p50/p95 (p50: median of the
// 5 s windows, p95: the worst window), core frames applied per second, the
// core's CPU (% of one core: the host process tree, /proc), its RSS, and the
// time from launch to the first agents drawn. Then the time from launch of an
// app whose build is current (the renderer build check included, as
// `npm run start:web` does) to the first agents drawn with the embedded
// simulator. Not a test: nothing here fails a build.
//   --seconds 20        measured seconds per phase (after a 3 s warm-up)
//   --agents 5000 --flows 10000 --messages 500 --planes 10 --plane-flows 1000 --rate 10
//   --phases baseline,flows,planes,launch
//   --shots DIR         a screenshot of the page at the end of each phase, as DIR/scale-<phase>.png

import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM } from '../../playwright.config.js';
import type { PerfSnapshot } from '../../renderer/src/debug-api.js';
import { startWeb, type WebApp } from '../e2e/start-web.js';

type Print = (line: string) => void;
const VIEWPORT = { width: 1200, height: 800 };
const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update'];
const WARMUP_MS = 3000;
const FIRST_AGENTS_TIMEOUT_MS = 90_000;

function arg(rest: readonly string[], name: string, fallback: number): number {
  const i = rest.indexOf(`--${name}`);
  const v = i >= 0 ? Number(rest[i + 1]) : fallback;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Test planes in a child process (procs/test-planes.ts). */
async function startPlanes(count: number, opts: object): Promise<{ urls: string[]; pid: number; stop: () => Promise<void> }> {
  const cp: ChildProcess = fork(fileURLToPath(new URL('./procs/test-planes.ts', import.meta.url)), [String(count), JSON.stringify(opts)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<string[]>((resolve, reject) => {
    cp.once('message', (m) => resolve((m as { urls: string[] }).urls));
    cp.once('exit', (code) => reject(new Error(`test planes exited (${code})`)));
  });
  return {
    urls,
    pid: cp.pid!,
    stop: async () => {
      if (cp.exitCode !== null) return;
      const exited = new Promise((r) => cp.once('exit', r));
      cp.send('exit');
      const t = setTimeout(() => cp.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The process and its descendants (tsx runs the CLI in a child of its own). */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}

const TICKS_PER_SEC = 100;
/** CPU seconds (user + system) and RSS bytes of a process tree. */
function usage(root: number): { cpuSec: number; rss: number } {
  let ticks = 0;
  let rss = 0;
  for (const pid of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
      rss += Number(f[21]) * 4096;
    } catch {
      // gone meanwhile
    }
  }
  return { cpuSec: ticks / TICKS_PER_SEC, rss };
}

/** CPU seconds of Chromium's GPU process (SwiftShader rasterises there) and of its page (renderer) processes. */
function chromiumCpu(): { gpuSec: number; pageSec: number } {
  let gpu = 0;
  let page = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const kind = cmd.includes('--type=gpu-process') ? 'gpu' : cmd.includes('--type=renderer') ? 'page' : null;
      if (!kind) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const sec = (Number(f[11]) + Number(f[12])) / TICKS_PER_SEC;
      if (kind === 'gpu') gpu += sec;
      else page += sec;
    } catch {
      // gone meanwhile
    }
  }
  return { gpuSec: gpu, pageSec: page };
}

/** Launch (t0) to the first `agents` drawn in a fresh page, ms. */
async function firstAgents(page: Page, url: string, agents: number, t0: number): Promise<number> {
  await page.goto(url, { waitUntil: 'commit', timeout: FIRST_AGENTS_TIMEOUT_MS });
  const deadline = Date.now() + FIRST_AGENTS_TIMEOUT_MS;
  for (;;) {
    const drawn = await page.evaluate(() => window.__swarmdeck?.scene()?.nodes ?? 0).catch(() => 0);
    if (drawn >= agents) return performance.now() - t0;
    if (Date.now() > deadline) throw new Error(`only ${drawn} of ${agents} agents drawn after ${FIRST_AGENTS_TIMEOUT_MS} ms`);
    await sleep(50);
  }
}

interface PhaseResult {
  name: string;
  fps: number;
  ageP50: number | null;
  ageP95: number | null;
  appliedPerSec: number;
  dropped: number;
  cpuPct: number;
  /** CPU of the test planes' process, Chromium's GPU process and its page, % of one core: where the rest of the machine went. */
  planesPct: number;
  gpuPct: number;
  pagePct: number;
  rssMb: number;
  firstAgentsMs: number;
}

const median = (a: number[]): number | null => (a.length === 0 ? null : [...a].sort((x, y) => x - y)[a.length >> 1]!);

async function phase(browser: Browser, name: string, planes: number, opts: object, agents: number, seconds: number, shot: string | null): Promise<PhaseResult> {
  const tp = await startPlanes(planes, opts);
  let app: WebApp | null = null;
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    const t0 = performance.now();
    app = await startWeb(tp.urls.flatMap((u) => ['--url', u]));
    const firstAgentsMs = await firstAgents(page, app.url, agents * planes, t0);
    await sleep(WARMUP_MS);
    const u0 = usage(app.pid);
    const p0 = usage(tp.pid);
    const g0 = chromiumCpu();
    const c0 = performance.now();
    const windows: PerfSnapshot[] = [];
    for (let left = seconds * 1000; left > 0; left -= 5000) {
      await sleep(Math.min(5000, left));
      windows.push(await page.evaluate(() => window.__swarmdeck!.perf()));
    }
    const u1 = usage(app.pid);
    const p1 = usage(tp.pid);
    const g1 = chromiumCpu();
    const wall = (performance.now() - c0) / 1000;
    if (shot) await page.screenshot({ path: shot });
    const span = windows.reduce((n, w) => n + w.windowMs, 0) / 1000 || 1;
    return {
      name,
      fps: windows.reduce((n, w) => n + w.fps * w.windowMs, 0) / 1000 / span,
      ageP50: median(windows.map((w) => w.dataAgeMs.p50).filter((x): x is number => x !== null)),
      ageP95: windows.reduce<number | null>((m, w) => (w.dataAgeMs.p95 === null ? m : Math.max(m ?? 0, w.dataAgeMs.p95)), null),
      appliedPerSec: windows.reduce((n, w) => n + w.framesApplied, 0) / span,
      dropped: windows.reduce((n, w) => n + w.dropped, 0),
      cpuPct: ((u1.cpuSec - u0.cpuSec) / wall) * 100,
      planesPct: ((p1.cpuSec - p0.cpuSec) / wall) * 100,
      gpuPct: ((g1.gpuSec - g0.gpuSec) / wall) * 100,
      pagePct: ((g1.pageSec - g0.pageSec) / wall) * 100,
      rssMb: u1.rss / 2 ** 20,
      firstAgentsMs,
    };
  } finally {
    await page.close();
    await app?.stop();
    await tp.stop();
  }
}

/** Launch of an app whose build is current (the build check included) to the first agents drawn, embedded simulator. */
async function launchToFirstAgents(browser: Browser): Promise<{ ms: number; agents: number }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  let app: WebApp | null = null;
  try {
    const t0 = performance.now();
    execFileSync(process.execPath, ['scripts/build-renderer.mjs'], { stdio: 'ignore' });
    app = await startWeb([]);
    const ms = await firstAgents(page, app.url, app.simAgents, t0);
    return { ms, agents: app.simAgents };
  } finally {
    await page.close();
    await app?.stop();
  }
}

const fmt = (v: number | null, digits = 0): string => (v === null ? '-' : v.toFixed(digits));

export async function runScaleBench(print: Print, rest: readonly string[]): Promise<void> {
  const seconds = arg(rest, 'seconds', 20);
  const agents = arg(rest, 'agents', 5000);
  const flows = arg(rest, 'flows', 10_000);
  const messages = arg(rest, 'messages', 500);
  const planes = arg(rest, 'planes', 10);
  const planeFlows = arg(rest, 'plane-flows', 1000);
  const rate = arg(rest, 'rate', 10);
  const pi = rest.indexOf('--phases');
  const phases = new Set((pi >= 0 ? rest[pi + 1]! : 'baseline,flows,planes,launch').split(','));
  const si = rest.indexOf('--shots');
  const shots = si >= 0 ? rest[si + 1]! : null;
  print(`scale (issue 22): browser mode in headless Chromium (software WebGL, ${VIEWPORT.width}×${VIEWPORT.height}) against independent test planes; ${seconds} s per phase`);
  // The renderer build is current before anything is timed (it is cached by the sources' hash).
  execFileSync(process.execPath, ['scripts/build-renderer.mjs'], { stdio: 'inherit' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let baseFps: number | null = null;
  const row = (r: PhaseResult): string =>
    `| ${r.name} | ${fmt(r.fps, 1)} | ${baseFps ? fmt(r.fps / baseFps, 2) : '-'} | ${fmt(r.ageP50)} | ${fmt(r.ageP95)} | ${fmt(r.appliedPerSec, 1)} | ${r.dropped} | ${fmt(r.cpuPct)} | ${fmt(r.rssMb)} | ${fmt(r.firstAgentsMs)} | ${fmt(r.pagePct)} / ${fmt(r.gpuPct)} / ${fmt(r.planesPct)} |`;
  try {
    const base = { agents, positionHz: rate, stampPositions: true, heartbeatIntervalMs: 5000, agentHeartbeatMs: 0 };
    const runs: [string, string, number, object][] = [
      ['baseline', `${agents} agents, no flows`, 1, base],
      ['flows', `${agents} agents + ${flows} flows, ${messages} msg/s`, 1, { ...base, flows, messagesPerSec: messages }],
      ['planes', `${planes} planes × ${agents} agents, ${planeFlows} flows each`, planes, { ...base, flows: planeFlows, messagesPerSec: Math.round(messages / planes) }],
    ];
    print('');
    print('| load | fps | × baseline | data age p50 ms | p95 ms | frames applied/s | dropped | core CPU % | core RSS MB | launch → agents ms | page / GPU / test planes CPU % |');
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [key, name, count, opts] of runs) {
      if (!phases.has(key)) continue;
      try {
        const r = await phase(browser, name, count, opts, agents, seconds, shots ? join(shots, `scale-${key}.png`) : null);
        if (key === 'baseline') baseFps = r.fps;
        print(row(r));
      } catch (e) {
        print(`| ${name} | failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} |`);
      }
    }
    if (phases.has('launch')) {
      const l = await launchToFirstAgents(browser);
      print('');
      print(`launch (build current, embedded simulator) → first ${l.agents} agents drawn: ${fmt(l.ms)} ms`);
    }
    print('');
    print('budgets: flows fps ≥ 0.7× baseline, data age p95 < 500 ms with frames applied every second; 10 planes p95 < 1 s and fps ≥ 0.5×; core CPU < 25 % (at 10 Hz); launch < 3 s');
  } finally {
    await browser.close();
  }
}
