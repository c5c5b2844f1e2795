// Runs the decode jobs of recordings (a file's indexes, a chunk's messages)
// in a worker thread (decode-worker.ts), so decompressing a hostile or huge
// file never stalls the host's event loop. One job at a time per worker;
// each with a time limit; input and output bounded by the chunk budgets.
// A job over its time is stopped with its worker, and a worker that dies
// (a crash, its heap limit) fails only the job it was running: the next job
// gets a fresh worker. An idle worker exits and is started again on demand.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { REPLAY_CHUNK_TIMEOUT_MS, REPLAY_OPEN_TIMEOUT_MS, REPLAY_WORKER_HEAP_MB, REPLAY_WORKER_IDLE_MS } from '../../../shared/index.js';
import type { DecodedChunk } from './chunk-decode.js';
import type { FileIdentity, RecordingIndex } from './index-read.js';
import { RecordingLimitError } from './limit-error.js';

export type DecodeJob = { id: number; kind: 'index'; file: FileIdentity } | { id: number; kind: 'chunk'; bytes: Uint8Array };
export type DecodeReply =
  /** The worker has loaded its codecs: job time limits count from here (a cold start under tsx takes a while). */
  | { id: 0; ready: true; threadId: number }
  | { id: number; ok: true; threadId: number; kind: 'index'; value: RecordingIndex }
  | { id: number; ok: true; threadId: number; kind: 'chunk'; value: DecodedChunk }
  | { id: number; ok: false; threadId: number; error: string; limit: string | null };

/** Where the worker's code is: its TypeScript source under tsx (tests, CLI, browser mode), or the bundle beside main.cjs (Electron). */
export interface WorkerEntry {
  file: URL | string;
  execArgv?: string[];
}

/** The bundled worker's file name (scripts/build-electron.mjs writes it beside main.cjs). */
export const BUNDLED_WORKER_FILE = 'recording-worker.cjs';

/**
 * The worker entry for where this module runs. `moduleUrl` is
 * import.meta.url (undefined in the CommonJS bundle, where `dirname` is the
 * bundle's folder).
 */
export function decodeWorkerEntry(moduleUrl: string | undefined, dirname: string | undefined): WorkerEntry {
  if (moduleUrl === undefined) return { file: join(dirname ?? '.', BUNDLED_WORKER_FILE) };
  const file = new URL(moduleUrl.endsWith('.ts') ? './decode-worker.ts' : './decode-worker.js', moduleUrl);
  if (!moduleUrl.endsWith('.ts') || process.execArgv.some((a) => a.includes('tsx'))) return { file };
  // TypeScript source in a process without tsx's loader (vitest): the worker loads it.
  const tsx = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
  return { file, execArgv: [...process.execArgv, '--import', tsx] };
}

// import.meta is empty in the CommonJS bundle; __dirname exists only there.
const moduleUrl = (import.meta as { url?: string }).url;
const defaultEntry = (): WorkerEntry => decodeWorkerEntry(moduleUrl, moduleUrl === undefined ? __dirname : undefined);

type JobReply = Extract<DecodeReply, { ok: true }>;

interface Pending {
  job: DecodeJob;
  transfer: ArrayBuffer[];
  timeoutMs: number;
  /** The limit named when it times out. */
  timeoutLimit: string;
  resolve: (r: JobReply) => void;
  reject: (e: Error) => void;
}

export interface DecoderStats {
  jobs: number;
  failed: number;
  timeouts: number;
  /** Workers that died (crash, heap limit) while running a job. */
  crashes: number;
  workersStarted: number;
  /** Thread ids the jobs ran on (never the main thread's 0). */
  threadIds: Set<number>;
}

export class DecodeWorker {
  private worker: Worker | null = null;
  /** The worker has said it is ready. */
  private ready = false;
  private running: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Pending[] = [];
  private idle: NodeJS.Timeout | null = null;
  private nextId = 1;
  readonly stats: DecoderStats = { jobs: 0, failed: 0, timeouts: 0, crashes: 0, workersStarted: 0, threadIds: new Set() };

  constructor(
    private readonly entry: () => WorkerEntry = defaultEntry,
    /** Job time limits (tests shorten them). */
    private readonly timeouts: { indexMs: number; chunkMs: number } = { indexMs: REPLAY_OPEN_TIMEOUT_MS, chunkMs: REPLAY_CHUNK_TIMEOUT_MS },
  ) {}

