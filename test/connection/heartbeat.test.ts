// Session liveness on fake timers: the interval (the server's, clamped, or
// the default), a beat per interval, the pong's round trip, and staleness
// after 3 × the interval of silence, at least staleMinMs (any traffic
// postpones it); then a ping probe, LIVE again when heard, else given up.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, type HeartbeatPort } from '../../electron/core/connection/heartbeat.js';
import { Timers } from '../../electron/core/connection/timers.js';

function rig(open = true) {
  const calls: [string, ...unknown[]][] = [];
  const timers = new Timers();
  const port: HeartbeatPort = {
    beat: () => (calls.push(['beat']), open),
    note: (code, message) => calls.push(['note', code, message]),
    stale: (info, reason) => calls.push(['stale', info, reason]),
    dead: (reason) => calls.push(['dead', reason]),
    probe: () => (calls.push(['probe']), open),
    revived: (silentForMs) => calls.push(['revived', silentForMs]),
  };
  const hb = new Heartbeat({ minMs: 100, maxMs: 10_000, defaultMs: 1000, staleMinMs: 500 }, timers, port);
  hb.heard(Date.now());
  return { hb, timers, calls, count: (k: string) => calls.filter((c) => c[0] === k).length };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('heartbeat', () => {
  it("uses the server's interval, clamps one out of range (with a note), and takes the default otherwise", () => {
    const cases: [number | undefined, number, boolean][] = [
      [500, 500, false],
      [undefined, 1000, false],
      [10, 100, true],
      [1e12, 10_000, true],
      [Number.NaN, 1000, true],
    ];
    for (const [asked, used, noted] of cases) {
      const r = rig();
      r.hb.start(asked);
      expect(r.hb.intervalMs).toBe(used);
      expect(r.count('note')).toBe(noted ? 1 : 0);
    }
  });

  it('beats once per interval and measures the pong of each ping', () => {
    const r = rig();
    r.hb.start(200);
    vi.advanceTimersByTime(199);
    expect(r.count('beat')).toBe(0);
    r.hb.heard(Date.now()); // data keeps it from going stale, not from beating
    vi.advanceTimersByTime(1);
    expect(r.count('beat')).toBe(1);
    vi.advanceTimersByTime(30);
    expect(r.hb.pong(Date.now())).toBe(30);
    expect(r.hb.pong(Date.now())).toBeUndefined(); // one pong per ping
    vi.advanceTimersByTime(170);
    expect(r.count('beat')).toBe(2);
  });

  it('has no round trip when the socket was not open to ping', () => {
    const r = rig(false);
    r.hb.start(200);
    vi.advanceTimersByTime(200);
    expect(r.count('beat')).toBe(1);
    expect(r.hb.pong(Date.now())).toBeUndefined();
  });

  it('is STALE after 3 × the interval of silence and probes with a ping; nothing heard then gives the socket up; any traffic postpones it', () => {
    const r = rig();
    r.hb.start(200);
    vi.advanceTimersByTime(300);
    r.hb.heard(Date.now());
    vi.advanceTimersByTime(599);
    expect(r.count('stale')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(r.calls.filter((c) => c[0] === 'stale' || c[0] === 'probe' || c[0] === 'dead')).toEqual([
      ['stale', { silentForMs: 600, lastRxAt: Date.now() - 600, heartbeatIntervalMs: 200 }, 'no traffic for 600 ms (limit 3 × 200 ms); probing with a ping'],
      ['probe'],
    ]);
    // The probe waits max(interval, staleMinMs) = 500 ms.
    vi.advanceTimersByTime(499);
    expect(r.count('dead')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(r.calls.filter((c) => c[0] === 'dead')).toEqual([['dead', 'no traffic for 1100 ms, and no answer to a ping within 500 ms (STALE after 3 × 200 ms)']]);
  });

  it('is never STALE before staleMinMs, however short the interval', () => {
    const r = rig();
    r.hb.start(100); // 3 × 100 ms = 300 ms, below the 500 ms floor
    vi.advanceTimersByTime(499);
    expect(r.count('stale')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(r.calls.find((c) => c[0] === 'stale')?.[2]).toBe('no traffic for 500 ms (limit 500 ms, the least); probing with a ping');
  });

  it('a STALE session heard again (a pong to the probe, a message) is LIVE again, and the clock starts over', () => {
    const r = rig();
    r.hb.start(200);
    vi.advanceTimersByTime(600);
    expect(r.count('stale')).toBe(1);
    vi.advanceTimersByTime(100);
    r.hb.heard(Date.now());
    expect(r.calls.filter((c) => c[0] === 'revived')).toEqual([['revived', 700]]);
    vi.advanceTimersByTime(1000);
    expect(r.count('dead')).toBe(0); // the probe's timer went with it
    expect(r.count('stale')).toBe(2); // silent again for 600 ms after being heard: STALE again
  });

  it('forgets the interval and the ping on reset; every timer is the owner’s to clear', () => {
    const r = rig();
    r.hb.start(200);
    vi.advanceTimersByTime(200);
    r.hb.reset();
    expect(r.hb.intervalMs).toBe(0);
    expect(r.hb.pong(Date.now())).toBeUndefined();
    expect(r.timers.size).toBe(2);
    r.timers.clearAll();
    expect(r.hb.running).toBe(false);
  });
});
