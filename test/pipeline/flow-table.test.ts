import { describe, expect, it } from 'vitest';
import { FLOW_REORDER_MS, FlowTable } from '../../electron/core/pipeline/index.js';
import { FLOW_LOOK_FAILED } from '../../shared/index.js';

const stats = (count: number, latencyMs = 12) => ({ count, successRate: 0.9, latencyMs });

describe('FlowTable', () => {
  it('keeps the latest stats per flow, ignores older ones, and takes the rate from the count over the plane time', () => {
    const t = new FlowTable(4);
    expect(t.applyStats('a-b', 1, 2, stats(100), 1_000, 5)).toBe(0);
    t.applyStats('a-b', 1, 2, stats(150, 20), 2_000, 6);
    // Older by the plane's time: ignored.
    expect(t.applyStats('a-b', 1, 2, stats(10, 99), 1_500, 7)).toBe(-1);
    expect(t.size).toBe(1);
    expect(t.count[0]).toBe(150);
    expect(t.rate[0]).toBe(50);
    expect(t.latencyMs[0]).toBe(20);
    expect(t.lastSeenMs[0]).toBe(6);
    expect(t.from[0]).toBe(1);
    expect(t.to[0]).toBe(2);
  });

  it('a plane whose clock went back by more than FLOW_REORDER_MS is taken at its word (no rate from the jump); a flow stamped in the far future does not freeze', () => {
    const t = new FlowTable(4);
    const future = Date.parse('9999-01-01T00:00:00Z');
    t.applyStats('a-b', 1, 2, stats(1, 99), future, 0);
    const now = Date.parse('2026-12-04T00:00:00Z');
    expect(t.applyStats('a-b', 1, 2, stats(2, 33), now, 1)).toBe(0);
    expect(t.latencyMs[0]).toBe(33);
    expect(t.count[0]).toBe(2);
    expect(Number.isNaN(t.rate[0]!)).toBe(true);
    // Back by FLOW_REORDER_MS or less: out of order, ignored.
    expect(t.applyStats('a-b', 1, 2, stats(1, 5), now - FLOW_REORDER_MS, 2)).toBe(-1);
    expect(t.applyStats('a-b', 1, 2, stats(1, 5), now - FLOW_REORDER_MS - 1, 3)).toBe(0);
    expect(t.latencyMs[0]).toBe(5);
  });

  it('a count that went down gives no rate; a missing figure is NaN', () => {
    const t = new FlowTable(4);
    t.applyStats('x', 0, 0, { count: 100 }, 0, 0);
    t.applyStats('x', 0, 0, { count: 5 }, 1000, 1);
    expect(Number.isNaN(t.rate[0]!)).toBe(true);
    expect(Number.isNaN(t.successRate[0]!)).toBe(true);
  });

  it('measures message.sent per second over windows of at least a second', () => {
    const t = new FlowTable(4);
    t.applySent('a-b', 1, 2, 9, 0);
    expect(t.rate[0]).toBe(1);
    for (let i = 1; i < 10; i++) t.applySent('a-b', 1, 2, 9, i * 100);
    // The window closes at 1 s with 10 messages in it.
    t.applySent('a-b', 1, 2, 9, 1000);
    expect(t.rate[0]).toBeCloseTo(10, 5);
    expect(t.look[0]).toBe(9);
    // No stats describe it: it counts its messages, and one failed of 12 is its success rate.
    t.applySent('a-b', 1, 2, 9 | FLOW_LOOK_FAILED, 1100);
    expect(t.count[0]).toBe(12);
    expect(t.successRate[0]).toBeCloseTo(11 / 12, 5);
    // Stats, once they come, are the flow's figures.
    t.applyStats('a-b', 1, 2, { count: 500, successRate: 0.5 }, 2000, 2000);
    t.applySent('a-b', 1, 2, 9, 2100);
    expect([t.count[0], t.successRate[0]]).toEqual([500, 0.5]);
  });

  it('is bounded: evicts the least recently updated flow in O(1) and counts it', () => {
    const t = new FlowTable(2);
    t.applyStats('f1', 1, 2, stats(1), 100, 100);
    t.applyStats('f2', 2, 3, stats(1), 50, 50);
    // f1 updated again: f2 is now the least recently updated.
    t.applyStats('f1', 1, 2, stats(2), 200, 200);
    t.applyStats('f3', 3, 4, stats(9), 300, 300);
    expect(t.size).toBe(2);
    expect(t.evictions).toBe(1);
    expect(t.slotOf('f2')).toBe(-1);
    expect(t.slotOf('f1')).toBeGreaterThanOrEqual(0);
    expect(t.slotOf('f3')).toBe(1);
    expect(t.ids[1]).toBe('f3');
    expect([...t.from.slice(0, 2)].sort()).toEqual([1, 3]);
    // The reused slot was born again: a view is told its new flow id.
    expect(t.born[1]).toBe(t.version);
  });

  it('lists the slots changed after a version, newest first, without walking the rest', () => {
    const t = new FlowTable(8);
    for (let i = 0; i < 5; i++) t.applyStats(`f${i}`, i, i + 1, stats(i), i, i);
    const v = t.version;
    t.applyStats('f1', 1, 2, stats(7), 10, 10);
    t.applySent('f3', 3, 4, 0, 11);
    const out = new Uint32Array(8);
    expect(t.changedSince(v, out)).toBe(2);
    expect([...out.slice(0, 2)]).toEqual([3, 1]);
    expect(t.changedSince(0, out)).toBe(5);
    expect(t.changedSince(t.version, out)).toBe(0);
  });
});
