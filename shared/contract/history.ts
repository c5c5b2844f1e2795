// The core's session state of a plane as views receive it (docs/ARCHITECTURE.md,
// "Session state"): alerts with their lifecycle, coordination rounds, the
// command log, metric samples, connection history, and what each structure
// holds and evicted. A hello is answered with the newest of each (PlaneHistory),
// frames carry what changed since (MonitorDelta), and older events are paged
// in on request (HistoryRequest → HistoryPage). Alert acknowledge and silence
// are requests too (AlertAction), kept in the core for every view.

import { z } from 'zod';
import { PlaneEventSchema } from '../events.js';
import {
  HISTORY_BACKFILL_EVENTS,
  HISTORY_PAGE_EVENTS,
  MONITOR_ALERTS,
  MONITOR_COMMANDS,
  MONITOR_CONNECTION_NOTES,
  MONITOR_METRIC_BUCKETS,
  MONITOR_METRIC_RECENT_SAMPLES,
  MONITOR_ROUND_PARTICIPANTS,
  MONITOR_ROUNDS,
  MONITOR_SILENCE_MAX_MS,
} from '../limits.js';
import { CommandRequestSchema, CommandResultSchema } from '../model.js';
import { METRIC_FIELDS } from '../payloads.js';

const int = z.number().int().nonnegative();
const planeId = z.string().min(1).max(200);

