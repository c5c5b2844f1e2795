// A plane's profile (`PlaneConfig`) and its defaults, resolved once
// (`resolvePlaneSettings`): the rest of the engine reads `PlaneSettings` and
// never repeats a default. docs/PROTOCOL.md, "Profile", lists them.
// Direction: a leaf: the settings every file of the engine reads.

import { type ChannelSpec, COMPRESSION_ALGORITHMS, type CompressionAlgorithm, DEFAULT_MAX_INFLATED_BYTES, type EndpointName } from '../protocol/index.js';
import {
  ABUSE_MAX_PROTOCOL_ERRORS,
  ABUSE_WINDOW_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  STALE_MIN_MS,
  DEFAULT_NEGOTIATION_WAIT_MS,
  HEARTBEAT_INTERVAL_MAX_MS,
  HEARTBEAT_INTERVAL_MIN_MS,
  INFLATE_BUDGET_BYTES_PER_SEC,
  SUPPORTED_VERSIONS,
} from '../../../shared/index.js';
import type { TokenCommand } from './token-command.js';

/** A plane's profile. Only id, label, url and color are required; the rest have working defaults. */
export interface PlaneConfig {
  id: string;
  label: string;
  /** Base URL, ws:// or wss://; endpoint paths are appended. */
  url: string;
  token?: string;
  /** 0xRRGGBB. */
  color: number;
  /** Override an endpoint's path or URL, or disable it with false. */
  endpoints?: Partial<Record<EndpointName, string | false>>;
  /** Fed by a recording (recording/replay.ts), never connected: its status says so, so the UI shows REPLAY rather than CLOSED. */
  replay?: boolean;
  /** Reconnect backoff: 1 s to 30 s, reset after `stableAfterMs` (10 s) LIVE. */
  backoff?: { minMs?: number; maxMs?: number; stableAfterMs?: number };
  /** Prints a fresh token; run when there is no token and again on 401/403/AUTH_FAILED. */
  tokenCommand?: TokenCommand;
  /** TLS (wss://): certificates are verified; `caFile` adds a CA (PEM); `insecureSkipVerify` turns verification off (flagged in status). */
  tls?: { caFile?: string; insecureSkipVerify?: boolean };
  /** WebSocket permessage-deflate; off by default (the protocol compresses itself). */
  perMessageDeflate?: boolean;
  /** Protocol versions offered; default 1.0, 1.1, 2.0. */
  protocolVersions?: string[];
  /** compression.negotiate offer (preference order) and level; false: do not negotiate. Default gzip, deflate, brotli at 6. */
  compression?: { algorithms?: CompressionAlgorithm[]; level?: number } | false;
  /** Channels created on 2.0 sessions; false for none. Default DEFAULT_CHANNELS. */
  channels?: ChannelSpec[] | false;
  /** A held out-of-order channel message waits this long for the missing ones before a gap is declared. Default 200 ms. */
  reorderWindowMs?: number;
  /** Default timeout of a command. Default 30 s. */
  commandTimeoutMs?: number;
  /** Outgoing command limit; false for none. Default 10/s, burst 20. */
  commandRateLimit?: { perSecond: number; burst?: number } | false;
  /** The HTTP upgrade: closed and retried after this. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** How long an optional reply (handshake_ack, version, compression, channel) is waited for before assuming. Default 2 s. */
  negotiationWaitMs?: number;
  /** handshake_ack.heartbeatInterval is clamped to this range. Default 1 s .. 10 min. staleMinMs: the least silence that is STALE (default STALE_MIN_MS, 3 s). */
  heartbeatLimitsMs?: { minMs?: number; maxMs?: number; staleMinMs?: number };
  /** An agent silent (no heartbeat/status_update) this long is lost. Default 30 s. */
  agentTimeoutMs?: number;
  /** Duplicate ids are dropped within this window. Default 4096 ids, 5 min. */
  dedupe?: { size?: number; windowMs?: number };
  /** Largest WebSocket message accepted (ws closes with 1009 above it). Default 16 MiB, the protocol's inflate limit. */
  maxPayloadBytes?: number;
  /** After an agents session goes LIVE, agents not heard of since it opened are removed after this long. Default 3 s. */
  resyncGraceMs?: number;
  /** Bytes compressed frames may inflate to per second (all endpoints). Default 64 MiB. */
  inflateBudgetBytesPerSec?: number;
  /** More invalid messages than `maxErrors` within `windowMs` on one endpoint disconnect it. Default 500 in 10 s. */
  abuse?: { maxErrors?: number; windowMs?: number };
}

