// system.metrics of one plane as a time series: the recent samples as they
// came (at most MONITOR_METRIC_RECENT_SAMPLES, none older than
// MONITOR_METRIC_RECENT_MS), and older ones averaged into buckets of
// MONITOR_METRIC_BUCKET_MS (at most MONITOR_METRIC_BUCKETS, the oldest out
// first and counted). A sample's values are in METRIC_FIELDS order.

import { METRIC_FIELDS, type MetricSample, type StructureCount } from '../../../shared/index.js';

export interface MetricSeriesOptions {
  recentSamples: number;
  recentMs: number;
  bucketMs: number;
  buckets: number;
}

/** Bytes one kept sample costs (time, number, kind and a value per field), for the counts. */
const SAMPLE_BYTES = 8 * (METRIC_FIELDS.length + 3);

export class MetricSeries {
  private readonly recent: MetricSample[] = [];
  private readonly old: MetricSample[] = [];
  /** The bucket being filled from samples leaving `recent`: sums and counts per field. */
  private bucket: { start: number; sums: Float64Array; counts: Uint32Array; n: number } | null = null;
  lastRev = 0;
  evicted = 0;

  constructor(
    private readonly nextRev: () => number,
    private readonly opts: MetricSeriesOptions,
  ) {}

  push(at: number, values: readonly number[]): MetricSample {
    const s: MetricSample = { n: 0, at, kind: 'raw', values: values.map((v) => (Number.isFinite(v) ? v : null)) };
    s.n = this.lastRev = this.nextRev();
    this.recent.push(s);
    while (this.recent.length > this.opts.recentSamples || (this.recent.length > 1 && this.recent[0]!.at < at - this.opts.recentMs)) this.fold(this.recent.shift()!);
    return s;
  }

  /** Every kept sample, oldest first: buckets, then recent ones. */
  list(): MetricSample[] {
    return [...this.old, ...this.recent];
  }

  /** Samples (raw or averaged) added after `rev`, oldest first. */
  since(rev: number): MetricSample[] {
    if (this.lastRev <= rev) return [];
    const out: MetricSample[] = [];
    for (const s of this.old) if (s.n > rev) out.push(s);
    for (const s of this.recent) if (s.n > rev) out.push(s);
    return out;
  }

  counts(): StructureCount {
    const entries = this.recent.length + this.old.length;
    return { entries, bytes: entries * SAMPLE_BYTES, evicted: this.evicted, maxEntries: this.opts.recentSamples + this.opts.buckets };
  }

  /** A sample leaving the recent window goes into its bucket; a finished bucket becomes an averaged sample. */
  private fold(s: MetricSample): void {
    const start = Math.floor(s.at / this.opts.bucketMs) * this.opts.bucketMs;
    if (this.bucket && this.bucket.start !== start) this.closeBucket();
    const b = (this.bucket ??= { start, sums: new Float64Array(METRIC_FIELDS.length), counts: new Uint32Array(METRIC_FIELDS.length), n: 0 });
    b.n++;
    s.values.forEach((v, k) => {
      if (v === null) return;
      b.sums[k]! += v;
      b.counts[k]!++;
    });
  }

  private closeBucket(): void {
    const b = this.bucket!;
    this.bucket = null;
    const values = Array.from(b.sums, (sum, k) => (b.counts[k]! > 0 ? sum / b.counts[k]! : null));
    const s: MetricSample = { n: 0, at: b.start + this.opts.bucketMs / 2, kind: 'avg', values };
    s.n = this.lastRev = this.nextRev();
    this.old.push(s);
    while (this.old.length > this.opts.buckets) {
      this.old.shift();
      this.evicted++;
    }
  }
}
