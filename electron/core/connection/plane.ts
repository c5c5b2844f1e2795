// One control plane: its endpoint sockets, its agent store, and its
// connection state machine. Plain Node (ws); no Electron import.
//
// Each endpoint socket (agents, graph, control) runs its own session:
// upgrade with the auth and client headers → `handshake` → `handshake_ack`
// (session id, heartbeat interval, server clock) → `version.negotiate` →
// `compression.negotiate` (from 1.1) → LIVE → `channel.create` (from 2.0).
// While live: heartbeats at the server's interval; silence for 2 intervals is
// STALE and reconnects; losses reconnect with exponential backoff and full
// jitter, reset only after a stable connection. 401/403/AUTH_FAILED stop
// (AUTH_REQUIRED) unless a token command can fetch a fresh token; no common
// version, a TLS verification failure or a 4xx on upgrade stop (FAILED).
// Binary frames go to the decoder and into the store; JSON through the
// normaliser, the channel layer (sequence checks), dedupe and TTL, and becomes
// PlaneEvents, delivered in order with a gap-free per-plane seq.
// docs/PROTOCOL.md, "Session", is the specification.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket, { type ClientOptions } from 'ws';
import { type ConnectionState, type PlaneStatus, SLOT_EMPTY } from '../model.js';
import { DecodedMessage, decodeMessage, type Inflater } from '../protocol/binary.js';
import { type CompressionAlgorithm, COMPRESSION_ALGORITHMS, inflaterForNegotiated, normaliseAlgorithm } from '../protocol/compression.js';
import { CLIENT_VERSION, DEFAULT_MAX_INFLATED_BYTES, ENDPOINTS, type EndpointName } from '../protocol/constants.js';
import type { JsonObject, PlaneEvent } from '../protocol/events.js';
import { binaryEvents } from '../protocol/frame-events.js';
import { normaliseJson, type NormalisedEvent } from '../protocol/json.js';
import {
  type AckStatus,
  type ChannelSpec,
  ChannelReplyPayload,
  CompressionReplyPayload,
  HandshakeAckPayload,
  SUPPORTED_VERSIONS,
  VersionReplyPayload,
  ackMessage,
  channelCreateMessage,
  clientHeartbeatMessage,
  compressionNegotiateMessage,
  featuresOf,
  handshakeMessage,
  versionNegotiateMessage,
} from '../protocol/session.js';
import { AgentStore } from '../store/agent-store.js';
import { Backoff } from './backoff.js';
import { ChannelMux } from './channels.js';
import { type CommandRequest, type CommandResult, Commands } from './commands.js';
import { DedupeWindow } from './dedupe.js';
import { isRecoverable, suggestedAction } from './errors.js';
import { RateMeter } from './rates.js';
import { ConnectionMachine, aggregateState, type Transition } from './state-machine.js';
import { Timers } from './timers.js';
import { describeTokenCommand, runTokenCommand, type TokenCommand } from './token-command.js';

export type { ChannelSpec } from '../protocol/session.js';
export type { CommandRequest, CommandResult } from './commands.js';
export type { TokenCommand } from './token-command.js';

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
  /** From socket open to LIVE (handshake and negotiation). Default 10 s. */
  handshakeTimeoutMs?: number;
  /** An agent silent (no heartbeat/status_update) this long is lost. Default 30 s. */
  agentTimeoutMs?: number;
  /** Duplicate ids are dropped within this window. Default 4096 ids, 5 min. */
  dedupe?: { size?: number; windowMs?: number };
  /** Largest WebSocket message accepted (ws closes with 1009 above it). Default 16 MiB, the protocol's inflate limit. */
  maxPayloadBytes?: number;
  /** After an agents session goes LIVE, agents not heard of since it opened are removed after this long. Default 3 s. */
  resyncGraceMs?: number;
}

export interface PlaneListener {
  /** Every event, in order, with its per-plane seq. Never dropped. */
  event(ev: PlaneEvent): void;
  /** Every inbound WebSocket message exactly as received, before decoding (the recorder's tap). `data` is only valid during the call. */
  inbound?(endpoint: EndpointName, data: Buffer, isBinary: boolean, receivedAt: number): void;
}

export type PlaneCounters = PlaneStatus['counters'];
export type EndpointStatus = NonNullable<PlaneStatus['endpoints']>[number];

/** Channels a 2.0 session creates by default (the simulator streams on these). */
export const DEFAULT_CHANNELS: readonly ChannelSpec[] = [
  { channelId: 'perf-metrics', priority: 'normal', dedicated: false, bufferSize: 1000, endpoint: 'agents' },
  { channelId: 'coordination', priority: 'high', dedicated: false, bufferSize: 256, endpoint: 'graph' },
  { channelId: 'alerts', priority: 'critical', dedicated: true, bufferSize: 64, endpoint: 'control' },
];

const CAPABILITIES = ['binary', 'compression', 'multiplexing'];
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME/;
/** Largest plausible server clock (JavaScript dates end at 8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

type Step = 'upgrade' | 'handshake' | 'version' | 'compression' | 'live';

/** One endpoint socket and its current session. */
class EndpointSession {
  ws: WebSocket | null = null;
  readonly machine: ConnectionMachine;
  readonly backoff: Backoff;
  readonly timers = new Timers();
  // The current session (reset on every open).
  step: Step = 'upgrade';
  sessionId: string | undefined;
  version: string | undefined;
  features = new Set<string>();
  compression: string | null | undefined;
  inflate: Inflater | undefined;
  heartbeatMs = 0;
  openedAt = 0;
  handshakeSentAt = 0;
  lastRxAt = 0;
  pingSentAt = 0;
  mux: ChannelMux | null = null;
  tokenGen = 0;
  fatal: { code: string; reason: string } | undefined;
  lastError: string | undefined;
  binaryViolationReported = false;
  // Across sessions.
  awaitingToken = false;

