// Repeated abuse: invalid messages of one endpoint counted in a fixed window.
// Past the threshold the endpoint is disconnected and reconnects with backoff
// (docs/PROTOCOL.md, "Limits"); a plane that errs now and then is untouched.
// Direction: a leaf, used by intake.ts.

export class ErrorWindow {
  private start = 0;
  private count = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Counts one error at `now`; true when the window now holds more than `max`. */
  hit(now: number): boolean {
    if (now - this.start > this.windowMs) {
      this.start = now;
      this.count = 0;
    }
    this.count++;
    return this.count > this.max;
  }

  /** The errors in the current window. */
  get errors(): number {
    return this.count;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
