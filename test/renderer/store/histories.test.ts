// The page's own structures: what it derives from the events the core sent
// (per-agent activity), the core's flow tables as frames bring them, the state tally, and the ring. The core's
// session state (alerts, rounds, commands, metrics) is tested in test/monitor/.
import { describe, expect, it } from 'vitest';
import type { FlowFrame, PlaneEvent } from '@shared';
import { ActivityLog } from '../../../renderer/src/store/activity.js';
import { Flows } from '../../../renderer/src/store/flows.js';
import { Ring } from '../../../renderer/src/store/ring.js';
import { StateTally } from '../../../renderer/src/store/state-tally.js';

let seq = 0;
export function ev(type: string, payload: PlaneEvent['payload'], extra: Partial<PlaneEvent> = {}): PlaneEvent {
  return { seq: seq++, plane: 'p', at: 1000 + seq, origin: 'vis', type, priority: 'normal', payload, ...extra };
}

describe('Ring', () => {
  it('keeps the newest `capacity` entries and counts what it evicts', () => {
    const r = new Ring<number>(3);
    for (let i = 0; i < 5; i++) r.push(i);
    expect(r.toArray()).toEqual([2, 3, 4]);
    expect(r.evicted).toBe(2);
    expect(r.pushed).toBe(5);
    expect(r.at(0)).toBe(2);
  });
});

/** One plane's flow table frame as the core sends it: entries [slot, count, rate, latency, ageMs], names [entry, flowId]. */
function flowFrame(entries: [number, number, number, number, number][], names: [number, string][], complete = false, evicted = 0): FlowFrame {
  const n = entries.length;
  const col = <T extends Float32Array | Float64Array | Uint32Array>(A: new (n: number) => T, i: number): T => {
    const a = new A(n);
    entries.forEach((e, k) => (a[k] = e[i]!));
    return a;
  };
  return {
    plane: 'p',
    complete,
    slots: col(Uint32Array, 0),
    from: new Uint32Array(n),
    to: new Uint32Array(n),
    count: col(Float64Array, 1),
    rate: col(Float32Array, 2),
    successRate: new Float32Array(n).fill(0.5),
    latencyMs: col(Float32Array, 3),
    minMs: new Float32Array(n).fill(NaN),
    maxMs: new Float32Array(n).fill(NaN),
    bandwidth: new Float32Array(n).fill(NaN),
    ageMs: col(Float32Array, 4),
    look: new Uint8Array(n),
    names,
    size: n,
    evicted,
  };
}

describe('Flows (the core\'s flow tables, from frames)', () => {
  it('keeps one row per flow, updated in place, names from the frame that made the flow new; a reused slot is another flow', () => {
    const f = new Flows();
    expect(f.apply(flowFrame([[0, 10, 2, 40, 100], [1, 5, NaN, 9, 0]], [[0, 'a-b'], [1, 'b-c']], true), 10_000)).toBe(true);
    const ab = f.find('p', 'a-b')!;
    expect(ab).toMatchObject({ count: 10, rate: 2, avgMs: 40, lastActivity: 9_900 });
    f.apply(flowFrame([[0, 30, 4, 41, 0]], []), 11_000);
    expect(f.find('p', 'a-b')).toBe(ab);
    expect(ab).toMatchObject({ count: 30, rate: 4, avgMs: 41, lastActivity: 11_000 });
    expect(f.size).toBe(2);
    // The core evicted b-c and gave its slot to c-d.
    f.apply(flowFrame([[1, 1, 1, 1, 0]], [[0, 'c-d']], false, 1), 12_000);
    expect(f.list().map((r) => r.flowId).sort()).toEqual(['a-b', 'c-d']);
    expect(f.evicted).toBe(1);
    // A complete frame replaces the plane's rows.
    f.apply(flowFrame([[3, 1, 1, 1, 0]], [[0, 'x-y']], true), 13_000);
    expect(f.list().map((r) => r.flowId)).toEqual(['x-y']);
    f.keepOnly(new Set(['q']));
    expect(f.size).toBe(0);
  });
});

describe('StateTally', () => {
  it('counts agents by state from full and delta frames', () => {
    const t = new StateTally();
    t.apply({ plane: 'p', slotCount: 3, receivedAt: 0, ids: new Uint32Array([1, 2, 3]), xy: new Float32Array(6), states: new Uint16Array([0, 0, 6]) });
    expect(t.counts()).toEqual({ IDLE: 2, ERROR: 1 });
    t.apply({ plane: 'p', slotCount: 3, receivedAt: 0, slots: new Uint32Array([1]), ids: new Uint32Array([2]), xy: new Float32Array(2), states: new Uint16Array([257]) });
    expect(t.counts()).toEqual({ IDLE: 1, ERROR: 1 });
  });
});

describe('ActivityLog', () => {
  it('records messages in and out per agent with namespaces, bounded per agent and in agents', () => {
    const a = new ActivityLog(2, 2);
    for (let i = 0; i < 3; i++) a.add(ev('message.sent', { from: { id: 'agent-001', namespace: 'research' }, to: [{ id: `agent-00${i + 2}` }], messageType: 'REQUEST' }));
    const one = a.of('p', 'agent-001')!;
    expect(one.namespace).toBe('research');
    expect(one.entries.toArray().map((e) => e.text)).toEqual(['agent-003', 'agent-004']);
    expect(one.entries.evicted).toBe(1);
    expect(a.evictedAgents).toBe(2);
  });
});
