// The renderer's store: a view of the core. The hello's answer fills it with
// each plane's session state (backfill), every frame goes in here once, and
// older events page in from the core on request; panels subscribe to the
// slices they show (hooks.ts). Small, changing values (plane statuses,
// selection, settings) live in the zustand state; the structures (the event
// window, the core's session state, the core's flow tables as frames bring
// them, and what the page derives from events it holds: per-agent activity) sit beside it, and the state carries one
// version number per structure, bumped when it changes, so a panel re-renders
// only when its own structure moved. Nothing an operator would miss after a
// reload is kept only here: the core holds it (docs/ARCHITECTURE.md, "Session state").

import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type AlertAction,
  type AppInfo,
  type CommandRequest,
  type CommandResult,
  commandName,
  CONSOLE_AGENT_MESSAGES,
  CONSOLE_AGENTS_TRACKED,
  CONSOLE_EVENT_LOG,
  type FrameMessage,
  HISTORY_PAGE_EVENTS,
  type MonitorCounts,
  type PipelineStats,
  type PlaneEvent,
  type PlaneStatus,
  type Round,
  type SearchResult,
  type SwarmdeckBridge,
  type ViewScope,
} from '@shared';
import type { AgentRef, GraphView } from '../scene/graph-view.js';
import type { TimeZoneChoice } from '../ui/time.js';
import { ActivityLog } from './activity.js';
import { EventWindow } from './event-window.js';
import { Flows } from './flows.js';
import { type Changed, SessionView } from './session-view.js';
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
  /** One version per structure: bumped when it changes. */
  eventsV: number;
  metricsV: number;
  alertsV: number;
  roundsV: number;
  flowsV: number;
  commandsV: number;
  activityV: number;
  connectionV: number;
  /** Older events are being paged in from the core. */
  loadingOlder: boolean;
  selected: AgentRef | null;
  hiddenPlanes: readonly string[];
  /** The Events panel's view is frozen; the window keeps everything that arrives. */
  paused: boolean;
  search: { query: string; result: SearchResult | null; error: string | null };
  highlightedFlow: { plane: string; flowId: string } | null;
  mutedPlanes: readonly string[];
  theme: ThemeChoice;
  /** Times shown in local time or UTC (ui/time.ts). */
  timeZone: TimeZoneChoice;
  /** Agents by state name per plane; published with the stats (every STATS_PUBLISH_MS). */
  stateCounts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The core's counts of each plane's session state (entries, bytes, evictions); published with the stats. */
  monitorCounts: Readonly<Record<string, MonitorCounts>>;
}

export interface ConsoleData {
  log: EventWindow;
  /** The core's session state of each plane: alerts, rounds, commands, metrics, connection notes, counts. */
  session: SessionView;
  flows: Flows;
  activity: ActivityLog;
}

export interface Services {
  bridge: SwarmdeckBridge | null;
  graph: GraphView | null;
}

/** What the core's session state evicted, all planes together, and what the page's own structures did. */
export interface Evictions {
  events: number;
  alerts: number;
  rounds: number;
  commands: number;
  metrics: number;
  connection: number;
  /** The core's flow tables' (flows), and the page's per-agent activity it derives from events. */
  flows: number;
  agents: number;
}

type EventsListener = (events: readonly PlaneEvent[], planes: readonly PlaneStatus[], previous: readonly PlaneStatus[]) => void;

export interface ConsoleModel {
  readonly store: StoreApi<ConsoleState>;
  readonly data: ConsoleData;
  readonly services: Services;
  /** Takes one frame; returns its events that were new to this view. */
  ingest(frame: FrameMessage, now?: number): readonly PlaneEvent[];
  /** Says hello to the core (this view's scope; none: every plane) and takes its answer's session state. */
  hello(scope?: ViewScope): Promise<AppInfo>;
  /** The hello's answer: what it shows and each plane's session state. */
  backfill(info: AppInfo): void;
  /** Pages in older events of `plane` (every plane with more, without), from the core. */
  loadOlder(plane?: string): Promise<number>;
  /** Listeners of every new (not re-sent) event, after the store has it (notifications). */
  onEvents(listener: EventsListener): () => void;
  select(ref: AgentRef | null): void;
  sendCommand(plane: string, request: CommandRequest): Promise<CommandResult>;
  /** Acknowledge or silence an alert in the core (every view sees it). */
  alertAction(action: AlertAction): Promise<void>;
  evictions(): Evictions;
}

