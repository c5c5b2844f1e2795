// Our scene in the benchmark's page: the real GraphScene, fed whole frames
// (all N positions with velocities every animation frame) and 2N persistent
// flows as message.flow.stats events, driven in manual mode.
import type { FrameMessage } from '../../../shared/contract/index.js';
import type { PlaneEvent } from '../../../shared/events.js';
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
  const frame = (seq: number, events: PlaneEvent[]): FrameMessage =>
    ({
      seq,
      builtAt: Date.now(),
      planes: [status],
      positions: [{ plane: 'bench', slotCount: n, receivedAt: performance.timeOrigin + performance.now(), ids, xy, states: g.states, vxy, load: g.load, positioned: true }],
      events,
      stats: { framesSent: seq, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 },
    }) as FrameMessage;
  g.at(0, xy, vxy);
  const events: PlaneEvent[] = [];
  for (let e = 0; e < 2 * n; e++) {
    events.push({
      seq: e,
      plane: 'bench',
      at: Date.now(),
      origin: 'vis',
      type: 'message.flow.stats',
      priority: 'normal',
      payload: { flowId: `agent-${g.edges[2 * e]! + 1}-agent-${g.edges[2 * e + 1]! + 1}`, statistics: { messageCount: 1 + (e % 200), successRate: 0.8 + (e % 21) / 100, averageLatency: 20 + (e % 50) } },
    });
  }
  scene.applyFrame(frame(0, events));
  scene.frame();
  const setupMs = performance.now() - t0;
  // Setup can take longer than a flow's quiet period (shader compiles under software GL): the plane sends its stats again.
  scene.applyFrame(frame(1, events.map((e, i) => ({ ...e, seq: 2 * n + i }))));
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