/** What raises an alert (docs/ARCHITECTURE.md, "Alerts"). */
export const ALERT_KINDS = ['agent_error', 'agent_lost', 'command_failed', 'error', 'plane_stale', 'plane_down', 'plane_alert'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_LEVELS = ['critical', 'error', 'warning', 'info'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const AlertSchema = z.object({
  /** `plane/kind` or `plane/kind/subject` (an agent, a flow, a command or an error code): the alert's identity. */
  key: z.string(),
  kind: z.enum(ALERT_KINDS),
  plane: z.string(),
  agent: z.string().optional(),
  flow: z.string().optional(),
  level: z.enum(ALERT_LEVELS),
  state: z.enum(['firing', 'resolved']),
  /** Times raised: each repeat of an error or failed command, each new episode of a condition. */
  count: int,
  /** When the current state began (firing: since it fired; resolved: since it resolved). */
  since: z.number(),
  /** When the current (or last) episode fired, and when it resolved (absent while firing). */
  firedAt: z.number(),
  resolvedAt: z.number().optional(),
  /** The first raise this alert remembers, and the latest. */
  firstAt: z.number(),
  lastAt: z.number(),
  message: z.string(),
  code: z.string().optional(),
  suggestedAction: z.string().optional(),
  /** Acknowledged by an operator since it last counted up. */
  acknowledged: z.boolean(),
  /** Silenced until then (ms since epoch): shown dimmed, no notification. */
  silencedUntil: z.number().optional(),
  /** The plane's change number of this alert's last change (a newer one replaces an older one). */
  rev: int,
});
export type Alert = z.infer<typeof AlertSchema>;

export const RoundSchema = z.object({
  key: z.string(),
  plane: z.string(),
  id: z.string(),
  pattern: z.string(),
  initiator: z.string().optional(),
  participants: z.array(z.object({ id: z.string(), role: z.string() })).max(MONITOR_ROUND_PARTICIPANTS),
  votes: z.array(z.object({ voter: z.string(), vote: z.string(), at: z.string().optional() })).max(MONITOR_ROUND_PARTICIPANTS),
  /** Fraction of votes in favour needed (0..1), when the round says. */
  threshold: z.number().optional(),
  timeoutMs: z.number().optional(),
  startedAt: z.number(),
  /** 0..1 as the plane reports it. */
  progress: z.number(),
  status: z.string(),
  result: z.string().optional(),
  endedAt: z.number().optional(),
  updatedAt: z.number(),
  rev: int,
});
export type Round = z.infer<typeof RoundSchema>;

export const CommandEntrySchema = z.object({
  /** The core's number for it (per plane). */
  id: int,
  plane: z.string(),
  /** The command's display name (commandName). */
  name: z.string(),
  target: z.string().optional(),
  request: CommandRequestSchema,
  sentAt: z.number(),
  result: CommandResultSchema.nullable(),
  settledAt: z.number().optional(),
  rev: int,
});
export type CommandEntry = z.infer<typeof CommandEntrySchema>;

/** One system.metrics sample (`avg`: the mean of a MONITOR_METRIC_BUCKET_MS bucket of older samples). */
export const MetricSampleSchema = z.object({
  /** The plane's sample number: a newer sample has a higher one. */
  n: int,
  at: z.number(),
  kind: z.enum(['raw', 'avg']),
  /** In METRIC_FIELDS order; null: the plane did not say. */
  values: z.array(z.number().nullable()).length(METRIC_FIELDS.length),
});
export type MetricSample = z.infer<typeof MetricSampleSchema>;

export const ConnectionNoteSchema = z.object({
  n: int,
  at: z.number(),
  kind: z.enum(['state', 'stale', 'conformance', 'warning', 'error']),
  /** For `state`: the plane's new state. */
  state: z.string().optional(),
  text: z.string(),
});
export type ConnectionNote = z.infer<typeof ConnectionNoteSchema>;

/** One structure: what it holds, its bounds, and what it evicted since the plane's session state began. */
export const StructureCountSchema = z.object({
  entries: int,
  /** Estimated bytes held. */
  bytes: int,
  evicted: int,
  maxEntries: int,
  maxBytes: int.optional(),
});
export type StructureCount = z.infer<typeof StructureCountSchema>;

export const MonitorCountsSchema = z.object({
  plane: z.string(),
  /** Oldest and newest event seq the core still holds (-1: none). */
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  events: StructureCountSchema,
  alerts: StructureCountSchema,
  rounds: StructureCountSchema,
  commands: StructureCountSchema,
  metrics: StructureCountSchema,
  connection: StructureCountSchema,
  /** Flow updates (message.flow.stats, message.sent) folded into the core's flow table and not logged (one per flow per FLOW_LOG_SAMPLE_MS is). */
  flowUpdatesFolded: int.optional(),
});
export type MonitorCounts = z.infer<typeof MonitorCountsSchema>;

/** A plane's session state as a hello's answer carries it. */
export const PlaneHistorySchema = z.object({
  plane: z.string(),
  /** The newest events, oldest first. */
  events: z.array(PlaneEventSchema).max(HISTORY_BACKFILL_EVENTS),
  /** Older events can be paged in (swarmdeck:history). */
  moreEvents: z.boolean(),
  alerts: z.array(AlertSchema).max(MONITOR_ALERTS),
  rounds: z.array(RoundSchema).max(MONITOR_ROUNDS),
  commands: z.array(CommandEntrySchema).max(MONITOR_COMMANDS),
  metrics: z.array(MetricSampleSchema).max(MONITOR_METRIC_RECENT_SAMPLES + MONITOR_METRIC_BUCKETS),
  connection: z.array(ConnectionNoteSchema).max(MONITOR_CONNECTION_NOTES),
  counts: MonitorCountsSchema,
});
export type PlaneHistory = z.infer<typeof PlaneHistorySchema>;

/** What changed in a plane's session state since the view's last frame (its new events travel in the frame's `events`). */
export const MonitorDeltaSchema = z.object({
  plane: z.string(),
  alerts: z.array(AlertSchema).max(MONITOR_ALERTS),
  rounds: z.array(RoundSchema).max(MONITOR_ROUNDS),
  commands: z.array(CommandEntrySchema).max(MONITOR_COMMANDS),
  metrics: z.array(MetricSampleSchema).max(MONITOR_METRIC_RECENT_SAMPLES + MONITOR_METRIC_BUCKETS),
  connection: z.array(ConnectionNoteSchema).max(MONITOR_CONNECTION_NOTES),
  counts: MonitorCountsSchema,
});
export type MonitorDelta = z.infer<typeof MonitorDeltaSchema>;

/**
 * Older events: of one plane, before `beforeSeq` (absent: its newest), or
 * without `plane` each plane of the view's scope's newest. `limit` defaults to
 * HISTORY_BACKFILL_EVENTS.
 */
export const HistoryRequestSchema = z
  .object({
    plane: planeId.optional(),
    beforeSeq: int.optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_EVENTS).optional(),
  })
  .refine((r) => r.beforeSeq === undefined || r.plane !== undefined, { message: 'beforeSeq needs a plane (sequence numbers are per plane)', path: ['beforeSeq'] });
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export const HistoryPageSchema = z.object({
  pages: z
    .array(
      z.object({
        plane: z.string(),
        /** Oldest first. */
        events: z.array(PlaneEventSchema).max(HISTORY_PAGE_EVENTS),
        /** Still older events are held. */
        more: z.boolean(),
        /** Events of this plane the core no longer holds (evicted): the page cannot go further back than they were. */
        evicted: int,
      }),
    ),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** Acknowledge an alert, silence it for `forMs`, or lift either. */
export const AlertActionSchema = z.discriminatedUnion('action', [
  z.object({ plane: planeId, key: z.string().min(1).max(2000), action: z.enum(['acknowledge', 'unacknowledge', 'unsilence']) }),
  z.object({ plane: planeId, key: z.string().min(1).max(2000), action: z.literal('silence'), forMs: z.number().int().min(1000).max(MONITOR_SILENCE_MAX_MS) }),
]);
export type AlertAction = z.infer<typeof AlertActionSchema>;

/** One transition of an alert, as `swarmdeck tail` prints it (`{"type":"client.alert", ...}`): a public interface, docs/PROTOCOL.md. */
export interface AlertTransition {
  type: 'client.alert';
  state: 'firing' | 'resolved';
  key: string;
  kind: AlertKind;
  plane: string;
  agent?: string;
  count: number;
  /** When this state began, ms since epoch (as events' `at`). */
  since: number;
}
