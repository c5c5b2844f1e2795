// The core's session state of each plane as this view holds it: alerts,
// coordination rounds, the command log, metric samples, connection notes and
// the core's counts. Filled from the hello's answer (PlaneHistory) and kept
// current by the changes frames carry (MonitorDelta); nothing here is
// computed by the page. A newer change (higher rev) replaces an older one, so
// answers and frames may arrive in any order. Bounded like the core's own
// structures (shared/limits.ts, "session state"), per plane.

import {
  type Alert,
  type CommandEntry,
  type ConnectionNote,
  type MetricSample,
  MONITOR_ALERTS,
  MONITOR_COMMANDS,
  MONITOR_CONNECTION_NOTES,
  MONITOR_METRIC_BUCKETS,
  MONITOR_METRIC_RECENT_SAMPLES,
  MONITOR_ROUNDS,
  type MonitorCounts,
  type MonitorDelta,
  type PlaneHistory,
  type Round,
} from '@shared';

/** Entries with an identity and a change number, at most `perPlane` per plane (the oldest change out first). */
export class Upserts<T extends { plane: string; rev: number }> {
  private readonly map = new Map<string, T>();

  constructor(
    private readonly keyOf: (t: T) => string,
    private readonly perPlane: number,
  ) {}

  /** True when `t` was news (new, or newer than what was held). */
  upsert(t: T): boolean {
    const k = this.keyOf(t);
    const had = this.map.get(k);
    if (had && had.rev >= t.rev) return false;
    this.map.set(k, t);
    if (!had) this.bound(t.plane);
    return true;
  }

  get(key: string): T | undefined {
    return this.map.get(key);
  }

  list(): T[] {
    return [...this.map.values()];
  }

  get size(): number {
    return this.map.size;
  }

  dropPlane(plane: string): void {
    for (const [k, t] of this.map) if (t.plane === plane) this.map.delete(k);
  }

  private bound(plane: string): void {
    let n = 0;
    let oldest: [string, T] | undefined;
    for (const e of this.map) {
      if (e[1].plane !== plane) continue;
      n++;
      if (!oldest || e[1].rev < oldest[1].rev) oldest = e;
    }
    if (n > this.perPlane && oldest) this.map.delete(oldest[0]);
  }
}

/** A plane's append-only series (metric samples, connection notes) by number `n`, ascending. */
function appendBy<T extends { n: number }>(into: T[], items: readonly T[], max: (kept: T[]) => void): boolean {
  let changed = false;
  for (const x of items) {
    const last = into[into.length - 1];
    if (last !== undefined && x.n <= last.n) {
      if (into.some((y) => y.n === x.n)) continue;
      into.push(x);
      into.sort((a, b) => a.n - b.n);
    } else into.push(x);
    changed = true;
  }
  if (changed) max(into);
  return changed;
}

export interface Changed {
  alerts: boolean;
  rounds: boolean;
  commands: boolean;
  metrics: boolean;
  connection: boolean;
}

export class SessionView {
  readonly alerts = new Upserts<Alert>((a) => `${a.plane}\u0000${a.key}`, MONITOR_ALERTS);
  readonly rounds = new Upserts<Round>((r) => r.key, MONITOR_ROUNDS);
  readonly commands = new Upserts<CommandEntry>((c) => `${c.plane}\u0000${c.id}`, MONITOR_COMMANDS);
  readonly metrics = new Map<string, MetricSample[]>();
  readonly connection = new Map<string, ConnectionNote[]>();
  readonly counts = new Map<string, MonitorCounts>();

  /** A hello's answer: what each plane holds now. Planes not in it are forgotten. */
  backfill(history: readonly PlaneHistory[]): void {
    const shown = new Set(history.map((h) => h.plane));
    // Every plane with any state has its counts (each apply sets them).
    for (const plane of [...this.counts.keys()]) if (!shown.has(plane)) this.dropPlane(plane);
    for (const h of history) this.apply(h);
  }

  /** One plane's changes (a frame's, or a backfill's whole state); says which kinds changed. */
  apply(d: MonitorDelta | PlaneHistory): Changed {
    const c: Changed = { alerts: false, rounds: false, commands: false, metrics: false, connection: false };
    for (const a of d.alerts) if (this.alerts.upsert(a)) c.alerts = true;
    for (const r of d.rounds) if (this.rounds.upsert(r)) c.rounds = true;
    for (const x of d.commands) if (this.commands.upsert(x)) c.commands = true;
    if (d.metrics.length) {
      const m = this.metrics.get(d.plane) ?? [];
      this.metrics.set(d.plane, m);
      c.metrics = appendBy(m, d.metrics, boundSamples);
    }
    if (d.connection.length) {
      const n = this.connection.get(d.plane) ?? [];
      this.connection.set(d.plane, n);
      c.connection = appendBy(n, d.connection, (kept) => kept.splice(0, Math.max(0, kept.length - MONITOR_CONNECTION_NOTES)));
    }
    this.counts.set(d.plane, d.counts);
    return c;
  }

  /** The latest raw sample's values of a plane (METRIC_FIELDS order), or null. */
  latest(plane: string): readonly (number | null)[] | null {
    const m = this.metrics.get(plane);
    if (!m) return null;
    for (let i = m.length - 1; i >= 0; i--) if (m[i]!.kind === 'raw') return m[i]!.values;
    return m[m.length - 1]?.values ?? null;
  }

  private dropPlane(plane: string): void {
    this.alerts.dropPlane(plane);
    this.rounds.dropPlane(plane);
    this.commands.dropPlane(plane);
    this.metrics.delete(plane);
    this.connection.delete(plane);
    this.counts.delete(plane);
  }
}

/** At most the core's bounds of raw and averaged samples, the oldest of each out first. */
function boundSamples(kept: MetricSample[]): void {
  let raw = 0;
  let avg = 0;
  for (const s of kept) {
    if (s.kind === 'raw') raw++;
    else avg++;
  }
  for (let i = 0; i < kept.length && (raw > MONITOR_METRIC_RECENT_SAMPLES || avg > MONITOR_METRIC_BUCKETS); ) {
    const s = kept[i]!;
    if (s.kind === 'raw' && raw > MONITOR_METRIC_RECENT_SAMPLES) {
      kept.splice(i, 1);
      raw--;
    } else if (s.kind === 'avg' && avg > MONITOR_METRIC_BUCKETS) {
      kept.splice(i, 1);
      avg--;
    } else i++;
  }
}
