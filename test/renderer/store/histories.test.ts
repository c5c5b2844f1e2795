// The page's own structures: what it derives from the events the core sent
// (flows, per-agent activity), the state tally, and the ring. The core's
// session state (alerts, rounds, commands, metrics) is tested in test/monitor/.
import { describe, expect, it } from 'vitest';
import type { PlaneEvent } from '@shared';
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

describe('Flows', () => {
  it('keeps the latest statistics per flow and evicts the least recently updated', () => {
    const f = new Flows(2);
    const stats = (n: number) => ({ messageCount: n, averageLatency: 10, minLatency: 1, maxLatency: 50, successRate: 0.99, bandwidth: 0.5, lastActivity: '2026-01-01T00:00:00Z' });
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: stats(1) }));
    f.add(ev('message.flow.stats', { flowId: 'b-c', statistics: stats(2) }));
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: stats(3) }));
    f.add(ev('message.flow.stats', { flowId: 'c-d', statistics: stats(4) }));
    expect(f.list().map((x) => [x.flowId, x.count])).toEqual([
      ['a-b', 3],
      ['c-d', 4],
    ]);
    expect(f.evicted).toBe(1);
    expect(f.list()[0]!.lastActivity).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('an older event paged in after a newer one does not replace its stats', () => {
    const f = new Flows(4);
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: { messageCount: 9 } }, { at: 500 }));
    f.add(ev('message.flow.stats', { flowId: 'a-b', statistics: { messageCount: 1 } }, { at: 100 }));
    expect(f.list()[0]!.count).toBe(9);
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
