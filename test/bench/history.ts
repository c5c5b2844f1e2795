// History benchmark (issue 20): the core's session state under load. 10
// planes × 1,000 events/s (`--planes`, `--rate`) for 10 minutes (`--minutes`)
// into the core in-process, each plane's events through its own listener (as
// a Plane hands them over) and out to one view (a frame pipeline whose page
// acknowledges at once). The mix: heartbeats and status updates, messages,
// performance updates, state changes (some to ERROR and back), agents lost
// and recovered, errors, system.metrics with alerts, coordination rounds,
// flow stats, and commands (refused: the planes are not connected, which
// still logs them). Prints the core's memory (heap, RSS) and each monitor
// structure's entries and bytes against its configured limit, every 30 s and
// at the end, and says whether everything stayed under its limits.

import { parseArgs } from 'node:util';
import { SwarmCore } from '../../electron/core/app/core.js';
import type { MonitorCounts, StructureCount } from '../../shared/contract/index.js';
import type { PlaneEvent } from '../../shared/events.js';

type Print = (line: string) => void;
const STRUCTURES = ['events', 'alerts', 'rounds', 'commands', 'metrics', 'connection'] as const;
const AGENTS = 1000;
const TICK_MS = 10;
const CODES = Array.from({ length: 40 }, (_, i) => `E_${i}`);

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const agent = (n: number): string => `agent-${String(n).padStart(3, '0')}`;

/** One plane's stream: the i-th event of plane `p`, a realistic mix by position in a 1,000-event cycle. */
function eventFor(p: string, i: number, rnd: () => number): Omit<PlaneEvent, 'seq'> {
  const at = Date.now();
  const base = { plane: p, at, priority: 'normal' as const };
  const a = 1 + Math.floor(rnd() * AGENTS);
  const k = i % 1000;
  if (k === 0) {
    const alerts = rnd() < 0.5 ? [{ level: 'warning', message: `High queue depth on bus ${Math.floor(rnd() * 5)}`, component: `bus-${Math.floor(rnd() * 5)}` }] : [];
    return { ...base, origin: 'vis', type: 'system.metrics', id: `m${i}`, payload: { activeAgents: AGENTS - 10, totalAgents: AGENTS, systemLoad: { cpu: rnd(), memory: rnd(), gpu: rnd() }, messageMetrics: { rate: 900 + rnd() * 200, queueDepth: Math.floor(rnd() * 100), averageLatency: 20 + rnd() * 10, errorRate: rnd() / 100 }, networkHealth: 0.9 + rnd() / 10, coordinationEfficiency: 0.8, alerts } };
  }
  if (k < 5) {
    const id = `c-${p}-${Math.floor(i / 1000)}`;
    if (k === 1) return { ...base, origin: 'vis', type: 'coordination.initiated', id: `ci${i}`, payload: { coordinationId: id, pattern: 'CONSENSUS', initiator: { id: agent(a) }, participants: Array.from({ length: 5 }, (_, j) => ({ id: agent(1 + ((a + j) % AGENTS)), role: 'voter' })), parameters: { consensusThreshold: 0.66, timeout: 30000 } } };
    const votes = Object.fromEntries(Array.from({ length: k }, (_, j) => [agent(1 + ((a + j) % AGENTS)), { vote: rnd() < 0.7 ? 'approve' : 'reject', timestamp: new Date(at).toISOString() }]));
    return { ...base, origin: 'vis', type: 'coordination.progress', id: `cp${i}`, payload: { coordinationId: id, progress: k / 4, status: k === 4 ? 'COMPLETED' : 'VOTING', votes, ...(k === 4 ? { result: 'approved' } : {}) } };
  }
  if (k < 10) return { ...base, origin: 'vis', type: 'message.flow.stats', id: `f${i}`, payload: { flowId: `${agent(a)}-${agent(1 + (a % AGENTS))}`, statistics: { messageCount: i, averageLatency: 20, maxLatency: 90, minLatency: 2, successRate: 0.99, bandwidth: 1.5, lastActivity: new Date(at).toISOString() } } };
  if (k < 14) return { ...base, origin: 'cp', type: 'error', id: `e${i}`, priority: 'high', payload: { code: CODES[Math.floor(rnd() * CODES.length)]!, message: `simulated failure number ${i} while processing a request`, recoverable: rnd() < 0.8 } };
  if (k < 16) return { ...base, origin: 'client', type: k === 14 ? 'client.agent_lost' : 'client.agent_recovered', priority: 'high', payload: { agentId: agent(1 + (Math.floor(i / 1000) % 50)) } };
  if (k < 40) {
    const newState = rnd() < 0.2 ? 'ERROR' : ['IDLE', 'EXECUTING', 'WAITING', 'COMMUNICATING'][Math.floor(rnd() * 4)]!;
    return { ...base, origin: 'vis', type: 'agent.state.changed', id: `s${i}`, agentId: agent(a), payload: { agentId: agent(a), previousState: 'IDLE', newState, reason: 'scheduled work' } };
  }
  if (k < 400) return { ...base, origin: 'vis', type: 'message.sent', id: `ms${i}`, payload: { messageId: `msg-${i}`, from: { id: agent(a), namespace: 'research' }, to: [{ id: agent(1 + ((a * 7) % AGENTS)), namespace: 'analysis' }], messageType: 'REQUEST', priority: 'NORMAL', content: { task: 'summarise', size: Math.floor(rnd() * 1000) } } };
  if (k < 600) return { ...base, origin: 'vis', type: 'agent.performance.update', id: `p${i}`, agentId: agent(a), payload: { agentId: agent(a), metrics: { tasksCompleted: i, successRate: 0.97, averageResponseTime: 120, resourceUtilization: rnd(), messageQueueSize: 3 } } };
  if (k < 800) return { ...base, origin: 'cp', type: 'status_update', agentId: agent(a), payload: { agent_id: agent(a), cpu_usage: '31%', memory_usage: '1.2GB', cpuPercent: 31, memoryBytes: 1.2e9 } };
  return { ...base, origin: 'cp', type: 'heartbeat', agentId: agent(a), payload: { agent_id: agent(a) } };
}

