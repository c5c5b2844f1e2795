// How many bytes of events one view's next frame may carry. A view that
// acknowledges slowly is one that cannot take what it is sent: its frames
// shrink (the budget halves below what the slow frame carried, down to
// MIN_FRAME_EVENT_BYTES), so positions and states keep going out every frame
// instead of waiting behind a backlog of events; a view that keeps up gets
// the budget back (grows by a quarter per fast frame, up to the maximum).
// A new view starts at the minimum and grows as it acknowledges in time.
// The events that wait stay in the view's bounded queue, where the newest of
// an agent's or flow's updates wins and the rest drop, every one counted
// (frame-pipeline.ts shed()). "Slow" is later than FRAME_ACK_TARGET_MS, or
// than twice the view's fastest recent acknowledgement of a frame with few
// events when drawing alone takes longer than that (software WebGL): the
// events' share, not the GPU's.

import { FRAME_ACK_TARGET_MS, MIN_FRAME_EVENT_BYTES } from '../../../shared/index.js';

/** Acknowledgement times of frames with few events kept, for the fastest recent one... */
const RECENT = 16;
/** ... each for this long (a slow first frame, drawn while the page loads, does not set the bar for good). */
const RECENT_MS = 10_000;

export class EventBudget {
  /** Event bytes the next frame may carry. */
  bytes: number;
  private readonly min: number;
  private readonly recent = new Float64Array(RECENT).fill(Infinity);
  private readonly recentAt = new Float64Array(RECENT);
  private n = 0;

  constructor(
    private readonly max: number,
    min = MIN_FRAME_EVENT_BYTES,
    private readonly targetMs = FRAME_ACK_TARGET_MS,
  ) {
    this.min = Math.min(min, max);
    // Slow start: a new view (a page still loading, perhaps on a slow machine) proves it keeps up before it gets the maximum.
    this.bytes = this.min;
  }

  /** A frame that carried `sentBytes` of events was acknowledged `ackMs` after it was sent (at `now`, ms). */
  acked(ackMs: number, sentBytes: number, now = performance.now()): void {
    if (!(ackMs >= 0)) return;
    // The view's own drawing time: frames with few events (a slow view's full frames would set their own bar).
    if (sentBytes <= this.min / 4) {
      const i = this.n++ % RECENT;
      this.recent[i] = ackMs;
      this.recentAt[i] = now;
    }
    let fastest = Infinity;
    for (let i = 0; i < RECENT; i++) if (this.recent[i]! < fastest && now - this.recentAt[i]! <= RECENT_MS) fastest = this.recent[i]!;
    const target = fastest === Infinity ? this.targetMs : Math.max(this.targetMs, 2 * fastest);
    if (ackMs > target) {
      if (sentBytes > this.min) this.bytes = Math.max(this.min, Math.min(this.bytes, Math.floor(sentBytes / 2)));
    } else this.bytes = Math.min(this.max, this.bytes + Math.max(this.min, this.bytes >> 2));
  }
}
