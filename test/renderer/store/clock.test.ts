// window.__swarmdeck.clock(): live, rewind or replay from the core's timeline entries.

import { describe, expect, it } from 'vitest';
import type { ReplayEntry, SwarmdeckBridge } from '@shared';
import { ClockSource } from '../../../renderer/src/store/clock.js';

const entry = (id: number, planes: Record<string, string>, positionMs: number): ReplayEntry => ({
  id,
  state: { path: 'x', playing: false, speed: 1, startMs: 0, endMs: 10_000, positionMs, planes, complete: true, problem: null, error: null },
});

describe('the view clock', () => {
  it('is live at now without entries, replay at a recording position, rewind when a plane is rewound', () => {
    const c = new ClockSource(null);
    expect(c.read(1234)).toEqual({ mode: 'live', at: 1234 });
    c.set([entry(1, { a: 'rec:a' }, 5000)]);
    expect(c.read(1234)).toEqual({ mode: 'replay', at: 5000 });
    c.set([entry(1, { a: 'rec:a' }, 5000), entry(2, { tp: 'rewind:tp' }, 7000)]);
    expect(c.read(1234)).toEqual({ mode: 'rewind', at: 7000 });
  });

  it('asks the core for the entries', async () => {
    const bridge = { request: async (name: string) => (name === 'replays' ? [entry(3, { tp: 'rewind:tp' }, 42)] : null) } as unknown as SwarmdeckBridge;
    const c = new ClockSource(bridge);
    c.refresh();
    await new Promise((r) => setTimeout(r, 0));
    expect(c.read()).toEqual({ mode: 'rewind', at: 42 });
  });
});
