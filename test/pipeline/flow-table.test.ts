import { describe, expect, it } from 'vitest';
import { FlowTable } from '../../electron/core/pipeline/index.js';

const u = (from: number, to: number, rate: number, seenMs: number) => ({ from, to, rate, successRate: 0.9, latencyMs: 12, seenMs });

describe('FlowTable', () => {
  it('keeps the latest update per flow and ignores older ones', () => {
    const t = new FlowTable(4);
    t.apply(u(1, 2, 5, 100));
    t.apply(u(1, 2, 7, 200));
    t.apply(u(1, 2, 3, 150));
    expect(t.size).toBe(1);
    expect(t.rate[0]).toBe(7);
    expect(t.lastSeenMs[0]).toBe(200);
  });

  it('is bounded: evicts the oldest-seen flow and counts it', () => {
    const t = new FlowTable(2);
    t.apply(u(1, 2, 1, 100));
    t.apply(u(2, 3, 1, 50));
    t.apply(u(3, 4, 9, 300));
    expect(t.size).toBe(2);
    expect(t.evictions).toBe(1);
    expect([...t.from.slice(0, 2)].sort()).toEqual([1, 3]);
  });
});
