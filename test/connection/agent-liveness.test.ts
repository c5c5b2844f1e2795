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
