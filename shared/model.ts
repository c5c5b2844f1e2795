// The model: the types the core and the renderer share, whatever carries
// them (plane status, commands, replay state, timeline markers). The
// connection engine, the store, the contract and the renderer use these.

import { z } from 'zod';
import { JsonObjectSchema } from './events.js';

/** Connection presence of one plane, an explicit state machine (docs/PROTOCOL.md). */
export const CONNECTION_STATES = [
  'CONNECTING',
  'HANDSHAKING',
  'LIVE',
  'STALE',
  'RECONNECTING',
  'AUTH_REQUIRED',
  'FAILED',
  'CLOSED',
] as const;
export const ConnectionStateSchema = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

/**
 * State value of a free slot (no agent). States are u16: wire codes use 0..255,
 * STATE_UNKNOWN is 256, and this is 257, so no code a plane sends can mean "empty".
 */
export const SLOT_EMPTY = 257;
/** The most slots one plane may have (16.7M agents). */
export const MAX_SLOTS = 1 << 24;


export const PlaneStatusSchema = z.object({
  plane: z.string(),
  label: z.string(),
  /** 0xRRGGBB: the plane's colour in the graph. */
  color: z.number().int().min(0).max(0xffffff),
  url: z.string(),
  state: ConnectionStateSchema,
  reason: z.string().optional(),
  agents: z.number().int().nonnegative(),
  /** Agents whose heartbeat/status_update stopped for longer than the plane's agent timeout. */
  agentsLost: z.number().int().nonnegative().optional(),
  /** True when the profile skips TLS certificate verification: the UI flags it. */
  insecure: z.boolean().optional(),
  /**
   * The plane was LIVE and lost its connection (a socket closed, or STALE given up): ms since epoch.
   * The console shows it DOWN from then, while it retries, until it is LIVE again.
   */
  downSince: z.number().optional(),
  /** The plane's next reconnect attempt (the soonest of its endpoints'), ms since epoch: one countdown per plane. */
  retryAt: z.number().optional(),
  /** True for a plane fed by a recording (never connected): the UI shows REPLAY, not its CLOSED state. */
  replay: z.boolean().optional(),
  /** What this plane's bounds refused (shared/limits.ts, docs/ARCHITECTURE.md "Limits"): each a count. */
  limits: z
    .object({
      /** Records naming a new agent past the agents-per-plane cap (refused; known agents keep updating). */
      agentsRefused: z.number().nonnegative(),
      /** Strings in plane messages cut to the string length limit. */
      stringsTruncated: z.number().nonnegative(),
      /** Agent metadata not kept: larger than the per-agent limit. */
      metadataRefused: z.number().nonnegative(),
      /** Capabilities, history entries or metadata not kept: per-agent capability cap or the plane's side-data budget. */
      sideDataRefused: z.number().nonnegative(),
      /** Messages on a channel past MAX_CHANNELS_PER_SESSION, delivered unordered. */
      channelsRefused: z.number().nonnegative().optional(),
      /** Message ids longer than MAX_DEDUPE_KEY_CHARS, remembered by their hash. */
      dedupeKeysHashed: z.number().nonnegative().optional(),
      /** Agent ids not tracked for liveness: the plane's liveness table was at MAX_LIVENESS_ID_CHARS. */
      livenessRefused: z.number().nonnegative().optional(),
    })
    .optional(),
  /** Server clock minus local clock, ms (from handshake_ack.serverTime and heartbeats). */
  serverClockOffsetMs: z.number().optional(),
  /** ± ms around serverClockOffsetMs (NTP-style bounds, issue 23). */
  serverClockUncertaintyMs: z.number().optional(),
  /** Round trip of the last heartbeat ping, ms. */
  lastLatencyMs: z.number().nonnegative().optional(),
  /** Conformance notes: what the client assumed where the plane deviates from the seeds (docs/PROTOCOL.md). */
  conformance: z.array(z.string()).optional(),
  rates: z.object({ bytesPerSec: z.number().nonnegative(), messagesPerSec: z.number().nonnegative() }).optional(),
  /** Each endpoint socket (docs/PROTOCOL.md, "Session"). */
  endpoints: z
    .array(
      z.object({
        endpoint: z.string(),
        state: ConnectionStateSchema,
        reason: z.string().optional(),
        /** Negotiated protocol version of the current session. */
        version: z.string().optional(),
        /** Negotiated compression ("gzip", "deflate", "brotli"), null for none. */
        compression: z.string().nullable().optional(),
        sessionId: z.string().optional(),
        heartbeatIntervalMs: z.number().nonnegative().optional(),
        /** Reconnect attempts since the backoff was last reset (after a stable connection). */
        attempt: z.number().int().nonnegative(),
      }),
    )
    .optional(),
  counters: z.object({
    bytesIn: z.number().nonnegative(),
    messagesIn: z.number().nonnegative(),
    positionMessages: z.number().nonnegative(),
    protocolErrors: z.number().nonnegative(),
    reconnects: z.number().nonnegative(),
    bytesOut: z.number().nonnegative(),
    messagesOut: z.number().nonnegative(),
    /** Everything dropped on purpose: duplicates (by id or channel sequence) and TTL-expired messages. */
    framesDropped: z.number().nonnegative(),
    duplicatesDropped: z.number().nonnegative(),
    ttlExpired: z.number().nonnegative(),
    channelGaps: z.number().nonnegative(),
    channelMissed: z.number().nonnegative(),
    channelDuplicates: z.number().nonnegative(),
    acksSent: z.number().nonnegative(),
    serverErrors: z.number().nonnegative(),
    staleDetections: z.number().nonnegative(),
    authFailures: z.number().nonnegative(),
    tokenRefreshes: z.number().nonnegative(),
    compressedMessages: z.number().nonnegative(),
    commandsSent: z.number().nonnegative(),
    commandsTimedOut: z.number().nonnegative(),
    commandsRefused: z.number().nonnegative(),
    /** Compressed frames dropped uninflated because the plane's inflate budget per second was spent. */
    inflateBudgetDrops: z.number().nonnegative(),
    /** Endpoint sessions closed for repeated invalid messages. */
    abuseDisconnects: z.number().nonnegative(),
  }),
});
export type PlaneStatus = z.infer<typeof PlaneStatusSchema>;
export type PlaneLimitCounters = NonNullable<PlaneStatus['limits']>;

