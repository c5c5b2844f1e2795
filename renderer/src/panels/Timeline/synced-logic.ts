// The synced timeline's plain logic: the group as the state the track draws
// (timeline time from 0), the recordings' markers on the timeline, and where
// each recording lies on it. No DOM.

import type { ReplayGroupState, ReplayMarkers, ReplayState, TimelineMarker } from '@shared';

/** The group as a ReplayState for the track and controls: timeline ms from 0 to its end. */
export function groupAsState(g: ReplayGroupState): ReplayState {
  const members = g.members.map((m) => m.state);
  return {
    path: `${members.length} recordings on one timeline`,
    playing: g.playing,
    speed: g.speed,
    startMs: 0,
    endMs: g.endMs,
    positionMs: g.positionMs,
    planes: Object.assign({}, ...members.map((s) => s.planes)) as Record<string, string>,
    complete: members.every((s) => s.complete),
    problem: members.find((s) => s.problem)?.problem ?? null,
    error: members.find((s) => s.error)?.error ?? null,
  };
}

/** Every member's markers at their timeline time (recording time - its start + its offset), in time order. */
export function groupMarkers(g: ReplayGroupState, markers: ReadonlyMap<number, ReplayMarkers>): TimelineMarker[] {
  const out: TimelineMarker[] = [];
  for (const m of g.members) {
    for (const k of markers.get(m.id)?.markers ?? []) out.push({ ...k, t: k.t - m.state.startMs + m.offsetMs });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** A member's span on the timeline as fractions of its length: [from, to] in 0..1. */
export function memberSpan(g: ReplayGroupState, id: number): [number, number] {
  const m = g.members.find((x) => x.id === id);
  if (!m || !(g.endMs > 0)) return [0, 1];
  return [m.offsetMs / g.endMs, (m.offsetMs + m.state.endMs - m.state.startMs) / g.endMs];
}

/** The timeline time of member `id`'s recording time `ms` (an alert or command of its plane). */
export function timelineOf(g: ReplayGroupState, id: number, ms: number): number {
  const m = g.members.find((x) => x.id === id);
  return m ? ms - m.state.startMs + m.offsetMs : ms;
}

/** Seconds as typed in an offset field; null when it is not a number. */
export function parseOffsetSeconds(text: string): number | null {
  const v = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(v) ? Math.round(v * 1000) : null;
}
