// Inbound intake of one plane: every message from any endpoint, exactly as
// received, becomes store updates and PlaneEvents. Binary frames are decoded
// into the store (their events follow); JSON goes through the normaliser and,
// when it is a channel message, the channel layer (channels.ts); then every
// event passes the message rules (docs/PROTOCOL.md, "Message rules"):
// duplicate id, TTL, critical ack, error enrichment, effects (agent
// liveness, command answers, server clock), and is handed to the plane in
// order. What a message means for its session comes after its event:
// session replies, server errors that end it, repeated invalid messages.
//
// Direction: plane.ts → intake.ts → IntakeHost (declared here, implemented
// by the plane). Intake reads the endpoint it is given (an IntakeEndpoint:
// the plane's EndpointSession) and never drives a session itself: the plane
// does, on the host calls. A new rule for inbound messages (a duplicate
// channel sequence reported, say) belongs here.

import {
  ackMessage,
  type AckStatus,
  binaryEvents,
  type ChannelSpec,
  DecodedMessage,
  decodeMessage,
  type DecodeOptions,
  type EndpointName,
  type FrameInfo,
  type Inflater,
  keptString,
  type NormalisedEvent,
  normaliseJson,
  readSessionReply,
  SESSION_REPLY_TYPES,
} from '../protocol/index.js';
import { type JsonObject, MAX_RETRY_AFTER_MS, MAX_STATUS_REASON_CHARS } from '../../../shared/index.js';
import type { AgentStore } from '../store/index.js';
import { ErrorWindow } from './abuse.js';
import type { AgentLiveness } from './agent-liveness.js';
import { ChannelMux } from './channels.js';
import { clientError, clientEvent } from './client-events.js';
import { quote } from './conformance.js';
import { positionsSentAt, type ServerClock } from './clock.js';
import type { Commands } from './commands.js';
import type { PlaneCounters } from './counters.js';
import { DedupeWindow } from './dedupe.js';
import { isRecoverable, suggestedAction } from './errors.js';
import type { Step } from './negotiation.js';
import type { PlaneSettings } from './plane-config.js';

/** Channels whose duplicates are counted per session (past it, further channels are only counted in channelDuplicates). */
const MAX_DUPLICATE_CHANNELS = 256;

/** What intake reads of the endpoint a message came on. */
export interface IntakeEndpoint {
  readonly name: EndpointName;
  /** A socket is open (false for ingest() of a recording: nothing to ack, close or negotiate). */
  readonly connected: boolean;
  readonly step: Step;
  readonly version: string | undefined;
  readonly features: ReadonlySet<string>;
  readonly compression: string | null | undefined;
  readonly inflate: Inflater | undefined;
  sendJson(message: unknown): boolean;
}

export interface IntakeHost<E extends IntakeEndpoint> {
  /** Every event that passed the rules, in order. */
  emit(ev: NormalisedEvent): void;
  /** A conformance note about `e`'s session. */
  note(e: E, code: string, message: string): void;
  /** A session reply (handshake_ack, version, compression, channel), after its event. */
  reply(e: E, type: string, fields: JsonObject): void;
  /** AUTH_FAILED from the server on a live socket. */
  authFailed(e: E, reason: string): void;
  /** Retrying cannot help (the server refused every version). */
  fatal(e: E, code: string, reason: string): void;
  /** The session should end and reconnect (an unrecoverable server error, repeated invalid messages). */
  drop(e: E, reason: string): void;
  /** Every inbound message exactly as received (the recorder's tap). */
  inbound?(endpoint: EndpointName, data: Buffer, isBinary: boolean, receivedAt: number): void;
  /** Every binary frame that decoded (reused objects: valid only during the call). */
  frame?(endpoint: EndpointName, frame: FrameInfo, decoded: DecodedMessage): void;
}

