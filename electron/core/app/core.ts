// The core both hosts run: the planes, each plane's session state (a
// PlaneMonitor), and a frame pipeline per view. The Electron main process and
// the browser-mode host are adapters around this.

import {
  type AgentDetail,
  type Alert,
  type AlertAction,
  agentLabel,
  agentNumber,
  type AppInfo,
  type CommandResult,
  commandName,
  type FrameMessage,
  HISTORY_BACKFILL_BYTES,
  HISTORY_BACKFILL_EVENTS,
  HISTORY_PAGE_BYTES,
  type HistoryPage,
  type HistoryRequest,
  IpcValidationError,
  IPC_CHANNELS,
  type InspectRequest,
  MAX_SEARCH_RESULTS,
  MONITOR_RETIRED_PLANES,
  type PlaneAction,
  type PlaneActionResult,
  type PlaneCommand,
  type PlaneEvent,
  readEvent,
  type ReplayAction,
  type ReplayGroupAction,
  type ReplayGroupState,
  type ReplayMoment,
  type ReplayMomentResult,
  type ReplaySeries,
  type ReplayEntry,
  type ReplayMarkers,
  type ReplayRef,
  type ReplayState,
  SEARCH_NAMESPACES_PER_PLANE,
  type SearchMatch,
  type SearchRequest,
  type SearchResult,
  SLOT_EMPTY,
  STATE_UNKNOWN,
  stateName,
  type ViewScope,
} from '../../../shared/index.js';
import { Plane, type PlaneConfig, type PlaneListener } from '../connection/index.js';
import { type MonitorOptions, PlaneMonitor } from '../monitor/index.js';
import { FramePipeline, type PipelineOptions, PlaneFlows } from '../pipeline/index.js';
import { CLIENT_VERSION, keptString } from '../protocol/index.js';
import type { InboundListener, TimelineEntry } from '../recording/index.js';
import { Timeline } from './timeline.js';


export interface View {
  ack(seq: number): void;
  /** The view's hello: it has subscribed, so frames may flow, of the planes of its scope (absent: every plane). */
  hello(host: AppInfo['host'], scope?: ViewScope): AppInfo;
  close(): void;
  /** The planes the view shows, as its last hello named them; null: every plane. */
  scope(): readonly string[] | null;
  readonly pipeline: FramePipeline;
}

export class SwarmCore {
  /** The planes, in the order they were added; changes only through addPlane / removePlane. */
  readonly planes: Plane[] = [];
  private readonly views = new Set<FramePipeline>();
  private readonly eventListeners = new Set<(ev: PlaneEvent) => void>();
  private readonly inboundListeners = new Set<InboundListener>();
  /** Planes fed by something else (recordings): never connected. */
  private readonly offline = new WeakSet<Plane>();
  private started = false;
  /** Open recordings and rewound planes, and the synced timeline over them (app/timeline.ts). */
  private readonly timeline = new Timeline();
  /** Per plane, agent id → namespace as message.sent names it (search by namespace when metadata has none). */
  private readonly namespaces = new Map<string, Map<number, string>>();
  /** Each plane's session state, by plane id (also for a plane fed by a recording). */
  private readonly monitors = new Map<string, PlaneMonitor>();
  /** Each plane's flow table (message.flow.stats and message.sent fold into it), by plane id. */
  private readonly flowTables = new Map<string, PlaneFlows>();
  /** The next seq of removed planes' ids, so a plane re-added under its id continues its sequence (bounded: MONITOR_RETIRED_PLANES). */
  private readonly retiredSeq = new Map<string, number>();
  private tickTimer: NodeJS.Timeout | null = null;
  /** Why a command to a plane is refused now (a rewound plane), or null. */
  private commandRefusal: (plane: string) => string | null = () => null;

  constructor(
    configs: readonly PlaneConfig[],
    private readonly pipelineOptions: PipelineOptions = {},
    private readonly monitorOptions: MonitorOptions = {},
  ) {
    for (const c of configs) this.addPlane(c);
  }

