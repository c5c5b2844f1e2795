// The channel layer (connection/channels.ts): sequence checks, gaps,
// duplicates, reordering, bufferSize and priority, with a hand-driven drain.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChannelGap, ChannelMux } from '../../electron/core/connection/channels.js';
import type { Priority } from '../../shared/index.js';
import type { NormalisedEvent } from '../../electron/core/protocol/json.js';

function msg(channel: string, sequence: number, priority: Priority = 'normal'): NormalisedEvent {
  return { origin: 'vis', type: 't', id: `${channel}-${sequence}`, priority, channel, sequence, payload: {} };
}

function setup(reorderWindowMs = 50): { mux: ChannelMux; got: string[]; gaps: ChannelGap[]; dups: number[]; drain: () => void } {
  const got: string[] = [];
  const gaps: ChannelGap[] = [];
  const dups: number[] = [];
  let pending: (() => void) | null = null;
  const mux = new ChannelMux({
    deliver: (ev) => got.push(ev.id!),
    onGap: (g) => gaps.push(g),
    onDuplicate: (_c, s) => dups.push(s),
    reorderWindowMs,
    schedule: (fn) => {
      pending = fn;
      return { cancel: () => (pending = null) };
    },
  });
  return {
    mux,
    got,
    gaps,
    dups,
    drain: () => {
      const f = pending;
      pending = null;
      f?.();
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('channel mux', () => {
  it('delivers in sequence order and drops duplicates (counted)', () => {
    const { mux, got, dups, drain } = setup();
    mux.define({ channelId: 'a' });
    for (const s of [1, 2, 2, 3, 1]) mux.receive(msg('a', s));
    drain();
    expect(got).toEqual(['a-1', 'a-2', 'a-3']);
    expect(dups).toEqual([2, 1]);
    expect(mux.stats.duplicates).toBe(2);
  });

  it('heals a reordered stream without reporting a gap', () => {
    const { mux, got, gaps, drain } = setup();
    for (const s of [1, 3, 2, 5, 4, 6]) mux.receive(msg('a', s));
    drain();
    expect(got).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']);
    expect(gaps).toEqual([]);
    expect(mux.timers).toBe(0);
  });

  it('reports a gap (channel, expected, received, missed) once the reorder window passes, then goes on', () => {
    vi.useFakeTimers();
    const { mux, got, gaps, drain } = setup(50);
    mux.receive(msg('perf', 10));
    mux.receive(msg('perf', 14));
    mux.receive(msg('perf', 15));
    drain();
    expect(got).toEqual(['perf-10']);
    vi.advanceTimersByTime(49);
    expect(gaps).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(gaps).toEqual([{ channel: 'perf', expected: 11, received: 14, missed: 3 }]);
    drain();
    expect(got).toEqual(['perf-10', 'perf-14', 'perf-15']);
    expect(mux.stats.missed).toBe(3);
  });

  it('delivers a missing message that turns up late instead of taking it for a duplicate', () => {
    vi.useFakeTimers();
    const { mux, got, dups, drain } = setup(20);
    mux.receive(msg('a', 1));
    mux.receive(msg('a', 3));
    vi.advanceTimersByTime(25);
    mux.receive(msg('a', 2)); // late
    mux.receive(msg('a', 2)); // now a real duplicate
    drain();
    expect(got).toEqual(['a-1', 'a-3', 'a-2']);
    expect(mux.stats.late).toBe(1);
    expect(dups).toEqual([2]);
  });

  it('declares the gap at once when more than bufferSize messages are held', () => {
    const { mux, gaps, got, drain } = setup(10_000);
    mux.define({ channelId: 'small', bufferSize: 3 });
    mux.receive(msg('small', 1));
    for (const s of [5, 6, 7]) mux.receive(msg('small', s));
    expect(gaps).toEqual([]);
    mux.receive(msg('small', 8));
    expect(gaps).toEqual([{ channel: 'small', expected: 2, received: 5, missed: 3 }]);
    drain();
    expect(got).toEqual(['small-1', 'small-5', 'small-6', 'small-7', 'small-8']);
  });

  it('bounds a queue by bufferSize: reaching it drains at once (nothing dropped)', () => {
    const { mux, got } = setup();
    mux.define({ channelId: 'q', bufferSize: 4 });
    for (let s = 1; s <= 3; s++) mux.receive(msg('q', s));
    expect(got).toEqual([]);
    expect(mux.buffered).toBe(3);
    mux.receive(msg('q', 4));
    expect(got).toEqual(['q-1', 'q-2', 'q-3', 'q-4']);
    expect(mux.buffered).toBe(0);
    expect(mux.stats.overflowDrains).toBe(1);
  });

  it('handles high and critical channels (and critical messages) before queued normal and low ones', () => {
    const { mux, got, drain } = setup();
    mux.define({ channelId: 'low', priority: 'low' });
    mux.define({ channelId: 'norm', priority: 'normal' });
    mux.define({ channelId: 'hi', priority: 'high' });
    mux.define({ channelId: 'crit', priority: 'critical' });
    mux.receive(msg('low', 1));
    mux.receive(msg('norm', 1));
    mux.receive(msg('low', 2));
    mux.receive(msg('hi', 1));
    mux.receive(msg('norm', 2, 'critical'));
    mux.receive(msg('crit', 1));
    expect(got).toEqual(['hi-1', 'norm-2', 'crit-1']);
    drain();
    expect(got).toEqual(['hi-1', 'norm-2', 'crit-1', 'norm-1', 'low-1', 'low-2']);
  });

  it('flushes held and queued messages on dispose and then ignores input', () => {
    const { mux, got, gaps } = setup(10_000);
    mux.receive(msg('a', 1));
    mux.receive(msg('a', 4));
    mux.dispose();
    expect(got).toEqual(['a-1', 'a-4']);
    expect(gaps).toHaveLength(1);
    expect(mux.timers).toBe(0);
    mux.receive(msg('a', 5));
    expect(got).toEqual(['a-1', 'a-4']);
  });
});

describe('channel start', () => {
  it('uses the announced first sequence, so a reordered start is healed', () => {
    const { mux, got, dups, drain } = setup();
    mux.startAt('a', 1);
    for (const s of [2, 1, 4, 3]) mux.receive(msg('a', s));
    drain();
    expect(got).toEqual(['a-1', 'a-2', 'a-3', 'a-4']);
    expect(dups).toEqual([]);
  });

  it('without an announcement, delivers (late, once) what arrives below the first sequence seen', () => {
    const { mux, got, dups, drain } = setup();
    for (const s of [2, 1, 1, 3]) mux.receive(msg('a', s));
    drain();
    expect(got).toEqual(['a-2', 'a-1', 'a-3']);
    expect(dups).toEqual([1]);
    expect(mux.stats.late).toBe(1);
  });
});