/** A small deterministic generator, so runs compare. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function line(name: string, c: StructureCount, perPlaneMax: StructureCount): string {
  const bytes = c.maxBytes !== undefined ? `${mb(perPlaneMax.bytes)} of ${mb(c.maxBytes)}` : mb(perPlaneMax.bytes);
  return `  ${name.padEnd(11)} per plane (max) ${String(perPlaneMax.entries).padStart(7)} of ${String(c.maxEntries).padStart(7)} entries, ${bytes.padEnd(22)} evicted (all planes) ${c.evicted}`;
}

export async function runHistoryBench(print: Print, argv: readonly string[] = []): Promise<boolean> {
  const { values } = parseArgs({ args: [...argv], options: { minutes: { type: 'string' }, planes: { type: 'string' }, rate: { type: 'string' } }, allowPositionals: true });
  const minutes = Number(values.minutes ?? 10);
  const planes = Number(values.planes ?? 10);
  const rate = Number(values.rate ?? 1000);
  if (!(minutes > 0) || !(planes > 0) || !(rate > 0)) throw new Error('history: --minutes, --planes and --rate take positive numbers');
  print(`history: ${planes} planes × ${rate} events/s for ${minutes} min into the core in-process, one view acknowledging every frame`);
  const ids = Array.from({ length: planes }, (_, i) => `plane-${i + 1}`);
  // Never connected (port 1): events come in through each plane's listener, as a Plane hands them over.
  const core = new SwarmCore(ids.map((id) => ({ id, label: id, url: 'ws://127.0.0.1:1', color: 0 })));
  const listeners = ids.map((id) => core.listenerFor(id));
  const view = core.openView((f) => queueMicrotask(() => view.ack(f.seq)));
  view.hello('web');
  const rnds = ids.map((_, i) => rng(i + 1));
  const counters = ids.map(() => 0);
  let sent = 0;
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  let nextReport = t0 + 30_000;
  let lateMs = 0;
  let behind = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  const report = (final: boolean): boolean => {
    // Live memory, not garbage waiting for a collection (NODE_OPTIONS=--expose-gc; without it the figures include garbage).
    gc?.();
    const m = process.memoryUsage();
    const counts: MonitorCounts[] = core.monitorList().map((x) => x.counts());
    const elapsed = (Date.now() - t0) / 1000;
    print(`${final ? 'end' : 'at'} ${elapsed.toFixed(0)} s: ${sent.toLocaleString('en-US')} events (${Math.round(sent / elapsed).toLocaleString('en-US')}/s), heap used ${mb(m.heapUsed)}${gc ? ' (after a full GC)' : ' (with garbage: NODE_OPTIONS=--expose-gc for live figures)'}, heap total ${mb(m.heapTotal)}, RSS ${mb(m.rss)}, external ${mb(m.external)}${behind ? `, generator behind ${behind} ticks` : ''}`);
    let under = true;
    for (const k of STRUCTURES) {
      const sum: StructureCount = { entries: 0, bytes: 0, evicted: 0, maxEntries: counts[0]![k].maxEntries, ...(counts[0]![k].maxBytes !== undefined ? { maxBytes: counts[0]![k].maxBytes } : {}) };
      const max: StructureCount = { entries: 0, bytes: 0, evicted: 0, maxEntries: sum.maxEntries };
      for (const c of counts) {
        const s = c[k];
        sum.entries += s.entries;
        sum.bytes += s.bytes;
        sum.evicted += s.evicted;
        max.entries = Math.max(max.entries, s.entries);
        max.bytes = Math.max(max.bytes, s.bytes);
        if (s.entries > s.maxEntries || (s.maxBytes !== undefined && s.bytes > s.maxBytes)) under = false;
      }
      print(line(k, sum, max));
    }
    const held = counts.reduce((n, c) => n + STRUCTURES.reduce((b, k) => b + c[k].bytes, 0), 0);
    print(`  session state held, all planes: ${mb(held)} estimated; pipeline stats: ${JSON.stringify({ eventsSent: view.pipeline.stats.eventsSent, eventsDropped: view.pipeline.stats.eventsDropped, eventsQueued: view.pipeline.stats.eventsQueued })}`);
    if (final) print(`every structure under its limits: ${under ? 'yes' : 'NO'}`);
    return under;
  };
  let under = true;
  await new Promise<void>((resolve) => {
    const perTick = (rate * TICK_MS) / 1000;
    let due = 0;
    const tick = (): void => {
      const now = Date.now();
      // Catch up to the wall clock (a slow tick sends more), so the rate is what was asked.
      const target = Math.floor(((now - t0) / 1000) * rate);
      const ticks = Math.max(1, Math.round((target - due) / perTick));
      if (ticks > 1) behind += ticks - 1;
      for (let p = 0; p < planes; p++) {
        const l = listeners[p]!;
        for (let i = due; i < target; i++) {
          const ev = eventFor(ids[p]!, counters[p]!++, rnds[p]!) as PlaneEvent;
          ev.seq = 0;
          l.event(ev);
          sent++;
        }
        // About five commands a second per plane, logged with their (refused) result.
        if (counters[p]! % 200 < perTick) void core.command({ plane: ids[p]!, request: { kind: 'command', command: 'restart', agentId: agent(1 + (counters[p]! % AGENTS)) } });
      }
      due = target;
      lateMs = Date.now() - now;
      if (now >= nextReport) {
        report(false);
        nextReport += 30_000;
      }
      if (now >= end) {
        under = report(true);
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, TICK_MS - lateMs));
    };
    tick();
  });
  view.close();
  core.stop();
  return under;
}
