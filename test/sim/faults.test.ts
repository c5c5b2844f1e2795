// The simulator's fault switches (sim/faults.ts) and world dynamics (sim/world.ts).

import { describe, expect, it } from 'vitest';
import { FAULT_SPECS, defaultFaults, parseFaultArg } from '../../electron/core/sim/faults.js';
import { World } from '../../electron/core/sim/world.js';
import { Simulator } from '../../electron/core/sim/simulator.js';

describe('simulator faults', () => {
  it('parses every kind from the CLI form', () => {
    expect(parseFaultArg('drop-every=5s')).toEqual(['dropEveryMs', 5000]);
    expect(parseFaultArg('delay=250ms')).toEqual(['delayMs', 250]);
    expect(parseFaultArg('silence')).toEqual(['silence', true]);
    expect(parseFaultArg('stop-heartbeats=off')).toEqual(['stopHeartbeats', false]);
    expect(parseFaultArg('skip-channel-every=5')).toEqual(['skipChannelEvery', 5]);
    expect(parseFaultArg('clock-skew=-2s')).toEqual(['clockSkewMs', -2000]);
    expect(parseFaultArg('silent-agents=agent-001, agent-002')).toEqual(['silentAgents', ['agent-001', 'agent-002']]);
  });

  it('refuses unknown faults and bad values with a message naming them', () => {
    expect(() => parseFaultArg('explode')).toThrow(/unknown fault "explode"/);
    expect(() => parseFaultArg('drop-every=5')).toThrow(/drop-every: "5" is not a duration/);
    expect(() => parseFaultArg('drop-every')).toThrow(/needs a duration/);
    expect(() => parseFaultArg('skip-channel-every=-1')).toThrow(/whole number/);
    expect(() => parseFaultArg('silence=maybe')).toThrow(/on\/off/);
  });

  it('has one spec per fault, and setFault switches them at runtime by either name', () => {
    expect(FAULT_SPECS.map((f) => f.key).sort()).toEqual(Object.keys(defaultFaults()).sort());
    const s = new Simulator({ agents: 1 });
    s.setFault('drop-every', '2s');
    s.setFault('stopHeartbeats', true);
    s.setFault('silent-agents', 'agent-001');
    expect(s.faults).toMatchObject({ dropEveryMs: 2000, stopHeartbeats: true, silentAgents: ['agent-001'] });
    expect(() => s.setFault('nope', 1)).toThrow(/unknown fault/);
  });
});

describe('simulated world', () => {
  it('is deterministic for a seed, and its metrics stay in range as they drift', () => {
    const a = new World(50, 7);
    const b = new World(50, 7);
    for (let i = 0; i < 20; i++) {
      a.advance(0.1);
      b.advance(0.1);
      a.updateMetrics(0.5);
      b.updateMetrics(0.5);
      a.changeStates(3);
      b.changeStates(3);
    }
    expect([...a.pos]).toEqual([...b.pos]);
    expect([...a.tasks]).toEqual([...b.tasks]);
    for (let i = 0; i < a.count; i++) {
      expect(a.successRate[i]).toBeGreaterThanOrEqual(0.5);
      expect(a.successRate[i]).toBeLessThanOrEqual(1);
      expect(a.cpu[i]).toBeGreaterThanOrEqual(0);
      expect(a.cpu[i]).toBeLessThanOrEqual(100);
    }
  });

  it('changes capabilities with add / update / remove and keeps at least one per agent', () => {
    const w = new World(5, 3);
    const actions = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const c = w.changeCapability();
      if (c) actions.add(c.action);
    }
    expect([...actions].sort()).toEqual(['add', 'remove', 'update']);
    for (const caps of w.capabilities) expect(caps.size).toBeGreaterThanOrEqual(1);
  });
});
