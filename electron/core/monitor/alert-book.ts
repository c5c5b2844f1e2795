// One plane's alerts and their lifecycle. An alert has a key (plane, kind and
// its subject: an agent, a flow, a command or an error code); a raise of a
// key that exists counts it up, never adds a row. It fires, and resolves by
// itself when its condition clears (alert-rules.ts says when); a resolved
// alert raised again fires again in the same row. Acknowledge and silence
// are kept here, so every view sees them. Bounded: beyond MONITOR_ALERTS the
// oldest resolved alert goes, else the least recently raised; each counted.

import type { Alert, AlertKind, AlertLevel, StructureCount } from '../../../shared/index.js';
import { keptString } from '../protocol/index.js';

export interface Raise {
  kind: AlertKind;
  /** The agent, flow, command or code the alert is about ('' for the plane itself). */
  subject: string;
  level: AlertLevel;
  message: string;
  agent?: string;
  flow?: string;
  code?: string;
  suggestedAction?: string;
  /** A repeat while firing counts up; false: it is the same occurrence said again (only a new episode counts). */
  repeats: boolean;
  /** The condition clears when the plane is LIVE again (a connection error). */
  clearsOnLive?: boolean;
}

/** An alert and what the book needs besides what views see. */
interface Entry {
  alert: Alert;
  subject: string;
  clearsOnLive: boolean;
  bytes: number;
}

export type AlertTransitionListener = (alert: Alert) => void;

export interface AlertBookOptions {
  maxAlerts: number;
  textChars: number;
}

export class AlertBook {
  private readonly entries = new Map<string, Entry>();
  private heldBytes = 0;
  /** The newest rev of any alert here. */
  lastRev = 0;
  evicted = 0;

  constructor(
    readonly plane: string,
    private readonly nextRev: () => number,
    private readonly onTransition: AlertTransitionListener,
    private readonly opts: AlertBookOptions,
  ) {}

  key(kind: AlertKind, subject: string): string {
    return subject === '' ? `${this.plane}/${kind}` : `${this.plane}/${kind}/${subject}`;
  }

  raise(r: Raise, now: number): void {
    const key = this.key(r.kind, r.subject);
    const e = this.entries.get(key);
    const text = (s: string): string => keptString(s, this.opts.textChars);
    if (e) {
      const a = e.alert;
      const fires = a.state === 'resolved';
      if (!fires && !r.repeats) {
        // The condition holds already: only what it says may have changed.
        if (a.message !== r.message) {
          a.message = text(r.message);
          this.touched(e);
        }
        return;
      }
      a.count++;
      a.lastAt = now;
      a.message = text(r.message);
      a.level = r.level;
      // What the latest raise says (a command's error code, the plane's suggested action).
      if (r.code !== undefined) a.code = text(r.code);
      else delete a.code;
      if (r.suggestedAction !== undefined) a.suggestedAction = text(r.suggestedAction);
      else delete a.suggestedAction;
      a.acknowledged = false;
      if (fires) {
        a.state = 'firing';
        a.since = now;
        a.firedAt = now;
        delete a.resolvedAt;
      }
      e.clearsOnLive = r.clearsOnLive === true;
      this.touched(e);
      if (fires) this.onTransition(a);
      return;
    }
    const a: Alert = { key, kind: r.kind, plane: this.plane, level: r.level, state: 'firing', count: 1, since: now, firedAt: now, firstAt: now, lastAt: now, message: text(r.message), acknowledged: false, rev: 0 };
    if (r.agent !== undefined) a.agent = text(r.agent);
    if (r.flow !== undefined) a.flow = text(r.flow);
    if (r.code !== undefined) a.code = text(r.code);
    if (r.suggestedAction !== undefined) a.suggestedAction = text(r.suggestedAction);
    const entry: Entry = { alert: a, subject: r.subject, clearsOnLive: r.clearsOnLive === true, bytes: 0 };
    this.entries.set(key, entry);
    this.touched(entry);
    this.evict();
    this.onTransition(a);
  }

  /** Resolves the alert of this kind and subject, if firing. */
  resolve(kind: AlertKind, subject: string, now: number): void {
    const e = this.entries.get(this.key(kind, subject));
    if (e) this.resolveEntry(e, now);
  }

  /** Resolves every firing alert `pred` picks. */
  resolveWhere(pred: (a: Alert, clearsOnLive: boolean, subject: string) => boolean, now: number): void {
    for (const e of this.entries.values()) if (e.alert.state === 'firing' && pred(e.alert, e.clearsOnLive, e.subject)) this.resolveEntry(e, now);
  }

  acknowledge(key: string, on: boolean): Alert | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.alert.acknowledged !== on) {
      e.alert.acknowledged = on;
      this.touched(e);
    }
    return e.alert;
  }

  /** Silences until `until` (ms since epoch); null lifts it. */
  silence(key: string, until: number | null): Alert | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (until === null) {
      if (e.alert.silencedUntil === undefined) return e.alert;
      delete e.alert.silencedUntil;
    } else e.alert.silencedUntil = until;
    this.touched(e);
    return e.alert;
  }

  /** Lifts silences that have run out. */
  expireSilences(now: number): void {
    for (const e of this.entries.values()) {
      if (e.alert.silencedUntil !== undefined && e.alert.silencedUntil <= now) {
        delete e.alert.silencedUntil;
        this.touched(e);
      }
    }
  }

  get(key: string): Alert | undefined {
    return this.entries.get(key)?.alert;
  }

  /** Every alert, in the order they were first raised. */
  list(): Alert[] {
    return [...this.entries.values()].map((e) => e.alert);
  }

  /** Alerts changed after `rev`. */
  since(rev: number): Alert[] {
    if (this.lastRev <= rev) return [];
    const out: Alert[] = [];
    for (const e of this.entries.values()) if (e.alert.rev > rev) out.push(e.alert);
    return out;
  }

  get firing(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.alert.state === 'firing') n++;
    return n;
  }

  counts(): StructureCount {
    return { entries: this.entries.size, bytes: this.heldBytes, evicted: this.evicted, maxEntries: this.opts.maxAlerts };
  }

  private resolveEntry(e: Entry, now: number): void {
    const a = e.alert;
    if (a.state !== 'firing') return;
    a.state = 'resolved';
    a.since = now;
    a.resolvedAt = now;
    this.touched(e);
    this.onTransition(a);
  }

  private touched(e: Entry): void {
    e.alert.rev = this.lastRev = this.nextRev();
    this.heldBytes -= e.bytes;
    e.bytes = JSON.stringify(e.alert).length;
    this.heldBytes += e.bytes;
  }

  private evict(): void {
    while (this.entries.size > this.opts.maxAlerts) {
      let victim: Entry | undefined;
      // The oldest resolved first (Map order is first raise), else the least recently raised.
      for (const e of this.entries.values()) {
        if (e.alert.state === 'resolved' && (!victim || e.alert.since < victim.alert.since)) victim = e;
      }
      if (!victim) for (const e of this.entries.values()) if (!victim || e.alert.lastAt < victim.alert.lastAt) victim = e;
      this.entries.delete(victim!.alert.key);
      this.heldBytes -= victim!.bytes;
      this.evicted++;
    }
  }
}
