// `npm run bench -- hostile [SECONDS]` (issue 18): memory attacks on browser
// mode (`swarmdeck web` in a child process, the real CLI), each for a fixed
// time (default 10 s), printing the host's peak V8 heap, peak RSS and longest
// event-loop stall against a baseline with a well-behaved page; then the
// longest stall of the event loop while opening a crafted zstd file (walked
// and decoded in the worker) against the reader before (@mcap/core's stream
// reader on the main thread).
//
// A scenario is one entry of SCENARIOS: a name, the process it attacks
// (`start`; default browser mode) and the attack. Another process (say
// `tail` against a hostile plane) is a scenario whose `start` returns it.

import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { McapStreamReader } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import { IPC_CHANNELS, type ReplayEntry, REPLAY_MAX_CHUNK_BYTES } from '../../shared/index.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { type Child, startCli } from '../hostile/child.js';
import { nonReadingViews, slowPipelinedReads, wellBehavedPage } from '../hostile/memory-attacks.js';
import { openPage } from '../hostile/page-client.js';
import { AGENTS_CHANNEL, heartbeats, swarmdeckFile, zstdReady, type CraftedMessage } from '../helpers/crafted-mcap.js';

type Print = (line: string) => void;
const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The process under attack, and how to reach it. */
export interface Target {
  child: Child;
  /** Browser mode's page URL (with its token), when the target is browser mode. */
  openUrl?: string;
}

export interface BenchContext {
  /** A folder of crafted recordings (SWARMDECK_RECORDINGS_DIR of browser mode). */
  recordingsDir: string;
  /** The largest file browser mode serves (with --dev), for the static-file attack. */
  bigFile: string;
}

export interface HostileScenario {
  name: string;
  /** The process to attack; default: browser mode (`swarmdeck web --agents 5000 --dev`). */
  start?: (ctx: BenchContext) => Promise<Target>;
  /** Runs the attack for `ms`; returns a note for the table (what the attack saw). */
  attack: (target: Target, ms: number, ctx: BenchContext) => Promise<string>;
}

const BROWSER_MODE_ARGS = ['web', '--agents', '5000', '--dev'];

async function browserMode(ctx: BenchContext): Promise<Target> {
  const child = startCli(BROWSER_MODE_ARGS, { SWARMDECK_RECORDINGS_DIR: ctx.recordingsDir }, { nodeArgs: ['--import', './test/bench/procs/heap-probe.ts'] });
  const openUrl = (await child.line(/browser mode\): (http\S+)/, 60_000)).replace(/.*browser mode\): /, '');
  return { child, openUrl };
}

/** The crafted recording the recording scenario opens: chunks at the size budget, of data that takes real work to decompress. */
const CRAFTED = 'crafted-zstd.mcap';
/** And one whose chunk is over REPLAY_MAX_CHUNK_BYTES (zeros: a few KB on disk). */
const OVER_LIMIT = 'over-limit.mcap';

export const SCENARIOS: HostileScenario[] = [
  {
    name: 'baseline: one well-behaved page',
    attack: async (t, ms) => `${await wellBehavedPage(t.openUrl!, ms)} frames read`,
  },
  {
    name: '12 pages acking without reading',
    attack: async (t, ms) => {
      const r = await nonReadingViews(t.openUrl!, 12, ms);
      return `${r.closed} of 12 closed by the host`;
    },
  },
  {
    name: '10 x 8 pipelined slow reads',
    attack: async (t, ms, ctx) => {
      const read = await slowPipelinedReads(new URL(t.openUrl!).origin, ctx.bigFile, 10, 8, ms);
      return `${ctx.bigFile.split('/').pop()}, clients read ${(read / MB).toFixed(1)} MB`;
    },
  },
  {
    name: 'crafted zstd recording, playing',
    attack: async (t, ms) => {
      const page = await openPage(t.openUrl!);
      const end = Date.now() + ms;
      const refused = await page.request(IPC_CHANNELS.openRecording, { name: OVER_LIMIT }, 60_000).then(
        () => 'opened (!)',
        (e: unknown) => (String(e).match(/REPLAY_\w+/) ?? ['refused'])[0],
      );
      const entry = (await page.request(IPC_CHANNELS.openRecording, { name: CRAFTED }, 60_000)) as ReplayEntry;
      await page.request(IPC_CHANNELS.replay, { id: entry.id, action: 'speed', value: 16 });
      let laps = 0;
      let position = 0;
      while (Date.now() < end) {
        const s = (await page.request(IPC_CHANNELS.replay, { id: entry.id, action: 'play' })) as ReplayEntry['state'];
        position = Math.max(position, s.positionMs - s.startMs);
        if (s.positionMs >= s.endMs) {
          laps++;
          await page.request(IPC_CHANNELS.replay, { id: entry.id, action: 'seek', value: s.startMs }, 60_000);
        }
        await sleep(200);
      }
      page.close();
      return `played ${laps} times through (furthest ${(position / 1000).toFixed(1)} s of ${((entry.state.endMs - entry.state.startMs) / 1000).toFixed(1)} s); the file over budget: ${refused}`;
    },
  },
];