/** What intake works on: the plane's parts, shared. */
export interface IntakeParts {
  counters: PlaneCounters;
  store: AgentStore;
  liveness: AgentLiveness;
  commands: Commands;
  clock: ServerClock;
  settings: PlaneSettings;
  dedupe?: { size?: number; windowMs?: number } | undefined;
}

/** Per endpoint, for its current session. */
interface SessionIntake {
  mux: ChannelMux | null;
  errors: ErrorWindow;
  binaryViolationReported: boolean;
  /** Duplicate channel sequences per channel this session (issue 23). */
  duplicates: Map<string, number>;
}

export class Intake<E extends IntakeEndpoint> {
  private readonly decoded = new DecodedMessage();
  private readonly dedupe: DedupeWindow;
  private readonly sessions = new Map<EndpointName, SessionIntake>();
  private readonly counters: PlaneCounters;

  constructor(
    private readonly parts: IntakeParts,
    private readonly host: IntakeHost<E>,
  ) {
    this.counters = parts.counters;
    this.dedupe = new DedupeWindow(parts.dedupe?.size, parts.dedupe?.windowMs);
    // New agents past the store's cap: a protocol error (at most one a second; the counter counts each record).
    parts.store.onRefused((r) => {
      this.counters.protocolErrors++;
      host.emit(
        clientEvent('protocol.error', 'high', {
          code: 'AGENT_LIMIT',
          message: `${r.refused} record(s) for new agents refused: this plane already has ${r.limit} agents (the per-plane limit); known agents keep updating`,
          refused: r.refused,
          total: r.total,
          limit: r.limit,
          recoverable: true,
        }),
      );
    });
  }

  receive(e: E, data: Buffer, isBinary: boolean, receivedAt: number): void {
    this.counters.bytesIn += data.byteLength;
    this.counters.messagesIn++;
    this.host.inbound?.(e.name, data, isBinary, receivedAt);
    if (isBinary) this.onBinary(e, data);
    else this.onText(e, data.toString('utf8'));
  }

  /** `e`'s session ended: its channels deliver what they hold, then go; its error window restarts. */
  sessionEnded(name: EndpointName): void {
    const si = this.sessions.get(name);
    if (!si) return;
    this.sessions.delete(name);
    si.mux?.dispose();
    this.channelsRefusedBefore += si.mux?.stats.channelsRefused ?? 0;
  }

  private channelsRefusedBefore = 0;

  /** The caps' counters for status().limits (shared/limits.ts): channels past MAX_CHANNELS_PER_SESSION, ids hashed past MAX_DEDUPE_KEY_CHARS. */
  capCounters(): { channelsRefused: number; dedupeKeysHashed: number; dedupeEntries: number } {
    let channelsRefused = this.channelsRefusedBefore;
    for (const si of this.sessions.values()) channelsRefused += si.mux?.stats.channelsRefused ?? 0;
    return { channelsRefused, dedupeKeysHashed: this.dedupe.hashed, dedupeEntries: this.dedupe.count };
  }

  /** Declares the channels a session creates (before any message on them). */
  defineChannels(e: E, specs: readonly ChannelSpec[]): void {
    const mux = this.muxOf(e);
    for (const spec of specs) mux.define(spec);
  }

  /** The server named a channel's first sequence. */
  channelStart(e: E, channelId: string, sequence: number): void {
    this.muxOf(e).startAt(channelId, sequence);
  }

  /** Housekeeping: forget ids past the dedupe window. */
  expire(now: number): void {
    this.dedupe.expire(now);
  }

  /** Channel timers and held or queued channel messages (leak checks). */
  resources(): { timers: number; buffered: number } {
    let timers = 0;
    let buffered = 0;
    for (const si of this.sessions.values()) {
      timers += si.mux?.timers ?? 0;
      buffered += si.mux?.buffered ?? 0;
    }
    return { timers, buffered };
  }

