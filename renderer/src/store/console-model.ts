// The renderer's store: every frame from the core goes in here once, and
// panels subscribe to the slices they show (hooks.ts). Small, changing values
// (plane statuses, selection, settings) live in the zustand state; the
// bounded histories (event log, metric series, alerts, rounds, flows,
// commands, per-agent activity) are mutable structures beside it, and the
// state carries one version number per history, bumped when it changes, so a
// panel re-renders only when its own history moved. Limits: shared/limits.ts, "console".

import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type AppInfo,
  type CommandRequest,
  type CommandResult,
  CONSOLE_AGENT_MESSAGES,
  CONSOLE_AGENTS_TRACKED,
  CONSOLE_ALERT_GROUPS,
  CONSOLE_COMMANDS,
  CONSOLE_EVENT_LOG,
  CONSOLE_FLOWS,
  CONSOLE_METRIC_SAMPLES,
  CONSOLE_ROUNDS,
  type FrameMessage,
  type PipelineStats,
  type PlaneEvent,
  type PlaneStatus,
  type SearchResult,
  type SwarmdeckBridge,
} from '@shared';
import type { AgentRef, GraphView } from '../scene/graph-view.js';
import { ActivityLog } from './activity.js';
import { AlertGroups } from './alerts.js';
import { CommandList } from './commands.js';
import { Flows } from './flows.js';
import { MetricSeries } from './metric-series.js';
import { Ring } from './ring.js';
import { Rounds } from './rounds.js';
import { StateTally } from './state-tally.js';

export type ThemeChoice = 'system' | 'dark' | 'light';

/** Pipeline stats and rates are published at most this often: they change every frame. */
export const STATS_PUBLISH_MS = 500;