const STRUCTURE_VERSION = { alerts: 'alertsV', rounds: 'roundsV', commands: 'commandsV', metrics: 'metricsV', connection: 'connectionV' } as const;
type Version = 'eventsV' | 'metricsV' | 'alertsV' | 'roundsV' | 'flowsV' | 'commandsV' | 'activityV' | 'connectionV';

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
    connectionV: 0,
    loadingOlder: false,
    selected: null,
    hiddenPlanes: [],
    paused: false,
    search: { query: '', result: null, error: null },
    highlightedFlow: null,
    mutedPlanes: [],
    theme: 'system',
    timeZone: 'local',
    stateCounts: {},
    monitorCounts: {},
  }));
  const data: ConsoleData = {
    log: new EventWindow(CONSOLE_EVENT_LOG),
    session: new SessionView(),
    flows: new Flows(),
    activity: new ActivityLog(CONSOLE_AGENTS_TRACKED, CONSOLE_AGENT_MESSAGES),
  };
  const svc: Services = { bridge: services.bridge ?? null, graph: services.graph ?? null };
  const eventListeners = new Set<EventsListener>();
  const tallies = new Map<string, StateTally>();
  let planesJson = '[]';
  let statsAt = -Infinity;
  let windowStart = -Infinity;
  let windowFrames = 0;
  let windowEvents = 0;
  /** Flow rows change every frame: their version is published at most every STATS_PUBLISH_MS (a timer publishes the last change). */
  let flowsAt = -Infinity;
  let flowsTimer: ReturnType<typeof setTimeout> | null = null;
  const publishFlows = (now: number, patch: Partial<ConsoleState>): void => {
    if (now - flowsAt >= STATS_PUBLISH_MS) {
      flowsAt = now;
      bump('flowsV', patch);
    } else
      flowsTimer ??= setTimeout(() => {
        flowsTimer = null;
        flowsAt = Date.now();
        store.setState((st) => ({ flowsV: st.flowsV + 1 }));
      }, STATS_PUBLISH_MS);
  };

  const bump = (key: Version, patch: Partial<ConsoleState>): void => {
    patch[key] = ((patch[key] as number | undefined) ?? store.getState()[key]) + 1;
  };
  const bumpChanged = (c: Changed, patch: Partial<ConsoleState>): void => {
    for (const k of Object.keys(STRUCTURE_VERSION) as (keyof Changed)[]) if (c[k]) bump(STRUCTURE_VERSION[k], patch);
  };
  /** Events the core sent (a frame's, a backfill's or an older page's) into what the page derives from them. */
  const derive = (events: readonly PlaneEvent[], patch: Partial<ConsoleState>): void => {
    let activity = false;
    for (const ev of events) if (data.activity.add(ev)) activity = true;
    if (activity) bump('activityV', patch);
  };
  const countsOf = (): Record<string, MonitorCounts> => Object.fromEntries(data.session.counts);
  /** The graph draws the core's rounds (one implementation: the core's). */
  const drawRounds = (rounds: readonly Round[]): void => {
    if (rounds.length) svc.graph?.applyRounds(rounds);
  };

  const model: ConsoleModel = {
    store,
    data,
    services: svc,
    ingest(frame, now = Date.now()) {
      const s = store.getState();
      const patch: Partial<ConsoleState> = { lastFrameSeq: frame.seq };
      const previous = s.planes;
      const json = JSON.stringify(frame.planes);
      if (json !== planesJson) {
        planesJson = json;
        patch.planes = frame.planes;
      }
      // The core's seq is an event's identity: a re-sent frame's events are held already.
      const fresh = frame.events.filter((ev) => data.log.add(ev));
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
      let flowsChanged = false;
      for (const ff of frame.flows ?? []) if (data.flows.apply(ff, frame.builtAt)) flowsChanged = true;
      if (flowsChanged) publishFlows(now, patch);
      if (fresh.length) {
        bump('eventsV', patch);
        derive(fresh, patch);
      }
      for (const d of frame.monitor ?? []) {
        bumpChanged(data.session.apply(d), patch);
        drawRounds(d.rounds);
      }
      if (now - statsAt >= STATS_PUBLISH_MS) {
        statsAt = now;
        patch.stats = frame.stats;
        const counts: Record<string, Record<string, number>> = {};
        for (const [plane, t] of tallies) counts[plane] = t.counts();
        if (JSON.stringify(counts) !== JSON.stringify(s.stateCounts)) patch.stateCounts = counts;
        patch.monitorCounts = countsOf();
      }
      store.setState(patch);
      if (fresh.length || patch.planes) for (const l of eventListeners) l(fresh, frame.planes, previous);
      return fresh;
    },
    async hello(scope) {
      const bridge = svc.bridge;
      if (!bridge) throw new Error('not connected to the core');
      const info = await bridge.request('hello', scope);
      model.backfill(info);
      return info;
    },
    backfill(info) {
      const patch: Partial<ConsoleState> = { appInfo: info, monitorCounts: {} };
      const shown = new Set(info.planes.map((p) => p.plane));
      data.log.keepOnly(shown);
      data.flows.keepOnly(shown);
      const fresh: PlaneEvent[] = [];
      for (const h of info.history) {
        // A plane whose sequence is behind what this view holds began again (the host restarted): its old events are another run's.
        const newest = data.log.newestSeq(h.plane);
        if (newest !== undefined && h.counts.lastSeq < newest) data.log.keepOnly(new Set([...shown].filter((p) => p !== h.plane)));
      }
      const had = new Set(data.log.ids());
      for (const h of info.history) {
        data.log.merge(h.plane, h.events, h.moreEvents);
        for (const ev of h.events) if (!had.has(`${ev.plane}#${ev.seq}`)) fresh.push(ev);
      }
      data.session.backfill(info.history);
      for (const k of ['eventsV', 'alertsV', 'roundsV', 'commandsV', 'metricsV', 'connectionV'] as const) bump(k, patch);
      derive(fresh, patch);
      patch.monitorCounts = countsOf();
      store.setState(patch);
      drawRounds(data.session.rounds.list());
    },
    async loadOlder(plane) {
      const bridge = svc.bridge;
      // A full window would let the page go again at once (the oldest go first): no further back than it holds.
      if (!bridge || store.getState().loadingOlder || data.log.full) return 0;
      const planes = plane !== undefined ? [plane] : data.log.planesWithMore();
      if (planes.length === 0) return 0;
      store.setState({ loadingOlder: true });
      let added = 0;
      const patch: Partial<ConsoleState> = {};
      try {
        const replies = await Promise.all(
          planes.map((p) => {
            const edge = data.log.edge(p);
            return bridge.request('history', edge.oldestSeq === undefined ? { plane: p, limit: HISTORY_PAGE_EVENTS } : { plane: p, beforeSeq: edge.oldestSeq, limit: HISTORY_PAGE_EVENTS });
          }),
        );
        const older: PlaneEvent[] = [];
        for (const r of replies) {
          for (const page of r.pages) {
            added += data.log.merge(page.plane, page.events, page.more);
            older.push(...page.events);
          }
        }
        if (added) {
          bump('eventsV', patch);
          derive(older, patch);
        }
      } finally {
        store.setState({ ...patch, loadingOlder: false });
      }
      return added;
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
      // The core logs it and its result (the Commands panel shows the core's log, in every view).
      const refused = (code: string, message: string): CommandResult => ({ status: 'refused', plane, command: commandName(request), code, message });
      if (!svc.bridge) return Promise.resolve(refused('NO_BRIDGE', 'not connected to the core'));
      return svc.bridge.request('command', { plane, request }).catch((e: unknown) => refused('IPC_ERROR', e instanceof Error ? e.message : String(e)));
    },
    async alertAction(action) {
      const alert = await svc.bridge?.request('alert', action);
      // The frame after brings the change too; taking the answer now saves the wait.
      if (alert && data.session.alerts.upsert(alert)) store.setState((s) => ({ alertsV: s.alertsV + 1 }));
    },
    evictions() {
      const sum = (k: 'events' | 'alerts' | 'rounds' | 'commands' | 'metrics' | 'connection'): number => {
        let n = 0;
        for (const c of data.session.counts.values()) n += c[k].evicted;
        return n;
      };
      return {
        events: sum('events'),
        alerts: sum('alerts'),
        rounds: sum('rounds'),
        commands: sum('commands'),
        metrics: sum('metrics'),
        connection: sum('connection'),
        flows: data.flows.evicted,
        agents: data.activity.evictedAgents,
      };
    },
  };
  return model;
}
