import { describe, expect, it } from 'vitest';
import { lastHeard } from '../../../renderer/src/scene/tooltip.js';

describe('the tooltip of a stale agent', () => {
  it('says how long ago it was last heard, in seconds, then minutes, then hours', () => {
    expect(lastHeard(12_400)).toBe('last heard 12 s ago');
    expect(lastHeard(-5)).toBe('last heard 0 s ago');
    expect(lastHeard(119_000)).toBe('last heard 119 s ago');
    expect(lastHeard(10 * 60_000)).toBe('last heard 10 min ago');
    expect(lastHeard(3 * 3_600_000)).toBe('last heard 3 h ago');
  });
});
