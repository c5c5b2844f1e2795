// Frames for one view (an Electron window or a browser tab). As soon as the
// view is free after a store change, and never faster than the display rate,
// it sends one FrameMessage holding, for each plane whose store changed, the
// slot arrays, plus every event since the last frame. At most one frame is in
// flight: until the view acknowledges it, newer positions overwrite older ones
// in the store (latest wins, each superseded position message counted) and
// events queue. High and critical events flush at once instead of waiting for
// the next tick (still one frame in flight). Nothing is sent before the view
// says it is ready (it has subscribed), and a frame's events are held until
// acknowledged: if the ack times out they are sent again (the renderer drops
// repeats by per-plane seq), so no event is lost to a view that reloaded.
//
// Every buffer is bounded (shared/limits.ts): a view that stalls, or a
// plane that floods, costs counted drops, never unbounded memory. The queue
// sheds low-priority updates first (older updates of the same agent coalesce
// into the newest), critical events last; a frame carries at most
// MAX_FRAME_EVENT_BYTES of events; an unacknowledged frame is re-sent after a
// wait that doubles each time, not with every event that arrives.
//
// Each plane's session state (monitor/) reaches the view as changes: a frame
// carries, per plane, what changed since the view's last acknowledged frame
// (alerts, rounds, commands, metric samples, connection notes, counts). A
// hello's answer carries the state itself (SwarmCore.hello); backfilled()
// then starts the changes from there, and drops the events queued before it
// (the answer has them).
//
// Each plane's flow table (flow-fold.ts) reaches the view like positions:
// the flows changed since its last frame, latest figures only, after the
// positions and states (flow-frames.ts).

import {
  ACK_TIMEOUT_MS,
  type FrameMessage,
  MAX_EVENT_BYTES,
  type MonitorDelta,
  MAX_FRAME_EVENT_BYTES,
  MAX_QUEUED_EVENT_BYTES_PER_VIEW,
  MAX_QUEUED_EVENTS_PER_VIEW,
  MAX_RESEND_BACKOFF_MS,
  type PipelineStats,
  type PlaneEvent,
  type PlaneFrame,
  PRIORITIES,
} from '../../../shared/index.js';
import type { Plane } from '../connection/index.js';
import { eventBytes, oversizedStub, type PlaneMonitor } from '../monitor/index.js';
import { EventBudget } from './event-budget.js';
import type { PlaneFlows } from './flow-fold.js';
import { FlowFrames, type FlowRevs } from './flow-frames.js';
import { newPlaneCursor, type PlaneCursor, planeFrame } from './position-frames.js';

/** Called synchronously; the frame's typed arrays are only valid during the call (they view live buffers). */
export type FrameSink = (frame: FrameMessage) => void;

export interface PipelineOptions {
  /** The most frames per second (the display rate). */
  rateHz?: number;
  /** The safety-net tick; defaults to 1/rateHz. */
  tickMs?: number;
  /** An unacknowledged frame older than this is presumed lost and the slot freed (the first wait; it doubles per re-send). */
  ackTimeoutMs?: number;
  /** Bounds (tests shrink them); defaults from limits.ts. */
  maxQueuedEvents?: number;
  maxQueuedEventBytes?: number;
  maxFrameEventBytes?: number;
  maxEventBytes?: number;
  maxResendBackoffMs?: number;
  /** Flows held per plane (the core's flow tables; MAX_FLOWS_PER_PLANE). */
  flowEntries?: number;
}

/** Update types where a newer one of the same agent (or flow) makes an older one moot. */
const COALESCE_TYPES = new Set(['agent.performance.update', 'status_update', 'heartbeat', 'system.metrics', 'message.flow.stats']);
function coalesceKey(ev: PlaneEvent): string | null {
  if (!COALESCE_TYPES.has(ev.type) || ev.origin === 'client') return null;
  const flow = typeof ev.payload.flowId === 'string' ? ev.payload.flowId : '';
  return `${ev.plane}\0${ev.type}\0${ev.agentId ?? ''}\0${flow}`;
}
const rank = (ev: PlaneEvent): number => PRIORITIES.indexOf(ev.priority);

/** Per plane and view: the session state changes sent (by change number) and acknowledged. */
interface MonitorCursor {
  monitor: PlaneMonitor;
  sent: number;
  acked: number;
  /** The newest event seq the counts sent covered. */
  lastSeq: number;
}

