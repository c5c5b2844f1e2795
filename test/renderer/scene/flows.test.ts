import { describe, expect, it } from 'vitest';
import { SCENE_MAX_PARTICLES, SCENE_MAX_ROUNDS } from '../../../shared/limits.js';
import { OUTCOME_MS, ROUND_FORGET_MS, Rounds } from '../../../renderer/src/scene/coordination.js';
import { FlowTable } from '../../../renderer/src/scene/flows.js';
import { FLOW_FADE_MS, FLOW_QUIET_MS, flowWidthPx } from '../../../renderer/src/scene/lod.js';
import { PARTICLE_MS, ParticlePool, particleLook, SHAPE } from '../../../renderer/src/scene/particles.js';
import { type PlaneEvent, type Round, readEvent } from '../../../shared/index.js';

const failed = (type: string, payload: PlaneEvent['payload']): boolean => {
  const v = readEvent({ seq: 0, plane: 'p', at: 0, origin: 'vis', type, priority: 'normal', payload });
  return v.kind === 'message' && v.failed;
};
/** A round as the core holds it (monitor/rounds.ts). */
const core = (id: string, r: Partial<Round> = {}): Round => ({ key: `p/${id}`, plane: 'p', id, pattern: 'CONSENSUS', participants: [], votes: [], startedAt: 0, progress: 0, status: 'ACTIVE', updatedAt: 0, rev: 1, ...r });

const agents = (a: number, b: number) => ({ from: { kind: 'agent' as const, id: a }, to: { kind: 'agent' as const, id: b } });

describe('flow table', () => {
  it('keeps one record per flowId, with a rate from successive counts', () => {
    const names: string[] = [];
    const t = new FlowTable((g) => names[g]!);
    const gi = (n: string) => (names.includes(n) ? names.indexOf(n) : names.push(n) - 1);
    t.update('agent-001-agent-002', agents(1, 2), gi, { messageCount: 100, successRate: 0.99, averageLatency: 40 }, 0);
    t.update('agent-001-agent-002', agents(1, 2), gi, { messageCount: 130, successRate: 0.5, averageLatency: 80 }, 3000);
    expect(t.n).toBe(1);
    const r = t.record(0, 3000);
    expect(r.ratePerSec).toBeCloseTo(10, 6);
    expect(r.averageLatency).toBe(80);
    expect(t.meta[0]).toBe(Math.round((flowWidthPx(10) / 8) * 255)); // width from the rate
    expect([t.color[0], t.color[1], t.color[2]]).toEqual([0xf8, 0x51, 0x49]); // 50% success: red
    t.update('research-analysis', { from: { kind: 'group', name: 'research' }, to: { kind: 'group', name: 'analysis' } }, gi, {}, 3000);
    expect(t.record(1, 3000).from).toEqual({ kind: 'group', name: 'research' });
    expect(t.record(1, 3000).ratePerSec).toBeNull();
  });

  it('fades quiet flows and removes them once faded, keeping the others addressable', () => {
    const t = new FlowTable(() => '');
    t.update('a-b', agents(1, 2), () => 0, { messageCount: 1 }, 0);
    t.update('c-d', agents(3, 4), () => 0, { messageCount: 1 }, FLOW_FADE_MS);
    t.highlight('c-d');
    t.fade(FLOW_QUIET_MS + FLOW_FADE_MS / 2);
    expect(t.alpha[0]).toBeCloseTo(0.5, 6);
    expect(t.fade(FLOW_QUIET_MS + FLOW_FADE_MS + 1)).toBe(true);
    expect(t.n).toBe(1);
    expect(t.indexOf('c-d')).toBe(0);
    expect(t.indexOf('a-b')).toBe(-1);
    expect(t.highlighted).toBe(0); // the highlight followed its flow
    expect(t.meta[1]).toBe(255);
  });
});

