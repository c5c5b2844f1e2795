// Per-second rates from monotonic counters: each sample() compares the
// counters with the previous sample.

export class RateMeter {
  private lastAt = 0;
  private lastValue = 0;
  perSecond = 0;

  sample(value: number, now: number): number {
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
