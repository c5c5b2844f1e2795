// Which recording time a replay was showing at a moment of this console's
// clock: an alert of a replayed plane fires (and is stamped, `firedAt`) when
// the replay plays the message that raised it, so opening the alert at its
// moment needs the way back. Samples (wall ms, recording ms) are noted as the
// replay moves; a sample continuing the last piece at a steady rate replaces
// its end, so steady playback is one piece and only seeks, pauses and speed
// changes add pieces. At most REPLAY_WALL_SEGMENTS samples (the oldest go).

import { REPLAY_MAX_SPEED, REPLAY_WALL_SEGMENTS } from '../../../shared/index.js';

/** Off by more than this (ms of recording time) from the last piece's rate: a new piece. */
const SLACK_MS = 40;

export class WallMap {
  private readonly wall = new Float64Array(REPLAY_WALL_SEGMENTS);
  private readonly rec = new Float64Array(REPLAY_WALL_SEGMENTS);
  /** Samples kept (ring: the oldest at `head`). */
  private n = 0;
  private head = 0;

  private at(i: number): number {
    return (this.head + i) % REPLAY_WALL_SEGMENTS;
  }

  /** The replay shows recording time `recMs` at wall time `wallMs` (non-decreasing wall times). */
  note(wallMs: number, recMs: number): void {
    if (this.n >= 2) {
      const a = this.at(this.n - 2);
      const b = this.at(this.n - 1);
      const dw = this.wall[b]! - this.wall[a]!;
      const rate = dw > 0 ? (this.rec[b]! - this.rec[a]!) / dw : Number.NaN;
      // Continues the last piece (same rate, forward): move its end.
      if (Number.isFinite(rate) && rate >= 0 && recMs >= this.rec[b]! && Math.abs(this.rec[b]! + (wallMs - this.wall[b]!) * rate - recMs) <= SLACK_MS) {
        this.wall[b] = wallMs;
        this.rec[b] = recMs;
        return;
      }
    }
    if (this.n > 0 && this.rec[this.at(this.n - 1)] === recMs && this.wall[this.at(this.n - 1)] === wallMs) return;
    if (this.n === REPLAY_WALL_SEGMENTS) {
      this.head = (this.head + 1) % REPLAY_WALL_SEGMENTS;
      this.n--;
    }
    const i = this.at(this.n++);
    this.wall[i] = wallMs;
    this.rec[i] = recMs;
  }

  /** Recording time shown at wall time `wallMs`: between two samples of one piece, in proportion; null before the first kept. */
  recAt(wallMs: number): number | null {
    let lo = 0;
    let hi = this.n;
    // The last sample at or before wallMs.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.wall[this.at(mid)]! <= wallMs) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return null;
    const a = this.at(lo - 1);
    if (lo === this.n) return this.rec[a]!;
    const b = this.at(lo);
    const dw = this.wall[b]! - this.wall[a]!;
    const dr = this.rec[b]! - this.rec[a]!;
    // Playing from a to b (forward, no faster than the top speed): in proportion; otherwise a jump: where a was.
    if (dw > 0 && dr >= 0 && dr <= dw * REPLAY_MAX_SPEED + SLACK_MS) return this.rec[a]! + ((wallMs - this.wall[a]!) / dw) * dr;
    return this.rec[a]!;
  }
}
