// The simulator's scenario streams: what a busy control plane sends. Per tick:
// positions (encoded once, shared by every session, compressed once per
// algorithm), state changes, messages in namespaces, agents' heartbeats and
// status updates, metrics (JSON and PERFORMANCE_METRICS), system metrics with
// alerts, message flow stats, capability updates, and consensus rounds with
// votes filling in (odd steps as binary COORDINATION_EVENT frames); and the
// full snapshot a new agents session starts with. docs/PROTOCOL.md, "Simulator".

import { AGENT_STATES, agentLabel } from '../../../shared/index.js';
import { concatBytes, encodeCoordination, encodeMetrics, encodePositions, encodeStateBatch, MAX_POSITIONS_PER_FRAME, type MetricsRecord } from '../protocol/index.js';
import type { SimOutput, SimSession } from './session.js';
import { NAMESPACES } from './world.js';

interface Round {
  id: string;
  initiator: number;
  voters: number[];
  observer: number;
  votes: Map<number, { vote: 'approve' | 'reject'; timestamp: string }>;
  threshold: number;
  nextStepAt: number;
  step: number;
}

/** Skip position frames to a client whose socket has this much unsent: latest wins there too. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export class Scenario {
  private readonly last = { metrics: 0, system: 0, flows: 0, capability: 0, roundEnded: 0 };
  private agentCursor = 0;
  private agentBudget = 0;
  private agentCycle = 0;
  private metricsCursor = 0;
  private round: Round | null = null;
  private readonly flowCounts = new Map<string, number>();
  private messageSeq = 0;

  constructor(private readonly sim: SimOutput) {}

  /** Periodic streams start counting from `now`. */
  start(now: number): void {
    for (const k of Object.keys(this.last) as (keyof typeof this.last)[]) this.last[k] = now;
  }
  sendFullState(s: SimSession): void {
    const w = this.sim.world;
    if (!s.features.has('binary')) {
      // 1.0: JSON only.
      for (let i = 0; i < w.count; i++) {
        this.sim.sendJson(s, this.sim.visMessage('agent.state.changed', { agentId: agentLabel(w.ids[i]!), newState: AGENT_STATES[w.state[i]!]!, reason: 'snapshot' }));
      }
      return;
    }
    const frames: Uint8Array[] = [];
    // 8-byte records without metadata: well under the u16 length at this chunk size.
    for (let start = 0; start < w.count; start += MAX_POSITIONS_PER_FRAME) {
      const recs = [];
      for (let i = start; i < Math.min(w.count, start + MAX_POSITIONS_PER_FRAME); i++) recs.push({ id: w.ids[i]!, state: w.state[i]! });
      frames.push(encodeStateBatch(recs));
    }
    frames.push(encodePositions(w.ids, w.pos, w.vel, w.count));
    const all = concatBytes(frames);
    this.sim.sendRaw(s, this.sim.binaryFor(s, all, new Map()) ?? all);
  }


  broadcastState(changes: { id: number; previous: number; next: number }[], reason: string): void {
    for (const c of changes) {
      this.sim.broadcast(
        'agents',
        'state',
        this.sim.visMessage('agent.state.changed', { agentId: agentLabel(c.id), previousState: AGENT_STATES[c.previous]!, newState: AGENT_STATES[c.next]!, reason }),
      );
    }
  }

  advance(now: number, dt: number): void {
    const w = this.sim.world;
    w.advance(dt);

    // Positions: encoded once, shared by every binary session (compressed once per algorithm).
    const positions = encodePositions(w.ids, w.pos, w.vel, w.count);
    this.sim.stats.positionEncodes++;
    const cache = new Map<string, Uint8Array>();
    for (const s of this.sim.live('agents')) {
      const data = this.sim.binaryFor(s, positions, cache);
      if (data && s.ws.bufferedAmount < MAX_BUFFERED) {
        this.sim.sendRaw(s, data);
        this.sim.stats.positionMessages++;
      }
    }

    this.broadcastState(w.changeStates(this.sim.options.stateChangesPerSecond * dt), 'simulated');
    this.messages(dt);
    this.agentHeartbeats(dt);
    const o = this.sim.options;
    if (o.metricsIntervalMs > 0 && now - this.last.metrics >= o.metricsIntervalMs) {
      w.updateMetrics((now - this.last.metrics) / 1000);
      this.last.metrics = now;
      this.metrics();
    }
    if (o.systemMetricsIntervalMs > 0 && now - this.last.system >= o.systemMetricsIntervalMs) {
      this.last.system = now;
      this.systemMetrics();
    }
    if (o.flowStatsEveryMs > 0 && now - this.last.flows >= o.flowStatsEveryMs) {
      this.last.flows = now;
      this.flowStats();
    }
    if (o.capabilityEveryMs > 0 && now - this.last.capability >= o.capabilityEveryMs) {
      this.last.capability = now;
      const c = w.changeCapability();
      if (c) {
        this.sim.broadcast(
          'agents',
          'capabilities',
          this.sim.visMessage('agent.capability.update', {
            agentId: agentLabel(c.id),
            action: c.action,
            capability: { name: c.name, category: c.category, level: c.level, description: `${c.name} (level ${c.level})` },
          }),
        );
      }
    }
    this.coordination(now);
  }


  private messages(dt: number): void {
    const w = this.sim.world;
    let n = this.sim.options.messagesPerSecond * dt;
    while (n > 0 && w.count > 1) {
      if (n < 1 && w.random() > n) break;
      n--;
      const from = w.randomAgent();
      let to = w.randomAgent();
      if (to === from) to = (to % w.count) + 1;
      const fromNs = NAMESPACES[(from - 1) % NAMESPACES.length]!;
      const toNs = NAMESPACES[(to - 1) % NAMESPACES.length]!;
      const key = `${fromNs}→${toNs}`;
      this.flowCounts.set(key, (this.flowCounts.get(key) ?? 0) + 1);
      const priority = w.random() < 0.1 ? 'HIGH' : 'NORMAL';
      this.sim.broadcast(
        'graph',
        'messages',
        this.sim.visMessage('message.sent', {
          messageId: `msg-${this.sim.instance}-${++this.messageSeq}`,
          from: { id: agentLabel(from), namespace: fromNs },
          to: [{ id: agentLabel(to), namespace: toNs }],
          messageType: w.random() < 0.7 ? 'REQUEST' : 'RESPONSE',
          priority,
          content: { action: 'simulated', size: Math.floor(w.random() * 2000) },
          expiry: this.sim.iso(this.sim.serverNow() + 300_000),
        }),
      );
    }
  }

  /** Each agent's heartbeat / status_update in the control-plane envelope, spread over agentHeartbeatMs. */
  private agentHeartbeats(dt: number): void {
    const w = this.sim.world;
    const period = this.sim.options.agentHeartbeatMs;
    if (period <= 0 || w.count === 0) return;
    this.agentBudget += (w.count * dt * 1000) / period;
    const silent = this.sim.faults.silentAgents;
    const sessions = this.sim.live('control');
    while (this.agentBudget >= 1) {
      this.agentBudget--;
      const i = this.agentCursor;
      this.agentCursor = (this.agentCursor + 1) % w.count;
      if (this.agentCursor === 0) this.agentCycle++;
      const id = agentLabel(w.ids[i]!);
      if (silent.length > 0 && silent.includes(id)) continue;
      if (sessions.length === 0) continue;
      const msg =
        this.agentCycle % 2 === 0
          ? { type: 'heartbeat', timestamp: this.sim.iso(), payload: { agent_id: id } }
          : {
              type: 'status_update',
              timestamp: this.sim.iso(),
              payload: { agent_id: id, cpu_usage: `${w.cpu[i]!.toFixed(0)}%`, memory_usage: `${(w.mem[i]! / 1024 ** 3).toFixed(2)}GB` },
            };
      const text = JSON.stringify(msg);
      for (const s of sessions) this.sim.sendTopic(s, 'agent-status', text, msg);
    }
  }

  private metrics(): void {
    const w = this.sim.world;
    if (w.count === 0) return;
    // Binary: a rotating batch of up to 100 agents.
    const recs: MetricsRecord[] = [];
    for (let k = 0; k < Math.min(100, w.count); k++) {
      const i = (this.metricsCursor + k) % w.count;
      recs.push({ id: w.ids[i]!, tasks: w.tasks[i]!, successRate: w.successRate[i]!, avgMs: w.avgMs[i]!, cpu: w.cpu[i]!, mem: w.mem[i]! });
    }
    this.metricsCursor = (this.metricsCursor + recs.length) % w.count;
    const frame = encodeMetrics(recs);
    const cache = new Map<string, Uint8Array>();
    for (const s of this.sim.live('agents')) {
      const data = this.sim.binaryFor(s, frame, cache);
      if (data) this.sim.sendRaw(s, data);
    }
    // JSON: two agents in detail.
    for (let k = 0; k < 2; k++) {
      const i = Math.floor(w.random() * w.count);
      this.sim.broadcast(
        'agents',
        'perf-metrics',
        this.sim.visMessage('agent.performance.update', {
          agentId: agentLabel(w.ids[i]!),
          metrics: {
            tasksCompleted: w.tasks[i]!,
            successRate: Math.round(w.successRate[i]! * 1000) / 1000,
            averageResponseTime: Math.round(w.avgMs[i]!),
            resourceUtilization: Math.round(w.cpu[i]!) / 100,
            communicationEfficiency: Math.round((0.7 + w.random() * 0.3) * 100) / 100,
            uptime: Math.round(w.t * 1000),
            messageQueueSize: Math.floor(w.random() * 10),
            connectionCount: 1 + Math.floor(w.random() * 8),
            memoryUsage: w.mem[i]!,
          },
          trends: {
            successRateTrend: w.random() < 0.5 ? 'improving' : 'stable',
            responseTrend: w.random() < 0.7 ? 'stable' : 'degrading',
            loadTrend: w.random() < 0.5 ? 'increasing' : 'decreasing',
          },
        }),
      );
    }
  }

  private systemMetrics(): void {
    const w = this.sim.world;
    let active = 0;
    let cpu = 0;
    for (let i = 0; i < w.count; i++) {
      if (w.state[i] !== 0) active++;
      cpu += w.cpu[i]!;
    }
    const queueDepth = Math.floor(w.random() * 400);
    const alerts: Record<string, unknown>[] = [];
    if (queueDepth > 300) alerts.push({ level: 'warning', message: 'High message queue depth detected', component: 'message-bus', timestamp: this.sim.iso() });
    if (w.random() < 0.05) alerts.push({ level: 'critical', message: 'Coordinator failover in progress', component: 'coordinator', timestamp: this.sim.iso() });
    const critical = alerts.some((a) => a.level === 'critical');
    this.sim.broadcast(
      'control',
      'alerts',
      this.sim.visMessage(
        'system.metrics',
        {
          activeAgents: active,
          totalAgents: w.count,
          systemLoad: { cpu: w.count ? Math.round(cpu / w.count) / 100 : 0, memory: Math.round((0.3 + w.random() * 0.4) * 100) / 100, gpu: Math.round(w.random() * 50) / 100 },
          messageMetrics: {
            rate: this.sim.options.messagesPerSecond,
            queueDepth,
            averageLatency: Math.round((10 + w.random() * 30) * 10) / 10,
            errorRate: Math.round(w.random() * 50) / 10_000,
          },
          networkHealth: Math.round((0.9 + w.random() * 0.1) * 100) / 100,
          coordinationEfficiency: Math.round((0.7 + w.random() * 0.3) * 100) / 100,
          alerts,
        },
        critical ? { priority: 'critical', ttl: 60_000 } : undefined,
      ),
    );
  }

  private flowStats(): void {
    for (const [key, count] of this.flowCounts) {
      const w = this.sim.world;
      const [from, to] = key.split('→');
      const min = 5 + Math.floor(w.random() * 10);
      this.sim.broadcast(
        'graph',
        'messages',
        this.sim.visMessage('message.flow.stats', {
          flowId: `${from}-${to}`,
          statistics: {
            messageCount: count,
            averageLatency: Math.round((min + w.random() * 40) * 10) / 10,
            maxLatency: min + 50 + Math.floor(w.random() * 200),
            minLatency: min,
            successRate: Math.round((0.95 + w.random() * 0.05) * 100) / 100,
            bandwidth: Math.round(w.random() * 100) / 100,
            lastActivity: this.sim.iso(),
          },
        }),
      );
    }
  }

  /** Consensus rounds: initiated, then progress with votes filling in (odd steps as binary frames), then completed. */
  private coordination(now: number): void {
    const every = this.sim.options.coordinationEveryMs;
    const w = this.sim.world;
    if (every <= 0 || w.count < 5) return;
    if (!this.round) {
      if (now - this.last.roundEnded < every) return;
      const initiator = w.randomAgent();
      const others = new Set<number>();
      while (others.size < 4) {
        const a = w.randomAgent();
        if (a !== initiator) others.add(a);
      }
      const [observer, ...voters] = [...others];
      const r: Round = {
        id: `coord-${this.sim.instance}-${++this.sim.stats.coordinationRounds}`,
        initiator,
        voters: [initiator, ...voters],
        observer: observer!,
        votes: new Map(),
        threshold: 0.66,
        nextStepAt: now + 500,
        step: 0,
      };
      this.round = r;
      this.sim.broadcast(
        'graph',
        'coordination',
        this.sim.visMessage('coordination.initiated', {
          coordinationId: r.id,
          pattern: 'CONSENSUS',
          initiator: { id: agentLabel(initiator) },
          participants: [...voters.map((v) => ({ id: agentLabel(v), role: 'voter' })), { id: agentLabel(r.observer), role: 'observer' }],
          parameters: { consensusThreshold: r.threshold, timeout: 30_000, proposal: { type: 'resource_allocation', details: { cpu: 4, memory: '8GB' } } },
        }),
      );
      this.broadcastState(
        r.voters.map((v) => w.setState(w.indexOf(v), 5)),
        `consensus ${r.id}`,
      );
      return;
    }
    const r = this.round;
    if (now < r.nextStepAt) return;
    r.nextStepAt = now + 500;
    r.step++;
    const next = r.voters.find((v) => !r.votes.has(v));
    if (next !== undefined) r.votes.set(next, { vote: w.random() < 0.8 ? 'approve' : 'reject', timestamp: this.sim.iso() });
    const done = r.votes.size === r.voters.length;
    const approvals = [...r.votes.values()].filter((v) => v.vote === 'approve').length;
    const votes: Record<string, unknown> = {};
    for (const v of r.voters) votes[agentLabel(v)] = r.votes.get(v) ?? { vote: 'pending' };
    const payload: Record<string, unknown> = {
      coordinationId: r.id,
      pattern: 'CONSENSUS',
      progress: Math.round((r.votes.size / r.voters.length) * 100) / 100,
      status: done ? 'COMPLETED' : 'VOTING',
      votes,
      estimatedCompletion: this.sim.iso(this.sim.serverNow() + (r.voters.length - r.votes.size) * 500),
    };
    if (done) payload.result = approvals / r.voters.length >= r.threshold ? 'approved' : 'rejected';
    const msg = this.sim.visMessage('coordination.progress', payload);
    const text = JSON.stringify(msg);
    const binary = r.step % 2 === 1 ? encodeCoordination(msg, { priority: 'high' }) : null;
    for (const s of this.sim.live('graph')) {
      // Odd steps go as COORDINATION_EVENT frames to binary sessions not multiplexing coordination.
      if (binary && s.features.has('binary') && !s.channels.has('coordination')) this.sim.sendRaw(s, binary);
      else this.sim.sendTopic(s, 'coordination', text, msg);
      this.sim.stats.events++;
    }
    if (done) {
      this.round = null;
      this.last.roundEnded = now;
      this.broadcastState(
        r.voters.map((v) => w.setState(w.indexOf(v), 0)),
        `consensus ${r.id} ${String(payload.result)}`,
      );
    }
  }
}