export class FramePipeline {
  private readonly rateMs: number;
  private readonly tickMs: number;
  private readonly ackTimeoutMs: number;
  private readonly maxQueuedEvents: number;
  private readonly maxQueuedEventBytes: number;
  private readonly maxFrameEventBytes: number;
  private readonly maxEventBytes: number;
  private readonly maxResendBackoffMs: number;
  private resendWaitMs: number;
  /** Event bytes per frame: less while the view acknowledges slowly (event-budget.ts). */
  private readonly budget: EventBudget;
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushScheduled = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastSentAt = -Infinity;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly subscribed = new Set<string>();
  private seq = 0;
  private inFlight: { seq: number; since: number; events: PlaneEvent[]; bytes: number; revs: [MonitorCursor, number][]; flowRevs: FlowRevs } | null = null;
  private readonly flows: FlowFrames;
  private readonly monitorCursors = new Map<string, MonitorCursor>();
  private events: PlaneEvent[] = [];
  private ready = false;
  private readonly cursors = new Map<string, PlaneCursor>();
  private statusKey = '';
  /** The planes this view shows (a plane in its own window); null: every plane. */
  private only: ReadonlySet<string> | null = null;
  readonly stats: Required<PipelineStats> = {
    framesSent: 0,
    supersededPositions: 0,
    eventsQueued: 0,
    eventsSent: 0,
    framesTimedOut: 0,
    eventsCoalesced: 0,
    eventsDropped: 0,
    eventsDroppedHigh: 0,
    eventsOversized: 0,
    eventBytesQueued: 0,
    resendWaitMs: 0,
    rejectedMessages: 0,
    flowsSent: 0,
    flowUpdatesSuperseded: 0,
  };

  constructor(
    private readonly planes: () => readonly Plane[],
    private readonly sink: FrameSink,
    opts: PipelineOptions = {},
    /** Each plane's session state (none: frames carry no changes of it). */
    private readonly monitorOf: (plane: string) => PlaneMonitor | undefined = () => undefined,
    /** Each plane's flow table (none: frames carry no flows). */
    flowsOf: (plane: string) => PlaneFlows | undefined = () => undefined,
  ) {
    this.flows = new FlowFrames(flowsOf);
    this.rateMs = 1000 / (opts.rateHz ?? 60);
    this.tickMs = opts.tickMs ?? this.rateMs;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.maxQueuedEvents = opts.maxQueuedEvents ?? MAX_QUEUED_EVENTS_PER_VIEW;
    this.maxQueuedEventBytes = opts.maxQueuedEventBytes ?? MAX_QUEUED_EVENT_BYTES_PER_VIEW;
    this.maxFrameEventBytes = opts.maxFrameEventBytes ?? MAX_FRAME_EVENT_BYTES;
    this.maxEventBytes = opts.maxEventBytes ?? MAX_EVENT_BYTES;
    this.maxResendBackoffMs = Math.max(this.ackTimeoutMs, opts.maxResendBackoffMs ?? MAX_RESEND_BACKOFF_MS);
    this.resendWaitMs = this.ackTimeoutMs;
    this.stats.resendWaitMs = this.resendWaitMs;
    this.budget = new EventBudget(this.maxFrameEventBytes);
  }

  /** The host refused a message from this view (counted in the view's stats). */
  noteRejected(): void {
    this.stats.rejectedMessages++;
  }

