import { describe, expect, it } from 'vitest';
import { EventBudget } from '../../electron/core/pipeline/event-budget.js';

describe('EventBudget', () => {
  it('halves below what a slow frame carried, down to the minimum, and grows back while frames are fast', () => {
    const b = new EventBudget(2_000_000, 32_000, 250);
    // Slow start: the minimum until the view shows it keeps up.
    expect(b.bytes).toBe(32_000);
    b.acked(20, 0);
    expect(b.bytes).toBe(64_000);
    for (let i = 0; i < 30; i++) b.acked(20, 0);
    expect(b.bytes).toBe(2_000_000);
    // A 2 MB frame took 3 s: the next carries at most 1 MB, then less while they stay slow.
    b.acked(3000, 2_000_000);
    expect(b.bytes).toBe(1_000_000);
    b.acked(1500, 1_000_000);
    expect(b.bytes).toBe(500_000);
    for (let i = 0; i < 20; i++) b.acked(1000, b.bytes);
    expect(b.bytes).toBe(32_000);
    // A slow frame with few events says nothing about events: the budget does not go under the minimum.
    b.acked(5000, 1000);
    expect(b.bytes).toBe(32_000);
    // Fast again: grows back, by at least the minimum per frame, up to the maximum.
    b.acked(30, 32_000);
    expect(b.bytes).toBe(64_000);
    for (let i = 0; i < 40; i++) b.acked(30, b.bytes);
    expect(b.bytes).toBe(2_000_000);
  });

  it('a view whose drawing alone is slow (software WebGL) is judged against twice its fastest frame', () => {
    const b = new EventBudget(1_000_000, 10_000, 250);
    for (let i = 0; i < 40; i++) b.acked(10, 500_000);
    for (let i = 0; i < 4; i++) b.acked(400, 0);
    // 700 ms is under twice 400: not slow for this view.
    b.acked(700, 1_000_000);
    expect(b.bytes).toBe(1_000_000);
    b.acked(1200, 1_000_000);
    expect(b.bytes).toBe(500_000);
  });

  it('a slow first frame (the page loading) sets the bar only for a while', () => {
    const b = new EventBudget(1_000_000, 10_000, 250);
    for (let i = 0; i < 40; i++) b.acked(10, 500_000, 0);
    b.acked(3000, 0, 0);
    b.acked(2000, 1_000_000, 1000);
    expect(b.bytes).toBe(1_000_000);
    // 20 s on, with no frame of few events since: judged against the target alone.
    b.acked(2000, 1_000_000, 20_000);
    expect(b.bytes).toBe(500_000);
  });
});