  constructor(
    readonly name: EndpointName,
    readonly url: string,
    backoff: PlaneConfig['backoff'],
    onChange: (t: Transition) => void,
  ) {
    this.backoff = new Backoff(backoff?.minMs ?? 1000, backoff?.maxMs ?? 30_000);
    this.machine = new ConnectionMachine('CLOSED', onChange);
  }

  resetSession(): void {
    this.step = 'upgrade';
    this.sessionId = undefined;
    this.version = undefined;
    this.features = new Set();
    this.compression = undefined;
    this.inflate = undefined;
    this.heartbeatMs = 0;
    this.openedAt = 0;
    this.handshakeSentAt = 0;
    this.pingSentAt = 0;
    this.fatal = undefined;
    this.lastError = undefined;
    this.binaryViolationReported = false;
  }
}

export class Plane {
  readonly store = new AgentStore();
  readonly counters: PlaneCounters = {
    bytesIn: 0,
    messagesIn: 0,
    positionMessages: 0,
    protocolErrors: 0,
    reconnects: 0,
    bytesOut: 0,
    messagesOut: 0,
    framesDropped: 0,
    duplicatesDropped: 0,
    ttlExpired: 0,
    channelGaps: 0,
    channelMissed: 0,
    channelDuplicates: 0,
    acksSent: 0,
    serverErrors: 0,
    staleDetections: 0,
    authFailures: 0,
    tokenRefreshes: 0,
    compressedMessages: 0,
    commandsSent: 0,
    commandsTimedOut: 0,
    commandsRefused: 0,
  };
  /** Sent in handshake; stable for the Plane's life. */
  readonly clientId = randomUUID();
  private readonly sockets: EndpointSession[] = [];
  private readonly decoded = new DecodedMessage();
  private readonly timers = new Timers();
  private readonly dedupe: DedupeWindow;
  private readonly commands: Commands;
  private readonly versions: readonly string[];
  private readonly bytesRate = new RateMeter();
  private readonly messagesRate = new RateMeter();
  private seq = 0;
  private closed = true;
  private lastState: ConnectionState = 'CLOSED';
  private lastReason: string | undefined;
  private token: string | undefined;
  private tokenGen = 0;
  private tokenFromCommand = false;
  private verifiedGen = -1;
  private refreshing: Promise<boolean> | null = null;
  private ca: Buffer | undefined;
  private clockOffsetMs: number | undefined;
  private lastLatencyMs: number | undefined;
  private readonly agentBeats = new Map<string, number>();
  private readonly lostAgents = new Map<string, number>();