/** Commands a plane can be sent (docs/PROTOCOL.md, "Commands"); the connection engine's own type. */
const timeoutMs = z.number().int().positive().max(10 * 60_000).optional();
export const CommandRequestSchema = z.discriminatedUnion('kind', [
  /** Control-plane `command` (restart, update, fetch_logs, ...); `agentId` goes in the envelope's `agent_id`. */
  z.object({ kind: z.literal('command'), command: z.string().min(1).max(200), parameters: JsonObjectSchema.optional(), agentId: z.string().max(200).optional(), timeoutMs }),
  /** Visualisation `control.execute`. */
  z.object({
    kind: z.literal('execute'),
    targetAgent: z.string().min(1).max(200),
    command: z.string().min(1).max(200),
    parameters: JsonObjectSchema.optional(),
    timeoutMs,
    callback: z.object({ type: z.string(), url: z.string() }).optional(),
  }),
  /** Visualisation `control.multi-agent.configure`. */
  z.object({ kind: z.literal('configure'), multiAgentId: z.string().min(1).max(200), configuration: JsonObjectSchema, timeoutMs }),
]);
export type CommandRequest = z.infer<typeof CommandRequestSchema>;

/** A command's display name: its command, or the configure message's type. The one place it is worked out. */
export function commandName(r: CommandRequest): string {
  return r.kind === 'configure' ? 'control.multi-agent.configure' : r.command;
}

/** The agent (or multi-agent group) a command addresses, if any. */
export function commandTarget(r: CommandRequest): string | undefined {
  return r.kind === 'command' ? r.agentId : r.kind === 'execute' ? r.targetAgent : r.multiAgentId;
}

const resultBase = { plane: z.string(), command: z.string() };
/** Every command resolves to exactly one of these; it never rejects. */
export const CommandResultSchema = z.discriminatedUnion('status', [
  z.object({ ...resultBase, status: z.literal('success'), requestId: z.string(), message: z.string().optional(), payload: JsonObjectSchema, latencyMs: z.number() }),
  z.object({ ...resultBase, status: z.literal('failed'), requestId: z.string(), message: z.string().optional(), payload: JsonObjectSchema, latencyMs: z.number() }),
  z.object({
    ...resultBase,
    status: z.literal('error'),
    requestId: z.string(),
    code: z.string(),
    message: z.string(),
    recoverable: z.boolean(),
    suggestedAction: z.string(),
    latencyMs: z.number().optional(),
    retryAfterMs: z.number().optional(),
  }),
  z.object({ ...resultBase, status: z.literal('timeout'), requestId: z.string(), timeoutMs: z.number(), sent: z.boolean() }),
  z.object({ ...resultBase, status: z.literal('refused'), requestId: z.string().optional(), code: z.string(), message: z.string(), retryAfterMs: z.number().optional() }),
]);
export type CommandResult = z.infer<typeof CommandResultSchema>;

/** What the timeline marks in a recording (docs/RECORDING.md, "Timeline"). */
export const MARKER_KINDS = ['error', 'alert', 'coordination', 'connection'] as const;
export const TimelineMarkerSchema = z.object({
  /** Recording time, ms since epoch. */
  t: z.number(),
  kind: z.enum(MARKER_KINDS),
  plane: z.string(),
  label: z.string(),
});
export type TimelineMarker = z.infer<typeof TimelineMarkerSchema>;

/** A replay's controller state, as the timeline shows it. */
export const ReplayStateSchema = z.object({
  path: z.string(),
  playing: z.boolean(),
  speed: z.number().positive(),
  startMs: z.number(),
  endMs: z.number(),
  positionMs: z.number(),
  /** Replay plane id for each recorded plane id. */
  planes: z.record(z.string(), z.string()),
  complete: z.boolean(),
  problem: z.object({ offset: z.number(), message: z.string() }).nullable(),
  error: z.string().nullable(),
});
export type ReplayState = z.infer<typeof ReplayStateSchema>;