  start(): void {
    this.started = true;
    // Time-based alert changes: silences that run out, errors that stayed quiet.
    this.tickTimer ??= setInterval(() => {
      const now = Date.now();
      for (const m of this.monitors.values()) m.tick(now);
    }, 1000);
    this.tickTimer.unref();
    for (const p of this.planes) if (!this.offline.has(p)) p.connect();
  }

  /** The session state of the plane with this id (made on first use). */
  monitor(id: string): PlaneMonitor {
    let m = this.monitors.get(id);
    if (!m) {
      m = new PlaneMonitor(id, this.monitorOptions, this.retiredSeq.get(id) ?? 0);
      this.retiredSeq.delete(id);
      this.monitors.set(id, m);
    }
    return m;
  }

  /** The flow table of the plane with this id (made on first use). */
  flows(id: string): PlaneFlows {
    let f = this.flowTables.get(id);
    if (!f) this.flowTables.set(id, (f = new PlaneFlows(this.pipelineOptions.flowEntries)));
    return f;
  }

  /** Every plane's session state (the history benchmark reads their counts). */
  monitorList(): readonly PlaneMonitor[] {
    return [...this.monitors.values()];
  }

  /** Adds a plane at run time (a profile connected from the UI, a recording opened); it connects at once when the core has started. Throws on a duplicate id. */
  addPlane(config: PlaneConfig): Plane {
    if (this.plane(config.id)) throw new Error(`a plane with id "${config.id}" is already open`);
    const plane = new Plane(config, this.listenerFor(config.id));
    this.planes.push(plane);
    if (this.started) plane.connect();
    return plane;
  }

  /** What a plane of this id reports to: its events to every view and onEvent listener, its inbound messages to onInbound listeners. */
  listenerFor(id: string): PlaneListener {
    return {
      event: (ev) => {
        if (ev.type === 'message.sent') this.learnNamespaces(id, ev);
        // Flow updates fold into the plane's flow table (views get it in frames); a sample of them is logged and sent as events.
        if (this.flows(id).fold(ev) === 'folded') this.monitor(id).noteFolded();
        else {
          // The plane's session state numbers it (its seq from here on) and keeps it.
          this.monitor(id).ingest(ev);
          for (const v of this.views) v.push(ev);
        }
        for (const l of this.eventListeners) l(ev);
      },
      inbound: (endpoint, data, isBinary, receivedAt) => {
        if (this.inboundListeners.size === 0) return; // the hot path when nothing records
        for (const l of this.inboundListeners) l(id, endpoint, data, isBinary, receivedAt);
      },
    };
  }

  /**
   * Puts a plane built elsewhere (a replayed recording, with listenerFor's
   * listener) in place of the open plane with its id, or after the others.
   * It is never connected; the plane it replaces is closed.
   */
  putPlane(plane: Plane): void {
    this.offline.add(plane);
    // A replay's seek starts the plane's flows again (latest wins by the plane's time, and time went back).
    this.flowTables.delete(plane.config.id);
    const i = this.planes.findIndex((p) => p.config.id === plane.config.id);
    if (i < 0) {
      this.planes.push(plane);
      return;
    }
    const old = this.planes[i]!;
    this.planes[i] = plane;
    if (old !== plane) old.close();
  }

  /** Every inbound message of every plane (the recorder). Returns the unsubscribe function. */
  onInbound(listener: InboundListener): () => void {
    this.inboundListeners.add(listener);
    return () => this.inboundListeners.delete(listener);
  }

  /** Closes a plane and removes it from every view; false when there is none by that id. */
  removePlane(id: string): boolean {
    const i = this.planes.findIndex((p) => p.config.id === id);
    if (i < 0) return false;
    const [plane] = this.planes.splice(i, 1);
    this.monitors.get(id)?.userClosed();
    plane!.close();
    this.namespaces.delete(id);
    this.flowTables.delete(id);
    this.retireMonitor(id);
    return true;
  }

  private retireMonitor(id: string): void {
    const m = this.monitors.get(id);
    if (!m) return;
    this.monitors.delete(id);
    this.retiredSeq.delete(id);
    this.retiredSeq.set(id, m.nextSeq);
    if (this.retiredSeq.size > MONITOR_RETIRED_PLANES) this.retiredSeq.delete(this.retiredSeq.keys().next().value!);
  }

