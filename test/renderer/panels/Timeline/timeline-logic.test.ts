// The timeline's plain logic (renderer/src/panels/Timeline/timeline-logic.ts)
// and the marker classification the core uses for a recording's markers.

import { describe, expect, it } from 'vitest';
import type { TimelineMarker } from '../../../../shared/model.js';
import { binMarkers, countKinds, formatClock, formatSpeed, markerOf, stepSpeed, ticks, timeToX, xToTime } from '../../../../renderer/src/panels/Timeline/timeline-logic.js';

describe('time and x', () => {
  it('map both ways, clamped to the track', () => {
    expect(timeToX(1500, 1000, 2000, 200)).toBe(100);
    expect(xToTime(100, 1000, 2000, 200)).toBe(1500);
    expect(timeToX(500, 1000, 2000, 200)).toBe(0);
    expect(timeToX(9999, 1000, 2000, 200)).toBe(200);
    expect(xToTime(-5, 1000, 2000, 200)).toBe(1000);
    expect(xToTime(500, 1000, 2000, 200)).toBe(2000);
    for (const t of [1000, 1234.5, 1999]) expect(xToTime(timeToX(t, 1000, 2000, 321), 1000, 2000, 321)).toBeCloseTo(t, 6);
    // Empty recording: no division by zero.
    expect(timeToX(5, 7, 7, 100)).toBe(0);
    expect(xToTime(50, 7, 7, 100)).toBe(7);
  });
});

describe('speed and clock', () => {
  it('steps through ¼× … 16× and stops at the ends', () => {
    expect(stepSpeed(1, 1)).toBe(2);
    expect(stepSpeed(1, -1)).toBe(0.5);
    expect(stepSpeed(16, 1)).toBe(16);
    expect(stepSpeed(0.25, -1)).toBe(0.25);
    expect(stepSpeed(3, 1)).toBe(4);
    expect(formatSpeed(0.25)).toBe('¼×');
    expect(formatSpeed(16)).toBe('16×');
  });
  it('formats elapsed time', () => {
    expect(formatClock(0)).toBe('0:00.0');
    expect(formatClock(61_250)).toBe('1:01.2');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(-1500)).toBe('-0:01.5');
  });
  it('ticks at round steps at least minPx apart', () => {
    const t = ticks(0, 60_000, 600, 80);
    expect(t[0]).toEqual([0, 0]);
    expect(t[1]![0]).toBe(10_000);
    for (let i = 1; i < t.length; i++) expect(t[i]![1] - t[i - 1]![1]).toBeGreaterThanOrEqual(80);
    expect(ticks(0, 0, 600)).toEqual([]);
  });
});

describe('markers', () => {
  const ev = (type: string, payload: Record<string, unknown> = {}, priority: 'normal' | 'critical' = 'normal') =>
    markerOf({ type, priority, payload: payload as never, at: 5, plane: 'p' });
  it('classifies errors, alerts, coordination rounds and connection changes; nothing else', () => {
    expect(ev('client.connection', { previous: 'LIVE', state: 'RECONNECTING' })).toEqual({ t: 5, kind: 'connection', plane: 'p', label: 'LIVE → RECONNECTING' });
    expect(ev('error', { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' })!.kind).toBe('error');
    expect(ev('protocol.error')!.kind).toBe('error');
    expect(ev('client.error', { code: 'X' })!.label).toBe('X');
    expect(ev('system.metrics', { alerts: [{ level: 'warning' }, { level: 'critical' }] })).toMatchObject({ kind: 'alert', label: '2 alerts' });
    expect(ev('system.metrics', { alerts: [] })).toBeNull();
    expect(ev('anything', {}, 'critical')!.kind).toBe('alert');
    expect(ev('coordination.initiated', { coordinationId: 'c1' })).toMatchObject({ kind: 'coordination', label: 'round c1' });
    expect(ev('coordination.progress')).toBeNull();
    expect(ev('agent.state.changed')).toBeNull();
  });
  it('fold per pixel bin with the most severe kind, in x order, outside the range left out', () => {
    const m = (t: number, kind: TimelineMarker['kind']): TimelineMarker => ({ t, kind, plane: 'p', label: `${kind}@${t}` });
    const list = [m(10, 'coordination'), m(11, 'error'), m(12, 'connection'), m(500, 'alert'), m(2000, 'error')];
    const bins = binMarkers(list, 0, 1000, 100, 3);
    expect(bins).toEqual([
      { x: 0, kind: 'error', count: 3, first: list[0] },
      { x: 48, kind: 'alert', count: 1, first: list[3] },
    ]);
    expect(countKinds(list)).toEqual({ error: 2, alert: 1, coordination: 1, connection: 1 });
  });
});
