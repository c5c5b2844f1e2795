// The inspector's state timeline: the agent's recent state changes as
// segments over a time window (pure: tested).

export interface StateChangeLike {
  at: number;
  from: string;
  to: string;
  reason?: string;
}

export interface Segment {
  state: string;
  start: number;
  end: number;
  /** 0..1 across the window. */
  x0: number;
  x1: number;
  reason?: string;
}

/** Segments covering [now - windowMs, now]; before the first known change the agent was in its `from` state. */
export function segments(history: readonly StateChangeLike[], now: number, windowMs: number): Segment[] {
  const start = now - windowMs;
  const sorted = [...history].sort((a, b) => a.at - b.at);
  const out: Segment[] = [];
  let state = sorted[0]?.from || 'UNKNOWN';
  let since = start;
  let reason: string | undefined;
  for (const h of sorted) {
    if (h.at > start) {
      const s: Segment = { state, start: since, end: h.at, x0: 0, x1: 0 };
      if (reason !== undefined) s.reason = reason;
      out.push(s);
      since = h.at;
    }
    state = h.to;
    reason = h.reason;
  }
  const last: Segment = { state, start: since, end: now, x0: 0, x1: 0 };
  if (reason !== undefined) last.reason = reason;
  out.push(last);
  for (const s of out) {
    s.x0 = Math.max(0, (s.start - start) / windowMs);
    s.x1 = Math.min(1, (s.end - start) / windowMs);
  }
  return out.filter((s) => s.x1 > s.x0);
}

/** SVG polyline points for a sparkline of `values` in a w×h box (NaN skipped). */
export function sparkPoints(values: readonly number[], w: number, h: number): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const pts: string[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    pts.push(`${((i / (values.length - 1)) * w).toFixed(1)},${(h - ((v - lo) / span) * (h - 2) - 1).toFixed(1)}`);
  });
  return pts.join(' ');
}