describe('coordination rounds (the core\'s, as the graph draws them)', () => {
  it('tracks participants and each vote as it changes, shows the outcome briefly, then forgets the round', () => {
    const r = new Rounds();
    const participants = [{ id: 'agent-002', role: 'voter' }, { id: 'agent-004', role: 'observer' }];
    r.apply(core('c1', { initiator: 'agent-001', participants }), 0);
    expect([...r.rounds.values()][0]!.participants.size).toBe(2);
    r.apply(core('c1', { initiator: 'agent-001', participants, status: 'VOTING', votes: [{ voter: 'agent-001', vote: 'approve' }, { voter: 'agent-002', vote: 'pending' }] }), 100);
    const round = [...r.rounds.values()][0]!;
    expect(round.votes.get(1)).toEqual({ vote: 'approve', at: 100 });
    expect(round.participants.get(4)).toBe('observer');
    // The same vote again is no news (its pulse keeps its time); a changed one is.
    r.apply(core('c1', { participants, status: 'COMPLETED', result: 'rejected', endedAt: 150, votes: [{ voter: 'agent-001', vote: 'approve' }, { voter: 'agent-002', vote: 'reject' }] }), 200);
    expect(round.votes.get(1)!.at).toBe(100);
    expect(round.outcome).toBe('rejected');
    expect(round.votes.get(2)!.vote).toBe('reject');
    expect(r.active()).toHaveLength(0);
    r.expire(200 + OUTCOME_MS - 1);
    expect(r.rounds.size).toBe(1);
    r.expire(200 + OUTCOME_MS + 1);
    expect(r.rounds.size).toBe(0);
  });

  it('is bounded, and never waits forever for an end', () => {
    const r = new Rounds();
    for (let i = 0; i < SCENE_MAX_ROUNDS + 5; i++) r.apply(core(`c${i}`, { initiator: 'agent-1' }), 0);
    expect(r.rounds.size).toBe(SCENE_MAX_ROUNDS);
    expect(r.evicted).toBe(5);
    r.expire(ROUND_FORGET_MS + 1);
    expect(r.rounds.size).toBe(0);
    // A round that had ended before the view saw it (a backfill after a reload) is history: not drawn.
    r.apply(core('old', { status: 'COMPLETED', endedAt: 5 }), 10);
    expect(r.rounds.size).toBe(0);
  });
});

describe('message particles', () => {
  it('replaces the oldest when full, counting each, and lands after PARTICLE_MS', () => {
    const p = new ParticlePool();
    for (let i = 0; i < SCENE_MAX_PARTICLES + 3; i++) p.add(0, 1, 0, 2, 1, 0xffffff, 4, 0, i);
    expect(p.n).toBe(SCENE_MAX_PARTICLES);
    expect(p.replaced).toBe(3);
    p.expire(PARTICLE_MS + SCENE_MAX_PARTICLES + 10);
    expect(p.n).toBe(0);
  });

  it('shows priority by size and shape, and failure as a cross', () => {
    expect(particleLook('HIGH', false).shape).toBe(SHAPE.diamond);
    expect(particleLook('HIGH', false).sizePx).toBeGreaterThan(particleLook('NORMAL', false).sizePx);
    expect(particleLook('NORMAL', true).shape).toBe(SHAPE.cross);
    expect(failed('message.sent', { from: { id: 'a' }, to: [], status: 'FAILED' })).toBe(true);
    expect(failed('message.failed', { from: { id: 'a' }, to: [] })).toBe(true);
    expect(failed('message.sent', { from: { id: 'a' }, to: [], status: 'delivered' })).toBe(false);
  });
});

describe('flow table growth', () => {
  it('grows every column at once, keeping the values, and only when it must', () => {
    const t = new FlowTable(() => '');
    t.update('a-b', agents(1, 2), () => 0, { messageCount: 5, averageLatency: 7 }, 0);
    t.ends.set([1, 2, 3, 4]);
    expect(t.ensure(1_000)).toBe(true);
    expect(t.ends.length).toBe(4 * 1_000);
    expect([...t.ends.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(t.record(0, 0)).toMatchObject({ messageCount: 5, averageLatency: 7 });
    expect(t.ensure(1_000)).toBe(false);
  });
});
