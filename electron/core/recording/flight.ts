// The flight recorder: every live plane's inbound messages, always, into a
// rolling buffer of MCAP segment files under the cache folder (one Recorder
// per segment, the recording format). It keeps the last `windowMs` of each
// plane, and at most `maxBytes` of files across all planes: a 1 s tick rolls
// segments (at min(window / 10, 60 s) or budget / 8 / planes bytes) and
// deletes the oldest first, never a plane's current one. Only the segment
// list is in memory. A segment that cannot be written (full disk, deleted or
// read-only folder) turns the recorder off for that plane with a reason,
// said as a client.warning; the plane itself goes on.

import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FlightPlane,
  type FlightSettings,
  type FlightStatus,
  type PlaneEvent,
  REWIND_DEFAULT_BYTES,
  REWIND_DEFAULT_MS,
  REWIND_SEGMENT_MAX_MS,
  REWIND_SEGMENT_MIN_MS,
} from '../../../shared/index.js';
import type { Plane } from '../connection/index.js';
import { fileSink } from './mcap-writer.js';
import type { RecordingCore } from './ports.js';
import { Recorder, type RecorderOptions } from './recorder.js';

export interface FlightOptions {
  /** The cache folder; segments go in `<dir>/flight/<run>/<plane>/`. */
  dir: string;
  windowMs?: number;
  maxBytes?: number;
  now?: () => number;
  /** Housekeeping interval; default 1000 ms. */
  tickMs?: number;
  /** Segment length override (tests). */
  segmentMs?: number;
  /** Options of each segment's Recorder (tests: compression, snapshot interval). */
  recorder?: RecorderOptions;
}

export interface Segment {
  path: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

interface Buffer_ {
  readonly plane: string;
  readonly dir: string;
  /** Finished segments, oldest first. */
  readonly segments: Segment[];
  current: { seg: Segment; rec: Recorder } | null;
  /** A segment being opened (roll or first). */
  opening: Promise<void> | null;
  off: string | null;
  n: number;
}

const safeName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'plane';

export class FlightRecorder {
  /** Finished segments whose file a roll is still ending (summary and indexes being written): not to be read yet. */
  private readonly ending = new WeakSet<Segment>();
  readonly runDir: string;
  private windowMs: number;
  private maxBytes: number;
  private readonly now: () => number;
  private readonly buffers = new Map<string, Buffer_>();
  private readonly detach: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Segments a rewind is reading: not deleted for age (the byte budget still applies). */
  private readonly pinned = new Set<string>();
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly core: RecordingCore,
    private readonly opts: FlightOptions,
  ) {
    this.windowMs = opts.windowMs ?? REWIND_DEFAULT_MS;
    this.maxBytes = opts.maxBytes ?? REWIND_DEFAULT_BYTES;
    this.now = opts.now ?? Date.now;
    this.runDir = join(opts.dir, 'flight', `${process.pid}-${Date.now().toString(36)}`);
  }

  /** Taps the core and starts the tick; the planes' buffers begin at their first message. */
  start(): void {
    if (this.timer) return;
    this.detach.push(
      this.core.onInbound((plane, endpoint, data, isBinary, at) => {
        const b = this.bufferFor(plane);
        b?.current?.rec.inbound(plane, endpoint, data, isBinary, at);
        if (b?.current && at > b.current.seg.endMs) b.current.seg.endMs = at;
      }),
      this.core.onEvent((ev: PlaneEvent) => {
        if (ev.origin === 'client') this.buffers.get(ev.plane)?.current?.rec.event(ev);
      }),
    );
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
    void this.removeOldRuns();
  }

  get enabled(): boolean {
    return this.windowMs > 0 && !this.stopped;
  }

  settings(): { windowMs: number; maxBytes: number } {
    return { windowMs: this.windowMs, maxBytes: this.maxBytes };
  }

  /** New settings: a window of 0 stops every buffer and deletes its files; a smaller one or budget prunes at once. */
  async configure(s: FlightSettings): Promise<void> {
    if (s.maxBytes !== undefined) this.maxBytes = s.maxBytes;
    if (s.windowMs !== undefined) {
      this.windowMs = s.windowMs;
      if (this.windowMs === 0) for (const id of [...this.buffers.keys()]) await this.dropBuffer(id);
    }
    await this.tick();
  }

