// One plane's connection history: state changes, stale detections,
// conformance notes, warnings and errors, each one line of text, newest last.
// Bounded (MONITOR_CONNECTION_NOTES, the oldest out first and counted); texts
// are cut and copied.

import type { ConnectionNote, EventView, PlaneEvent, StructureCount } from '../../../shared/index.js';
import { keptString } from '../protocol/index.js';

export interface ConnectionHistoryOptions {
  maxNotes: number;
  textChars: number;
}

export class ConnectionHistory {
  private readonly notes: ConnectionNote[] = [];
  private heldBytes = 0;
  lastRev = 0;
  evicted = 0;

  constructor(
    private readonly nextRev: () => number,
    private readonly opts: ConnectionHistoryOptions,
  ) {}

  /** Notes what `ev` says about the connection, if anything. */
  event(ev: PlaneEvent, v: EventView, now: number): void {
    switch (v.kind) {
      case 'connection':
        this.add(now, 'state', `${v.previous ?? '?'} → ${v.state}${v.reason ? `: ${v.reason}` : ''}`, v.state);
        return;
      case 'stale':
        this.add(now, 'stale', `no traffic${v.endpoint ? ` on ${v.endpoint}` : ''}`);
        return;
      case 'note':
        this.add(now, ev.type === 'client.conformance' ? 'conformance' : 'warning', `${v.code ? `${v.code}: ` : ''}${v.message}`);
        return;
      case 'error':
        this.add(now, 'error', `${ev.type}${v.code ? ` ${v.code}` : ''}: ${v.message}`);
        return;
      default:
        return;
    }
  }

  list(): ConnectionNote[] {
    return [...this.notes];
  }

  since(rev: number): ConnectionNote[] {
    if (this.lastRev <= rev) return [];
    let i = this.notes.length;
    while (i > 0 && this.notes[i - 1]!.n > rev) i--;
    return this.notes.slice(i);
  }

  counts(): StructureCount {
    return { entries: this.notes.length, bytes: this.heldBytes, evicted: this.evicted, maxEntries: this.opts.maxNotes };
  }

  private add(at: number, kind: ConnectionNote['kind'], text: string, state?: string): void {
    const note: ConnectionNote = { n: (this.lastRev = this.nextRev()), at, kind, text: keptString(text, this.opts.textChars) };
    if (state !== undefined) note.state = state;
    this.notes.push(note);
    this.heldBytes += bytesOf(note);
    while (this.notes.length > this.opts.maxNotes) {
      this.heldBytes -= bytesOf(this.notes.shift()!);
      this.evicted++;
    }
  }
}

const bytesOf = (n: ConnectionNote): number => 48 + n.text.length + (n.state?.length ?? 0);
