// Session messages of the connection engine, pinned where the seed is silent
// (docs/PROTOCOL.md, "Session"). The client (connection/plane.ts) and the
// simulator (sim/simulator.ts) both build and read them here, so the two
// sides cannot drift. Replies are read from the normalised event's payload:
// a bare session message's payload is its top-level fields minus `type`.

import { z } from 'zod';
import type { Priority } from '../../../shared/index.js';

/** Protocol versions, oldest first, and what each adds (the seed's version.negotiate example). */
export const PROTOCOL_FEATURES: Readonly<Record<string, readonly string[]>> = {
  '1.0': ['basic'],
  '1.1': ['compression', 'binary'],
  '2.0': ['multiplexing', 'streaming'],
};

/** "1.10" > "1.9"; non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Features of a version: everything from 1.0 up to it (binary from 1.1, multiplexing from 2.0). */
export function featuresOf(version: string): Set<string> {
  const out = new Set<string>();
  for (const [v, f] of Object.entries(PROTOCOL_FEATURES)) if (compareVersions(v, version) <= 0) for (const x of f) out.add(x);
  return out;
}

/**
 * The server's choice: the client's preferred version if the server supports
 * it, else the highest version both support; null when they share none.
 */
export function selectVersion(client: readonly string[], preferred: string | undefined, server: readonly string[]): string | null {
  if (preferred !== undefined && client.includes(preferred) && server.includes(preferred)) return preferred;
  const common = client.filter((v) => server.includes(v)).sort(compareVersions);
  return common.length ? common[common.length - 1]! : null;
}

// ----------------------------------------------------------- client → server

export function handshakeMessage(clientVersion: string, clientId: string, capabilities: readonly string[]): Record<string, unknown> {
  return { type: 'handshake', version: clientVersion, capabilities: [...capabilities], clientId, timestamp: new Date().toISOString() };
}

export function versionNegotiateMessage(supported: readonly string[]): Record<string, unknown> {
  const features: Record<string, string[]> = {};
  for (const v of supported) features[v] = [...(PROTOCOL_FEATURES[v] ?? [])];
  const preferred = [...supported].sort(compareVersions).at(-1)!;
  return { type: 'version.negotiate', supported: [...supported], preferred, features };
}

export function compressionNegotiateMessage(algorithms: readonly string[], preferredLevel: number): Record<string, unknown> {
  return { type: 'compression.negotiate', algorithms: [...algorithms], preferredLevel };
}

export interface ChannelSpec {
  channelId: string;
  priority?: Priority;
  dedicated?: boolean;
  /** Most messages the channel's queue holds (in order or waiting for a gap to fill). Default 1000. */
  bufferSize?: number;
  /** The endpoint the channel is created on. Default "agents". */
  endpoint?: 'agents' | 'graph' | 'control';
}

export function channelCreateMessage(c: ChannelSpec): Record<string, unknown> {
  return {
    type: 'channel.create',
    channelId: c.channelId,
    priority: c.priority ?? 'normal',
    dedicated: c.dedicated ?? false,
    bufferSize: c.bufferSize ?? 1000,
  };
}

/** The client's heartbeat, every heartbeatInterval: the control-plane envelope, no request_id (as the seed's heartbeat). */
export function clientHeartbeatMessage(clientId: string, sessionId: string | undefined): Record<string, unknown> {
  const payload: Record<string, unknown> = { clientId };
  if (sessionId !== undefined) payload.sessionId = sessionId;
  return { type: 'heartbeat', timestamp: new Date().toISOString(), payload };
}

export type AckStatus = 'received' | 'duplicate' | 'expired';

/**
 * Acknowledgement of a critical message: control-plane envelope, `request_id`
 * = the acknowledged message's id. `status`: received, duplicate (seen
 * before, acknowledged again so the server stops re-sending), expired (past
 * its TTL, not processed).
 */
export function ackMessage(messageId: string, status: AckStatus, channel?: string, sequence?: number): Record<string, unknown> {
  const payload: Record<string, unknown> = { messageId, status };
  if (channel !== undefined) payload.channel = channel;
  if (sequence !== undefined) payload.sequence = sequence;
  return { type: 'ack', request_id: messageId, timestamp: new Date().toISOString(), payload };
}