interface Sample {
  t: number;
  heap: number;
  rss: number;
  stallMs: number;
}

function samples(c: Child): Sample[] {
  return c.stderr
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('bench-probe '))
    .map((l) => JSON.parse(l.slice('bench-probe '.length)) as Sample);
}

interface Peak {
  heapMb: number;
  rssMb: number;
  stallMs: number;
}

function peakOf(all: Sample[], from: number, to: number): Peak {
  const w = all.filter((s) => s.t >= from && s.t <= to);
  return { heapMb: Math.max(...w.map((s) => s.heap)) / MB, rssMb: Math.max(...w.map((s) => s.rss)) / MB, stallMs: Math.max(...w.map((s) => s.stallMs)) };
}

/** A chunk of about REPLAY_MAX_CHUNK_BYTES: 1,000 heartbeats of 32 KiB, each padded with a random 256-character pattern repeated (compressible, but real work to decompress). */
function craftedMessages(chunk: number): CraftedMessage[] {
  const out: CraftedMessage[] = [];
  const t0 = 1_700_000_000_000 + chunk * 1000;
  for (let i = 0; i < 1000; i++) {
    const pattern = Array.from({ length: 256 }, () => String.fromCharCode(97 + ((Math.random() * 26) | 0))).join('');
    out.push({ channel: AGENTS_CHANNEL, timeNs: BigInt(t0) * 1_000_000n + BigInt(i), data: Buffer.from(JSON.stringify({ type: 'heartbeat', timestamp: t0, pad: pattern.repeat(125) })) });
  }
  return out;
}

async function prepare(): Promise<BenchContext & { cleanup(): void }> {
  await zstdReady;
  const recordingsDir = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-hostile-'));
  const f = swarmdeckFile().chunk(heartbeats(10));
  for (let i = 1; i <= 4; i++) f.chunk(craftedMessages(i));
  writeFileSync(join(recordingsDir, CRAFTED), f.end());
  writeFileSync(join(recordingsDir, OVER_LIMIT), swarmdeckFile().chunk(heartbeats(10)).chunk([{ channel: AGENTS_CHANNEL, timeNs: 1_700_000_001_000_000_000n, data: new Uint8Array(REPLAY_MAX_CHUNK_BYTES * 2) }]).end());
  if (!statSync('dist/renderer/index.html', { throwIfNoEntry: false })) {
    console.log('hostile: building the renderer first (npm run -s build:renderer)');
    spawnSync('npm', ['run', '-s', 'build:renderer'], { stdio: 'inherit' });
  }
  const assets = readdirSync('dist/renderer/assets').map((n) => ({ n, size: statSync(join('dist/renderer/assets', n)).size }));
  const big = assets.sort((a, b) => b.size - a.size)[0]!;
  return { recordingsDir, bigFile: `/assets/${big.n}`, cleanup: () => rmSync(recordingsDir, { recursive: true, force: true }) };
}

/** A crafted zstd file without a summary (so it is walked, every chunk decoded to check it): `n` chunks of zeros just under REPLAY_MAX_CHUNK_BYTES each, a few KB on disk. */
function craftedBomb(n: number): Uint8Array {
  const f = swarmdeckFile().chunk(heartbeats(10));
  for (let i = 1; i <= n; i++) f.chunk([{ channel: AGENTS_CHANNEL, timeNs: BigInt(1_700_000_000_000 + i * 1000) * 1_000_000n, data: new Uint8Array(REPLAY_MAX_CHUNK_BYTES - 1024) }]);
  return f.cut();
}

