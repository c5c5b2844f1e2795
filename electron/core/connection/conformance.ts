// Conformance notes: what the client assumed or accepted where a plane
// deviates from the seeds (no `selected`, no handshake_ack, snake_case, a
// clamped heartbeat...). One note per kind per endpoint session, never an
// error and never a reconnect; shown in status (`conformance`), as
// `client.conformance` events (tail) and by `probe`. docs/PROTOCOL.md,
// "Conformance notes", lists the codes.
// Direction: a leaf; plane.ts keeps the notes, the session files quote with quote().

import { type EndpointName, quotedString } from '../protocol/index.js';
import { CONFORMANCE_QUOTE_CHARS, MAX_CONFORMANCE_NOTE_CHARS, MAX_CONFORMANCE_NOTES, neutraliseText } from '../../../shared/index.js';

export interface ConformanceNote {
  endpoint: EndpointName;
  code: string;
  message: string;
}

export class ConformanceNotes {
  /** Per endpoint, the current session's notes by code. */
  private readonly sessions = new Map<EndpointName, Map<string, string>>();

  /** The note as recorded (neutralised, bounded), for the event. */
  get(endpoint: EndpointName, code: string): string | undefined {
    return this.sessions.get(endpoint)?.get(code);
  }

  /** Records a note; false when the session already has one of this code (or is full). */
  add(endpoint: EndpointName, code: string, message: string): boolean {
    let m = this.sessions.get(endpoint);
    if (!m) {
      m = new Map();
      this.sessions.set(endpoint, m);
    }
    if (m.has(code) || m.size >= MAX_CONFORMANCE_NOTES) return false;
    // Notes quote what the plane sent: no bidi or control characters, bounded.
    const text = neutraliseText(message);
    m.set(code, quotedString(text, MAX_CONFORMANCE_NOTE_CHARS));
    return true;
  }

  /** A new session starts with no notes. */
  resetSession(endpoint: EndpointName): void {
    this.sessions.delete(endpoint);
  }

  has(endpoint: EndpointName, code: string): boolean {
    return this.sessions.get(endpoint)?.has(code) ?? false;
  }

  all(): ConformanceNote[] {
    const out: ConformanceNote[] = [];
    for (const [endpoint, m] of this.sessions) for (const [code, message] of m) out.push({ endpoint, code, message });
    return out;
  }

  /** For status: each distinct message once, with the endpoints it applies to ("... (agents, graph, control)"). */
  summary(): string[] {
    const by = new Map<string, EndpointName[]>();
    for (const n of this.all()) {
      const eps = by.get(n.message) ?? [];
      eps.push(n.endpoint);
      by.set(n.message, eps);
    }
    return [...by].slice(0, MAX_CONFORMANCE_NOTES).map(([message, eps]) => `${message} (${eps.join(', ')})`);
  }
}

/** A server-provided value, quoted briefly for a note. */
export function quote(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return quotedString(s, CONFORMANCE_QUOTE_CHARS);
}
