import { afterEach, describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { FramePipeline } from '../../electron/core/pipeline/frame-pipeline.js';
import { flowEnds, flowLook, PlaneFlows } from '../../electron/core/pipeline/index.js';
import { FLOW_END_NONE, FLOW_LOOK_FAILED, type FrameMessage, FrameMessageSchema, packMessage, unpackMessage } from '../../shared/index.js';
import type { PlaneEvent } from '../../shared/events.js';
import { recordsOf } from '../helpers/positions.js';

let seq = 0;
const stats = (plane: string, flowId: string, count: number, at: number, timestamp = at): PlaneEvent => ({
  seq: seq++,
  plane,
  at,
  origin: 'vis',
  type: 'message.flow.stats',
  priority: 'normal',
  timestamp: new Date(timestamp).toISOString(),
  payload: { flowId, statistics: { messageCount: count, averageLatency: 40, successRate: 0.95, bandwidth: 0.5 } },
});
const sent = (plane: string, from: string, to: string[], at: number): PlaneEvent => ({
  seq: seq++,
  plane,
  at,
  origin: 'vis',
  type: 'message.sent',
  priority: 'normal',
  payload: { messageId: `m${seq}`, from: { id: from }, to: to.map((id) => ({ id })), messageType: 'RESPONSE', priority: 'HIGH' },
});

describe('flow folding', () => {
  it('reads agent ends from a flow id (first dash naming two agents), else none', () => {
    expect(flowEnds('agent-001-agent-002')).toEqual([1, 2]);
    expect(flowEnds('7-9')).toEqual([7, 9]);
    expect(flowEnds('research-analysis')).toEqual([FLOW_END_NONE, FLOW_END_NONE]);
  });

  it('packs a message look: type, priority, failed', () => {
    expect(flowLook('REQUEST', 'normal', false)).toBe(1 | (1 << 3));
    expect(flowLook('nonsense', 'CRITICAL', true)).toBe(0 | (3 << 3) | FLOW_LOOK_FAILED);
  });

  it('folds flow stats and message.sent into the table; samples one per flow per window and a budget per second', () => {
    const f = new PlaneFlows(100, 10_000, 2);
    expect(f.fold(stats('p', 'agent-001-agent-002', 10, 1000))).toBe('sampled');
    expect(f.fold(stats('p', 'agent-001-agent-002', 20, 2000))).toBe('folded');
    expect(f.fold(sent('p', 'agent-003', ['agent-004', 'agent-005'], 2000))).toBe('sampled');
    // The budget of 2 a second is spent (two receivers in the second from 2000): a new flow in the same second is folded only.
    expect(f.fold(stats('p', 'x-y', 1, 2100))).toBe('folded');
    expect(f.fold({ ...stats('p', 'x-y', 1, 3200), type: 'agent.state.changed' })).toBe('none');
    expect(f.table.size).toBe(4);
    const s = f.table.slotOf('agent-001-agent-002');
    expect(f.table.rate[s]).toBe(10);
    expect(f.table.slotOf('agent-003-agent-005')).toBeGreaterThanOrEqual(0);
    expect(f.folded).toBe(2);
    expect(f.sampled).toBe(2);
    // Ten seconds later the first flow is sampled again.
    expect(f.fold(stats('p', 'agent-001-agent-002', 30, 12_000))).toBe('sampled');
  });
});

function planeWith(id: string): Plane {
  return new Plane({ id, label: id, url: 'ws://127.0.0.1:9', color: 0x123456 }, { event: () => undefined });
}

const pipelines: FramePipeline[] = [];
afterEach(() => pipelines.splice(0).forEach((p) => p.stop()));

describe('flow frames', () => {
  function setup() {
    const a = planeWith('a');
    const flows = new PlaneFlows(100);
    const frames: FrameMessage[] = [];
    const pipe = new FramePipeline(() => [a], (f) => frames.push(structuredClone(f)), {}, () => undefined, (id) => (id === 'a' ? flows : undefined));
    pipelines.push(pipe);
    pipe.markReady();
    return { a, flows, frames, pipe };
  }

  it('sends the flow table after positions, complete first, then only what changed, latest wins (superseded counted)', () => {
    const { a, flows, frames, pipe } = setup();
    a.store.applyPositions(recordsOf([[1, [1, 2, 0]]]), Date.now());
    flows.fold(stats('a', 'agent-001-agent-002', 10, 1000));
    flows.fold(stats('a', 'research-analysis', 5, 1000));
    expect(pipe.flush(1500)).toBe(true);
    const f0 = FrameMessageSchema.parse(frames[0]);
    expect(Object.keys(f0).indexOf('positions')).toBeLessThan(Object.keys(f0).indexOf('flows'));
    const t0 = f0.flows![0]!;
    expect(t0.complete).toBe(true);
    expect(t0.slots.length).toBe(2);
    expect(t0.names.map(([, id]) => id).sort()).toEqual(['agent-001-agent-002', 'research-analysis']);
    const k = t0.names.find(([, id]) => id === 'agent-001-agent-002')![0];
    expect([t0.from[k], t0.to[k], t0.count[k], t0.latencyMs[k], t0.ageMs[k]]).toEqual([1, 2, 10, 40, 500]);
    expect(t0.successRate[k]).toBeCloseTo(0.95, 5);
    // Nothing changed: nothing to send.
    pipe.ack(f0.seq);
    expect(pipe.flush(1600)).toBe(false);
    // Three updates of one flow before the next frame: one entry, with the last figures, no name (the view has it).
    flows.fold(stats('a', 'agent-001-agent-002', 20, 2000));
    flows.fold(stats('a', 'agent-001-agent-002', 30, 3000));
    flows.fold(stats('a', 'agent-001-agent-002', 50, 4000));
    expect(pipe.flush(4000)).toBe(true);
    const f1 = FrameMessageSchema.parse(frames[1]);
    const t1 = f1.flows![0]!;
    expect(t1.complete).toBe(false);
    expect(t1.slots.length).toBe(1);
    expect(t1.names).toEqual([]);
    expect(t1.count[0]).toBe(50);
    expect(t1.rate[0]).toBe(20);
    expect(f1.stats.flowUpdatesSuperseded).toBe(2);
    expect(f1.stats.flowsSent).toBe(3);
    expect(f1.positions).toEqual([]);
  });

  it('a frame presumed lost sends its flows again; a new scope sends them complete', () => {
    const { flows, frames, pipe } = setup();
    flows.fold(stats('a', 'agent-001-agent-002', 10, 1000));
    expect(pipe.flush(1000)).toBe(true);
    pipe.ack(frames[0]!.seq);
    flows.fold(sent('a', 'agent-003', ['agent-004'], 1100));
    expect(pipe.flush(1100)).toBe(true);
    // Not acknowledged: after the ack timeout the same change goes again, named (the view may not have it).
    expect(pipe.flush(1100 + 60_000)).toBe(true);
    const again = frames[2]!.flows![0]!;
    expect(again.names.map(([, id]) => id)).toEqual(['agent-003-agent-004']);
    pipe.ack(frames[2]!.seq);
    pipe.scope(null);
    expect(pipe.flush(70_000)).toBe(true);
    const full = frames[3]!.flows![0]!;
    expect(full.complete).toBe(true);
    expect(full.names.length).toBe(2);
  });

  it('survives browser mode\'s wire: columns arrive as typed arrays and validate', () => {
    const { flows, frames, pipe } = setup();
    for (let i = 1; i <= 50; i++) flows.fold(stats('a', `agent-${i}-agent-${i + 1}`, i, 1000));
    pipe.flush(1000);
    const wire = packMessage('swarmdeck:frame', frames[0]);
    const back = unpackMessage(wire.slice().buffer);
    const f = FrameMessageSchema.parse(back.payload);
    const t = f.flows![0]!;
    expect(t.count).toBeInstanceOf(Float64Array);
    expect(t.slots.length).toBe(50);
    expect(t.size).toBe(50);
    expect(Array.from(t.count).sort((x, y) => x - y)[49]).toBe(50);
  });

  it('the contract refuses columns that disagree and names past the entries', () => {
    const { flows, frames, pipe } = setup();
    flows.fold(stats('a', 'agent-001-agent-002', 10, 1000));
    pipe.flush(1000);
    const f = structuredClone(frames[0]!);
    f.flows![0]!.rate = new Float32Array(3);
    expect(FrameMessageSchema.safeParse(f).success).toBe(false);
    const g = structuredClone(frames[0]!);
    g.flows![0]!.names = [[5, 'x']];
    expect(FrameMessageSchema.safeParse(g).success).toBe(false);
  });
});
