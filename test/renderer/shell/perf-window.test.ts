import { describe, expect, it } from 'vitest';
import type { FrameMessage, PlaneFrame, PlaneStatus } from '@shared';
import { formatAge, PerfWindow, quantile } from '../../../renderer/src/shell/perf-window.js';

const status = (plane: string, state: PlaneStatus['state'] = 'LIVE', replay = false): PlaneStatus => ({ plane, label: plane, color: 0, url: 'ws://x', state, agents: 1, ...(replay ? { replay } : {}) }) as PlaneStatus;
const positions = (plane: string, sentAt: number): PlaneFrame => ({ plane, slotCount: 0, receivedAt: sentAt + 1, sentAt, ids: new Uint32Array(0), xy: new Float32Array(0), states: new Uint16Array(0) });
const frame = (planes: PlaneStatus[], pos: PlaneFrame[], dropped = 0): FrameMessage => ({
  seq: 0,
  builtAt: 0,
  planes,
  positions: pos,
  events: [],
  stats: { framesSent: 0, supersededPositions: dropped, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0, eventsDropped: 0 },
});

describe('PerfWindow', () => {
  it('quantiles of what it is given', () => {
    const a = Float64Array.from([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(quantile(a, 10, 0.5)).toBe(6);
    expect(quantile(a, 10, 0.95)).toBe(10);
    expect(quantile(a, 0, 0.5)).toBeNull();
    expect(formatAge(123.4)).toBe('123 ms');
    expect(formatAge(12_345)).toBe('12.3 s');
  });

  it('data age is now minus the send time, and keeps growing while nothing arrives', () => {
    const w = new PerfWindow();
    expect(w.dataAge(1000)).toBeNull();
    w.frame(frame([status('a')], [positions('a', 10_000)]), 10_050);
    expect(w.dataAge(10_050)).toBe(50);
    expect(w.dataAge(13_000)).toBe(3000);
    // A frame without new positions (sentAt 0) keeps the last send time.
    w.frame(frame([status('a')], [{ ...positions('a', 0), receivedAt: 0 }]), 13_100);
    expect(w.dataAge(13_100)).toBe(3100);
  });

  it('takes the oldest counted plane; replays and closed planes are left out', () => {
    const w = new PerfWindow();
    w.frame(frame([status('a'), status('b'), status('r', 'CLOSED', true)], [positions('a', 1000), positions('b', 1500), positions('r', 10)]), 2000);
    expect(w.dataAge(2000)).toBe(1000);
    w.frame(frame([status('a', 'CLOSED'), status('b'), status('r', 'CLOSED', true)], []), 2000);
    expect(w.dataAge(2000)).toBe(500);
    // A plane gone silent or reconnecting still counts: what is drawn of it is old.
    w.frame(frame([status('a', 'RECONNECTING'), status('b', 'STALE')], []), 2000);
    expect(w.dataAge(3000)).toBe(2000);
  });

  it('over the last 5 s: fps, frames applied, data age p50/p95 and drops', () => {
    const w = new PerfWindow(5000);
    // 0..10 s: a frame with positions every 100 ms (sent 40 ms before it is applied), drawn every 50 ms; 1 drop per frame.
    let drops = 0;
    for (let t = 0; t < 10_000; t += 50) {
      if (t % 100 === 0) w.frame(frame([status('a')], [positions('a', t - 40)], drops++), t);
      w.drawn(t);
    }
    const s = w.snapshot(9_999);
    expect(s.windowMs).toBe(5000);
    expect(s.fps).toBeCloseTo(20, 0);
    expect(s.framesApplied).toBe(50);
    // Ages at the draws: 40 ms right after a frame, 90 ms half way: p50 between, p95 the top.
    expect(s.dataAgeMs.p50).toBeGreaterThanOrEqual(40);
    expect(s.dataAgeMs.p95).toBe(90);
    expect(s.dropped).toBe(49);
    // The window moves: 3 s later with no frame, only draws: nothing applied, ages grow, no drops.
    for (let t = 10_000; t < 13_000; t += 50) w.drawn(t);
    const late = w.snapshot(15_000);
    expect(late.framesApplied).toBe(0);
    expect(late.dataAgeMs.p50).toBeGreaterThan(1000);
    expect(late.dropped).toBe(0);
    expect(late.fps).toBeCloseTo(12, 0);
  });

  it('just after load the window is what has passed', () => {
    const w = new PerfWindow(5000);
    for (let t = 1000; t <= 2000; t += 100) w.drawn(t);
    const s = w.snapshot(2000);
    expect(s.windowMs).toBe(1000);
    expect(s.fps).toBeCloseTo(11, 0);
    expect(s.dataAgeMs).toEqual({ p50: null, p95: null });
  });
});