  /** A recording's indexes (within REPLAY_OPEN_TIMEOUT_MS). */
  async index(file: FileIdentity): Promise<RecordingIndex> {
    const r = await this.run({ id: this.nextId++, kind: 'index', file }, [], this.timeouts.indexMs, 'REPLAY_OPEN_TIMEOUT_MS');
    if (r.kind !== 'index') throw new Error('decode worker answered another job');
    return r.value;
  }

  /** A chunk record's messages (within REPLAY_CHUNK_TIMEOUT_MS); `bytes` is moved to the worker, not copied. */
  async chunk(bytes: Uint8Array): Promise<DecodedChunk> {
    const r = await this.run({ id: this.nextId++, kind: 'chunk', bytes }, [bytes.buffer as ArrayBuffer], this.timeouts.chunkMs, 'REPLAY_CHUNK_TIMEOUT_MS');
    if (r.kind !== 'chunk') throw new Error('decode worker answered another job');
    return r.value;
  }

  /** Stops the worker; queued jobs fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error('decoder closed'));
    if (this.running) this.fail(new Error('decoder closed'));
    await this.stopWorker();
  }

  private run(job: DecodeJob, transfer: ArrayBuffer[], timeoutMs: number, timeoutLimit: string): Promise<JobReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, transfer, timeoutMs, timeoutLimit, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const p = this.queue.shift();
    if (!p) {
      this.idle ??= setTimeout(() => void this.stopWorker(), REPLAY_WORKER_IDLE_MS).unref();
      this.worker?.unref();
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const w = this.worker ?? this.start();
    w.ref();
    this.running = { ...p, timer: this.arm(p) };
    this.stats.jobs++;
    try {
      w.postMessage(p.job, p.transfer);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** The running job's timer: its time limit once the worker is ready; until then the worker's start is bounded by REPLAY_OPEN_TIMEOUT_MS. */
  private arm(p: Pending): NodeJS.Timeout {
    const starting = !this.ready;
    const ms = starting ? Math.max(p.timeoutMs, REPLAY_OPEN_TIMEOUT_MS) : p.timeoutMs;
    return setTimeout(() => {
      this.stats.timeouts++;
      const e = starting
        ? new RecordingLimitError('REPLAY_OPEN_TIMEOUT_MS', `the decode worker did not start within REPLAY_OPEN_TIMEOUT_MS (${ms / 1000} s)`)
        : new RecordingLimitError(p.timeoutLimit, `decoding took longer than ${p.timeoutLimit} (${p.timeoutMs / 1000} s): the worker was stopped`);
      this.fail(e);
      void this.stopWorker();
    }, ms);
  }

  private start(): Worker {
    const entry = this.entry();
    const w = new Worker(entry.file, { ...(entry.execArgv ? { execArgv: entry.execArgv } : {}), resourceLimits: { maxOldGenerationSizeMb: REPLAY_WORKER_HEAP_MB } });
    this.stats.workersStarted++;
    this.worker = w;
    this.ready = false;
    w.on('message', (reply: DecodeReply) => {
      if (this.worker !== w) return;
      if ('ready' in reply) {
        this.ready = true;
        // The job waiting for the start gets its full time from now.
        if (this.running) {
          clearTimeout(this.running.timer);
          this.running.timer = this.arm(this.running);
        }
        return;
      }
      const r = this.running;
      if (!r || reply.id !== r.job.id) return;
      this.stats.threadIds.add(reply.threadId);
      clearTimeout(r.timer);
      this.running = null;
      if (reply.ok) r.resolve(reply);
      else {
        this.stats.failed++;
        r.reject(reply.limit ? new RecordingLimitError(reply.limit, reply.error) : new Error(reply.error));
      }
      this.next();
    });
    w.on('error', (e) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.stats.crashes++;
      this.fail(new Error(`the decode worker failed: ${e.message}`));
    });
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = null;
      if (this.running) {
        this.stats.crashes++;
        this.fail(new Error(`the decode worker exited (code ${code})`));
      }
    });
    return w;
  }

  /** Fails the running job only; the queue goes on (on a fresh worker if this one is gone). */
  private fail(e: Error): void {
    const r = this.running;
    if (!r) return;
    clearTimeout(r.timer);
    this.running = null;
    this.stats.failed++;
    r.reject(e);
    queueMicrotask(() => this.next());
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (w) await w.terminate();
  }
}

let shared: { index: DecodeWorker; chunks: DecodeWorker } | null = null;

/** The host's decoders: one worker for opening files (a damaged one may be walked for a while), one for chunks, so playback never waits behind an open. */
export function decoders(): { index: DecodeWorker; chunks: DecodeWorker } {
  return (shared ??= { index: new DecodeWorker(), chunks: new DecodeWorker() });
}
