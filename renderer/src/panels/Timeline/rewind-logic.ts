// The rewind controls' plain logic (the REWIND mark's text is ui/time.ts'): where −10 s and
// −1 min go, and a live plane's markers (alerts fired, commands sent,
// connection state changes) within its buffer. No DOM.

import type { TimelineMarker } from '@shared';


/** Where a step back goes from the time shown (now when live), kept inside the buffer. */
export function stepBack(shown: number, byMs: number, startMs: number): number {
  return Math.max(startMs, shown - byMs);
}

export interface MarkerSources {
  alerts: readonly { plane: string; firedAt: number; kind: string; agent?: string; flow?: string }[];
  commands: readonly { plane: string; sentAt: number; name: string }[];
  notes: readonly { at: number; kind: string; text: string }[];
}

/** The plane's markers within start..end, oldest first. */
export function planeMarkers(plane: string, src: MarkerSources, startMs: number, endMs: number): TimelineMarker[] {
  const out: TimelineMarker[] = [];
  const inside = (t: number): boolean => t >= startMs && t <= endMs;
  for (const a of src.alerts) if (a.plane === plane && inside(a.firedAt)) out.push({ t: a.firedAt, kind: 'alert', plane, label: `alert ${a.kind}${a.agent ? ` ${a.agent}` : a.flow ? ` ${a.flow}` : ''}` });
  for (const c of src.commands) if (c.plane === plane && inside(c.sentAt)) out.push({ t: c.sentAt, kind: 'coordination', plane, label: `command ${c.name}` });
  for (const n of src.notes) if (n.kind === 'state' && inside(n.at)) out.push({ t: n.at, kind: 'connection', plane, label: n.text });
  return out.sort((a, b) => a.t - b.t);
}