  /** The live plane's buffer, made on its first message (null: off, or not a live plane). */
  private bufferFor(id: string): Buffer_ | null {
    let b = this.buffers.get(id);
    if (b) return b.off ? null : b;
    if (!this.enabled) return null;
    const plane = this.core.plane(id);
    if (!plane || plane.config.replay) return null;
    b = { plane: id, dir: join(this.runDir, safeName(id)), segments: [], current: null, opening: null, off: null, n: 0 };
    this.buffers.set(id, b);
    this.roll(b, plane);
    return b;
  }

  private segmentMs(): number {
    return this.opts.segmentMs ?? Math.max(REWIND_SEGMENT_MIN_MS, Math.min(this.windowMs / 10, REWIND_SEGMENT_MAX_MS));
  }

  private segmentBytes(): number {
    return Math.max(64 * 1024, this.maxBytes / 8 / Math.max(1, this.buffers.size));
  }

  /** Opens the next segment; the current one is finished once the new one records (never a gap the recorder could fill). */
  private roll(b: Buffer_, plane: Plane): void {
    if (b.opening || b.off) return;
    const path = join(b.dir, `segment-${String(++b.n).padStart(6, '0')}.mcap`);
    b.opening = (async () => {
      try {
        await mkdir(b.dir, { recursive: true, mode: 0o700 });
        const rec = await Recorder.start(await fileSink(path), [plane], { maxBytes: Number.MAX_SAFE_INTEGER, maxDurationMs: Number.MAX_SAFE_INTEGER, ...this.opts.recorder });
        if (this.stopped || b.off || this.buffers.get(b.plane) !== b) {
          await rec.stop();
          await rm(path, { force: true });
          return;
        }
        const t = this.now();
        const prev = b.current;
        if (prev) prev.seg.endMs = Math.max(prev.seg.endMs, t);
        b.current = { seg: { path, startMs: t, endMs: t, bytes: 0 }, rec };
        // The finished one is in the index at once (its file is being ended: summary and indexes).
        if (prev) {
          b.segments.push(prev.seg);
          this.ending.add(prev.seg);
          try {
            await this.finish(prev);
          } finally {
            this.ending.delete(prev.seg);
          }
        }
      } catch (e) {
        await this.turnOff(b, `the flight recorder cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        b.opening = null;
      }
    })();
  }

  private async finish(cur: { seg: Segment; rec: Recorder }): Promise<void> {
    await cur.rec.stop();
    const s = cur.rec.stats();
    cur.seg.bytes = s.bytesWritten;
    if (s.error) throw new Error(s.error);
  }

  /** Off for this plane, with the reason said on its connection history; its files are kept until the plane goes. */
  private async turnOff(b: Buffer_, reason: string): Promise<void> {
    if (b.off) return;
    b.off = reason;
    const cur = b.current;
    b.current = null;
    if (cur) {
      await cur.rec.stop().catch(() => undefined);
      cur.seg.bytes = cur.rec.stats().bytesWritten;
      b.segments.push(cur.seg);
    }
    if (this.core.plane(b.plane)) {
      this.core.listenerFor(b.plane).event({
        seq: 0,
        plane: b.plane,
        at: this.now(),
        origin: 'client',
        type: 'client.warning',
        priority: 'high',
        payload: { code: 'FLIGHT_RECORDER_OFF', message: `rewind is off for this plane: ${reason}` },
      });
    }
  }

  /** Rolls, notices write errors, follows planes that went, deletes what is past the window and the budget. */
  tick(): Promise<void> {
    this.ticking ??= this.housekeep().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async housekeep(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    for (const b of [...this.buffers.values()]) {
      const plane = this.core.plane(b.plane);
      if (!plane || plane.config.replay) {
        await this.dropBuffer(b.plane);
        continue;
      }
      const cur = b.current;
      if (!cur || b.off) continue;
      if (!(await stat(b.dir).catch(() => null))?.isDirectory()) {
        await this.turnOff(b, `its folder ${b.dir} was deleted`);
        continue;
      }
      const s = cur.rec.stats();
      cur.seg.bytes = s.bytes;
      cur.seg.endMs = Math.max(cur.seg.endMs, now);
      if (s.error || s.messagesDropped > 0) {
        await this.turnOff(b, s.error ?? `the disk did not keep up (${s.messagesDropped} messages not written)`);
        continue;
      }
      if (now - cur.seg.startMs >= this.segmentMs() || s.bytes >= this.segmentBytes()) this.roll(b, plane);
    }
    // Past the window: each plane's oldest finished segments that end before it.
    const horizon = now - this.windowMs;
    for (const b of this.buffers.values()) {
      while (b.segments.length > 0 && b.segments[0]!.endMs < horizon && !this.pinned.has(b.segments[0]!.path)) await this.removeSegment(b, 0);
    }
    // Past the budget: the oldest finished segment of any plane, until under it.
    while (this.totalBytes() > this.maxBytes) {
      let oldest: Buffer_ | null = null;
      for (const b of this.buffers.values()) if (b.segments.length > 0 && (!oldest || b.segments[0]!.startMs < oldest.segments[0]!.startMs)) oldest = b;
      if (!oldest) break;
      await this.removeSegment(oldest, 0);
    }
  }

  private async removeSegment(b: Buffer_, i: number): Promise<void> {
    const [s] = b.segments.splice(i, 1);
    if (s) await rm(s.path, { force: true }).catch(() => undefined);
  }

  totalBytes(): number {
    let n = 0;
    for (const b of this.buffers.values()) {
      for (const s of b.segments) n += s.bytes;
      if (b.current) n += b.current.seg.bytes;
    }
    return n;
  }

  private async dropBuffer(id: string): Promise<void> {
    const b = this.buffers.get(id);
    if (!b) return;
    this.buffers.delete(id);
    await b.opening;
    if (b.current) await b.current.rec.stop().catch(() => undefined);
    await rm(b.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** The plane's segments, oldest first (the current one last, readable up to its last flushed chunk). */
  segments(plane: string): Segment[] {
    const b = this.buffers.get(plane);
    if (!b) return [];
    return b.current ? [...b.segments, b.current.seg] : [...b.segments];
  }

  /** The plane's segments whose files are whole: not the current one, nor one a roll is still ending. */
  ended(plane: string): Segment[] {
    return (this.buffers.get(plane)?.segments ?? []).filter((s) => !this.ending.has(s));
  }

  /**
   * Ends the plane's current segment now (its summary written: it opens fast
   * and whole) and begins the next: a rewind or Save reads up to now from
   * finished files only. Resolves when the finished one is on disk.
   */
  async cut(plane: string): Promise<void> {
    const b = this.buffers.get(plane);
    const p = this.core.plane(plane);
    if (!b || !p || b.off) return;
    await b.opening;
    this.roll(b, p);
    await b.opening;
  }

  pin(path: string): void {
    this.pinned.add(path);
  }

  unpin(path: string): void {
    this.pinned.delete(path);
  }

  /** The Settings panel's and planes() view of every buffer. */
  status(rewoundAt: (plane: string) => number | null = () => null): FlightStatus {
    const planes: FlightPlane[] = [];
    for (const b of this.buffers.values()) {
      const segs = this.segments(b.plane);
      planes.push({
        plane: b.plane,
        recording: b.current !== null && !b.off,
        startMs: segs[0]?.startMs ?? null,
        endMs: segs.at(-1)?.endMs ?? null,
        bytes: segs.reduce((n, s) => n + s.bytes, 0),
        segments: segs.length,
        off: b.off,
        rewoundAt: rewoundAt(b.plane),
      });
    }
    return { windowMs: this.windowMs, maxBytes: this.maxBytes, dir: this.runDir, bytes: this.totalBytes(), planes: planes.slice(0, 256) };
  }

  /** Why the plane has no buffer to rewind, or null when it has one. */
  problem(plane: string): string | null {
    if (this.windowMs === 0) return 'the flight recorder is off (--rewind 0)';
    const b = this.buffers.get(plane);
    if (!b) return `no flight recording of "${plane}" yet`;
    return b.off;
  }

  /** Run folders of earlier runs whose process is gone (a crash left them). */
  private async removeOldRuns(): Promise<void> {
    const root = join(this.opts.dir, 'flight');
    const names = await readdir(root).catch(() => [] as string[]);
    for (const n of names) {
      const pid = Number(/^(\d+)-/.exec(n)?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
      await rm(join(root, n), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Stops every buffer and deletes this run's files. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    this.stopped = true;
    for (const d of this.detach) d();
    for (const id of [...this.buffers.keys()]) await this.dropBuffer(id);
    await rm(this.runDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