  private session(name: EndpointName): SessionIntake {
    let si = this.sessions.get(name);
    if (!si) {
      const a = this.parts.settings.abuse;
      si = { mux: null, errors: new ErrorWindow(a.maxErrors, a.windowMs), binaryViolationReported: false, duplicates: new Map() };
      this.sessions.set(name, si);
    }
    return si;
  }

  private onText(e: E, text: string): void {
    let ev = normaliseJson(text);
    if (ev.type === 'protocol.invalid_message' && typeof ev.payload.messageType === 'string' && SESSION_REPLY_TYPES.has(ev.payload.messageType)) {
      // A session reply in another plane's shape (snake_case, fields missing): read it leniently, note how it differs.
      const r = readSessionReply(text);
      if (r) {
        this.host.note(e, `shape:${r.type}`, `${r.type} does not have the seed's shape (${String(ev.payload.message)}): read leniently`);
        ev = { origin: 'vis', type: r.type, priority: 'normal', payload: r.fields as JsonObject };
      }
    }
    if (ev.channel !== undefined && ev.sequence !== undefined) this.muxOf(e).receive(ev);
    else this.handleEvent(e, ev);
  }

  private onBinary(e: E, data: Buffer): void {
    // Arrival on the socket, high resolution: the start of the latency the renderer reports.
    const receivedAt = performance.timeOrigin + performance.now();
    if (e.version !== undefined && !e.features.has('binary')) this.binaryViolation(e, e.version);
    const d = this.decoded;
    const opts: DecodeOptions = { inflate: e.inflate };
    const onFrame = this.host.frame;
    if (onFrame) opts.onFrame = (f, out) => onFrame(e.name, f, out);
    decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), d, opts);
    if (d.compressedBatches > 0 || d.inflatedBytes > 0) {
      this.counters.compressedMessages++;
      if (e.step === 'live' && !e.compression) {
        this.host.note(e, 'compressed_unnegotiated', 'compressed frames arrive although no compression was negotiated: inflated, the algorithm read from their header');
      }
    }
    const now = Date.now();
    const store = this.parts.store;
    if (d.positions.count > 0) {
      store.applyPositions(d.positions, now, receivedAt, positionsSentAt(d.heartbeats, receivedAt, this.parts.clock));
      this.counters.positionMessages++;
    }
    if (d.states.count > 0) store.applyStates(d.states, now);
    if (d.metrics.count > 0) store.applyMetrics(d.metrics, now);
    if (d.coordination.length + d.heartbeats.length + d.errorFrames.length + d.protocolErrors.length === 0) return;
    for (const ev of binaryEvents(d)) this.handleEvent(e, ev);
  }

  /** Binary on a 1.0 session: decoded anyway, reported once per session. */
  private binaryViolation(e: E, version: string): void {
    const si = this.session(e.name);
    if (si.binaryViolationReported) return;
    si.binaryViolationReported = true;
    this.counters.protocolErrors++;
    this.host.emit(clientError(e.name, 'INVALID_MESSAGE', `${e.name}: binary frame on a ${version} session (binary needs protocol 1.1); decoded anyway`, true));
  }

  private muxOf(e: E): ChannelMux {
    const si = this.session(e.name);
    if (!si.mux) {
      si.mux = new ChannelMux({
        reorderWindowMs: this.parts.settings.reorderWindowMs,
        deliver: (ev) => this.handleEvent(e, ev),
        onGap: (g) => {
          this.counters.channelGaps++;
          this.counters.channelMissed += g.missed;
          this.host.emit(clientEvent('client.channel_gap', 'high', { endpoint: e.name, channel: g.channel, expected: g.expected, received: g.received, missed: g.missed }));
        },
        onDuplicate: (channel, sequence) => {
          this.counters.channelDuplicates++;
          this.counters.framesDropped++;
          // Reported (not only counted): the 1st, 2nd, 4th, 8th... duplicate of each channel, so a storm costs log2 events.
          const count = (si.duplicates.get(channel) ?? 0) + 1;
          if (si.duplicates.size >= MAX_DUPLICATE_CHANNELS && !si.duplicates.has(channel)) return;
          si.duplicates.set(channel, count);
          if ((count & (count - 1)) !== 0) return;
          const message = `channel ${quote(channel)}: sequence ${sequence} is a duplicate (dropped; ${count} on this channel this session)`;
          this.host.emit(clientEvent('client.conformance', 'normal', { endpoint: e.name, code: 'channel_duplicate', channel, sequence, duplicate: true, count, message }));
        },
      });
    }
    return si.mux;
  }

  /** Dedupe, TTL, ack, effects, then the event; consequences (negotiation, errors) after it. */
  private handleEvent(e: E, ev: NormalisedEvent): void {
    if (ev.type === 'protocol.invalid_message' || ev.type === 'protocol.error') {
      this.counters.protocolErrors++;
      // Named by the endpoint it came on: a channel-wrapped one is handled later, after others arrived.
      if (ev.payload.endpoint === undefined) ev.payload = { ...ev.payload, endpoint: e.name };
      this.host.emit(ev);
      if (e.connected && this.session(e.name).errors.hit(Date.now())) this.onAbuse(e);
      return;
    }
    const now = Date.now();
    const key = dedupeKey(ev);
    if (key !== null && this.dedupe.check(key, now)) {
      this.counters.duplicatesDropped++;
      this.counters.framesDropped++;
      if (ev.priority === 'critical') this.ack(e, ev, 'duplicate');
      return;
    }
    if (ev.ttl !== undefined && ev.timestamp !== undefined) {
      const sentAt = Date.parse(ev.timestamp);
      if (Number.isFinite(sentAt) && now + (this.parts.clock.offsetMs ?? 0) - sentAt > ev.ttl) {
        this.counters.ttlExpired++;
        this.counters.framesDropped++;
        if (ev.priority === 'critical') this.ack(e, ev, 'expired');
        return;
      }
    }
    if (ev.priority === 'critical') this.ack(e, ev, 'received');
    this.effects(e, ev, now);
    this.host.emit(ev);
    if (SESSION_REPLY_TYPES.has(ev.type)) this.host.reply(e, ev.type, ev.payload);
    else if (ev.type === 'error') this.afterServerError(e, ev.payload);
  }

  /** What an event changes before it is published: agent clocks, the server clock, command answers, error fields. */
  private effects(e: E, ev: NormalisedEvent, now: number): void {
    const { liveness, commands } = this.parts;
    // Every server timestamp refines the clock (NTP-style, clock.ts); snapshots and replays only give weak bounds.
    if (ev.origin !== 'binary' && ev.timestamp !== undefined) this.parts.clock.fromHeartbeat(Date.parse(ev.timestamp), now);
    switch (ev.type) {
      case 'heartbeat':
        if (ev.agentId !== undefined) liveness.beat(ev.agentId, now);
        else if (ev.origin === 'binary' && typeof ev.payload.serverTime === 'number') this.parts.clock.fromHeartbeat(ev.payload.serverTime, now);
        break;
      case 'status_update':
        if (ev.agentId !== undefined) liveness.beat(ev.agentId, now);
        break;
      case 'response':
        for (const id of requestIdsOf(ev)) if (commands.resolveResponse(id, ev.payload)) break;
        break;
      case 'error': {
        const code = typeof ev.payload.code === 'string' ? ev.payload.code : 'UNKNOWN';
        // The operator sees code, message, recoverable and a suggested action on every error.
        ev.payload = {
          ...ev.payload,
          recoverable: isRecoverable(code, ev.payload.recoverable),
          suggestedAction: suggestedAction(code, ev.payload.suggestedAction),
          endpoint: e.name,
        };
        this.counters.serverErrors++;
        const retry = this.retryAfter(e, ev.payload);
        for (const id of requestIdsOf(ev)) if (commands.resolveError(id, ev.payload, retry)) break;
        break;
      }
    }
  }

  /** The server's retryAfterMs, at most MAX_RETRY_AFTER_MS: a plane cannot hold commands back for good (1e300 would). */
  private retryAfter(e: E, p: JsonObject): number | undefined {
    const v = retryAfterOf(p);
    if (v === undefined || v <= MAX_RETRY_AFTER_MS) return v;
    this.host.note(e, 'retry_after_clamped', `retryAfterMs ${Number.isFinite(v) ? Math.round(v) : String(v)} is over ${MAX_RETRY_AFTER_MS} ms (10 min): ${MAX_RETRY_AFTER_MS} ms used`);
    return MAX_RETRY_AFTER_MS;
  }

  /** Too many invalid messages on one socket: it is closed (and reconnects with backoff). */
  private onAbuse(e: E): void {
    this.counters.abuseDisconnects++;
    const a = this.parts.settings.abuse;
    const reason = `${e.name}: disconnected after ${this.session(e.name).errors.errors} invalid messages within ${a.windowMs} ms (limit ${a.maxErrors})`;
    this.host.emit(clientError(e.name, 'PROTOCOL_ABUSE', reason, true));
    this.host.drop(e, reason);
  }

  /** What a server error does to the session it came on (nothing for ingest(): no socket). */
  private afterServerError(e: E, p: JsonObject): void {
    if (!e.connected) return;
    const code = typeof p.code === 'string' ? p.code : 'UNKNOWN';
    const message = typeof p.message === 'string' ? keptString(p.message, MAX_STATUS_REASON_CHARS) : '';
    if (code === 'AUTH_FAILED') return this.host.authFailed(e, `${e.name}: server error AUTH_FAILED: ${message}`);
    if (code === 'RATE_LIMIT_EXCEEDED') this.parts.commands.serverRateLimited(this.retryAfter(e, p));
    if ((e.step === 'version' && /VERSION/.test(code)) || code === 'VERSION_UNSUPPORTED') {
      return this.host.fatal(e, 'VERSION_UNSUPPORTED', `${e.name}: the server refused the protocol versions ${this.parts.settings.versions.join(', ')}: ${message}`);
    }
    if (p.recoverable === false) this.host.drop(e, `${e.name}: server error ${code} (unrecoverable): ${message}`);
  }

  private ack(e: E, ev: NormalisedEvent, status: AckStatus): void {
    if (ev.id === undefined || ev.origin === 'client') return;
    if (e.sendJson(ackMessage(ev.id, status, ev.channel, ev.sequence))) this.counters.acksSent++;
  }
}

/** The key a message is deduplicated by, or null when it is not (no id, or a type whose ids repeat). */
function dedupeKey(ev: NormalisedEvent): string | null {
  if (ev.id === undefined || ev.origin === 'client') return null;
  if (ev.origin === 'cp') return ev.type === 'response' || ev.type === 'error' ? `cp:${ev.type}:${ev.id}` : null;
  return `id:${ev.id}`;
}

/** The request a response/error answers: request_id (control-plane), metadata.correlationId, payload.details.requestId. */
function requestIdsOf(ev: NormalisedEvent): string[] {
  const out: string[] = [];
  if (ev.origin === 'cp' && ev.id !== undefined) out.push(ev.id);
  if (ev.correlationId !== undefined) out.push(ev.correlationId);
  const d = ev.payload.details;
  if (d && typeof d === 'object' && !Array.isArray(d) && typeof d.requestId === 'string') out.push(d.requestId);
  return out;
}

function retryAfterOf(p: JsonObject): number | undefined {
  const d = p.details;
  const v = d && typeof d === 'object' && !Array.isArray(d) ? d.retryAfterMs : p.retryAfterMs;
  return typeof v === 'number' && v > 0 && !Number.isNaN(v) ? v : undefined;
}
