// Our scene in the benchmark's page: the real GraphScene, fed whole frames
// (all N positions with velocities every animation frame) and 2N persistent
// flows as the core sends them (a FlowFrame: the flow table's typed columns),
// driven in manual mode.
import type { FlowFrame, FrameMessage } from '../../../shared/contract/index.js';
import { GraphScene } from '../../../renderer/src/scene/graph-scene.js';
import { benchGraph, measure, params } from './graph.js';

async function main(): Promise<void> {
  const { n, seconds } = params();
  const host = document.getElementById('host')!;
  const t0 = performance.now();
  const g = benchGraph(n);
  const scene = new GraphScene({ manual: true });
  await scene.init(host);
  const xy = new Float32Array(2 * n), vxy = new Float32Array(2 * n);
  const ids = Uint32Array.from({ length: n }, (_, i) => i + 1);
  const status = { plane: 'bench', label: 'bench', state: 'LIVE', color: 0x58a6ff, agents: n } as unknown as FrameMessage['planes'][number];
  const frame = (seq: number, flows: FlowFrame[]): FrameMessage =>
    ({
      seq,
      builtAt: Date.now(),
      planes: [status],
      positions: [{ plane: 'bench', slotCount: n, receivedAt: performance.timeOrigin + performance.now(), ids, xy, states: g.states, vxy, load: g.load, positioned: true }],
      flows,
      events: [],
      stats: { framesSent: seq, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 },
    }) as FrameMessage;
  g.at(0, xy, vxy);
  // The 2N flows as the core's flow table sends them: agent ends, count, success rate and latency.
  const e2 = g.edges.length / 2;
  const flows = (complete: boolean): FlowFrame => ({
    plane: 'bench',
    complete,
    slots: Uint32Array.from({ length: e2 }, (_, e) => e),
    from: Uint32Array.from({ length: e2 }, (_, e) => g.edges[2 * e]! + 1),
    to: Uint32Array.from({ length: e2 }, (_, e) => g.edges[2 * e + 1]! + 1),
    count: Float64Array.from({ length: e2 }, (_, e) => 1 + (e % 200)),
    rate: new Float32Array(e2).fill(NaN),
    successRate: Float32Array.from({ length: e2 }, (_, e) => 0.8 + (e % 21) / 100),
    latencyMs: Float32Array.from({ length: e2 }, (_, e) => 20 + (e % 50)),
    minMs: new Float32Array(e2).fill(NaN),
    maxMs: new Float32Array(e2).fill(NaN),
    bandwidth: new Float32Array(e2).fill(NaN),
    ageMs: new Float32Array(e2),
    look: new Uint8Array(e2),
    names: complete ? Array.from({ length: e2 }, (_, e): [number, string] => [e, `agent-${g.edges[2 * e]! + 1}-agent-${g.edges[2 * e + 1]! + 1}`]) : [],
    size: e2,
    evicted: 0,
  });
  scene.applyFrame(frame(0, [flows(true)]));
  scene.frame();
  const setupMs = performance.now() - t0;
  // Setup can take longer than a flow's quiet period (shader compiles under software GL): the table sends them again.
  scene.applyFrame(frame(1, [flows(false)]));
  let seq = 2;
  const result = await measure(
    'ours (pixi scene)',
    n,
    scene.stats().edges,
    setupMs,
    seconds,
    (t) => g.at(t, xy, vxy),
    () => {
      const u0 = performance.now();
      scene.applyFrame(frame(seq++, []));
      const applied = performance.now() - u0;
      return applied + scene.frame(); // frame(): the tick's update ms; pixi's render follows inside it
    },
  );
  const p = scene.debug().probe();
  window.__benchResult = { ...result, edgesDrawn: p.flowEdges, lod: p.flowLod };
}

main().catch((e: unknown) => (window.__benchResult = { error: String((e as Error).stack ?? e) }));
