// Desktop notifications (the Notification API, in both hosts) when an agent
// goes to ERROR, or a plane is lost, restored or refuses its token. Agent
// notifications are rate-limited: at most CONSOLE_NOTIFICATIONS_PER_MINUTE per
// minute, what is held back grouped into one summary when the minute ends.
// Plane notifications are never held back: a storm of agent errors cannot hide
// that a plane went down. Muted planes raise nothing.

import { CONSOLE_NOTIFICATIONS_PER_MINUTE, type PlaneEvent, type PlaneStatus } from '@shared';
import { show } from '../ui/text.js';

export interface Note {
  title: string;
  body: string;
  /** Same tag: the desktop replaces the older notification. */
  tag: string;
}

const LOST = new Set(['FAILED', 'AUTH_REQUIRED', 'RECONNECTING', 'STALE', 'CLOSED']);

/** What deserves a notification in one frame's news (pure: tested). */
export function notesFor(events: readonly PlaneEvent[], planes: readonly PlaneStatus[], previous: readonly PlaneStatus[], muted: readonly string[]): Note[] {
  const out: Note[] = [];
  const label = (id: string): string => show(planes.find((p) => p.plane === id)?.label ?? id);
  for (const p of planes) {
    if (muted.includes(p.plane)) continue;
    const before = previous.find((q) => q.plane === p.plane);
    if (before?.state === 'LIVE' && LOST.has(p.state)) {
      const shown = p.downSince !== undefined ? 'DOWN' : p.state;
      out.push({ title: `${label(p.plane)} is ${shown}`, body: show(p.reason ?? 'the connection to the plane was lost'), tag: `plane:${p.plane}` });
    } else if (before !== undefined && before.state !== 'LIVE' && p.state === 'LIVE' && (before.downSince !== undefined || LOST.has(before.state))) {
      out.push({ title: `${label(p.plane)} is LIVE again`, body: 'the connection to the plane is restored', tag: `plane:${p.plane}` });
    } else if (p.state === 'AUTH_REQUIRED' && before !== undefined && before.state !== 'AUTH_REQUIRED' && before.state !== 'LIVE') {
      out.push({ title: `${label(p.plane)} refused the token`, body: show(p.reason ?? 'the server answered 401'), tag: `plane:${p.plane}` });
    }
  }
  for (const ev of events) {
    if (muted.includes(ev.plane) || ev.type !== 'agent.state.changed') continue;
    const to = typeof ev.payload.newState === 'string' ? ev.payload.newState.toUpperCase() : '';
    if (to !== 'ERROR') continue;
    const agent = show(ev.payload.agentId ?? ev.agentId ?? '?');
    const reason = typeof ev.payload.reason === 'string' ? `: ${show(ev.payload.reason)}` : '';
    out.push({ title: `${agent} is in ERROR`, body: `on ${label(ev.plane)}${reason}`, tag: `agent:${ev.plane}:${agent}` });
  }
  return out;
}

/** Lets CONSOLE_NOTIFICATIONS_PER_MINUTE through per minute and groups the rest into one summary per minute. */
export class NoteLimiter {
  private windowStart = -Infinity;
  private sent = 0;
  private held: Note[] = [];
  /** Every note shown (or that would have been, without permission): for the debug API and tests. */
  readonly shown: Note[] = [];
  private static readonly KEEP = 100;

  constructor(
    private readonly show: (n: Note) => void,
    private readonly perMinute = CONSOLE_NOTIFICATIONS_PER_MINUTE,
  ) {}

  push(notes: readonly Note[], now: number): void {
    this.roll(now);
    for (const n of notes) {
      if (n.tag.startsWith('plane:')) this.emit(n);
      else if (this.sent < this.perMinute) {
        this.sent++;
        this.emit(n);
      } else {
        this.held.push(n);
        if (this.held.length > 1000) this.held.shift();
      }
    }
  }

  /** Called periodically: ends a minute, sending the summary of what it held. */
  roll(now: number): void {
    if (now - this.windowStart < 60_000) return;
    if (this.held.length) {
      const agents = this.held.filter((n) => n.tag.startsWith('agent:')).length;
      const planes = this.held.length - agents;
      const parts = [agents ? `${agents} agent${agents > 1 ? 's' : ''} went to ERROR` : '', planes ? `${planes} plane change${planes > 1 ? 's' : ''}` : ''].filter(Boolean);
      this.emit({ title: `${this.held.length} more alerts`, body: `${parts.join(', ')} in the last minute (see Alerts)`, tag: 'summary' });
      this.held = [];
    }
    this.windowStart = now;
    this.sent = 0;
  }

  private emit(n: Note): void {
    this.shown.push(n);
    if (this.shown.length > NoteLimiter.KEEP) this.shown.shift();
    this.show(n);
  }
}

/** The desktop sink: shows a note when permitted, asks once on the first user gesture. */
export function desktopSink(): (n: Note) => void {
  const N = typeof Notification === 'function' ? Notification : null;
  if (N && N.permission === 'default') {
    const ask = (): void => {
      void N.requestPermission().catch(() => undefined);
      window.removeEventListener('pointerdown', ask);
    };
    window.addEventListener('pointerdown', ask);
  }
  return (n) => {
    if (N?.permission === 'granted') {
      try {
        new N(n.title, { body: n.body, tag: n.tag });
      } catch {
        // Some hosts refuse page notifications outright.
      }
    }
  };
}
