// One plane's session state in the core (docs/ARCHITECTURE.md, "Session
// state"): the event log, alerts, coordination rounds, the command log,
// metric series and connection history. The core feeds it every event of the
// plane and every command sent to it; views are answered from it (a hello's
// backfill, history pages, the changes a frame carries). It numbers the
// plane's events: `seq` is the event's identity in every view, one sequence
// per plane id, without gaps, kept across reconnects and across the Plane
// objects a replay's seek makes. Every structure is bounded and counts what
// it evicts (MonitorCounts).

import {
  type Alert,
  type AlertAction,
  type CommandRequest,
  type CommandResult,
  MAX_EVENT_BYTES,
  type MonitorCounts,
  type MonitorDelta,
  MONITOR_ALERTS,
  MONITOR_COMMAND_BYTES,
  MONITOR_COMMANDS,
  MONITOR_CONNECTION_NOTES,
  MONITOR_ERROR_QUIET_MS,
  MONITOR_EVENT_LOG_BYTES,
  MONITOR_EVENT_LOG_ENTRIES,
  MONITOR_METRIC_BUCKET_MS,
  MONITOR_METRIC_BUCKETS,
  MONITOR_METRIC_RECENT_MS,
  MONITOR_METRIC_RECENT_SAMPLES,
  MONITOR_ROUND_PARTICIPANTS,
  MONITOR_ROUNDS,
  MONITOR_TEXT_CHARS,
  type PlaneEvent,
  type PlaneHistory,
  readEvent,
} from '../../../shared/index.js';
import { AlertBook } from './alert-book.js';
import { AlertRules } from './alert-rules.js';
import { CommandLog } from './command-log.js';
import { ConnectionHistory } from './connection-history.js';
import { type EventPage, EventLog } from './event-log.js';
import { eventBytes, oversizedStub } from './event-size.js';
import { MetricSeries } from './metric-series.js';
import { Rounds } from './rounds.js';

/** The bounds (tests shrink them); defaults from shared/limits.ts. */
export interface MonitorOptions {
  eventEntries?: number;
  eventBytes?: number;
  maxEventBytes?: number;
  alerts?: number;
  textChars?: number;
  errorQuietMs?: number;
  rounds?: number;
  roundParticipants?: number;
  commands?: number;
  commandBytes?: number;
  metricRecentSamples?: number;
  metricRecentMs?: number;
  metricBucketMs?: number;
  metricBuckets?: number;
  connectionNotes?: number;
}

/** What changed in the structures besides the log (a frame's MonitorDelta without its plane and counts). */
export type MonitorChanges = Omit<MonitorDelta, 'plane' | 'counts'>;

export class PlaneMonitor {
  readonly log: EventLog;
  readonly alerts: AlertBook;
  readonly rounds: Rounds;
  readonly commands: CommandLog;
  readonly metrics: MetricSeries;
  readonly connection: ConnectionHistory;
  private readonly rules: AlertRules;
  private readonly maxEventBytes: number;
  private changeRev = 0;
  /** Flow updates folded into the core's flow table and not logged (pipeline/flow-fold.ts samples them). */
  private folded = 0;
  private seq: number;
  private readonly alertListeners = new Set<(a: Alert) => void>();

  constructor(
    readonly plane: string,
    opts: MonitorOptions = {},
    /** The seq of the first event (a plane re-added under its id continues its sequence). */
    firstSeq = 0,
  ) {
    this.seq = firstSeq;
    const rev = (): number => ++this.changeRev;
    const textChars = opts.textChars ?? MONITOR_TEXT_CHARS;
    this.maxEventBytes = opts.maxEventBytes ?? MAX_EVENT_BYTES;
    this.log = new EventLog(opts.eventEntries ?? MONITOR_EVENT_LOG_ENTRIES, opts.eventBytes ?? MONITOR_EVENT_LOG_BYTES);
    this.alerts = new AlertBook(plane, rev, (a) => this.transition(a), { maxAlerts: opts.alerts ?? MONITOR_ALERTS, textChars });
    this.rules = new AlertRules(this.alerts, opts.errorQuietMs ?? MONITOR_ERROR_QUIET_MS);
    this.rounds = new Rounds(plane, rev, { maxRounds: opts.rounds ?? MONITOR_ROUNDS, maxParticipants: opts.roundParticipants ?? MONITOR_ROUND_PARTICIPANTS, textChars });
    this.commands = new CommandLog(plane, rev, { maxCommands: opts.commands ?? MONITOR_COMMANDS, maxBytes: opts.commandBytes ?? MONITOR_COMMAND_BYTES });
    this.metrics = new MetricSeries(rev, {
      recentSamples: opts.metricRecentSamples ?? MONITOR_METRIC_RECENT_SAMPLES,
      recentMs: opts.metricRecentMs ?? MONITOR_METRIC_RECENT_MS,
      bucketMs: opts.metricBucketMs ?? MONITOR_METRIC_BUCKET_MS,
      buckets: opts.metricBuckets ?? MONITOR_METRIC_BUCKETS,
    });
    this.connection = new ConnectionHistory(rev, { maxNotes: opts.connectionNotes ?? MONITOR_CONNECTION_NOTES, textChars });
  }

