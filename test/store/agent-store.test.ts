import { describe, expect, it } from 'vitest';
import { PositionRecords, StateColumns } from '../../electron/core/protocol/binary.js';
import { STATE_UNKNOWN } from '../../shared/index.js';
import { SLOT_EMPTY } from '../../shared/index.js';
import { AgentStore } from '../../electron/core/store/agent-store.js';
import { prng } from '../../electron/core/sim/world.js';
import { recordsOf } from '../helpers/positions.js';

function positions(ids: number[], at: (id: number) => [number, number, number]): PositionRecords {
  return recordsOf(ids.map((id) => [id, at(id), [1, 2, 3]]));
}

describe('AgentStore', () => {
  it('allocates one slot per id and updates in place', () => {
    const s = new AgentStore();
    s.applyPositions(positions([5, 9, 7], (id) => [id, -id, 0]), 1);
    s.applyPositions(positions([9, 5], (id) => [id * 10, 0, 0]), 2);
    expect(s.agents).toBe(3);
    expect(s.slotCount).toBe(3);
    expect(s.pos[s.slotOf(9) * 3]).toBe(90);
    expect(s.pos[s.slotOf(7) * 3 + 1]).toBe(-7);
    expect(s.positionVersion).toBe(2);
  });

  it('reuses the slots of departed agents and leaves no stale data behind', () => {
    const s = new AgentStore();
    s.applyPositions(positions([1, 2, 3], (id) => [id, id, id]), 1);
    const states = new StateColumns();
    states.reserve(1);
    states.ids[0] = 2;
    states.codes[0] = 6;
    states.count = 1;
    s.applyStates(states, 1);
    const freed = s.slotOf(2);
    expect(s.remove(2)).toBe(true);
    expect(s.state[freed]).toBe(SLOT_EMPTY);
    expect(s.slotOf(2)).toBe(-1);
    s.applyPositions(positions([42], () => [0.5, 0.5, 0]), 2);
    expect(s.slotOf(42)).toBe(freed); // reused
    expect(s.state[freed]).toBe(STATE_UNKNOWN); // not agent 2's ERROR
    expect(s.slotCount).toBe(3);
    expect(s.remove(2)).toBe(false);
  });

  it('stays consistent under random churn (joins, leaves, large ids), against a model', () => {
    const s = new AgentStore();
    const model = new Map<number, number>(); // id -> x
    const rand = prng(7);
    for (let round = 0; round < 300; round++) {
      const ids: number[] = [];
      for (let k = 0; k < 20; k++) {
        const big = rand() < 0.1;
        ids.push(big ? 0xfffff000 + Math.floor(rand() * 100) : Math.floor(rand() * 400));
      }
      const unique = [...new Set(ids)];
      s.applyPositions(positions(unique, (id) => [round + id, 0, 0]), round);
      for (const id of unique) model.set(id, round + id);
      for (let k = 0; k < 8; k++) {
        const id = [...model.keys()][Math.floor(rand() * model.size)];
        if (id !== undefined && rand() < 0.5) {
          expect(s.remove(id)).toBe(true);
          model.delete(id);
        }
      }
    }
    expect(s.agents).toBe(model.size);
    let live = 0;
    for (let slot = 0; slot < s.slotCount; slot++) {
      if (s.state[slot] === SLOT_EMPTY) continue;
      live++;
      const id = s.ids[slot]!;
      expect(s.slotOf(id)).toBe(slot);
      expect(s.pos[slot * 3]).toBe(Math.fround(model.get(id)!));
    }
    expect(live).toBe(model.size);
    // Reuse keeps the high-water mark near the peak population, not the number of ids ever seen.
    expect(s.slotCount).toBeLessThan(500);
  });

  it('keeps every u8 wire state distinct from the store markers (254 and 255 are states, not "empty")', () => {
    const s = new AgentStore();
    const states = new StateColumns();
    states.reserve(3);
    [[1, 254], [2, 255], [3, 7]].forEach(([id, code], i) => {
      states.ids[i] = id!;
      states.codes[i] = code!;
    });
    states.count = 3;
    s.applyStates(states, 1);
    expect(s.agents).toBe(3);
    expect([s.state[s.slotOf(1)], s.state[s.slotOf(2)], s.state[s.slotOf(3)]]).toEqual([254, 255, 7]);
    for (const id of [1, 2, 3]) expect(s.state[s.slotOf(id)]).not.toBe(SLOT_EMPTY);
    expect(STATE_UNKNOWN).toBeGreaterThan(255);
  });

  it('stamps exactly the slots each change touched', () => {
    const s = new AgentStore();
    s.applyPositions(positions([1, 2, 3, 4], (id) => [id, 0, 0]), 1);
    const v = s.version;
    s.applyPositions(positions([2], () => [9, 9, 0]), 2);
    s.setState(4, 2, 2);
    const out = { slots: new Uint32Array(1) };
    const n = s.changedSlots(v, out, 10);
    expect([...out.slots.subarray(0, n)].sort()).toEqual([s.slotOf(2), s.slotOf(4)].sort());
    expect(s.changedSlots(v, out, 1)).toBe(-1); // more than the limit: send all
    expect(s.changedSlots(s.version, out, 10)).toBe(0);
  });

  it('keeps capabilities, metadata and state history beside the arrays', () => {
    const s = new AgentStore();
    const ev = (type: string, payload: Record<string, unknown>, agentId = 'agent-007') =>
      ({ seq: 0, plane: 'p', at: 5, origin: 'vis', type, priority: 'normal', agentId, payload }) as never;
    s.applyEvent(ev('agent.state.changed', { agentId: 'agent-007', previousState: 'IDLE', newState: 'EXECUTING', reason: 'task', metadata: { taskId: 't1' } }));
    s.applyEvent(ev('agent.capability.update', { agentId: 'agent-007', action: 'add', capability: { name: 'search', level: 3 } }));
    s.applyEvent(ev('agent.capability.update', { agentId: 'agent-007', action: 'add', capability: { name: 'plan', level: 1 } }));
    s.applyEvent(ev('agent.capability.update', { agentId: 'agent-007', action: 'remove', capability: { name: 'plan' } }));
    s.applyEvent(ev('agent.state.changed', { agentId: 'x-y', newState: 'ERROR' }, 'x-y')); // no binary twin: ignored
    expect(s.state[s.slotOf(7)]).toBe(2);
    expect(s.meta.get(7)).toEqual({ taskId: 't1' });
    expect([...s.capabilities.get(7)!.keys()]).toEqual(['search']);
    expect(s.history.get(7)).toEqual([{ at: 5, from: 'IDLE', to: 'EXECUTING', reason: 'task' }]);
    expect(s.agents).toBe(1);
    s.applyEvent(ev('agent.performance.update', { agentId: 'agent-007', metrics: { tasksCompleted: 42, successRate: 0.95, averageResponseTime: 234, resourceUtilization: 0.67, memoryUsage: 104857600 } }));
    const slot = s.slotOf(7);
    expect([s.tasks[slot], s.successRate[slot], s.avgMs[slot], s.cpu[slot], s.mem[slot]]).toEqual([42, Math.fround(0.95), 234, Math.fround(67), 104857600]);
    s.applyEvent(ev('status_update', { agent_id: 'agent-007', cpu_usage: '30%', memory_usage: '1.5GB', cpuPercent: 30, memoryBytes: 1610612736 }));
    expect([s.cpu[slot], s.mem[slot]]).toEqual([30, 1610612736]);
    for (let i = 0; i < 30; i++) s.applyEvent(ev('agent.state.changed', { agentId: 'agent-007', previousState: 'A', newState: i % 2 ? 'IDLE' : 'WAITING' }));
    expect(s.history.get(7)).toHaveLength(20);
    s.remove(7);
    expect(s.meta.has(7) || s.capabilities.has(7) || s.history.has(7)).toBe(false);
  });
});