export const AckSchema = z.looseObject({
  type: z.literal('ack'),
  request_id: z.string().min(1),
  timestamp: z.string(),
  payload: z.looseObject({
    messageId: z.string().min(1),
    status: z.enum(['received', 'duplicate', 'expired']),
    channel: z.string().optional(),
    sequence: z.number().int().nonnegative().optional(),
  }),
});

// ----------------------------------------------------------- server → client
// Payload shapes (the fields beside `type` of the bare reply).

/**
 * Our (strict) reply to version.negotiate: `{type: "version.negotiate",
 * supported: [server's versions], selected: "2.0"}`; `selected: null` when
 * there is no common version. Read by `readVersionReply` (any shape).
 */
export function versionReplyMessage(serverSupported: readonly string[], selected: string | null): Record<string, unknown> {
  return { type: 'version.negotiate', supported: [...serverSupported], selected };
}

/**
 * Our (strict) reply to compression.negotiate: `{type:
 * "compression.negotiate", algorithms: [server's algorithms], selected:
 * "gzip", preferredLevel: 6}`; `selected: null` = no compression for this
 * session. Read by `readCompressionReply` (any shape).
 */
export function compressionReplyMessage(serverAlgorithms: readonly string[], selected: string | null, level: number): Record<string, unknown> {
  return { type: 'compression.negotiate', algorithms: serverAlgorithms.length ? [...serverAlgorithms] : ['none'], selected, preferredLevel: level };
}

/**
 * Our (strict) reply to channel.create: the channel's settings as the server
 * applies them, `status`, and `sequence`: the first sequence number the server
 * will use on the channel (so a reordered start is not mistaken for
 * duplicates). Read by `readChannelReply` (any shape).
 */
export function channelReplyMessage(c: ChannelSpec, status: 'created' | 'refused', opts: { reason?: string; sequence?: number } = {}): Record<string, unknown> {
  const m: Record<string, unknown> = { ...channelCreateMessage(c), status };
  if (opts.sequence !== undefined) m.sequence = opts.sequence;
  if (opts.reason !== undefined) m.reason = opts.reason;
  return m;
}

/** A channel message `{channel, sequence, message}` (the seed's shape). */
export function channelMessage(channel: string, sequence: number, message: unknown): Record<string, unknown> {
  return { channel, sequence, message };
}

// ------------------------------------------------- lenient readers (any plane)
// Other planes built from the seeds answer in other shapes: the seed's own
// message shapes (no `selected`), snake_case fields, envelopes, or nothing.
// These readers take what a reasonable reading of the seeds sends; the
// connection engine turns every deviation into a conformance note
// (docs/PROTOCOL.md, "What the client accepts").

/** Session messages a server may send: read leniently even when the normaliser refuses their shape. */
export const SESSION_REPLY_TYPES: ReadonlySet<string> = new Set(['handshake_ack', 'version.negotiate', 'compression.negotiate', 'channel.create']);

type Fields = Record<string, unknown>;

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A session message's fields: top level, merged with a `payload` object when it came in an envelope. */
export function sessionFields(message: Fields): Fields {
  const { type: _type, payload, ...rest } = message;
  return isFields(payload) ? { ...rest, ...payload } : rest;
}

/** The session reply in `text` (bare or enveloped), or null when it is not one. */
export function readSessionReply(text: string): { type: string; fields: Fields } | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isFields(v) || typeof v.type !== 'string' || !SESSION_REPLY_TYPES.has(v.type)) return null;
  return { type: v.type, fields: sessionFields(v) };
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : undefined;
}

export interface AckFields {
  sessionId?: string;
  /** As sent (may be out of range, a string, NaN): the engine clamps it. */
  heartbeatInterval?: number;
  /** undefined: not sent; null: none. */
  compression?: string | null;
  serverTime?: string;
  protocols?: string[];
  /** snake_case names the ack used for our camelCase fields. */
  snakeCase: string[];
  /** Seed fields the ack did not have (sessionId, heartbeatInterval, protocols, serverTime). */
  missing: string[];
}

const ACK_FIELDS = [
  ['sessionId', 'session_id'],
  ['heartbeatInterval', 'heartbeat_interval'],
  ['protocols', 'protocols'],
  ['serverTime', 'server_time'],
] as const;