  /** The seq the next event gets. */
  get nextSeq(): number {
    return this.seq;
  }

  /** The change number of the newest change to alerts, rounds, commands, metrics or connection history. */
  get rev(): number {
    return this.changeRev;
  }

  /**
   * Takes one event of the plane: gives it the plane's next seq (in place:
   * the event is the core's from here on), logs it (a stub when larger than
   * MAX_EVENT_BYTES) and applies it to every structure. Returns it.
   */
  ingest(ev: PlaneEvent): PlaneEvent {
    ev.seq = this.seq++;
    const bytes = eventBytes(ev);
    this.log.push(bytes > this.maxEventBytes ? oversizedStub(ev, bytes, this.maxEventBytes) : ev);
    const v = readEvent(ev);
    const now = ev.at;
    this.rules.event(ev, v, now);
    this.connection.event(ev, v, now);
    if (v.kind === 'coordination') this.rounds.apply(v, now);
    else if (v.kind === 'metrics') this.metrics.push(now, v.values);
    return ev;
  }

  /** A flow update was folded into the plane's flow table instead of being logged (counted, shown with the counts). */
  noteFolded(): void {
    this.folded++;
  }

  /** A command was sent to the plane (from any view); returns its number for commandSettled. */
  commandSent(req: CommandRequest, now = Date.now()): number {
    return this.commands.sent(req, now);
  }

  commandSettled(id: number, req: CommandRequest, result: CommandResult, now = Date.now()): void {
    this.commands.settled(id, result, now);
    this.rules.command(req, result, now);
  }

  /** The operator closes the plane: its CLOSED is no outage, and its down and stale alerts resolve. */
  userClosed(now = Date.now()): void {
    this.rules.userClosed(now);
  }

  /** Acknowledge or silence; null when there is no such alert. */
  alertAction(a: AlertAction, now = Date.now()): Alert | null {
    switch (a.action) {
      case 'acknowledge':
        return this.alerts.acknowledge(a.key, true);
      case 'unacknowledge':
        return this.alerts.acknowledge(a.key, false);
      case 'silence':
        return this.alerts.silence(a.key, now + a.forMs);
      case 'unsilence':
        return this.alerts.silence(a.key, null);
    }
  }

  /** Time-based changes: silences that ran out, errors that stayed quiet. */
  tick(now = Date.now()): void {
    this.alerts.expireSilences(now);
    this.rules.tick(now);
  }

  /** Every alert transition (firing, resolved), as it happens. Returns the unsubscribe function. */
  onAlert(listener: (a: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** A hello's backfill: the newest events (at most `maxEvents` and `maxBytes`), and every other structure whole. */
  history(maxEvents: number, maxBytes: number): PlaneHistory {
    const page = maxEvents > 0 ? this.log.page(undefined, maxEvents, maxBytes) : { events: [], more: this.log.size > 0 };
    return {
      plane: this.plane,
      events: page.events,
      moreEvents: page.more,
      alerts: this.alerts.list(),
      rounds: this.rounds.list(),
      commands: this.commands.list(),
      metrics: this.metrics.list(),
      connection: this.connection.list(),
      counts: this.counts(),
    };
  }

  /** Events before `beforeSeq` (absent: the newest), oldest first. */
  page(beforeSeq: number | undefined, limit: number, maxBytes: number): EventPage & { evicted: number } {
    return { ...this.log.page(beforeSeq, limit, maxBytes), evicted: this.log.evicted };
  }

  /** What changed after change number `rev` (events excepted: they travel on their own). */
  changesSince(rev: number): MonitorChanges {
    return {
      alerts: this.alerts.since(rev),
      rounds: this.rounds.since(rev),
      commands: this.commands.since(rev),
      metrics: this.metrics.since(rev),
      connection: this.connection.since(rev),
    };
  }

  counts(): MonitorCounts {
    return {
      plane: this.plane,
      firstSeq: this.log.firstSeq,
      lastSeq: this.log.lastSeq,
      events: this.log.counts(),
      alerts: this.alerts.counts(),
      rounds: this.rounds.counts(),
      commands: this.commands.counts(),
      metrics: this.metrics.counts(),
      connection: this.connection.counts(),
      flowUpdatesFolded: this.folded,
    };
  }

  private transition(a: Alert): void {
    for (const l of this.alertListeners) l(a);
  }
}
