// Named timers owned by one object, so that everything it started can be
// cleared at once and counted (tests assert nothing is left running after
// close() or after many reconnects).

export class Timers {
  private readonly map = new Map<string, NodeJS.Timeout>();

  /** (Re)starts a one-shot timer under `name`. */
  timeout(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    const t = setTimeout(() => {
      if (this.map.get(name) === t) this.map.delete(name);
      fn();
    }, Math.max(0, ms));
    this.map.set(name, t);
  }

  /** (Re)starts a repeating timer under `name`. */
  interval(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    this.map.set(name, setInterval(fn, Math.max(1, ms)));
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
