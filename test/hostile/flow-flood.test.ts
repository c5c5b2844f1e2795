// A hostile plane floods message.flow.stats: thousands of distinct flows with
// 8 KB ids and huge figures (latencies of 1e300), updates with figures out of range
// (negative counts and latencies, a success rate of 98, strings where numbers
// go), malformed payloads, and a timestamp far in the future. The core's flow
// table stays at its bound (evictions counted), ids are cut, every figure a
// view gets is one it can draw, every update is counted (folded, sampled or
// invalid), and a good flow sent after it all arrives with its figures.

import { afterEach, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { type FrameMessage, MAX_FLOW_ID_CHARS } from '../../shared/index.js';
import { waitFor } from '../helpers/wait.js';
import { HostilePlane } from './hostile-plane.js';
import { collectFrames } from '../helpers/core-view.js';

const GRAPH = 'graph/ws';
const CAPACITY = 500;
const FLOWS = 5_000;

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

let seq = 0;
/** A message.flow.stats envelope; each its own id (the core drops repeated ids as duplicates). */
const stats = (flowId: unknown, statistics: unknown, timestamp = new Date().toISOString()): string => JSON.stringify({ id: `f-${seq++}`, type: 'message.flow.stats', timestamp, payload: { flowId, statistics } });

describe('a plane flooding flow stats', () => {
  it('keeps the flow table bounded, cuts ids (distinct ones stay distinct), holds huge figures drawable, counts every update, and still takes a good flow', async () => {
    const plane = new HostilePlane();
    const url = await plane.start();
    stops.push(() => plane.stop());
    const core = new SwarmCore([{ id: 'h', label: 'H', url, color: 0 }], { flowEntries: CAPACITY });
    core.start();
    stops.push(() => core.stop());
    const frames = collectFrames(core);
    const ws = await plane.ready(GRAPH);
    const send = (m: string, what: string) =>
      plane.send(ws, m).catch((e: Error) => {
        throw new Error(`${e.message} sending ${what}: ${plane.closes.join('; ')}; ${core.plane('h')!.status().reason ?? ''}`);
      });

    // Distinct flows with 8 KB ids and huge figures.
    for (let i = 0; i < FLOWS; i++) {
      const id = `ns${i}-${'x'.repeat(8_000)}-ns${i + 1}`;
      await send(stats(id, { messageCount: Number.MAX_SAFE_INTEGER, averageLatency: 1e300, maxLatency: 1e300, minLatency: 0, successRate: 1, bandwidth: 1e300 }), `flow ${i}`);
    }
    // Out of range, and malformed: each an invalid message, counted (fewer than the abuse limit: the plane stays connected).
    const invalid = [
      stats('agent-001-agent-003', { messageCount: -5 }),
      stats('agent-001-agent-003', { averageLatency: -1e9 }),
      stats('agent-001-agent-003', { successRate: 98 }),
      stats('agent-001-agent-003', { messageCount: 'many' }),
      JSON.stringify({ id: 'm1', type: 'message.flow.stats', timestamp: new Date().toISOString(), payload: { statistics: { messageCount: 1 } } }),
      stats(42, { messageCount: 1 }),
      stats('', { messageCount: 1 }),
      JSON.stringify({ id: 'm5', type: 'message.flow.stats', timestamp: new Date().toISOString(), payload: null }),
      '{"type":"message.flow.stats","payload":{"flowId":"agent-001-ag',
    ];
    const errorsBefore = core.plane('h')!.status().counters.protocolErrors;
    for (let round = 0; round < 20; round++) for (const m of invalid) await send(m, `invalid ${m.slice(0, 60)}`);
    // A flow stamped in the year 9999, then again with the plane's real clock: the clock jumped back, the update is taken.
    await send(stats('agent-004-agent-005', { messageCount: 1, averageLatency: 99 }, '9999-01-01T00:00:00Z'), 'year 9999');
    await send(stats('agent-004-agent-005', { messageCount: 2, averageLatency: 33 }), 'now');
    // Two long ids that differ only past the cut: two flows.
    await send(stats(`${'y'.repeat(1_000)}-a`, { messageCount: 1 }), 'long a');
    await send(stats(`${'y'.repeat(1_000)}-b`, { messageCount: 2 }), 'long b');
    // A good flow after it all.
    await send(stats('agent-001-agent-002', { messageCount: 156, averageLatency: 45.2, maxLatency: 234, minLatency: 12, successRate: 0.98, bandwidth: 0.75 }), 'good');

    const seen = new Map<string, { count: number; latencyMs: number; successRate: number; minMs: number; maxMs: number; bandwidth: number }>();
    const names = new Map<number, string>();
    let last: FrameMessage['flows'] = undefined;
    const apply = () => {
      for (const f of frames.splice(0)) {
        for (const t of f.flows ?? []) {
          if (t.complete) names.clear(), seen.clear();
          for (const [k, id] of t.names) names.set(t.slots[k]!, id);
          for (let k = 0; k < t.slots.length; k++) {
            seen.set(names.get(t.slots[k]!)!, { count: t.count[k]!, latencyMs: t.latencyMs[k]!, successRate: t.successRate[k]!, minMs: t.minMs[k]!, maxMs: t.maxMs[k]!, bandwidth: t.bandwidth[k]! });
          }
          last = [t];
        }
      }
    };
    await waitFor('the good flow, after the flood', () => {
      apply();
      return seen.get('agent-001-agent-002')?.count === 156 && seen.get('agent-004-agent-005')?.count === 2;
    }, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify([seen.size, seen.get('agent-001-agent-002'), seen.get('agent-004-agent-005'), core.plane('h')!.status().counters, core.monitor('h').counts()])}`);
    });

    // Bounded: the table holds CAPACITY flows, the rest evicted and counted.
    const table = last![0]!;
    expect(table.size).toBeLessThanOrEqual(CAPACITY);
    expect(table.evicted).toBeGreaterThanOrEqual(FLOWS + 4 - CAPACITY);
    for (const id of names.values()) expect(id.length).toBeLessThanOrEqual(MAX_FLOW_ID_CHARS);
    const longOnes = [...seen].filter(([id]) => id.startsWith('yyyy'));
    expect(longOnes.map(([, f]) => f.count).sort()).toEqual([1, 2]);
    // Every figure a view gets is one it can draw: success in 0..1, counts, latencies and bandwidth not negative
    // (unknown is NaN), nothing infinite.
    for (const [id, f] of seen) {
      for (const v of [f.count, f.latencyMs, f.minMs, f.maxMs, f.bandwidth]) {
        expect(Number.isNaN(v) || (v >= 0 && Number.isFinite(v)), `${id.slice(0, 20)}: ${JSON.stringify(f)}`).toBe(true);
      }
      expect(Number.isNaN(f.successRate) || (f.successRate >= 0 && f.successRate <= 1), `${id.slice(0, 20)} success ${f.successRate}`).toBe(true);
    }
    expect(seen.get('agent-001-agent-002')).toMatchObject({ latencyMs: expect.closeTo(45.2, 3), minMs: 12, maxMs: 234 });
    expect(seen.get('agent-004-agent-005')!.latencyMs).toBe(33);
    // None of the invalid updates made a flow; each is counted.
    expect(seen.has('agent-001-agent-003')).toBe(false);
    await waitFor('every invalid update counted', () => core.plane('h')!.status().counters.protocolErrors - errorsBefore >= 20 * invalid.length);
    // Every valid update counted: folded, or kept as a sample in the log.
    const counts = core.monitor('h').counts();
    const sampled = core.monitor('h').page(undefined, 100_000, Infinity).events.filter((e) => e.type === 'message.flow.stats').length;
    expect((counts.flowUpdatesFolded ?? 0) + sampled).toBeGreaterThanOrEqual(FLOWS + 3);
    expect(core.plane('h')!.status().state).toBe('LIVE');
  }, 120_000);
});
