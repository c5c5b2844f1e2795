// What window.__swarmdeck.perf() and the status bar's data age read: over
// the last PERF_WINDOW_MS, the frames this page drew (fps), the core frames
// it applied that brought positions, the age of the data drawn at each
// drawn frame (p50/p95), and what the core dropped for this view.
//
// Data age is now minus the plane's send time of the positions drawn (the
// frame's `sentAt`, already corrected to the local clock by the core's
// offset estimate), computed at read time, so it keeps growing while nothing
// arrives. With several planes it is the oldest of them. A replay's data is
// old by nature and its clock is the recording's: replay planes are left out,
// and so are planes disconnected on purpose (CLOSED) or refused (FAILED,
// AUTH_REQUIRED), whose state the status bar already says.
// No allocation per drawn frame: fixed rings of numbers.

import type { ConnectionState, FrameMessage, PlaneStatus } from '@shared';

export const PERF_WINDOW_MS = 5000;
/** Data age past this is shown amber in the status bar. */
export const DATA_AGE_WARN_MS = 1000;
/** Samples kept per ring (drawn frames at up to 240 Hz over the window; applied frames likewise). */
const RING = 2048;

const LEFT_OUT: ReadonlySet<ConnectionState> = new Set(['CLOSED', 'FAILED', 'AUTH_REQUIRED']);

export interface PerfSnapshot {
  /** Frames drawn per second. */
  fps: number;
  /** Core frames applied that brought positions, in the window. */
  framesApplied: number;
  /** Age of the data drawn, over the drawn frames of the window; null when no live plane has sent positions. */
  dataAgeMs: { p50: number | null; p95: number | null };
  /** Position updates superseded (latest wins) plus events dropped by the core for this view, in the window. */
  dropped: number;
  /** The span the figures cover, ms (less than PERF_WINDOW_MS just after load). */
  windowMs: number;
}

/** A ring of (time, value) pairs. */
class TimedRing {
  readonly t = new Float64Array(RING);
  readonly v = new Float64Array(RING);
  n = 0;
  add(t: number, v: number): void {
    const i = this.n++ % RING;
    this.t[i] = t;
    this.v[i] = v;
  }
  /** Indexes of the samples at or after `since`, newest first, through `each`; stops at the first older one. */
  since(since: number, each: (i: number) => void): void {
    const k = Math.min(this.n, RING);
    for (let j = 1; j <= k; j++) {
      const i = (this.n - j) % RING;
      if (this.t[i]! < since) return;
      each(i);
    }
  }
}

/** The q-quantile (0..1) of the first `n` values of `a` (sorted in place). */
export function quantile(a: Float64Array, n: number, q: number): number | null {
  if (n === 0) return null;
  const s = a.subarray(0, n).sort();
  return s[Math.min(n - 1, Math.floor(q * n))]!;
}

export class PerfWindow {
  private readonly draws = new TimedRing();
  private readonly applied = new TimedRing();
  private readonly drops = new TimedRing();
  private readonly sentAt = new Map<string, number>();
  private readonly counted = new Set<string>();
  private readonly scratch = new Float64Array(RING);
  private firstAt = -1;

  constructor(private readonly windowMs = PERF_WINDOW_MS) {}

  /** A core frame applied at `now` (epoch ms): its planes' states and send times, and the core's drop counters. */
  frame(f: FrameMessage, now: number): void {
    if (this.firstAt < 0) this.firstAt = now;
    for (const p of f.planes) this.planeStatus(p);
    let positions = false;
    for (const pf of f.positions) {
      const sent = pf.sentAt ?? 0;
      if (sent > 0) this.sentAt.set(pf.plane, sent);
      if (pf.receivedAt > 0) positions = true;
    }
    if (positions) this.applied.add(now, 1);
    this.drops.add(now, f.stats.supersededPositions + (f.stats.eventsDropped ?? 0));
  }

  private planeStatus(p: PlaneStatus): void {
    if (p.replay || LEFT_OUT.has(p.state)) this.counted.delete(p.plane);
    else this.counted.add(p.plane);
  }

  /** Now minus the oldest send time of what is drawn, ms; null when no counted plane has sent positions. */
  dataAge(now: number): number | null {
    let oldest = Infinity;
    for (const plane of this.counted) {
      const t = this.sentAt.get(plane);
      if (t !== undefined && t < oldest) oldest = t;
    }
    return oldest === Infinity ? null : Math.max(0, now - oldest);
  }

  /** A frame drawn at `now`: the data age at that moment is sampled. */
  drawn(now: number): void {
    if (this.firstAt < 0) this.firstAt = now;
    this.draws.add(now, this.dataAge(now) ?? Number.NaN);
  }

  snapshot(now: number): PerfSnapshot {
    const from = now - this.windowMs;
    const span = this.firstAt < 0 ? 0 : Math.min(this.windowMs, now - this.firstAt);
    let draws = 0;
    let ages = 0;
    const scratch = this.scratch;
    this.draws.since(from, (i) => {
      draws++;
      const age = this.draws.v[i]!;
      if (!Number.isNaN(age)) scratch[ages++] = age;
    });
    let framesApplied = 0;
    this.applied.since(from, () => framesApplied++);
    // Drops: the newest cumulative count minus the oldest in the window (the core's counters reset with a new view: never negative).
    let newest = -1;
    let oldest = -1;
    this.drops.since(from, (i) => {
      if (newest < 0) newest = this.drops.v[i]!;
      oldest = this.drops.v[i]!;
    });
    return {
      fps: span > 0 ? Math.round((draws * 10_000) / span) / 10 : 0,
      framesApplied,
      dataAgeMs: { p50: quantile(scratch, ages, 0.5), p95: quantile(scratch, ages, 0.95) },
      dropped: newest < 0 ? 0 : Math.max(0, newest - oldest),
      windowMs: span,
    };
  }
}

/** Samples the data age at every frame the browser draws (requestAnimationFrame, which pixi's ticker runs on). */
export function startDrawSampling(perf: PerfWindow): void {
  const tick = (): void => {
    perf.drawn(performance.timeOrigin + performance.now());
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** "120 ms" under 10 s, else "12.3 s". */
export function formatAge(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