/** Channels a 2.0 session creates by default (the simulator streams on these). */
export const DEFAULT_CHANNELS: readonly ChannelSpec[] = [
  { channelId: 'perf-metrics', priority: 'normal', dedicated: false, bufferSize: 1000, endpoint: 'agents' },
  { channelId: 'coordination', priority: 'high', dedicated: false, bufferSize: 256, endpoint: 'graph' },
  { channelId: 'alerts', priority: 'critical', dedicated: true, bufferSize: 64, endpoint: 'control' },
];

/** Every setting of a plane with its default applied. */
export interface PlaneSettings {
  backoff: { minMs: number; maxMs: number; stableAfterMs: number };
  perMessageDeflate: boolean;
  versions: readonly string[];
  compression: { algorithms: readonly CompressionAlgorithm[]; level: number } | false;
  channels: readonly ChannelSpec[];
  reorderWindowMs: number;
  commandTimeoutMs: number;
  handshakeTimeoutMs: number;
  negotiationWaitMs: number;
  heartbeat: { minMs: number; maxMs: number; defaultMs: number; staleMinMs: number };
  agentTimeoutMs: number;
  maxPayloadBytes: number;
  resyncGraceMs: number;
  inflateBudgetBytesPerSec: number;
  abuse: { maxErrors: number; windowMs: number };
}

export function resolvePlaneSettings(c: PlaneConfig): PlaneSettings {
  const hbMin = c.heartbeatLimitsMs?.minMs ?? HEARTBEAT_INTERVAL_MIN_MS;
  const hbMax = Math.max(hbMin, c.heartbeatLimitsMs?.maxMs ?? HEARTBEAT_INTERVAL_MAX_MS);
  return {
    backoff: { minMs: c.backoff?.minMs ?? 1000, maxMs: c.backoff?.maxMs ?? 30_000, stableAfterMs: c.backoff?.stableAfterMs ?? 10_000 },
    perMessageDeflate: c.perMessageDeflate === true,
    versions: c.protocolVersions?.length ? [...c.protocolVersions] : [...SUPPORTED_VERSIONS],
    compression: c.compression === false ? false : { algorithms: c.compression?.algorithms ?? [...COMPRESSION_ALGORITHMS], level: c.compression?.level ?? 6 },
    channels: c.channels === false ? [] : (c.channels ?? DEFAULT_CHANNELS),
    reorderWindowMs: c.reorderWindowMs ?? 200,
    commandTimeoutMs: c.commandTimeoutMs ?? 30_000,
    handshakeTimeoutMs: c.handshakeTimeoutMs ?? 10_000,
    negotiationWaitMs: c.negotiationWaitMs ?? DEFAULT_NEGOTIATION_WAIT_MS,
    heartbeat: { minMs: hbMin, maxMs: hbMax, defaultMs: Math.min(hbMax, Math.max(hbMin, DEFAULT_HEARTBEAT_INTERVAL_MS)), staleMinMs: c.heartbeatLimitsMs?.staleMinMs ?? STALE_MIN_MS },
    agentTimeoutMs: c.agentTimeoutMs ?? 30_000,
    maxPayloadBytes: c.maxPayloadBytes ?? DEFAULT_MAX_INFLATED_BYTES,
    resyncGraceMs: c.resyncGraceMs ?? 3000,
    inflateBudgetBytesPerSec: c.inflateBudgetBytesPerSec ?? INFLATE_BUDGET_BYTES_PER_SEC,
    abuse: { maxErrors: c.abuse?.maxErrors ?? ABUSE_MAX_PROTOCOL_ERRORS, windowMs: c.abuse?.windowMs ?? ABUSE_WINDOW_MS },
  };
}
