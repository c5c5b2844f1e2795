// Exponential backoff with full jitter (delay = random(0, min(cap, base·2^n))):
// spreads reconnecting clients so a restarted server is not hammered.
// Direction: a leaf, used by endpoint-session.ts and commands.ts.

export class Backoff {
  private attempt = 0;
  constructor(
    readonly minMs = 1000,
    readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delays handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling the next delay is drawn under. */
  get ceiling(): number {
    return Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
  }

  /** The next delay in ms; never below minMs/2 so a flapping server is not hammered either. */
  next(): number {
    const ceiling = this.ceiling;
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.minMs / 2, this.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }
}
