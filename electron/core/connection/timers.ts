// Named timers owned by one object, so that everything it started can be
// cleared at once and counted (tests assert nothing is left running after
// close() or after many reconnects). Every delay is clamped into what Node's
// timers can hold: a NaN, negative or huge delay (a plane's heartbeatInterval
// of 1e12) must never wrap to Node's 1 ms default.
// Direction: a leaf.

import { MAX_TIMER_DELAY_MS } from '../../../shared/index.js';

/** `ms` as a delay Node keeps: NaN and above-range become the maximum, negatives the minimum. */
export function clampDelay(ms: number, min = 0): number {
  if (Number.isNaN(ms)) return MAX_TIMER_DELAY_MS;
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(min, Math.floor(ms)));
}

export class Timers {
  private readonly map = new Map<string, NodeJS.Timeout>();

  /** (Re)starts a one-shot timer under `name`. */
  timeout(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    const t = setTimeout(() => {
      if (this.map.get(name) === t) this.map.delete(name);
      fn();
    }, clampDelay(ms));
    this.map.set(name, t);
  }

  /** (Re)starts a repeating timer under `name`. */
  interval(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    this.map.set(name, setInterval(fn, clampDelay(ms, 1)));
  }

  /** Restarts a running timer's countdown (no-op when it is not running). */
  refresh(name: string): void {
    this.map.get(name)?.refresh();
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  clear(name: string): void {
    const t = this.map.get(name);
    if (t === undefined) return;
    clearTimeout(t);
    this.map.delete(name);
  }

  clearAll(): void {
    for (const t of this.map.values()) clearTimeout(t);
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
