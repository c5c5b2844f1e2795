// A bounded FIFO: the renderer's histories never grow past their limit
// (shared/limits.ts, "console"), and every entry pushed out is counted.

export class Ring<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private n = 0;
  /** Entries pushed out by newer ones since creation (or the last clear). */
  evicted = 0;
  /** Entries ever pushed. */
  pushed = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('Ring capacity must be positive');
    this.buf = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Appends; returns the entry evicted to make room, if any. */
  push(v: T): T | undefined {
    this.pushed++;
    const i = (this.head + this.n) % this.capacity;
    if (this.n < this.capacity) {
      this.buf[i] = v;
      this.n++;
      return undefined;
    }
    const old = this.buf[this.head];
    this.buf[this.head] = v;
    this.head = (this.head + 1) % this.capacity;
    this.evicted++;
    return old;
  }

  /** Entry i, 0 = oldest. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.n ? undefined : this.buf[(this.head + i) % this.capacity];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = new Array<T>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.buf[(this.head + i) % this.capacity]!;
    return out;
  }

  clear(): void {
    this.buf = new Array<T | undefined>(this.capacity);
    this.head = 0;
    this.n = 0;
    this.evicted = 0;
    this.pushed = 0;
  }
}