  start(): void {
    if (this.timer) return;
    // The tick is the safety net (status-only changes, ack timeouts); store changes send sooner.
    this.timer = setInterval(() => {
      this.subscribe();
      this.flush();
    }, this.tickMs);
    this.subscribe();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const u of this.unsubscribe.splice(0)) u();
    this.subscribed.clear();
  }

  /**
   * Limits the view to these planes (null: every plane). Events of other
   * planes are not queued for it, and are not counted as drops: they were
   * never the view's. The next frame is complete, as a first one is.
   */
  scope(planes: readonly string[] | null): void {
    this.only = planes === null ? null : new Set(planes);
    for (const c of this.cursors.values()) c.version = -1;
    this.flows.reset();
    this.statusKey = '';
    const only = this.only;
    if (only !== null) {
      this.events = this.events.filter((ev) => only.has(ev.plane));
      this.queuedBytes = this.events.reduce((n, ev) => n + eventBytes(ev), 0);
      this.noteQueue();
    }
  }

  /** The planes in this view's scope, in the core's order. */
  private shown(): readonly Plane[] {
    const all = this.planes();
    const only = this.only;
    return only === null ? all : all.filter((p) => only.has(p.config.id));
  }

  /** Listens to every plane's store (planes may be added later: called on each tick). */
  private subscribe(): void {
    for (const p of this.shown()) {
      if (this.subscribed.has(p.config.id)) continue;
      this.subscribed.add(p.config.id);
      this.unsubscribe.push(p.store.onChange(() => this.requestFlush()));
    }
  }

  /** A frame as soon as the view is free, but never more often than the display rate. */
  private requestFlush(): void {
    if (!this.ready || this.inFlight || this.flushScheduled || this.flushTimer) return;
    const wait = this.lastSentAt + this.rateMs - performance.now();
    if (wait <= 0) this.scheduleFlush();
    else
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, wait);
  }

  /** The view has subscribed: from now on frames are sent, the first one complete. */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.scheduleFlush();
  }

  /**
   * The view has just been answered with its planes' session state (a hello):
   * changes start from there, the events queued so far are in that answer
   * (not drops), and a frame still unacknowledged from before is forgotten.
   */
  backfilled(): void {
    const only = this.only;
    this.events = only === null ? [] : this.events.filter((ev) => !only.has(ev.plane));
    this.queuedBytes = this.events.reduce((n, ev) => n + eventBytes(ev), 0);
    this.noteQueue();
    this.inFlight = null;
    this.monitorCursors.clear();
    for (const p of this.shown()) {
      const m = this.monitorOf(p.config.id);
      if (m) this.monitorCursors.set(p.config.id, { monitor: m, sent: m.rev, acked: m.rev, lastSeq: m.log.lastSeq });
    }
  }

  /** Queues an event for this view; high and critical ones are sent at once, the rest at the display rate. */
  push(ev: PlaneEvent): void {
    if (this.only !== null && !this.only.has(ev.plane)) return;
    let bytes = eventBytes(ev);
    if (bytes > this.maxEventBytes) {
      this.stats.eventsOversized++;
      ev = oversizedStub(ev, bytes);
      bytes = eventBytes(ev);
    }
    this.events.push(ev);
    this.queuedBytes += bytes;
    if (this.events.length > this.maxQueuedEvents || this.queuedBytes > this.maxQueuedEventBytes) this.shed();
    this.noteQueue();
    if (ev.priority === 'high' || ev.priority === 'critical') this.scheduleFlush();
    else this.requestFlush();
  }

  private noteQueue(): void {
    this.stats.eventsQueued = this.events.length;
    this.stats.eventBytesQueued = this.queuedBytes;
  }

  /**
   * Brings the queue to three quarters of its bounds (so shedding is
   * amortised, not per event): first older low/normal updates that a newer
   * one of the same agent supersedes, then the oldest events by priority,
   * low first and critical last. Order is kept; every removal is counted.
   */
  private shed(): void {
    const targetLen = Math.floor(this.maxQueuedEvents * 0.75);
    const targetBytes = Math.floor(this.maxQueuedEventBytes * 0.75);
    const over = (): boolean => this.events.length > targetLen || this.queuedBytes > targetBytes;
    const q = this.events;
    const keep = new Uint8Array(q.length).fill(1);
    let len = q.length;
    const seen = new Set<string>();
    for (let i = q.length - 1; i >= 0 && (len > targetLen || this.queuedBytes > targetBytes); i--) {
      const ev = q[i]!;
      if (rank(ev) > 1) continue;
      const key = coalesceKey(ev);
      if (key === null) continue;
      if (seen.has(key)) {
        keep[i] = 0;
        len--;
        this.queuedBytes -= eventBytes(ev);
        this.stats.eventsCoalesced++;
      } else seen.add(key);
    }
    for (let r = 0; r < PRIORITIES.length && (len > targetLen || this.queuedBytes > targetBytes); r++) {
      for (let i = 0; i < q.length && (len > targetLen || this.queuedBytes > targetBytes); i++) {
        if (keep[i] === 0 || rank(q[i]!) !== r) continue;
        keep[i] = 0;
        len--;
        this.queuedBytes -= eventBytes(q[i]!);
        this.stats.eventsDropped++;
        if (r >= 2) this.stats.eventsDroppedHigh++;
      }
    }
    this.events = q.filter((_, i) => keep[i] === 1);
    if (over()) this.queuedBytes = this.events.reduce((n, ev) => n + eventBytes(ev), 0);
  }

  ack(seq: number): void {
    if (this.inFlight && seq >= this.inFlight.seq) {
      this.budget.acked(performance.now() - this.lastSentAt, this.inFlight.bytes);
      for (const [c, rev] of this.inFlight.revs) c.acked = Math.max(c.acked, rev);
      this.flows.acked(this.inFlight.flowRevs);
      this.inFlight = null;
      // The view keeps up again: the next lost frame waits the first timeout, not the backed-off one.
      this.resendWaitMs = this.ackTimeoutMs;
      this.stats.resendWaitMs = this.resendWaitMs;
      // The view is free: send what waits as soon as the rate allows (acks drive the rate too).
      this.requestFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Builds and sends a frame if the view is free and anything changed. Returns whether one was sent. */
  flush(now = Date.now()): boolean {
    if (!this.ready) return false;
    if (this.inFlight) {
      if (now - this.inFlight.since < this.resendWaitMs) return false;
      // Presumed lost (view reloaded or hung): free the slot and send its events again, within the bounds (and a smaller budget).
      this.budget.acked(now - this.inFlight.since, this.inFlight.bytes);
      this.events = this.inFlight.events.concat(this.events);
      this.queuedBytes += this.inFlight.bytes;
      // Its session state changes go again too (everything since the last acknowledged frame).
      for (const [c] of this.inFlight.revs) {
        c.sent = c.acked;
        c.lastSeq = -2;
      }
      this.flows.lost(this.inFlight.flowRevs);
      this.inFlight = null;
      this.stats.framesTimedOut++;
      this.resendWaitMs = Math.min(this.maxResendBackoffMs, this.resendWaitMs * 2);
      this.stats.resendWaitMs = this.resendWaitMs;
      if (this.events.length > this.maxQueuedEvents || this.queuedBytes > this.maxQueuedEventBytes) this.shed();
    }
    const positions: PlaneFrame[] = [];
    const shown = this.shown();
    for (const p of shown) {
      let c = this.cursors.get(p.config.id);
      if (!c) this.cursors.set(p.config.id, (c = newPlaneCursor()));
      const frame = planeFrame(p, c, this.stats);
      if (frame) positions.push(frame);
    }
    const statuses = shown.map((p) => p.status());
    const key = JSON.stringify(statuses.map((s) => [s.state, s.reason, s.agents]));
    const { deltas, revs } = this.monitorDeltas(shown);
    // Flows after positions and states: the view applies them in this order.
    const { frames: flows, revs: flowRevs } = this.flows.build(shown.map((p) => p.config.id), now, this.stats);
    if (positions.length === 0 && flows.length === 0 && this.events.length === 0 && deltas.length === 0 && key === this.statusKey) return false;
    this.statusKey = key;
    // At most the budget's bytes of events per frame (at least one event): the rest wait for the next.
    let take = 0;
    let bytes = 0;
    while (take < this.events.length) {
      const b = eventBytes(this.events[take]!);
      if (take > 0 && bytes + b > this.budget.bytes) break;
      bytes += b;
      take++;
    }
    const events = take === this.events.length ? this.events : this.events.slice(0, take);
    this.events = take === this.events.length ? [] : this.events.slice(take);
    this.queuedBytes = this.events.length === 0 ? 0 : Math.max(0, this.queuedBytes - bytes);
    const seq = this.seq++;
    this.stats.framesSent++;
    this.stats.eventsSent += events.length;
    this.noteQueue();
    this.inFlight = { seq, since: now, events, bytes, revs, flowRevs };
    // Events left over go in the next frame, as soon as this one is acknowledged.
    this.lastSentAt = performance.now();
    const frame: FrameMessage = { seq, builtAt: now, planes: statuses, positions, ...(flows.length > 0 ? { flows } : {}), events, stats: { ...this.stats } };
    if (deltas.length > 0) frame.monitor = deltas;
    this.sink(frame);
    return true;
  }

  /** Per shown plane, what changed in its session state since the last frame sent (marked sent; acknowledged with the frame). */
  private monitorDeltas(shown: readonly Plane[]): { deltas: MonitorDelta[]; revs: [MonitorCursor, number][] } {
    const deltas: MonitorDelta[] = [];
    const revs: [MonitorCursor, number][] = [];
    for (const p of shown) {
      const m = this.monitorOf(p.config.id);
      if (!m) continue;
      let c = this.monitorCursors.get(p.config.id);
      if (!c || c.monitor !== m) {
        // A plane new to this view (or its state begun again): everything it holds is news.
        c = { monitor: m, sent: 0, acked: 0, lastSeq: -2 };
        this.monitorCursors.set(p.config.id, c);
      }
      if (m.rev === c.sent && m.log.lastSeq === c.lastSeq) continue;
      deltas.push({ plane: p.config.id, ...m.changesSince(c.sent), counts: m.counts() });
      c.sent = m.rev;
      c.lastSeq = m.log.lastSeq;
      revs.push([c, m.rev]);
    }
    return { deltas, revs };
  }
}
