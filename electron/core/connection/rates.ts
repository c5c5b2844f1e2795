// Per-second rates from monotonic counters: sample() compares the counter
// with the previous sample once at least `windowMs` has passed. Callers may
// sample often (housekeeping runs every 50 ms or more); a short window at
// 20 messages/s would read 0 or 40 at random.
// Direction: a leaf, used by plane.ts.

export class RateMeter {
  private lastAt = 0;
  private lastValue = 0;
  perSecond = 0;

  constructor(private readonly windowMs = 1000) {}

  sample(value: number, now: number): number {
    if (this.lastAt > 0 && now - this.lastAt < this.windowMs) return this.perSecond;
    if (this.lastAt > 0 && now > this.lastAt) this.perSecond = ((value - this.lastValue) * 1000) / (now - this.lastAt);
    this.lastAt = now;
    this.lastValue = value;
    return this.perSecond;
  }

  reset(): void {
    this.lastAt = 0;
    this.perSecond = 0;
  }
}
