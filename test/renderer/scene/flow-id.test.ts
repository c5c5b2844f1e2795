import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentNumber } from '../../../shared/events.js';
import { resolveFlowId } from '../../../renderer/src/scene/flow-id.js';

const agentsOf = (ids: number[]) => (name: string) => {
  const n = agentNumber(name);
  return n !== null && ids.includes(n) ? n : null;
};
const groupsOf = (names: string[]) => (name: string) => names.includes(name);

describe('flowId resolution', () => {
  it('splits the seed example at the dash where both halves are known agents', () => {
    expect(resolveFlowId('agent-001-agent-002', agentsOf([1, 2]), groupsOf([]))).toEqual({ from: { kind: 'agent', id: 1 }, to: { kind: 'agent', id: 2 } });
  });

  it('does not resolve to agents the plane does not have', () => {
    expect(resolveFlowId('agent-001-agent-002', agentsOf([1]), groupsOf([]))).toBeNull();
  });

  it('falls back to groups (namespace to namespace, as the simulator sends)', () => {
    expect(resolveFlowId('research-analysis', agentsOf([1, 2]), groupsOf(['research', 'analysis']))).toEqual({
      from: { kind: 'group', name: 'research' },
      to: { kind: 'group', name: 'analysis' },
    });
    // Group names with dashes of their own.
    expect(resolveFlowId('data-science-ops-team', agentsOf([]), groupsOf(['data-science', 'ops-team']))).toEqual({
      from: { kind: 'group', name: 'data-science' },
      to: { kind: 'group', name: 'ops-team' },
    });
  });

  it('prefers agents to groups, and takes the leftmost valid split when several are', () => {
    // "7" and "7-8"... only numeric agent names: "7-8-9" could be 7|8-9 (8-9 is no agent) or 7-8|9 (no agent "7-8").
    expect(resolveFlowId('7-8', agentsOf([7, 8]), groupsOf(['7', '8']))).toEqual({ from: { kind: 'agent', id: 7 }, to: { kind: 'agent', id: 8 } });
    const ambiguous = resolveFlowId('a-b-c', () => null, groupsOf(['a', 'b-c', 'a-b', 'c']));
    expect(ambiguous).toEqual({ from: { kind: 'group', name: 'a' }, to: { kind: 'group', name: 'b-c' } });
  });

  it('resolves mixed agent/group flows last', () => {
    expect(resolveFlowId('agent-003-research', agentsOf([3]), groupsOf(['research']))).toEqual({ from: { kind: 'agent', id: 3 }, to: { kind: 'group', name: 'research' } });
  });

  it('refuses ids without a usable dash', () => {
    for (const id of ['', '-', 'abc', '-abc', 'abc-', '--']) expect(resolveFlowId(id, () => 1, () => true)).toBeNull();
  });

  it('finds any pair of known agents, whatever dashes their names hold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 5 }), (a, b, pad) => {
        const name = (n: number) => `agent-${String(n).padStart(pad, '0')}`;
        const r = resolveFlowId(`${name(a)}-${name(b)}`, agentsOf([a, b]), groupsOf([]));
        expect(r).toEqual({ from: { kind: 'agent', id: a }, to: { kind: 'agent', id: b } });
      }),
    );
  });
});
