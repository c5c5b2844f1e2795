// Against the independent test plane and the real core: flow stats and
// message.sent fold into each plane's flow table, and a view gets the flows
// in its frames (with the figures the plane sent), not as one event per
// update; the event log keeps a sample of them and counts the rest.
import { afterEach, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { FLOW_LOG_SAMPLE_MS, type FrameMessage } from '../../shared/index.js';
import { agentName, TestPlane, testPlaneFlowRate } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';
import { collectFrames } from '../helpers/core-view.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

interface Seen {
  count: number;
  rate: number;
  latencyMs: number;
  successRate: number;
  from: number;
  to: number;
}

/** What a view holds of each plane's flows, applied frame by frame as the renderer does (slot → flow id, latest wins). */
function collect(frames: FrameMessage[]): Map<string, Map<string, Seen>> {
  const byPlane = new Map<string, Map<string, Seen>>();
  const names = new Map<string, Map<number, string>>();
  for (const f of frames) {
    for (const t of f.flows ?? []) {
      let slots = names.get(t.plane);
      let flows = byPlane.get(t.plane);
      if (!slots || t.complete) names.set(t.plane, (slots = new Map()));
      if (!flows || t.complete) byPlane.set(t.plane, (flows = new Map()));
      for (const [k, id] of t.names) slots.set(t.slots[k]!, id);
      for (let k = 0; k < t.slots.length; k++) {
        const id = slots.get(t.slots[k]!)!;
        flows.set(id, { count: t.count[k]!, rate: t.rate[k]!, latencyMs: t.latencyMs[k]!, successRate: t.successRate[k]!, from: t.from[k]!, to: t.to[k]! });
      }
    }
  }
  return byPlane;
}

describe('flows from an independent plane', () => {
  it('arrive in frames with the rates, counts and latencies sent; the log keeps a sample and counts the rest', async () => {
    const stats = new TestPlane({ agents: 12, positionHz: 5, flows: 8, flowRate: 5 });
    const msgs = new TestPlane({ agents: 10, positionHz: 5, messagesPerSec: 100 });
    await stats.start();
    await msgs.start();
    stops.push(() => stats.stop(), () => msgs.stop());
    const core = new SwarmCore([
      { id: 'st', label: 'ST', url: stats.url, color: 0 },
      { id: 'ms', label: 'MS', url: msgs.url, color: 0 },
    ]);
    core.start();
    stops.push(() => core.stop());
    const frames = collectFrames(core);
    // Three rounds of stats (one a second per flow) give every flow a rate.
    await waitFor('stats flows with rates', () => {
      const st = collect(frames).get('st');
      return st !== undefined && st.size === 8 && [...st.values()].every((f) => Number.isFinite(f.rate));
    }, 20_000);
    await waitFor('message flows with rates from closed windows', () => {
      const ms = collect(frames).get('ms');
      return ms !== undefined && ms.size === 10 && [...ms.values()].every((f) => f.rate > 3 && f.rate < 20);
    }, 20_000);
    const st = collect(frames).get('st')!;
    for (let i = 1; i <= 8; i++) {
      const f = st.get(`${agentName(i)}-${agentName(i + 1)}`)!;
      expect(f, `flow ${i}`).toBeDefined();
      // The rate is the count's growth over the plane's own timestamps: exact up to float32.
      expect(f.rate).toBeCloseTo(testPlaneFlowRate(i, 5), 2);
      expect(f.latencyMs).toBe(10 + (i % 50));
      expect(f.successRate).toBeCloseTo(0.9 + (i % 10) / 100, 5);
      expect([f.from, f.to]).toEqual([i, i + 1]);
    }
    // 100 message.sent a second over 10 senders: about 10 a second each (a loaded machine batches timers: wide bounds).
    const ms = collect(frames).get('ms')!;
    const rates = [...ms.values()].map((f) => f.rate);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(mean).toBeGreaterThan(6);
    expect(mean).toBeLessThan(14);
    expect(ms.get(`${agentName(10)}-${agentName(1)}`)).toMatchObject({ from: 10, to: 1 });

    // Not one event per update: the views got at most one stats event per flow per sample window (plus the budget's slack).
    const statsEvents = frames.flatMap((f) => f.events).filter((e) => e.type === 'message.flow.stats');
    const elapsedWindows = Math.ceil((Date.now() - frames[0]!.builtAt) / FLOW_LOG_SAMPLE_MS) + 1;
    expect(statsEvents.length).toBeGreaterThan(0);
    expect(statsEvents.length).toBeLessThanOrEqual(8 * elapsedWindows);
    const sentEvents = frames.flatMap((f) => f.events).filter((e) => e.type === 'message.sent');
    expect(sentEvents.length).toBeLessThanOrEqual(10 * elapsedWindows);
    // The core's log holds the same sample, and counts what it folded.
    const logged = core.monitor('ms').page(undefined, 10_000, Infinity).events.filter((e) => e.type === 'message.sent');
    expect(logged.length).toBe(sentEvents.length);
    const counts = core.monitor('ms').counts();
    expect(counts.flowUpdatesFolded).toBeGreaterThan(100);
    expect(core.monitor('st').counts().flowUpdatesFolded).toBeGreaterThan(0);
    const last = frames.at(-1)!;
    expect(last.stats.flowsSent).toBeGreaterThan(0);
  }, 60_000);
});
