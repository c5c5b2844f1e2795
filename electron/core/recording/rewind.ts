// Rewind: a live plane's flight buffer shown as a replay plane beside it,
// "rewind:<plane>", through the replay machinery (replay.ts). The live plane
// keeps receiving meanwhile (nothing is lost) and its commands are refused
// while it is rewound; LIVE closes the replay. A seek opens the segment that
// holds the moment (the current one re-read up to now) and rebuilds the
// planes there; playing on crosses into the next segment. The session is a
// timeline entry like any recording, so the Timeline's controls drive it.

import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { REWIND_LABEL_SUFFIX, REWIND_PLANE_PREFIX, type ReplayMarkers, type ReplaySeries, type ReplayState, type RewindAction, type RewindResult } from '../../../shared/index.js';
import type { FlightRecorder } from './flight.js';
import { saveSpan } from './flight-save.js';
import { fileSink } from './mcap-writer.js';
import type { ReplayingCore, TimelineEntry } from './ports.js';
import { Replay } from './replay.js';

export const REWIND_PREFIX = REWIND_PLANE_PREFIX;

/** What rewind needs of the core: replays beside the live planes, and closing one by its timeline id. */
export interface RewindingCore extends ReplayingCore {
  replayAction(req: { id: number; action: 'close' }): Promise<unknown>;
}

/** Segments kept open per rewound plane (a scrub back and forth reuses them). */
const OPEN_SEGMENTS = 16;

/** One rewound plane: a timeline entry spanning the plane's whole buffer. */
export class RewindSession implements TimelineEntry {
  /** Replays of segments, least recently used first; `replay` is the one shown. */
  private readonly open = new Map<string, Replay>();
  private replay: Replay | null = null;
  private segment: string | null = null;
  private wantPlay = false;
  private offState: (() => void) | null = null;
  private closed = false;
  private busy: Promise<void> = Promise.resolve();
  readonly replayPlane: string;

  constructor(
    readonly plane: string,
    private readonly core: ReplayingCore,
    private readonly flight: FlightRecorder,
    private readonly onClosed: () => void,
  ) {
    this.replayPlane = REWIND_PREFIX + plane;
  }

  /** The buffer's extent, now. */
  extent(): { startMs: number; endMs: number } {
    const segs = this.flight.segments(this.plane);
    return { startMs: segs[0]?.startMs ?? Date.now(), endMs: segs.at(-1)?.endMs ?? Date.now() };
  }

  state(): ReplayState {
    const { startMs, endMs } = this.extent();
    const s = this.replay?.state();
    return {
      path: `${REWIND_PREFIX}${this.plane}`,
      playing: s?.playing ?? false,
      speed: s?.speed ?? 1,
      startMs,
      endMs,
      positionMs: s?.positionMs ?? endMs,
      planes: { [this.plane]: this.replayPlane },
      complete: false,
      problem: null,
      error: s?.error ?? null,
    };
  }

  play(): void {
    this.wantPlay = true;
    this.replay?.play();
  }

  pause(): void {
    this.wantPlay = false;
    this.replay?.pause();
  }

  setSpeed(speed: number): void {
    this.replay?.setSpeed(speed);
  }

  step(): Promise<boolean> {
    return this.replay?.step() ?? Promise.resolve(false);
  }

  markers(): Promise<ReplayMarkers> {
    return this.replay?.markers() ?? Promise.resolve({ markers: [], dropped: 0 });
  }

  /** Agents per state over the segment shown. */
  series(): Promise<ReplaySeries> {
    return this.replay?.series() ?? Promise.resolve({ planes: [] });
  }

  /** The buffer records the live plane as it arrived: its time is this console's clock, within what is kept. */
  recordingTimeAt(wallMs: number): number | null {
    const { startMs, endMs } = this.extent();
    return wallMs >= startMs && wallMs <= endMs ? wallMs : null;
  }

  /** Shows the plane as it was at `ms` (clamped to the buffer). */
  seek(ms: number): Promise<void> {
    const run = (): Promise<void> => this.seekNow(ms);
    this.busy = this.busy.then(run, run);
    return this.busy;
  }

  private async seekNow(ms: number): Promise<void> {
    if (this.closed) return;
    // Only finished segments are read (complete files); past the last one, the current one is ended now.
    let done = this.flight.ended(this.plane);
    if (done.length === 0 || ms > done.at(-1)!.endMs) {
      await this.flight.cut(this.plane);
      done = this.flight.ended(this.plane);
    }
    if (done.length === 0) throw new Error(this.flight.problem(this.plane) ?? `nothing recorded of "${this.plane}" yet`);
    const segs = done;
    const t = Math.min(Math.max(ms, segs[0]!.startMs), segs.at(-1)!.endMs);
    let seg = segs[0]!;
    for (const s of segs) if (s.startMs <= t) seg = s;
    let cached = this.open.get(seg.path);
    const prev = this.replay;
    if (cached) {
      this.open.delete(seg.path);
      this.open.set(seg.path, cached);
      if (prev && prev !== cached) prev.pause();
      await cached.seek(t);
    } else {
      prev?.pause();
      cached = await Replay.open(seg.path, this.core, { idFor: () => this.replayPlane, labelSuffix: REWIND_LABEL_SUFFIX, at: t });
      if (this.closed) {
        await cached.close({ keepPlanes: true });
        return;
      }
      this.open.set(seg.path, cached);
      this.flight.pin(seg.path);
    }
    this.replay = cached;
    this.segment = seg.path;
    if (prev !== cached) {
      this.offState?.();
      this.offState = cached.onState((s) => this.stateChanged(s));
    }
    while (this.open.size > OPEN_SEGMENTS) await this.evict(this.open.keys().next().value!);
    if (this.wantPlay) this.replay.play();
  }