/**
 * The longest event-loop stall while a crafted zstd file is opened (walked:
 * every chunk decompressed and checked): through the decode worker, and as
 * the reader did before, @mcap/core's stream reader on this thread fed 1 MiB
 * at a time. Both measured with monitorEventLoopDelay.
 */
async function stallOfCrafted(path: string): Promise<{ workerMs: number; workerOpenMs: number; mainThreadMs: number; chunks: number; bytes: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const round = async (body: () => Promise<void>): Promise<number> => {
    await sleep(50);
    h.reset();
    await body();
    await sleep(20);
    return h.max / 1e6;
  };
  let chunks = 0;
  let workerOpenMs = 0;
  const workerMs = await round(async () => {
    const t = performance.now();
    const rec = await Recording.open(path);
    workerOpenMs = performance.now() - t;
    chunks = rec.chunks.length;
    await rec.close();
  });
  let bytes = 0;
  const mainThreadMs = await round(async () => {
    const handlers = await loadDecompressHandlers();
    const reader = new McapStreamReader({ includeChunks: true, decompressHandlers: handlers, validateCrcs: true });
    const fh = await open(path);
    const size = (await fh.stat()).size;
    const buf = new Uint8Array(1 << 20);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.byteLength, at);
      at += bytesRead;
      reader.append(buf.subarray(0, bytesRead));
      for (let r = reader.nextRecord(); r; r = reader.nextRecord()) if (r.type === 'Message') bytes += r.data.byteLength;
    }
    await fh.close();
  });
  h.disable();
  return { workerMs, workerOpenMs, mainThreadMs, chunks, bytes };
}

export async function runHostileBench(print: Print, seconds = 10): Promise<void> {
  const ms = seconds * 1000;
  const ctx = await prepare();
  print(`hostile (issue 18): attacks on browser mode (\`swarmdeck ${BROWSER_MODE_ARGS.join(' ')}\`, a child process), ${seconds} s each; the host's peaks during the attack (load average ${loadavg()[0]!.toFixed(1)})`);
  print(`${'scenario'.padEnd(36)}${'peak heap'.padStart(11)}${'peak RSS'.padStart(11)}${'max stall'.padStart(11)}   notes`);
  let base: Peak | null = null;
  try {
    for (const s of SCENARIOS) {
      const target = await (s.start ?? browserMode)(ctx);
      try {
        await sleep(2000); // start-up settles
        const from = Date.now();
        const note = await s.attack(target, ms, ctx);
        await sleep(300);
        const p = peakOf(samples(target.child), from, Date.now());
        base ??= p;
        const vs = (v: number, b: number): string => ` ${v >= b ? '+' : ''}${(v - b).toFixed(0)}`;
        print(
          `${s.name.padEnd(36)}${`${p.heapMb.toFixed(0)} MB`.padStart(11)}${`${p.rssMb.toFixed(0)} MB`.padStart(11)}${`${p.stallMs.toFixed(0)} ms`.padStart(11)}   ${note}${p === base ? '' : `; vs baseline heap${vs(p.heapMb, base.heapMb)} MB, RSS${vs(p.rssMb, base.rssMb)} MB`}${target.child.alive() ? '' : '; THE HOST DIED'}`,
        );
      } finally {
        await target.child.stop();
      }
    }
    const bomb = join(ctx.recordingsDir, 'crafted-bomb.mcap');
    writeFileSync(bomb, craftedBomb(40));
    const st = await stallOfCrafted(bomb);
    print('');
    print(
      `opening a crafted zstd file (${(statSync(bomb).size / 1024).toFixed(0)} KB, no summary, ${st.chunks} chunks walked, ${(st.bytes / MB).toFixed(0)} MB decompressed; load average ${loadavg()[0]!.toFixed(1)}): ` +
        `longest event-loop stall ${st.workerMs.toFixed(0)} ms with the decode worker (open took ${st.workerOpenMs.toFixed(0)} ms), ${st.mainThreadMs.toFixed(0)} ms as the reader did before (on the main thread)`,
    );
  } finally {
    ctx.cleanup();
  }
}
