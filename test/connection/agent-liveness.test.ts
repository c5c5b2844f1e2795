import { describe, expect, it } from 'vitest';
import { AgentLiveness } from '../../electron/core/connection/agent-liveness.js';
import type { JsonObject } from '../../shared/events.js';

describe('AgentLiveness', () => {
  it('loses a silent agent once and recovers it when it speaks again', () => {
    const lost: JsonObject[] = [];
    const recovered: JsonObject[] = [];
    const l = new AgentLiveness(1000, { lost: (p) => lost.push(p), recovered: (p) => recovered.push(p) });
    l.beat('a', 0);
    l.beat('b', 500);
    l.check(1200);
    l.check(1300);
    expect(lost.map((p) => p.agentId)).toEqual(['a']);
    l.beat('a', 1400);
    expect(recovered).toEqual([{ agentId: 'a', lostForMs: 200 }]);
    expect(l.lost).toBe(0);
  });

  it('tracks at most its cap of distinct agents: new ids past it are refused and counted, known ones keep beating', () => {
    const lost: JsonObject[] = [];
    const l = new AgentLiveness(1000, { lost: (p) => lost.push(p), recovered: () => undefined }, 3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) l.beat(id, 0);
    expect(l.refused).toBe(2);
    l.beat('a', 900);
    l.check(1500);
    // b and c went silent; a beat again; d and e were never tracked.
    expect(lost.map((p) => p.agentId)).toEqual(['b', 'c']);
  });
});

describe('AgentLiveness: the limit follows each agent’s observed beat interval', () => {
  it('loses an agent after 3 × its own interval (not before), clamped to 1.5 s .. 60 s; the other keeps its own limit', () => {
    const lost: JsonObject[] = [];
    const recovered: JsonObject[] = [];
    const l = new AgentLiveness(30_000, { lost: (p) => lost.push(p), recovered: (p) => recovered.push(p) });
    for (let t = 0; t <= 10_000; t += 1000) l.beat('fast', t); // 1 s rhythm -> 3 s
    for (let t = 0; t <= 10_000; t += 100) l.beat('tiny', t); // 0.1 s rhythm -> clamped up to 1.5 s
    l.beat('slow', 0);
    l.beat('slow', 40_000); // 40 s rhythm -> 120 s, clamped down to 60 s
    expect([l.limitFor('fast'), l.limitFor('tiny'), l.limitFor('slow'), l.limitFor('unknown')]).toEqual([3000, 1500, 60_000, 30_000]);
    l.check(11_500);
    expect(lost).toEqual([]);
    l.check(11_501);
    expect(lost.map((p) => [p.agentId, p.timeoutMs, p.observedIntervalMs])).toEqual([['tiny', 1500, 100]]);
    l.check(13_000);
    expect(lost).toHaveLength(1);
    l.check(13_001);
    expect(lost.map((p) => p.agentId)).toEqual(['tiny', 'fast']);
    l.check(100_000);
    l.check(100_001);
    expect(lost.map((p) => p.agentId)).toEqual(['tiny', 'fast', 'slow']);
    l.beat('fast', 100_100);
    expect(recovered).toEqual([{ agentId: 'fast', lostForMs: 100_100 - 13_001 }]);
    // The silence that lost it does not stretch its rhythm.
    expect(l.limitFor('fast')).toBe(3000);
  });

  it('a status_update right after a heartbeat does not shrink the rhythm at once', () => {
    const l = new AgentLiveness(30_000, { lost: () => undefined, recovered: () => undefined });
    for (let t = 0; t <= 6000; t += 2000) {
      l.beat('a', t);
      l.beat('a', t + 5);
    }
    expect(l.limitFor('a')).toBeGreaterThanOrEqual(5000);
  });
});
