// A round's standing as the Coordination panel shows it (panels/Coordination/round-tally.ts).
import { describe, expect, it } from 'vitest';
import type { Round } from '@shared';
import { roundOrder, tally, timeLeft } from '../../../../renderer/src/panels/Coordination/round-tally.js';

const round = (id: string, r: Partial<Round> = {}): Round => ({ key: `p/${id}`, plane: 'p', id, pattern: 'CONSENSUS', participants: [], votes: [], startedAt: 0, progress: 0, status: 'ACTIVE', updatedAt: 0, rev: 1, ...r });

describe('round tally', () => {
  it('counts approvals and rejections over voters (observers excluded), and the time left', () => {
    const r = round('c1', {
      participants: [{ id: 'agent-001', role: 'initiator' }, { id: 'agent-002', role: 'voter' }, { id: 'agent-003', role: 'observer' }, { id: 'agent-004', role: 'voter' }],
      votes: [{ voter: 'agent-001', vote: 'approve' }, { voter: 'agent-002', vote: 'REJECT' }],
      timeoutMs: 30_000,
      startedAt: 1000,
    });
    expect(tally(r)).toEqual({ approve: 1, reject: 1, pending: 1, voters: 3 });
    expect(timeLeft(r, 11_000)).toBe(20_000);
    expect(timeLeft(r, 99_000)).toBe(0);
    expect(timeLeft({ ...r, endedAt: 5000 }, 6000)).toBeUndefined();
  });

  it('orders active rounds first, newest first within each', () => {
    const list = [round('old-done', { startedAt: 1, endedAt: 2 }), round('old', { startedAt: 2 }), round('new', { startedAt: 5 }), round('new-done', { startedAt: 6, endedAt: 7 })];
    expect(roundOrder(list).map((r) => r.id)).toEqual(['new', 'old', 'new-done', 'old-done']);
  });
});