export interface ConsoleState {
  appInfo: AppInfo | null;
  /** Why this window's URL scope (`?plane=`) was not used; null when it was, or named none. */
  scopeProblem: string | null;
  /** Replaced only when a plane's status actually changed. */
  planes: PlaneStatus[];
  stats: PipelineStats | null;
  /** Frames and events received per second, over whole 1 s windows. */
  framesPerSec: number;
  eventsPerSec: number;
  lastFrameSeq: number;
  /** One version per history: bumped when it changes. */
  eventsV: number;
  metricsV: number;
  alertsV: number;
  roundsV: number;
  flowsV: number;
  commandsV: number;
  activityV: number;
  selected: AgentRef | null;
  hiddenPlanes: readonly string[];
  /** The Events panel's view is frozen; the log keeps everything that arrives. */
  paused: boolean;
  search: { query: string; result: SearchResult | null; error: string | null };
  highlightedFlow: { plane: string; flowId: string } | null;
  mutedPlanes: readonly string[];
  theme: ThemeChoice;
  /** Agents by state name per plane; published with the stats (every STATS_PUBLISH_MS). */
  stateCounts: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface ConsoleData {
  log: Ring<PlaneEvent>;
  metrics: Map<string, MetricSeries>;
  alerts: AlertGroups;
  rounds: Rounds;
  flows: Flows;
  commands: CommandList;
  activity: ActivityLog;
}

export interface Services {
  bridge: SwarmdeckBridge | null;
  graph: GraphView | null;
}

export interface Evictions {
  events: number;
  metrics: number;
  alerts: number;
  rounds: number;
  flows: number;
  commands: number;
  agents: number;
}

export interface ConsoleModel {
  readonly store: StoreApi<ConsoleState>;
  readonly data: ConsoleData;
  readonly services: Services;
  ingest(frame: FrameMessage, now?: number): void;
  /** Listeners of every new (not re-sent) event, after the store has it (notifications). */
  onEvents(listener: (events: readonly PlaneEvent[], planes: readonly PlaneStatus[], previous: readonly PlaneStatus[]) => void): () => void;
  select(ref: AgentRef | null): void;
  sendCommand(plane: string, request: CommandRequest): Promise<CommandResult>;
  acknowledge(alertKey: string): void;
  evictions(): Evictions;
}

export function createConsole(services: Partial<Services> = {}): ConsoleModel {
  const store = createStore<ConsoleState>(() => ({
    appInfo: null,
    scopeProblem: null,
    planes: [],
    stats: null,
    framesPerSec: 0,
    eventsPerSec: 0,
    lastFrameSeq: -1,
    eventsV: 0,
    metricsV: 0,
    alertsV: 0,
    roundsV: 0,
    flowsV: 0,
    commandsV: 0,
    activityV: 0,
    selected: null,
    hiddenPlanes: [],
    paused: false,
    search: { query: '', result: null, error: null },
    highlightedFlow: null,
    mutedPlanes: [],
    theme: 'system',
    stateCounts: {},
  }));
  const data: ConsoleData = {
    log: new Ring<PlaneEvent>(CONSOLE_EVENT_LOG),
    metrics: new Map(),
    alerts: new AlertGroups(CONSOLE_ALERT_GROUPS),
    rounds: new Rounds(CONSOLE_ROUNDS),
    flows: new Flows(CONSOLE_FLOWS),
    commands: new CommandList(CONSOLE_COMMANDS),
    activity: new ActivityLog(CONSOLE_AGENTS_TRACKED, CONSOLE_AGENT_MESSAGES),
  };
  const svc: Services = { bridge: services.bridge ?? null, graph: services.graph ?? null };
  const eventListeners = new Set<(events: readonly PlaneEvent[], planes: readonly PlaneStatus[], previous: readonly PlaneStatus[]) => void>();
  // Events of a frame that timed out come again; per-plane seq says which were seen.
  const lastEventSeq = new Map<string, number>();
  const tallies = new Map<string, StateTally>();
  let planesJson = '[]';
  let statsAt = -Infinity;
  let windowStart = -Infinity;
  let windowFrames = 0;
  let windowEvents = 0;

  const bump = (s: ConsoleState, key: 'eventsV' | 'metricsV' | 'alertsV' | 'roundsV' | 'flowsV' | 'commandsV' | 'activityV', patch: Partial<ConsoleState>): void => {
    patch[key] = (s[key] as number) + 1;
  };

  return {
    store,
    data,
    services: svc,
    ingest(frame, now = Date.now()) {
      const s = store.getState();
      // A frame sequence that starts again is a new view (the page reconnected, or the host restarted and numbers events afresh).
      if (frame.seq <= s.lastFrameSeq) lastEventSeq.clear();
      const patch: Partial<ConsoleState> = { lastFrameSeq: frame.seq };
      const previous = s.planes;
      const json = JSON.stringify(frame.planes);
      if (json !== planesJson) {
        planesJson = json;
        patch.planes = frame.planes;
      }
      const fresh: PlaneEvent[] = [];
      for (const ev of frame.events) {
        if (ev.seq <= (lastEventSeq.get(ev.plane) ?? -1)) continue;
        lastEventSeq.set(ev.plane, ev.seq);
        fresh.push(ev);
      }
      windowFrames++;
      windowEvents += fresh.length;
      if (now - windowStart >= 1000) {
        if (windowStart > -Infinity) {
          const secs = (now - windowStart) / 1000;
          patch.framesPerSec = Math.round(windowFrames / secs);
          patch.eventsPerSec = Math.round(windowEvents / secs);
        }
        windowStart = now;
        windowFrames = 0;
        windowEvents = 0;
      }
      for (const pf of frame.positions) {
        let t = tallies.get(pf.plane);
        if (!t) tallies.set(pf.plane, (t = new StateTally()));
        t.apply(pf);
      }
      if (now - statsAt >= STATS_PUBLISH_MS) {
        statsAt = now;
        patch.stats = frame.stats;
        const counts: Record<string, Record<string, number>> = {};
        for (const [plane, t] of tallies) counts[plane] = t.counts();
        if (JSON.stringify(counts) !== JSON.stringify(s.stateCounts)) patch.stateCounts = counts;
      }
      if (fresh.length) {
        bump(s, 'eventsV', patch);
        let metrics = false;
        let alerts = false;
        let rounds = false;
        let flows = false;
        let activity = false;
        for (const ev of fresh) {
          data.log.push(ev);
          if (ev.type === 'system.metrics') {
            let m = data.metrics.get(ev.plane);
            if (!m) data.metrics.set(ev.plane, (m = new MetricSeries(CONSOLE_METRIC_SAMPLES)));
            m.push(ev.at, ev.payload);
            metrics = true;
          }
          if (data.alerts.add(ev)) alerts = true;
          if (data.rounds.add(ev)) rounds = true;
          if (data.flows.add(ev)) flows = true;
          if (data.activity.add(ev)) activity = true;
        }
        if (metrics) bump(s, 'metricsV', patch);
        if (alerts) bump(s, 'alertsV', patch);
        if (rounds) bump(s, 'roundsV', patch);
        if (flows) bump(s, 'flowsV', patch);
        if (activity) bump(s, 'activityV', patch);
      }
      store.setState(patch);
      if (fresh.length || patch.planes) for (const l of eventListeners) l(fresh, frame.planes, previous);
    },
    onEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    select(ref) {
      const cur = store.getState().selected;
      if (cur === ref || (cur && ref && cur.plane === ref.plane && cur.id === ref.id)) return;
      store.setState({ selected: ref });
    },
    sendCommand(plane, request) {
      const c = data.commands.add(plane, request, Date.now());
      store.setState((s) => ({ commandsV: s.commandsV + 1 }));
      const settle = (result: CommandResult): CommandResult => {
        if (data.commands.settle(c.key, result, Date.now())) store.setState((s) => ({ commandsV: s.commandsV + 1 }));
        return result;
      };
      const command = request.kind === 'configure' ? 'control.multi-agent.configure' : request.command;
      if (!svc.bridge) return Promise.resolve(settle({ status: 'refused', plane, command, code: 'NO_BRIDGE', message: 'not connected to the core' }));
      return svc.bridge.request('command', { plane, request }).then(settle, (e: unknown) =>
        settle({ status: 'refused', plane, command, code: 'IPC_ERROR', message: e instanceof Error ? e.message : String(e) }),
      );
    },
    acknowledge(key) {
      if (data.alerts.acknowledge(key)) store.setState((s) => ({ alertsV: s.alertsV + 1 }));
    },
    evictions() {
      let metrics = 0;
      for (const m of data.metrics.values()) metrics += m.evicted;
      return {
        events: data.log.evicted,
        metrics,
        alerts: data.alerts.evicted,
        rounds: data.rounds.evicted,
        flows: data.flows.evicted,
        commands: data.commands.evicted,
        agents: data.activity.evictedAgents,
      };
    },
  };
}
