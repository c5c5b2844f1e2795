// Particles from flow rates (issue 22): started per display frame from each
// agent-to-agent flow's rate, at most SCENE_PARTICLES_PER_FRAME a frame (the
// rest counted, not owed), none from a flow gone quiet or between groups.
import { describe, expect, it } from 'vitest';
import { SCENE_PARTICLES_PER_FRAME } from '../../../shared/limits.js';
import { FlowIntake, PARTICLE_MAX_RATE, PARTICLE_QUIET_MS } from '../../../renderer/src/scene/flow-intake.js';
import { type FlowFigures, FlowTable } from '../../../renderer/src/scene/flows.js';
import { ParticlePool } from '../../../renderer/src/scene/particles.js';
import type { PlaneLayer } from '../../../renderer/src/scene/plane-layer.js';

const fig = (rate: number): FlowFigures => ({ count: 1, rate, successRate: 1, averageLatency: 1, minLatency: 1, maxLatency: 1, look: 0 });

/** The parts of a plane layer particles need (no pixi). */
function layer(flows: FlowTable, agents: number): PlaneLayer {
  const slotOf = new Map<number, number>();
  for (let id = 1; id <= agents; id++) slotOf.set(id, id - 1);
  return { plane: 'p', index: 0, flows, slotOf, group: { visible: true } } as unknown as PlaneLayer;
}

describe('particles from flow rates', () => {
  it('starts about rate × time particles per flow, from sender to receiver', () => {
    const t = new FlowTable(() => '');
    const agents = (a: number, b: number) => ({ from: { kind: 'agent' as const, id: a }, to: { kind: 'agent' as const, id: b } });
    t.set('1-2', agents(1, 2), () => 0, fig(4), 0);
    t.set('3-4', agents(3, 4), () => 0, fig(NaN), 0);
    t.set('g-h', { from: { kind: 'group', name: 'g' }, to: { kind: 'group', name: 'h' } }, () => 0, fig(8), 0);
    const intake = new FlowIntake(() => {
      throw new Error('unused');
    });
    const pool = new ParticlePool();
    const l = layer(t, 4);
    // One second of 60 Hz frames, the flow updated all along.
    for (let f = 0; f <= 60; f++) {
      t.lastAt[0] = f * (1000 / 60);
      intake.emit(f * (1000 / 60), [l], pool);
    }
    expect(intake.started).toBe(4);
    expect(pool.n).toBe(4);
    expect([pool.fromId[0], pool.toId[0], pool.fromSlot[0], pool.toSlot[0]]).toEqual([1, 2, 0, 1]);
    // No update since: particles while its next update is due (PARTICLE_QUIET_MS at this rate), then none.
    for (let f = 61; f <= 300; f++) intake.emit(f * (1000 / 60), [l], pool);
    expect(intake.started).toBe(4 + (4 * PARTICLE_QUIET_MS) / 1000);
    for (let f = 301; f <= 600; f++) intake.emit(f * (1000 / 60), [l], pool);
    expect(intake.started).toBe(4 + (4 * PARTICLE_QUIET_MS) / 1000);
  });

  it('caps the particles started per frame, across flows, and per flow', () => {
    const t = new FlowTable(() => '');
    const n = SCENE_PARTICLES_PER_FRAME * 4;
    for (let i = 1; i <= n; i++) t.set(`f${i}`, { from: { kind: 'agent', id: i }, to: { kind: 'agent', id: i + 1 } }, () => 0, fig(1000), 0);
    const intake = new FlowIntake(() => {
      throw new Error('unused');
    });
    const pool = new ParticlePool();
    const l = layer(t, n + 1);
    intake.emit(0, [l], pool);
    // 250 ms (the longest step taken) at PARTICLE_MAX_RATE: 2.5 owed per flow, not 250.
    for (let k = 0; k < t.n; k++) t.lastAt[k] = 250;
    intake.emit(250, [l], pool);
    expect(intake.started).toBe(SCENE_PARTICLES_PER_FRAME);
    expect(intake.capped).toBe(n * Math.floor((PARTICLE_MAX_RATE * 250) / 1000) - SCENE_PARTICLES_PER_FRAME);
  });
});
