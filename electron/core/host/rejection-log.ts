// Why messages from pages were refused: bounded, so a page that sends
// millions of bad messages costs a counter, not memory. Recent reasons are
// kept in order (tests and diagnostics read them), distinct reasons with a
// count each; both have a fixed size.

import { MAX_REJECTION_REASON_CHARS, MAX_REJECTION_REASONS } from '../../../shared/index.js';

const OTHER = '(other reasons)';

export class RejectionLog {
  /** Every rejection ever, including those whose reason was not kept. */
  total = 0;
  private readonly recent: string[] = [];
  /** Distinct reasons (cut to MAX_REJECTION_REASON_CHARS) → how often. */
  readonly counts = new Map<string, number>();

  push(reason: string): void {
    this.total++;
    // A copy, not a slice: V8 slices keep their parent alive (a JSON.parse error message can hold the whole bad message).
    const r = Buffer.from(reason.length > MAX_REJECTION_REASON_CHARS ? `${reason.slice(0, MAX_REJECTION_REASON_CHARS)}…` : reason, 'utf8').toString('utf8');
    if (this.recent.length >= MAX_REJECTION_REASONS) this.recent.shift();
    this.recent.push(r);
    const key = this.counts.has(r) || this.counts.size < MAX_REJECTION_REASONS - 1 ? r : OTHER;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** How many reasons are kept (at most MAX_REJECTION_REASONS); `total` counts all. */
  get length(): number {
    return this.recent.length;
  }

  /** The i-th kept reason, oldest first. */
  at(i: number): string | undefined {
    return this.recent[i];
  }

  /** The kept reasons, oldest first (a copy). */
  reasons(): string[] {
    return [...this.recent];
  }
}