  private learnNamespaces(plane: string, ev: PlaneEvent): void {
    const v = readEvent(ev);
    if (v.kind !== 'message') return;
    let m = this.namespaces.get(plane);
    if (!m) this.namespaces.set(plane, (m = new Map()));
    for (const x of [v.from, ...v.to]) {
      if (x.namespace === undefined) continue;
      const id = agentNumber(x.id);
      if (id === null || (!m.has(id) && m.size >= SEARCH_NAMESPACES_PER_PLANE)) continue;
      if (m.get(id) !== x.namespace) m.set(id, keptString(x.namespace, 200));
    }
  }

  /** Whether the plane of this id is open and connected by the core (not fed by a recording). */
  isLive(id: string): boolean {
    const p = this.plane(id);
    return p !== undefined && !this.offline.has(p);
  }

  /** The plane with this id, if open. */
  plane(id: string): Plane | undefined {
    return this.planes.find((p) => p.config.id === id);
  }

  /** Registers an opened recording (its planes are already in the core) for the timeline; returns its id. */
  addReplay(replay: TimelineEntry): number {
    return this.timeline.add(replay);
  }

  replayList(): ReplayEntry[] {
    return this.timeline.list();
  }

  /** One timeline control; null when there is no recording by that id. */
  replayAction(req: ReplayAction): Promise<ReplayState | null> {
    return this.timeline.action(req);
  }

  replayMarkers(req: ReplayRef): Promise<ReplayMarkers | null> {
    return this.timeline.markers(req);
  }

  replaySeries(req: ReplayRef): Promise<ReplaySeries | null> {
    return this.timeline.series(req);
  }

  /** Opens a replayed plane's moment (app/synced.ts). */
  replayMoment(req: ReplayMoment): Promise<ReplayMomentResult> {
    return this.timeline.moment(req);
  }

  /** The synced timeline's requests (app/synced.ts). */
  replayGroupAction(req: ReplayGroupAction): Promise<ReplayGroupState | null> {
    return this.timeline.group(req);
  }

  stop(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    this.timeline.closeAll();
    for (const v of this.views) v.stop();
    this.views.clear();
    for (const p of this.planes) p.close();
  }

