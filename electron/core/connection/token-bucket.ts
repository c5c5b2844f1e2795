// Token bucket: `burst` tokens, refilled at `perSecond`. The plane's outgoing
// command limit: a command that finds the bucket empty is refused locally
// (RATE_LIMIT_EXCEEDED) instead of being sent.
// Direction: a leaf, used by commands.ts.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs perSecond > 0 and burst >= 1, got ${perSecond}/${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  /** Takes one token; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Ms until the next token. */
  msUntilNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  get available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }
}
