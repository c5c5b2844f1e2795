// One plane's alerts and their lifecycle. An alert has a key (plane, kind and
// its subject: an agent, a flow, a command or an error code); a raise of a
// key that exists counts it up, never adds a row. It fires, and resolves by
// itself when its condition clears (alert-rules.ts says when); a resolved
// alert raised again fires again in the same row. Acknowledge and silence
// are kept here, so every view sees them. Bounded: beyond MONITOR_ALERTS the
// oldest resolved alert goes, else the least recently raised; each counted.

import type { Alert, AlertKind, AlertLevel, StructureCount } from '../../../shared/index.js';
import { keptString } from '../protocol/index.js';
import { VersionedMap } from './versioned-map.js';

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

/** What the rules need of an alert besides what views see. */
interface Condition {
  subject: string;
  clearsOnLive: boolean;
}

export type AlertTransitionListener = (alert: Alert) => void;

export interface AlertBookOptions {
  maxAlerts: number;
  textChars: number;
}

export class AlertBook {
  private readonly alerts: VersionedMap<string, Alert>;
  private readonly conditions = new Map<string, Condition>();

  constructor(
    readonly plane: string,
    nextRev: () => number,
    private readonly onTransition: AlertTransitionListener,
    private readonly opts: AlertBookOptions,
  ) {
    this.alerts = new VersionedMap(nextRev);
  }

  key(kind: AlertKind, subject: string): string {
    return subject === '' ? `${this.plane}/${kind}` : `${this.plane}/${kind}/${subject}`;
  }

  get lastRev(): number {
    return this.alerts.lastRev;
  }

  raise(r: Raise, now: number): void {
    const key = this.key(r.kind, r.subject);
    const a = this.alerts.get(key);
    const text = (s: string): string => keptString(s, this.opts.textChars);
    if (a) {
      const fires = a.state === 'resolved';
      if (!fires && !r.repeats) {
        // The condition holds already: only what it says may have changed.
        if (a.message !== r.message) {
          a.message = text(r.message);
          this.alerts.touched(key);
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
      this.conditions.set(key, { subject: r.subject, clearsOnLive: r.clearsOnLive === true });
      this.alerts.touched(key);
      if (fires) this.onTransition(a);
      return;
    }
    const fresh: Alert = { key, kind: r.kind, plane: this.plane, level: r.level, state: 'firing', count: 1, since: now, firedAt: now, firstAt: now, lastAt: now, message: text(r.message), acknowledged: false, rev: 0 };
    if (r.agent !== undefined) fresh.agent = text(r.agent);
    if (r.flow !== undefined) fresh.flow = text(r.flow);
    if (r.code !== undefined) fresh.code = text(r.code);
    if (r.suggestedAction !== undefined) fresh.suggestedAction = text(r.suggestedAction);
    this.conditions.set(key, { subject: r.subject, clearsOnLive: r.clearsOnLive === true });
    this.alerts.set(key, fresh);
    this.evict();
    this.onTransition(fresh);
  }

  /** Resolves the alert of this kind and subject, if firing. */
  resolve(kind: AlertKind, subject: string, now: number): void {
    const key = this.key(kind, subject);
    const a = this.alerts.get(key);
    if (a) this.resolveAlert(key, a, now);
  }

  /** Resolves every firing alert `pred` picks. */
  resolveWhere(pred: (a: Alert, clearsOnLive: boolean, subject: string) => boolean, now: number): void {
    for (const [key, a] of this.alerts.entries()) {
      const c = this.conditions.get(key)!;
      if (a.state === 'firing' && pred(a, c.clearsOnLive, c.subject)) this.resolveAlert(key, a, now);
    }
  }

  acknowledge(key: string, on: boolean): Alert | null {
    const a = this.alerts.get(key);
    if (!a) return null;
    if (a.acknowledged !== on) {
      a.acknowledged = on;
      this.alerts.touched(key);
    }
    return a;
  }

  /** Silences until `until` (ms since epoch); null lifts it. */
  silence(key: string, until: number | null): Alert | null {
    const a = this.alerts.get(key);
    if (!a) return null;
    if (until === null) {
      if (a.silencedUntil === undefined) return a;
      delete a.silencedUntil;
    } else a.silencedUntil = until;
    this.alerts.touched(key);
    return a;
  }

  /** Lifts silences that have run out. */
  expireSilences(now: number): void {
    for (const [key, a] of this.alerts.entries()) {
      if (a.silencedUntil !== undefined && a.silencedUntil <= now) {
        delete a.silencedUntil;
        this.alerts.touched(key);
      }
    }
  }

  get(key: string): Alert | undefined {
    return this.alerts.get(key);
  }

  /** Every alert, in the order they were first raised. */
  list(): Alert[] {
    return this.alerts.values();
  }

  /** Alerts changed after `rev`. */
  since(rev: number): Alert[] {
    return this.alerts.since(rev);
  }

  counts(): StructureCount {
    return this.alerts.counts(this.opts.maxAlerts);
  }

  private resolveAlert(key: string, a: Alert, now: number): void {
    if (a.state !== 'firing') return;
    a.state = 'resolved';
    a.since = now;
    a.resolvedAt = now;
    this.alerts.touched(key);
    this.onTransition(a);
  }

  private evict(): void {
    while (this.alerts.size > this.opts.maxAlerts) {
      let victim: Alert | undefined;
      // The oldest resolved first, else the least recently raised.
      for (const a of this.alerts.values()) if (a.state === 'resolved' && (!victim || a.since < victim.since)) victim = a;
      if (!victim) for (const a of this.alerts.values()) if (!victim || a.lastAt < victim.lastAt) victim = a;
      this.alerts.evict(victim!.key);
      this.conditions.delete(victim!.key);
    }
  }
}