  /** Closes a kept segment's replay (never the shown one's planes: another replay has put its own under the id). */
  private async evict(path: string): Promise<void> {
    const r = this.open.get(path);
    if (!r) return;
    this.open.delete(path);
    this.flight.unpin(path);
    if (r === this.replay) {
      this.replay = null;
      this.offState?.();
      this.offState = null;
    }
    await r.close({ keepPlanes: true });
  }

  /** Played to the end of a segment: on into the next one. */
  private stateChanged(s: ReplayState): void {
    if (!this.wantPlay || s.playing || s.positionMs < s.endMs || this.closed) return;
    const segs = this.flight.segments(this.plane);
    const i = segs.findIndex((x) => x.path === this.segment);
    const next = segs[i + 1];
    if (next) void this.seek(next.startMs);
  }

  /** Removes the rewind plane (LIVE). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.busy.catch(() => undefined);
    this.offState?.();
    const shown = this.replay;
    for (const path of [...this.open.keys()]) if (this.open.get(path) !== shown) await this.evict(path);
    if (shown) {
      if (this.segment) this.flight.unpin(this.segment);
      this.open.clear();
      await shown.close();
    }
    this.core.removePlane(this.replayPlane);
    this.onClosed();
  }

  /** The data time shown. */
  at(): number {
    return this.state().positionMs;
  }
}

/** The rewind requests: rewind, LIVE, Save. */
export class RewindService {
  private readonly sessions = new Map<string, { id: number; session: RewindSession }>();

  constructor(
    private readonly core: RewindingCore,
    readonly flight: FlightRecorder,
    private readonly recordingsDir: string,
  ) {}

  /** Why a command to `plane` is refused now, or null: a rewound plane's commands would act on the present while the past is shown. */
  commandRefusal(plane: string): string | null {
    const s = this.sessions.get(plane) ?? (plane.startsWith(REWIND_PREFIX) ? this.sessions.get(plane.slice(REWIND_PREFIX.length)) : undefined);
    if (!s) return null;
    return `"${plane}" is rewound to ${new Date(s.session.at()).toISOString()}: commands are refused while the past is shown. Press LIVE to command the plane.`;
  }

  rewoundAt(plane: string): number | null {
    return this.sessions.get(plane)?.session.at() ?? null;
  }

  async act(req: RewindAction): Promise<RewindResult> {
    const live = this.core.plane(req.plane);
    if (!live || live.config.replay) throw new Error(`no live plane "${req.plane}"`);
    switch (req.action) {
      case 'seek': {
        let entry = this.sessions.get(req.plane);
        if (!entry) {
          const problem = this.flight.problem(req.plane);
          if (problem) throw new Error(problem);
          const session = new RewindSession(req.plane, this.core, this.flight, () => {
            if (this.sessions.get(req.plane)?.session === session) this.sessions.delete(req.plane);
          });
          await session.seek(req.at);
          entry = { id: this.core.addReplay(session), session };
          this.sessions.set(req.plane, entry);
        } else {
          await entry.session.seek(req.at);
        }
        return this.result(req.plane);
      }
      case 'live': {
        const entry = this.sessions.get(req.plane);
        if (entry) {
          this.sessions.delete(req.plane);
          await this.core.replayAction({ id: entry.id, action: 'close' });
        }
        return this.result(req.plane);
      }
      case 'save': {
        const segs = this.flight.segments(req.plane);
        if (segs.length === 0) throw new Error(this.flight.problem(req.plane) ?? `nothing recorded of "${req.plane}" yet`);
        await this.flight.cut(req.plane);
        const from = req.fromMs ?? segs[0]!.startMs;
        const to = req.toMs ?? Date.now();
        if (to < from) throw new Error('the span ends before it starts');
        await mkdir(this.recordingsDir, { recursive: true, mode: 0o700 });
        const path = join(this.recordingsDir, `swarmdeck-rewind-${safe(req.plane)}-${new Date(from).toISOString().replace(/[:.]/g, '-')}.mcap`);
        for (const s of segs) this.flight.pin(s.path);
        try {
          await saveSpan(this.flight.ended(req.plane), from, to, await fileSink(path));
        } finally {
          for (const s of segs) this.flight.unpin(s.path);
        }
        return { ...this.result(req.plane), saved: path };
      }
    }
  }

  private result(plane: string): RewindResult {
    const e = this.sessions.get(plane);
    return { plane, mode: e ? 'rewind' : 'live', atMs: e ? e.session.at() : null, replayId: e?.id ?? null, replayPlane: e ? e.session.replayPlane : null, saved: null };
  }

  async stop(): Promise<void> {
    for (const e of [...this.sessions.values()]) await e.session.close();
    this.sessions.clear();
  }
}

const safe = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'plane';