/** handshake_ack, camelCase (the seed) or snake_case, any field missing. */
export function readHandshakeAck(f: Fields): AckFields {
  const out: AckFields = { snakeCase: [], missing: [] };
  const pick = (camel: string, snake: string): unknown => {
    if (f[camel] !== undefined) return f[camel];
    if (f[snake] !== undefined) {
      out.snakeCase.push(snake);
      return f[snake];
    }
    return undefined;
  };
  for (const [camel, snake] of ACK_FIELDS) {
    const v = pick(camel, snake);
    if (v === undefined) {
      out.missing.push(camel);
      continue;
    }
    if (camel === 'sessionId' && (typeof v === 'string' || typeof v === 'number')) out.sessionId = String(v);
    if (camel === 'heartbeatInterval') {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
      out.heartbeatInterval = n;
    }
    if (camel === 'protocols') {
      const p = strings(v);
      if (p !== undefined) out.protocols = p;
    }
    if (camel === 'serverTime' && typeof v === 'string') out.serverTime = v;
  }
  if (f.compression === null) out.compression = null;
  else if (typeof f.compression === 'string') out.compression = f.compression;
  return out;
}

export interface VersionReplyFields {
  /** undefined: the reply has no `selected` (the seed's shape); null: none in common. */
  selected?: string | null;
  supported: string[];
  preferred?: string;
}

export function readVersionReply(f: Fields): VersionReplyFields {
  const out: VersionReplyFields = { supported: strings(f.supported) ?? [] };
  if (f.selected === null) out.selected = null;
  else if (typeof f.selected === 'string' && f.selected.length > 0) out.selected = f.selected;
  if (typeof f.preferred === 'string' && f.preferred.length > 0) out.preferred = f.preferred;
  return out;
}

/**
 * The session's version from the server's reply. With `selected`: that one
 * (when this client supports it). Without (the seed's shape): the server's
 * `preferred` if this client supports it, else the highest both lists share.
 * `how` says which rule chose it; null version: nothing in common.
 */
export function chooseVersion(
  client: readonly string[],
  r: VersionReplyFields,
): { version: string; how: 'selected' | 'preferred' | 'common' } | { version: null; why: string } {
  const lists = `this client supports ${client.join(', ')}; the server supports ${r.supported.length ? r.supported.join(', ') : '(none listed)'}`;
  if (typeof r.selected === 'string') {
    if (client.includes(r.selected)) return { version: r.selected, how: 'selected' };
    return { version: null, why: `no common protocol version: ${lists} and chose ${r.selected}` };
  }
  if (r.selected === null) return { version: null, why: `no common protocol version: ${lists}` };
  if (r.preferred !== undefined && client.includes(r.preferred)) return { version: r.preferred, how: 'preferred' };
  const common = client.filter((v) => r.supported.includes(v)).sort(compareVersions);
  if (common.length) return { version: common[common.length - 1]!, how: 'common' };
  return { version: null, why: `no common protocol version: ${lists}` };
}

export interface CompressionReplyFields {
  /** undefined: no `selected` (the seed's shape); null: none. */
  selected?: string | null;
  algorithms: string[];
}

export function readCompressionReply(f: Fields): CompressionReplyFields {
  const out: CompressionReplyFields = { algorithms: strings(f.algorithms) ?? [] };
  if (f.selected === null || f.selected === 'none' || f.selected === '') out.selected = null;
  else if (typeof f.selected === 'string') out.selected = f.selected;
  return out;
}

export interface ChannelReplyFields {
  channelId?: string;
  /** undefined: no `status` (an echo of channel.create, the seed's shape). */
  status?: 'created' | 'refused';
  sequence?: number;
  reason?: string;
}

export function readChannelReply(f: Fields): ChannelReplyFields {
  const out: ChannelReplyFields = {};
  const id = f.channelId ?? f.channel_id;
  if (typeof id === 'string' && id.length > 0) out.channelId = id;
  if (f.status === 'created' || f.status === 'refused') out.status = f.status;
  if (typeof f.sequence === 'number' && Number.isSafeInteger(f.sequence) && f.sequence >= 0) out.sequence = f.sequence;
  if (typeof f.reason === 'string') out.reason = f.reason;
  return out;
}