  /** Every event of every plane, as it arrives (the CLI's tail). Returns the unsubscribe function. */
  onEvent(listener: (ev: PlaneEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The open views' pipelines (their stats: frames, superseded positions). */
  viewPipelines(): readonly FramePipeline[] {
    return [...this.views];
  }

  /** A new window or tab: its own pipeline, starting with a full frame. */
  openView(sink: (frame: FrameMessage) => void): View {
    const pipeline = new FramePipeline(() => this.planes, sink, this.pipelineOptions, (id) => this.monitors.get(id), (id) => this.flowTables.get(id));
    this.views.add(pipeline);
    pipeline.start();
    let scope: readonly string[] | null = null;
    return {
      pipeline,
      scope: () => scope,
      ack: (seq) => pipeline.ack(seq),
      hello: (host, asked) => {
        // Every hello (a reloaded page says it again) is answered with its planes' session state, then a complete first frame of its scope and the changes after.
        const planes = (scope = asked?.planes ?? null);
        pipeline.scope(planes);
        const info = this.hello(host, planes);
        pipeline.backfilled();
        pipeline.markReady();
        return info;
      },
      close: () => {
        pipeline.stop();
        this.views.delete(pipeline);
      },
    };
  }

  /** Sets what refuses commands to a plane for now (the rewind service: a rewound plane's). */
  refuseCommandsWhen(refusal: (plane: string) => string | null): void {
    this.commandRefusal = refusal;
  }

  /** Sends a command to a plane; resolves with its tracked result, never rejects. Logged with its result in the plane's session state, for every view. */
  command(cmd: PlaneCommand): Promise<CommandResult> {
    const plane = this.plane(cmd.plane);
    if (!plane) {
      return Promise.resolve({ status: 'refused', plane: cmd.plane, command: commandName(cmd.request), code: 'UNKNOWN_PLANE', message: `no plane "${cmd.plane}"` });
    }
    const m = this.monitor(cmd.plane);
    const id = m.commandSent(cmd.request);
    const refused = this.commandRefusal(cmd.plane);
    if (refused !== null) {
      // Logged with its refusal for every view: the operator sees why it did not go.
      const result: CommandResult = { status: 'refused', plane: cmd.plane, command: commandName(cmd.request), code: 'REWOUND', message: refused };
      m.commandSettled(id, cmd.request, result);
      return Promise.resolve(result);
    }
    return plane.command(cmd.request).then((result) => {
      // The plane may have been removed meanwhile: its state went with it.
      if (this.monitors.get(cmd.plane) === m) m.commandSettled(id, cmd.request, result);
      return result;
    });
  }

  /**
   * Older events for a view: one plane's before `beforeSeq` (its newest
   * without), or each plane of the view's scope's newest. A plane outside the
   * scope or not open is refused, naming the field.
   */
  historyPage(req: HistoryRequest, scope: readonly string[] | null = null): HistoryPage {
    const limit = req.limit ?? HISTORY_BACKFILL_EVENTS;
    const ids = req.plane !== undefined ? [req.plane] : this.shownPlanes(scope).map((p) => p.config.id);
    if (req.plane !== undefined && (!this.plane(req.plane) || (scope !== null && !scope.includes(req.plane)))) {
      throw new IpcValidationError(IPC_CHANNELS.history, 'plane', `no plane "${req.plane}" in this view`);
    }
    const bytes = Math.max(1, Math.floor(HISTORY_PAGE_BYTES / Math.max(1, ids.length)));
    return { pages: ids.map((id) => ({ plane: id, ...this.monitor(id).page(req.beforeSeq, limit, bytes) })) };
  }

  /** Acknowledge or silence an alert (kept here: every view sees it); null when there is none by that key. */
  alertAction(req: AlertAction): Alert | null {
    return this.monitors.get(req.plane)?.alertAction(req) ?? null;
  }

  /** One agent's details from its plane's store, or null. */
  inspect(req: InspectRequest, now = Date.now()): AgentDetail | null {
    const plane = this.plane(req.plane);
    if (!plane) return null;
    const s = plane.store;
    const slot = s.slotOf(req.id);
    if (slot < 0) return null;
    const state = s.state[slot]!;
    const at = (a: Float32Array, k: number): number => a[slot * 3 + k]!;
    return {
      plane: req.plane,
      id: req.id,
      state,
      stateName: state === STATE_UNKNOWN ? 'UNKNOWN' : stateName(state),
      pos: [at(s.pos, 0), at(s.pos, 1), at(s.pos, 2)],
      vel: [at(s.vel, 0), at(s.vel, 1), at(s.vel, 2)],
      metrics: { cpu: s.cpu[slot]!, mem: s.mem[slot]!, tasks: s.tasks[slot]!, successRate: s.successRate[slot]!, avgMs: s.avgMs[slot]! },
      lastSeenAgoMs: Math.max(0, now - s.lastSeen[slot]!),
      meta: s.meta.get(req.id) ?? null,
      capabilities: [...(s.capabilities.get(req.id)?.values() ?? [])],
      history: [...(s.history.get(req.id) ?? [])],
    };
  }

  /** Connect, disconnect or reconnect a plane (the Connections panel). */
  planeAction(req: PlaneAction): PlaneActionResult {
    const plane = this.plane(req.plane);
    if (!plane) return { plane: req.plane, ok: false, message: `no plane "${req.plane}"` };
    const refused = plane.state === 'AUTH_REQUIRED';
    if (req.action === 'connect') plane.connect();
    else if (req.action === 'disconnect') {
      this.monitor(req.plane).userClosed();
      plane.close();
    }
    else plane.reconnect();
    // A plane that refused its token stays AUTH_REQUIRED until it gets another: say so, not "RECONNECTING".
    if (refused && req.action !== 'disconnect') return { plane: req.plane, ok: false, state: 'AUTH_REQUIRED', message: 'the server refused the token: enter a token for this plane' };
    return { plane: req.plane, ok: true, state: plane.state };
  }

  /** A token for a plane that refused one: used for its own URL only, the plane reconnects with it. */
  planeToken(planeId: string, token: string): PlaneActionResult {
    const plane = this.plane(planeId);
    if (!plane || plane.config.replay) return { plane: planeId, ok: false, message: `no live plane "${planeId}"` };
    plane.setToken(token);
    if (plane.state !== 'AUTH_REQUIRED') plane.reconnect();
    return { plane: planeId, ok: true, state: plane.state };
  }

  /**
   * Agents of the open planes matching every given field: text against the
   * id ("agent-007", "7") and metadata name, namespace and name from metadata,
   * exact state name, capability name. At most `limit` returned, all counted.
   * Only the planes of `scope` are searched (a scoped view's; null: every plane).
   */
  search(req: SearchRequest, scope: readonly string[] | null = null): SearchResult {
    const limit = Math.min(req.limit ?? MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
    const lc = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim().toLowerCase());
    const text = lc(req.text);
    const ns = lc(req.namespace);
    const cap = lc(req.capability);
    const state = req.state?.trim() ? req.state.trim().toUpperCase() : undefined;
    const matches: SearchMatch[] = [];
    let total = 0;
    for (const p of this.planes) {
      if (req.plane !== undefined && !planeMatches(p.config, req.plane)) continue;
      if (scope !== null && !scope.includes(p.config.id)) continue;
      const s = p.store;
      for (let slot = 0; slot < s.slotCount; slot++) {
        const code = s.state[slot]!;
        if (code === SLOT_EMPTY) continue;
        const name = code === STATE_UNKNOWN ? 'UNKNOWN' : stateName(code);
        if (state !== undefined && name !== state) continue;
        const id = s.ids[slot]!;
        const meta = s.meta.get(id);
        const metaNs = typeof meta?.namespace === 'string' ? meta.namespace : this.namespaces.get(p.config.id)?.get(s.ids[slot]!);
        const metaName = typeof meta?.name === 'string' ? meta.name : undefined;
        if (ns !== undefined && !metaNs?.toLowerCase().includes(ns)) continue;
        const label = agentLabel(id);
        if (text !== undefined && !label.includes(text) && String(id) !== text && !metaName?.toLowerCase().includes(text)) continue;
        if (cap !== undefined) {
          const caps = s.capabilities.get(id);
          if (!caps || ![...caps.keys()].some((c) => c.toLowerCase().includes(cap))) continue;
        }
        total++;
        if (matches.length < limit) {
          const m: SearchMatch = { plane: p.config.id, id, label, stateName: name };
          if (metaNs !== undefined) m.namespace = metaNs;
          if (metaName !== undefined) m.name = metaName;
          matches.push(m);
        }
      }
    }
    return { matches, total, truncated: total > matches.length };
  }

  /** The app's identity, the planes a view of this scope shows (null: every plane) and their session state (the backfill). */
  hello(host: AppInfo['host'], scope: readonly string[] | null = null): AppInfo {
    const shown = this.shownPlanes(scope);
    const bytes = Math.max(1, Math.floor(HISTORY_BACKFILL_BYTES / Math.max(1, shown.length)));
    return {
      version: CLIENT_VERSION,
      host,
      planes: shown.map((p) => ({ plane: p.config.id, label: p.config.label, url: p.config.url, color: p.config.color })),
      scope: scope === null ? null : [...scope],
      history: shown.map((p) => this.monitor(p.config.id).history(HISTORY_BACKFILL_EVENTS, bytes)),
    };
  }

  private shownPlanes(scope: readonly string[] | null): Plane[] {
    return scope === null ? this.planes : this.planes.filter((p) => scope.includes(p.config.id));
  }
}

/** `plane:` in a search: the plane's id exactly, or a prefix of its id or its shown name, case-insensitive. */
export function planeMatches(config: Pick<PlaneConfig, 'id' | 'label'>, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const id = config.id.toLowerCase();
  return id === q || id.startsWith(q) || config.label.toLowerCase().startsWith(q);
}