  constructor(
    readonly config: PlaneConfig,
    private readonly listener: PlaneListener,
  ) {
    this.token = config.token;
    // New agents past the store's cap: a protocol error (at most one a second; the counter counts each record).
    this.store.onRefused((r) => {
      this.counters.protocolErrors++;
      this.emitClient('protocol.error', 'high', {
        code: 'AGENT_LIMIT',
        message: `${r.refused} record(s) for new agents refused: this plane already has ${r.limit} agents (the per-plane limit); known agents keep updating`,
        refused: r.refused,
        total: r.total,
        limit: r.limit,
        recoverable: true,
      });
    });
    this.versions = config.protocolVersions?.length ? [...config.protocolVersions] : [...SUPPORTED_VERSIONS];
    this.dedupe = new DedupeWindow(config.dedupe?.size, config.dedupe?.windowMs);
    this.commands = new Commands(
      {
        planeId: config.id,
        send: (m) => this.send('control', m),
        live: () => this.socket('control')?.machine.state === 'LIVE',
      },
      { defaultTimeoutMs: config.commandTimeoutMs, rateLimit: config.commandRateLimit },
    );
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const override = config.endpoints?.[name];
      if (override === false) continue;
      const s: EndpointSession = new EndpointSession(name, endpointUrl(config.url, override ?? ENDPOINTS[name]), config.backoff, (t) =>
        this.onTransition(s, t),
      );
      this.sockets.push(s);
    }
  }

  get state(): ConnectionState {
    return this.lastState;
  }

  /** True when this profile skips TLS certificate verification. */
  get insecure(): boolean {
    return this.config.tls?.insecureSkipVerify === true;
  }

  status(): PlaneStatus {
    const s: PlaneStatus = {
      plane: this.config.id,
      label: this.config.label,
      color: this.config.color,
      url: this.config.url,
      state: this.lastState,
      agents: this.store.agents,
      agentsLost: this.lostAgents.size,
      insecure: this.insecure,
      limits: { ...this.store.limits },
      rates: { bytesPerSec: Math.max(0, Math.round(this.bytesRate.perSecond)), messagesPerSec: Math.max(0, Math.round(this.messagesRate.perSecond)) },
      endpoints: this.sockets.map((x) => this.endpointStatus(x)),
      counters: {
        ...this.counters,
        commandsSent: this.commands.counters.sent,
        commandsTimedOut: this.commands.counters.timedOut,
        commandsRefused: this.commands.counters.refused,
      },
    };
    if (this.lastReason !== undefined) s.reason = this.lastReason;
    if (this.clockOffsetMs !== undefined) s.serverClockOffsetMs = Math.round(this.clockOffsetMs);
    if (this.lastLatencyMs !== undefined) s.lastLatencyMs = this.lastLatencyMs;
    return s;
  }

  private endpointStatus(x: EndpointSession): EndpointStatus {
    const e: EndpointStatus = { endpoint: x.name, state: x.machine.state, attempt: x.backoff.attempts };
    if (x.machine.reason !== undefined) e.reason = x.machine.reason;
    if (x.version !== undefined) e.version = x.version;
    if (x.compression !== undefined) e.compression = x.compression;
    if (x.sessionId !== undefined) e.sessionId = x.sessionId;
    if (x.heartbeatMs > 0) e.heartbeatIntervalMs = x.heartbeatMs;
    return e;
  }

  /** What the plane holds that must be released by close(): for leak tests and diagnostics. */
  resources(): { sockets: number; timers: number; pendingCommands: number; bufferedChannelMessages: number } {
    let sockets = 0;
    let timers = this.timers.size;
    let buffered = 0;
    for (const s of this.sockets) {
      if (s.ws) sockets++;
      timers += s.timers.size + (s.mux?.timers ?? 0);
      buffered += s.mux?.buffered ?? 0;
    }
    return { sockets, timers, pendingCommands: this.commands.size, bufferedChannelMessages: buffered };
  }

  connect(): void {
    if (!this.closed) return;
    this.closed = false;
    const tick = Math.max(50, Math.min(1000, Math.floor(this.agentTimeoutMs / 4)));
    this.timers.interval('housekeeping', tick, () => this.housekeeping());
    if (this.insecure) {
      this.emitClient('client.tls_insecure', 'high', {
        message: 'TLS certificate verification is OFF for this plane (profile tls.insecureSkipVerify): the connection can be intercepted',
      });
    }
    if (this.config.tls?.caFile !== undefined) {
      try {
        this.ca = readFileSync(this.config.tls.caFile);
      } catch (e) {
        const why = `cannot read the CA file ${this.config.tls.caFile}: ${e instanceof Error ? e.message : String(e)}`;
        for (const s of this.sockets) {
          s.machine.fire('connect');
          this.fail(s, 'TLS_VERIFICATION_FAILED', `${s.name}: ${why}`);
        }
        return;
      }
    }
    if (this.config.tokenCommand && this.token === undefined) {
      for (const s of this.sockets) {
        s.awaitingToken = true;
        s.machine.fire('connect', `${s.name}: running the token command`);
      }
      void this.refreshToken();
      return;
    }
    for (const s of this.sockets) this.open(s);
  }

  close(): void {
    if (this.closed && this.sockets.every((s) => s.machine.state === 'CLOSED')) return;
    this.closed = true;
    this.timers.clearAll();
    for (const s of this.sockets) {
      this.endSession(s, 'closed by the client');
      s.timers.clearAll();
      s.awaitingToken = false;
      s.machine.fire('close', `${s.name}: closed by the client`);
    }
    this.commands.abortAll('CLOSED', 'the plane was closed before a response');
  }

  /** A new token (e.g. typed by the operator): endpoints waiting in AUTH_REQUIRED reconnect with it. */
  setToken(token: string | undefined): void {
    this.token = token;
    this.tokenGen++;
    this.tokenFromCommand = false;
    if (this.closed) return;
    for (const s of this.sockets) if (s.machine.state === 'AUTH_REQUIRED') this.open(s);
  }

  /** Retry now: endpoints in FAILED, AUTH_REQUIRED or waiting out a backoff open at once. */
  reconnect(): void {
    if (this.closed) return this.connect();
    for (const s of this.sockets) {
      const st = s.machine.state;
      if (st === 'FAILED' || st === 'AUTH_REQUIRED' || (st === 'RECONNECTING' && !s.awaitingToken)) {
        s.timers.clear('retry');
        this.open(s);
      }
    }
  }

  /** Sends a JSON message on an endpoint; false when that endpoint is not open. */
  send(endpoint: EndpointName, message: unknown): boolean {
    const s = this.socket(endpoint);
    return s ? this.sendJson(s, message) : false;
  }

  /**
   * Sends a command on the control endpoint and resolves with its result:
   * never rejects. Waits for the control endpoint to be LIVE (within the
   * command's timeout); refused at once when it cannot be (AUTH_REQUIRED,
   * FAILED, closed, disabled) or a rate limit says so.
   */
  command(req: CommandRequest): Promise<CommandResult> {
    const control = this.socket('control');
    if (this.closed) return Promise.resolve(this.commands.refuse(req, 'CLOSED', 'the plane is not connected'));
    if (!control) return Promise.resolve(this.commands.refuse(req, 'ENDPOINT_DISABLED', 'the control endpoint is disabled in this profile'));
    if (control.machine.state === 'AUTH_REQUIRED') {
      return Promise.resolve(this.commands.refuse(req, 'AUTH_REQUIRED', control.machine.reason ?? 'a new token is needed'));
    }
    if (control.machine.state === 'FAILED') {
      return Promise.resolve(this.commands.refuse(req, 'CONNECTION_FAILED', control.machine.reason ?? 'the control connection failed'));
    }
    if (req.kind !== 'configure' && req.command.length === 0) return Promise.resolve(this.commands.refuse(req, 'INVALID_COMMAND', 'empty command name'));
    return this.commands.submit(req);
  }

  /**
   * Feeds one message as if it had arrived on an endpoint's socket: the same
   * decoder, store and event path. For replaying recordings into a plane that
   * is never connected; false when the endpoint is disabled in this profile.
   */
  ingest(endpoint: EndpointName, data: Buffer, isBinary: boolean): boolean {
    const s = this.socket(endpoint);
    if (!s) return false;
    this.onMessage(s, data, isBinary);
    return true;
  }

  private socket(name: EndpointName): EndpointSession | undefined {
    return this.sockets.find((x) => x.name === name);
  }

  private get agentTimeoutMs(): number {
    return this.config.agentTimeoutMs ?? 30_000;
  }

  // ------------------------------------------------------------ socket lifecycle

  private open(s: EndpointSession): void {
    if (this.closed) return;
    const st = s.machine.state;
    if (st === 'RECONNECTING') s.machine.fire('retry', `${s.name}: connecting`);
    else if (st !== 'CONNECTING') s.machine.fire('connect', `${s.name}: connecting`);
    if (s.machine.state !== 'CONNECTING') return;
    this.detach(s);
    s.resetSession();
    s.timers.clearAll();
    const headers: Record<string, string> = {
      'X-Client-Version': CLIENT_VERSION,
      'X-Requested-Protocols': 'binary,json',
    };
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    const opts: ClientOptions = {
      headers,
      perMessageDeflate: this.config.perMessageDeflate === true,
      maxPayload: this.config.maxPayloadBytes ?? DEFAULT_MAX_INFLATED_BYTES,
      handshakeTimeout: this.config.handshakeTimeoutMs ?? 10_000,
      followRedirects: false,
      rejectUnauthorized: !this.insecure,
    };
    if (this.ca) opts.ca = this.ca;
    let ws: WebSocket;
    try {
      ws = new WebSocket(s.url, opts);
    } catch (e) {
      this.fail(s, 'CONNECTION_FAILED', `${s.name}: bad URL ${s.url}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    s.ws = ws;
    s.tokenGen = this.tokenGen;
    ws.binaryType = 'nodebuffer';
    ws.on('unexpected-response', (_req, res) => {
      if (s.ws !== ws) return;
      const code = res.statusCode ?? 0;
      const text = `${s.name}: server answered ${code}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
      res.resume();
      this.detach(s);
      if (code === 401 || code === 403) this.onAuthFailure(s, text, code);
      else if (code >= 400 && code < 500 && code !== 408 && code !== 429) this.fail(s, 'CONNECTION_FAILED', `${text} for ${s.url}; check the URL and endpoint path`);
      else this.lost(s, text);
    });
    ws.on('open', () => {
      if (s.ws === ws) this.onOpen(s);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (s.ws === ws) this.onMessage(s, data, isBinary);
    });
    ws.on('pong', () => {
      if (s.ws === ws && s.pingSentAt > 0) {
        this.lastLatencyMs = Date.now() - s.pingSentAt;
        s.pingSentAt = 0;
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (s.ws !== ws) return;
      const code = err.code ?? '';
      if (TLS_ERROR.test(code)) {
        s.fatal = {
          code: 'TLS_VERIFICATION_FAILED',
          reason: `${s.name}: TLS certificate verification failed (${code}: ${err.message}); give the profile the server's CA file${this.ca ? ' (the configured one does not match)' : ''}`,
        };
      } else if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.counters.protocolErrors++;
        const limit = this.config.maxPayloadBytes ?? DEFAULT_MAX_INFLATED_BYTES;
        s.lastError = `${s.name}: the server sent a message larger than ${limit} bytes (closed with 1009)`;
        this.emitError(s, 'MESSAGE_TOO_LARGE', s.lastError, true);
      } else {
        s.lastError = `${s.name}: ${err.message || code}`;
      }
    });
    ws.on('close', (code: number, why: Buffer) => {
      if (s.ws !== ws) return;
      s.ws = null;
      if (this.closed) return;
      if (s.fatal) return this.fail(s, s.fatal.code, s.fatal.reason);
      this.lost(s, s.lastError ?? `${s.name}: connection closed (${code}${why.length ? ` ${why.toString()}` : ''})`);
    });
  }

  private onOpen(s: EndpointSession): void {
    const now = Date.now();
    s.openedAt = now;
    s.lastRxAt = now;
    s.machine.fire('opened', `${s.name}: handshaking`);
    s.step = 'handshake';
    s.handshakeSentAt = now;
    this.sendJson(s, handshakeMessage(CLIENT_VERSION, this.clientId, CAPABILITIES));
    const limit = this.config.handshakeTimeoutMs ?? 10_000;
    s.timers.timeout('handshake', limit, () => {
      const waitingFor = s.step === 'handshake' ? 'handshake_ack' : s.step === 'version' ? 'version.negotiate reply' : 'compression.negotiate reply';
      this.closeSession(s, `${s.name}: no ${waitingFor} within ${limit} ms`);
    });
  }

  /** Forgets the current socket (its late events are ignored) and kills it. */
  private detach(s: EndpointSession): void {
    const ws = s.ws;
    s.ws = null;
    if (ws) ws.terminate();
  }

  /** Ends the current session: socket, session timers, channel queues (delivered, not dropped), pending commands. */
  private endSession(s: EndpointSession, reason: string): void {
    this.detach(s);
    s.timers.clearAll();
    if (s.mux) {
      const mux = s.mux;
      s.mux = null;
      mux.dispose();
    }
    if (s.name === 'control') this.commands.sessionLost(reason);
    s.step = 'upgrade';
  }

  /** Closes the session on purpose (timeout, unrecoverable error, stale) and reconnects after the backoff. */
  private closeSession(s: EndpointSession, reason: string): void {
    this.lost(s, reason);
  }

  private lost(s: EndpointSession, reason: string): void {
    this.endSession(s, reason);
    if (this.closed) return;
    const delay = Math.round(s.backoff.next());
    if (!s.machine.fire('lost', `${reason}; retrying in ${delay} ms`)) return;
    s.timers.timeout('retry', delay, () => {
      this.counters.reconnects++;
      this.open(s);
    });
  }

  private fail(s: EndpointSession, code: string, reason: string): void {
    this.endSession(s, reason);
    if (this.closed) return;
    if (!s.machine.fire('fatal', reason)) return;
    this.emitError(s, code, reason, false);
    if (s.name === 'control') this.commands.abortAll('CONNECTION_FAILED', reason);
  }

  private authRequired(s: EndpointSession, reason: string, status?: number): void {
    this.endSession(s, reason);
    if (this.closed) return;
    if (!s.machine.fire('auth_failed', reason)) return;
    const payload: JsonObject = { endpoint: s.name, reason };
    if (status !== undefined) payload.status = status;
    this.emitClient('client.auth_required', 'high', payload);
    if (s.name === 'control') this.commands.abortAll('AUTH_REQUIRED', reason);
  }

  /** 401/403 on upgrade or AUTH_FAILED: refresh the token once through the token command, else AUTH_REQUIRED. */
  private onAuthFailure(s: EndpointSession, reason: string, status?: number): void {
    this.counters.authFailures++;
    this.endSession(s, reason);
    if (this.closed) return;
    if (this.tokenGen > s.tokenGen) {
      // The token changed since this socket opened: try the new one.
      s.machine.fire('lost', `${reason}; retrying with the new token`);
      s.timers.timeout('retry', 0, () => this.open(s));
      return;
    }
    const tc = this.config.tokenCommand;
    // No loop on dead credentials: a token from the command that was never accepted is not refreshed again.
    if (tc && (this.refreshing !== null || !this.tokenFromCommand || this.verifiedGen === s.tokenGen)) {
      s.awaitingToken = true;
      s.machine.fire('lost', `${reason}; running the token command for a fresh token`);
      void this.refreshToken();
      return;
    }
    const why = tc ? `${reason}; the token command's token was refused too: a new token is needed` : `${reason}; a new token is needed`;
    this.authRequired(s, why, status);
  }

  private refreshToken(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const tc = this.config.tokenCommand!;
    this.counters.tokenRefreshes++;
    this.refreshing = runTokenCommand(tc).then(
      (token) => {
        this.refreshing = null;
        if (this.closed) return false;
        this.token = token;
        this.tokenGen++;
        this.tokenFromCommand = true;
        this.emitClient('client.token_refreshed', 'normal', { command: describeTokenCommand(tc), generation: this.tokenGen });
        for (const s of this.sockets) {
          if (!s.awaitingToken) continue;
          s.awaitingToken = false;
          this.open(s);
        }
        return true;
      },
      (e: unknown) => {
        this.refreshing = null;
        if (this.closed) return false;
        const msg = e instanceof Error ? e.message : String(e);
        this.emitClient('client.error', 'high', {
          code: 'TOKEN_COMMAND_FAILED',
          message: msg,
          recoverable: false,
          suggestedAction: suggestedAction('TOKEN_COMMAND_FAILED'),
        });
        for (const s of this.sockets) {
          if (!s.awaitingToken) continue;
          s.awaitingToken = false;
          this.authRequired(s, `${s.name}: ${msg}; a new token is needed`);
        }
        return false;
      },
    );
    return this.refreshing;
  }

  // ------------------------------------------------------------------ receive

  private onMessage(s: EndpointSession, data: Buffer, isBinary: boolean): void {
    this.counters.bytesIn += data.byteLength;
    this.counters.messagesIn++;
    s.lastRxAt = Date.now();
    s.timers.refresh('stale');
    this.listener.inbound?.(s.name, data, isBinary, s.lastRxAt);
    if (isBinary) this.onBinary(s, data);
    else this.onText(s, data.toString('utf8'));
  }

  private onText(s: EndpointSession, text: string): void {
    const ev = normaliseJson(text);
    if (ev.channel !== undefined && ev.sequence !== undefined) this.muxOf(s).receive(ev);
    else this.handleEvent(s, ev);
  }

  private onBinary(s: EndpointSession, data: Buffer): void {
    // Arrival on the socket, high resolution: the start of the latency the renderer reports.
    const receivedAt = performance.timeOrigin + performance.now();
    if (s.version !== undefined && !s.features.has('binary') && !s.binaryViolationReported) {
      s.binaryViolationReported = true;
      this.counters.protocolErrors++;
      this.emitError(s, 'INVALID_MESSAGE', `${s.name}: binary frame on a ${s.version} session (binary needs protocol 1.1); decoded anyway`, true);
    }
    const d = this.decoded;
    decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), d, { inflate: s.inflate });
    if (d.compressedBatches > 0 || d.inflatedBytes > 0) this.counters.compressedMessages++;
    const now = Date.now();
    if (d.positions.count > 0) {
      this.store.applyPositions(d.positions, now, receivedAt);
      this.counters.positionMessages++;
    }
    if (d.states.count > 0) this.store.applyStates(d.states, now);
    if (d.metrics.count > 0) this.store.applyMetrics(d.metrics, now);
    if (d.coordination.length + d.heartbeats.length + d.errorFrames.length + d.protocolErrors.length === 0) return;
    for (const ev of binaryEvents(d)) this.handleEvent(s, ev);
  }

  private muxOf(s: EndpointSession): ChannelMux {
    if (!s.mux) {
      s.mux = new ChannelMux({
        reorderWindowMs: this.config.reorderWindowMs ?? 200,
        deliver: (ev) => this.handleEvent(s, ev),
        onGap: (g) => {
          this.counters.channelGaps++;
          this.counters.channelMissed += g.missed;
          this.emitClient('client.channel_gap', 'high', { endpoint: s.name, channel: g.channel, expected: g.expected, received: g.received, missed: g.missed });
        },
        onDuplicate: () => {
          this.counters.channelDuplicates++;
          this.counters.framesDropped++;
        },
      });
    }
    return s.mux;
  }

  /** Dedupe, TTL, ack, effects, then the event; consequences (negotiation, errors) after it. */
  private handleEvent(s: EndpointSession, ev: NormalisedEvent): void {
    if (ev.type === 'protocol.invalid_message' || ev.type === 'protocol.error') {
      this.counters.protocolErrors++;
      this.emit(ev);
      return;
    }
    const now = Date.now();
    const key = dedupeKey(ev);
    if (key !== null && this.dedupe.check(key, now)) {
      this.counters.duplicatesDropped++;
      this.counters.framesDropped++;
      if (ev.priority === 'critical') this.ack(s, ev, 'duplicate');
      return;
    }
    if (ev.ttl !== undefined && ev.timestamp !== undefined) {
      const sentAt = Date.parse(ev.timestamp);
      if (Number.isFinite(sentAt) && now + (this.clockOffsetMs ?? 0) - sentAt > ev.ttl) {
        this.counters.ttlExpired++;
        this.counters.framesDropped++;
        if (ev.priority === 'critical') this.ack(s, ev, 'expired');
        return;
      }
    }
    if (ev.priority === 'critical') this.ack(s, ev, 'received');

    switch (ev.type) {
      case 'heartbeat':
        if (ev.agentId !== undefined) this.agentBeat(ev.agentId, now);
        else if (ev.origin === 'binary' && typeof ev.payload.serverTime === 'number') this.noteServerTime(ev.payload.serverTime, now);
        break;
      case 'status_update':
        if (ev.agentId !== undefined) this.agentBeat(ev.agentId, now);
        break;
      case 'response':
        for (const id of requestIdsOf(ev)) if (this.commands.resolveResponse(id, ev.payload)) break;
        break;
      case 'error': {
        const code = typeof ev.payload.code === 'string' ? ev.payload.code : 'UNKNOWN';
        // The operator sees code, message, recoverable and a suggested action on every error.
        ev.payload = {
          ...ev.payload,
          recoverable: isRecoverable(code, ev.payload.recoverable),
          suggestedAction: suggestedAction(code, ev.payload.suggestedAction),
          endpoint: s.name,
        };
        this.counters.serverErrors++;
        const retry = retryAfterOf(ev.payload);
        for (const id of requestIdsOf(ev)) if (this.commands.resolveError(id, ev.payload, retry)) break;
        break;
      }
    }

    this.emit(ev);

    switch (ev.type) {
      case 'handshake_ack':
        return this.onHandshakeAck(s, ev);
      case 'version.negotiate':
        return this.onVersionReply(s, ev);
      case 'compression.negotiate':
        return this.onCompressionReply(s, ev);
      case 'channel.create':
        return this.onChannelReply(s, ev);
      case 'error':
        return this.onServerError(s, ev);
    }
  }

  private noteServerTime(serverMs: number, now: number): void {
    if (!(serverMs > 0 && serverMs < MAX_DATE_MS)) return;
    this.clockOffsetMs = serverMs + (this.lastLatencyMs ?? 0) / 2 - now;
  }

  // -------------------------------------------------------------- negotiation

  private onHandshakeAck(s: EndpointSession, ev: NormalisedEvent): void {
    if (s.step !== 'handshake') return;
    const r = HandshakeAckPayload.safeParse(ev.payload);
    if (!r.success) return; // The normaliser reported it already (INVALID_MESSAGE); the handshake timeout decides.
    const ack = r.data;
    const now = Date.now();
    s.sessionId = ack.sessionId;
    s.heartbeatMs = ack.heartbeatInterval;
    s.compression = ack.compression === undefined ? undefined : ack.compression;
    s.inflate = inflaterForNegotiated(ack.compression === undefined ? undefined : ack.compression === 'none' ? null : ack.compression);
    this.lastLatencyMs = now - s.handshakeSentAt;
    const serverMs = ack.serverTime !== undefined ? Date.parse(ack.serverTime) : NaN;
    if (Number.isFinite(serverMs)) this.clockOffsetMs = serverMs - (s.handshakeSentAt + now) / 2;
    s.timers.interval('heartbeat', s.heartbeatMs, () => this.sendHeartbeat(s));
    s.timers.timeout('stale', 2 * s.heartbeatMs, () => this.onStale(s));
    s.step = 'version';
    this.sendJson(s, versionNegotiateMessage(this.versions));
  }

  private onVersionReply(s: EndpointSession, ev: NormalisedEvent): void {
    if (s.step !== 'version') return;
    const r = VersionReplyPayload.safeParse(ev.payload);
    if (!r.success) {
      return this.fail(s, 'VERSION_UNSUPPORTED', `${s.name}: the server's version.negotiate reply has no "selected" version (${r.error.issues[0]?.message ?? 'invalid'})`);
    }
    const { selected, supported } = r.data;
    if (selected === null || !this.versions.includes(selected)) {
      const chose = selected === null ? '' : ` and chose ${selected}`;
      return this.fail(
        s,
        'VERSION_UNSUPPORTED',
        `${s.name}: no common protocol version: this client supports ${this.versions.join(', ')}; the server supports ${supported.join(', ')}${chose}`,
      );
    }
    s.version = selected;
    s.features = featuresOf(selected);
    if (!s.features.has('compression')) {
      s.inflate = undefined;
      s.compression = null;
      return this.goLive(s);
    }
    const c = this.config.compression;
    if (c === false) return this.goLive(s);
    s.step = 'compression';
    this.sendJson(s, compressionNegotiateMessage(c?.algorithms ?? [...COMPRESSION_ALGORITHMS], c?.level ?? 6));
  }

  private onCompressionReply(s: EndpointSession, ev: NormalisedEvent): void {
    if (s.step !== 'compression') return;
    const r = CompressionReplyPayload.safeParse(ev.payload);
    if (!r.success) {
      return this.fail(s, 'INVALID_MESSAGE', `${s.name}: the server's compression.negotiate reply has no "selected" algorithm (${r.error.issues[0]?.message ?? 'invalid'})`);
    }
    const sel = r.data.selected;
    if (sel === null || sel === 'none') {
      s.compression = null;
      s.inflate = undefined;
    } else {
      const alg = normaliseAlgorithm(sel);
      const offered = (this.config.compression || {}).algorithms ?? [...COMPRESSION_ALGORITHMS];
      if (alg === null || !offered.includes(alg)) {
        return this.fail(s, 'INVALID_MESSAGE', `${s.name}: the server chose compression "${sel}", which this client did not offer (${offered.join(', ')})`);
      }
      s.compression = alg;
      s.inflate = inflaterForNegotiated(alg);
    }
    this.goLive(s);
  }

  private onChannelReply(s: EndpointSession, ev: NormalisedEvent): void {
    const r = ChannelReplyPayload.safeParse(ev.payload);
    if (!r.success) return;
    if (r.data.status === 'created') {
      if (r.data.sequence !== undefined) this.muxOf(s).startAt(r.data.channelId, r.data.sequence);
      return;
    }
    this.emitError(s, 'CHANNEL_REFUSED', `${s.name}: the server refused channel ${r.data.channelId}${r.data.reason ? `: ${r.data.reason}` : ''}`, true);
  }

  private goLive(s: EndpointSession): void {
    s.timers.clear('handshake');
    s.step = 'live';
    const stableAfter = this.config.backoff?.stableAfterMs ?? 10_000;
    s.timers.timeout('stable', stableAfter, () => s.backoff.reset());
    this.verifiedGen = Math.max(this.verifiedGen, s.tokenGen);
    // A reconnect of the endpoint that carries agent heartbeats is not agents going silent: restart their clocks.
    if (s.name === 'control' || !this.socket('control')) {
      const now = Date.now();
      for (const id of this.agentBeats.keys()) this.agentBeats.set(id, now);
    }
    const session: JsonObject = { endpoint: s.name, version: s.version ?? null, compression: s.compression ?? null, heartbeatIntervalMs: s.heartbeatMs };
    if (s.sessionId !== undefined) session.sessionId = s.sessionId;
    if (this.clockOffsetMs !== undefined) session.serverClockOffsetMs = Math.round(this.clockOffsetMs);
    this.emitClient('client.session', 'normal', session);
    s.machine.fire('negotiated');
    if (s.features.has('multiplexing') && this.config.channels !== false) {
      for (const spec of this.config.channels ?? DEFAULT_CHANNELS) {
        if ((spec.endpoint ?? 'agents') !== s.name) continue;
        this.muxOf(s).define(spec);
        this.sendJson(s, channelCreateMessage(spec));
      }
    }
    if (s.name === 'agents') {
      const since = s.openedAt;
      s.timers.timeout('resync', this.config.resyncGraceMs ?? 3000, () => this.sweep(s, since));
    }
    if (s.name === 'control') this.commands.flushWaiting();
  }

  /** Resync after (re)connecting: agents the new session has not mentioned since it opened are gone. */
  private sweep(s: EndpointSession, since: number): void {
    const st = this.store;
    const gone: number[] = [];
    for (let slot = 0; slot < st.slotCount; slot++) {
      if (st.state[slot] === SLOT_EMPTY) continue;
      if (st.lastSeen[slot]! < since) gone.push(st.ids[slot]!);
    }
    for (const id of gone) st.remove(id);
    this.emitClient('client.resync', 'normal', { endpoint: s.name, removed: gone.length, agents: st.agents });
  }

  private onServerError(s: EndpointSession, ev: NormalisedEvent): void {
    const p = ev.payload;
    const code = typeof p.code === 'string' ? p.code : 'UNKNOWN';
    const message = typeof p.message === 'string' ? p.message : '';
    if (code === 'AUTH_FAILED') return this.onAuthFailure(s, `${s.name}: server error AUTH_FAILED: ${message}`);
    if (code === 'RATE_LIMIT_EXCEEDED') this.commands.serverRateLimited(retryAfterOf(p));
    if ((s.step === 'version' && /VERSION/.test(code)) || code === 'VERSION_UNSUPPORTED') {
      return this.fail(s, 'VERSION_UNSUPPORTED', `${s.name}: the server refused the protocol versions ${this.versions.join(', ')}: ${message}`);
    }
    if (p.recoverable === false) this.closeSession(s, `${s.name}: server error ${code} (unrecoverable): ${message}`);
  }

  // ----------------------------------------------------------------- liveness

  private sendHeartbeat(s: EndpointSession): void {
    const ws = s.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    this.sendJson(s, clientHeartbeatMessage(this.clientId, s.sessionId));
    s.pingSentAt = Date.now();
    ws.ping();
  }

  private onStale(s: EndpointSession): void {
    const now = Date.now();
    const silentForMs = now - s.lastRxAt;
    // Timers run on the event loop's cached clock and may fire a millisecond early by Date.now().
    const early = 2 * s.heartbeatMs - silentForMs;
    if (early > 0) {
      s.timers.timeout('stale', early, () => this.onStale(s));
      return;
    }
    this.counters.staleDetections++;
    const reason = `${s.name}: no heartbeat or data for ${silentForMs} ms (limit 2 × ${s.heartbeatMs} ms)`;
    s.machine.fire('silent', reason);
    this.emitClient('client.stale', 'high', { endpoint: s.name, silentForMs, lastRxAt: s.lastRxAt, heartbeatIntervalMs: s.heartbeatMs });
    this.closeSession(s, reason);
  }

  private agentBeat(id: string, now: number): void {
    // Delete then set: the Map stays ordered by last beat, oldest first.
    this.agentBeats.delete(id);
    this.agentBeats.set(id, now);
    const lostAt = this.lostAgents.get(id);
    if (lostAt !== undefined) {
      this.lostAgents.delete(id);
      this.emitClient('client.agent_recovered', 'normal', { agentId: id, lostForMs: now - lostAt });
    }
  }

  private housekeeping(): void {
    const now = Date.now();
    this.bytesRate.sample(this.counters.bytesIn, now);
    this.messagesRate.sample(this.counters.messagesIn, now);
    this.dedupe.expire(now);
    // Loss needs someone listening: only while the control endpoint (which carries agent heartbeats) is LIVE.
    const control = this.socket('control');
    if (control && control.machine.state !== 'LIVE') return;
    const timeout = this.agentTimeoutMs;
    for (const [id, at] of this.agentBeats) {
      if (now - at <= timeout) break;
      if (this.lostAgents.has(id)) continue;
      this.lostAgents.set(id, now);
      this.emitClient('client.agent_lost', 'high', { agentId: id, lastSeenAt: at, silentForMs: now - at, timeoutMs: timeout });
    }
  }

  // -------------------------------------------------------------------- send

  private sendJson(s: EndpointSession, message: unknown): boolean {
    const ws = s.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    const text = JSON.stringify(message);
    ws.send(text);
    this.counters.bytesOut += Buffer.byteLength(text);
    this.counters.messagesOut++;
    return true;
  }

  private ack(s: EndpointSession, ev: NormalisedEvent, status: AckStatus): void {
    if (ev.id === undefined || ev.origin === 'client') return;
    if (this.sendJson(s, ackMessage(ev.id, status, ev.channel, ev.sequence))) this.counters.acksSent++;
  }

  // ------------------------------------------------------------------- events

  private emitError(s: EndpointSession, code: string, message: string, recoverable: boolean): void {
    this.emitClient('client.error', 'high', { endpoint: s.name, code, message, recoverable, suggestedAction: suggestedAction(code) });
  }

  private emitClient(type: string, priority: PlaneEvent['priority'], payload: JsonObject): void {
    this.emit({ origin: 'client', type, priority, payload });
  }

  private emit(ev: NormalisedEvent): void {
    const full: PlaneEvent = { seq: this.seq++, plane: this.config.id, at: Date.now(), ...ev };
    if (full.truncated !== undefined) this.store.limits.stringsTruncated += full.truncated;
    // State changes (with history), capabilities and metadata of one agent go to the store as they pass.
    if (full.agentId !== undefined && full.origin !== 'client') this.store.applyEvent(full);
    this.listener.event(full);
  }

  private onTransition(s: EndpointSession, t: Transition): void {
    const states = this.sockets.map((x) => x.machine.state);
    const { state, index } = aggregateState(states);
    const worst = this.sockets[index];
    const reason = state === 'LIVE' ? undefined : worst?.machine.reason;
    if (state === this.lastState && reason === this.lastReason) return;
    const previous = this.lastState;
    this.lastState = state;
    this.lastReason = reason;
    // A new reason while still connecting or handshaking is progress, not news: status() has it.
    if (state === previous && (state === 'CONNECTING' || state === 'HANDSHAKING')) return;
    const endpoints: JsonObject = {};
    for (const x of this.sockets) endpoints[x.name] = x.machine.state;
    const payload: JsonObject = { state, previous, endpoint: s.name, endpoints };
    if (reason !== undefined) payload.reason = reason;
    this.emitClient('client.connection', state === 'AUTH_REQUIRED' || state === 'FAILED' || state === 'STALE' ? 'high' : 'normal', payload);
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
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function endpointUrl(base: string, pathOrUrl: string): string {
  if (/^wss?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  return base.replace(/\/+$/, '') + pathOrUrl;
}
