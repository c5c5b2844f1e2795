// A ring of recent latency samples (core socket → this page); the median of what it holds.

const LATENCY_SAMPLES = 256;

export class LatencyRing {
  private readonly samples = new Float64Array(LATENCY_SAMPLES);
  private n = 0;
  add(ms: number): void {
    this.samples[this.n++ % LATENCY_SAMPLES] = ms;
  }
  median(): number | null {
    const k = Math.min(this.n, LATENCY_SAMPLES);
    if (k === 0) return null;
    const sorted = this.samples.slice(0, k).sort();
    return sorted[k >> 1]!;
  }
}
