// The inflate budget of one plane: bytes its compressed frames may inflate to
// per second, all endpoints together. A frame past it is dropped without
// being inflated (and counted), so a stream of 16 KB → 16 MiB batches costs
// at most the budget's CPU per second, not all of it. docs/PROTOCOL.md, "Limits".
// Direction: a leaf; plane.ts wraps each session's inflater with it.

import { InflateLimitError, type Inflater } from '../protocol/index.js';

export class InflateBudgetError extends Error {
  constructor(bytesPerSec: number) {
    super(`dropped, not inflated: the plane's inflate budget (${bytesPerSec} bytes per second) is spent`);
    this.name = 'InflateBudgetError';
  }
}

export class InflateBudget {
  /** Frames and batches dropped (not inflated, or stopped) by the budget. */
  dropped = 0;
  private windowStart = 0;
  private spent = 0;

  constructor(
    readonly bytesPerSec: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private left(): number {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.spent = 0;
    }
    return this.bytesPerSec - this.spent;
  }

  /** `inflate` limited by what is left of this second's budget. */
  wrap(inflate: Inflater): Inflater {
    return (data, maxBytes) => {
      const left = this.left();
      if (left <= 0) {
        this.dropped++;
        throw new InflateBudgetError(this.bytesPerSec);
      }
      const cap = Math.min(maxBytes, left);
      try {
        const out = inflate(data, cap);
        this.spent += out.byteLength;
        return out;
      } catch (e) {
        if (e instanceof InflateLimitError && cap < maxBytes) {
          // Stopped by the budget, not the frame's own limit: the work was done, the frame is dropped.
          this.spent += cap;
          this.dropped++;
          throw new InflateBudgetError(this.bytesPerSec);
        }
        throw e;
      }
    };
  }
}
