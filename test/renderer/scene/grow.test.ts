import { describe, expect, it } from 'vitest';
import { Kinematics } from '../../../renderer/src/scene/dead-reckoning.js';
import { FlowTable } from '../../../renderer/src/scene/flows.js';
import { grown, grownCapacity } from '../../../renderer/src/scene/grow.js';

describe('growing typed-array columns', () => {
  it('keeps the values and the type, and fills the new room', () => {
    const a = Int16Array.of(3, -4, 5);
    const b = grown(a, 6, -1);
    expect(b).toBeInstanceOf(Int16Array);
    expect([...b]).toEqual([3, -4, 5, -1, -1, -1]);
    expect(a).toHaveLength(3); // a copy: the old column is untouched
    const f = grown(Float32Array.of(0.5), 3);
    expect(f).toBeInstanceOf(Float32Array);
    expect([...f]).toEqual([0.5, 0, 0]);
  });

  it('at least doubles, never below the minimum, and keeps a capacity that fits', () => {
    expect(grownCapacity(10, 0)).toBe(64);
    expect(grownCapacity(65, 64)).toBe(128);
    expect(grownCapacity(1_000, 64)).toBe(1_000);
    expect(grownCapacity(64, 64)).toBe(64);
    expect(grownCapacity(3, 0, 2)).toBe(3);
  });

  it('is what the flow table and the dead reckoning grow by: values survive growth', () => {
    const t = new FlowTable(() => '');
    t.update('a-b', { from: { kind: 'agent', id: 1 }, to: { kind: 'agent', id: 2 } }, () => 0, { messageCount: 5, averageLatency: 7 }, 0);
    t.ends.set([1, 2, 3, 4]);
    expect(t.ensure(1_000)).toBe(true);
    expect(t.ends.length).toBe(4 * 1_000);
    expect([...t.ends.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(t.record(0, 0)).toMatchObject({ messageCount: 5, averageLatency: 7 });
    expect(t.ensure(1_000)).toBe(false);

    const k = new Kinematics();
    k.ensure(2);
    k.report(1, 8, 9, 0, 0, 0);
    expect(k.ensure(500)).toBe(true);
    expect(k.capacity).toBe(500);
    expect(k.xy.length).toBe(1_000);
    expect([k.xy[2], k.xy[3], k.reportedX(1), k.reportedY(1)]).toEqual([8, 9, 8, 9]);
  });
});
