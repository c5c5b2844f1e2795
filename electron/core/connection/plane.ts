// One control plane: its endpoint sessions, its agent store, and the message
// rules between them. Plain Node (ws); no Electron import.
//
// Each endpoint (agents, graph, control) is an EndpointSession
// (endpoint-session.ts): socket, state machine, backoff, handshake and
// best-effort negotiation, heartbeats. The plane owns what is shared: the
// token and its refresh, decoding (binary frames to the store; JSON through
// the normaliser, the channel layer, dedupe and TTL, becoming PlaneEvents with
// a gap-free per-plane seq), commands, agent liveness (agent-liveness.ts),
// conformance notes (conformance.ts), the inflate budget and the abuse limit.
// Defaults are resolved once (plane-config.ts). docs/PROTOCOL.md, "Session",
// is the specification.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { type ConnectionState, type JsonObject, type PlaneEvent, type PlaneStatus, SLOT_EMPTY } from '../../../shared/index.js';
import {
  ackMessage,
  type AckStatus,
  binaryEvents,
  DecodedMessage,
  decodeMessage,
  type DecodeOptions,
  type EndpointName,
  ENDPOINTS,
  type FrameInfo,
  type Inflater,
  type NormalisedEvent,
  normaliseJson,
  readSessionReply,
  SESSION_REPLY_TYPES,
} from '../protocol/index.js';
import { AgentStore } from '../store/index.js';
import { AgentLiveness } from './agent-liveness.js';
import { ChannelMux } from './channels.js';
import { type CommandRequest, type CommandResult, Commands } from './commands.js';
import { type ConformanceNote, ConformanceNotes } from './conformance.js';
import { DedupeWindow } from './dedupe.js';
import { EndpointSession, type SessionHost } from './endpoint-session.js';
import { isRecoverable, suggestedAction } from './errors.js';
import { InflateBudget } from './inflate-budget.js';
import { type PlaneConfig, type PlaneSettings, resolvePlaneSettings } from './plane-config.js';
import { RateMeter } from './rates.js';
import { aggregateState, type Transition } from './state-machine.js';
import { Timers } from './timers.js';
import { describeTokenCommand, runTokenCommand } from './token-command.js';

export type { ChannelSpec } from '../protocol/index.js';
export type { CommandRequest, CommandResult } from './commands.js';
export type { ConformanceNote } from './conformance.js';
export { DEFAULT_CHANNELS, type PlaneConfig, type PlaneSettings, resolvePlaneSettings } from './plane-config.js';
export type { TokenCommand } from './token-command.js';

export interface PlaneListener {
  /** Every event, in order, with its per-plane seq. Never dropped. */
  event(ev: PlaneEvent): void;
  /** Every inbound WebSocket message exactly as received, before decoding (the recorder's tap). `data` is only valid during the call. */
  inbound?(endpoint: EndpointName, data: Buffer, isBinary: boolean, receivedAt: number): void;
  /** Every binary frame that decoded (tail --frames, probe). `frame` and `decoded` are reused: only valid during the call. */
  frame?(endpoint: EndpointName, frame: FrameInfo, decoded: DecodedMessage): void;
  /** The HTTP answer to an endpoint's upgrade (probe). */
  upgrade?(endpoint: EndpointName, status: number, headers: IncomingHttpHeaders): void;
}

export type PlaneCounters = PlaneStatus['counters'];
export type EndpointStatus = NonNullable<PlaneStatus['endpoints']>[number];

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
    inflateBudgetDrops: 0,
    abuseDisconnects: 0,
  };
  /** Sent in handshake; stable for the Plane's life. */
  readonly clientId = randomUUID();
  readonly settings: PlaneSettings;
  private readonly sockets: EndpointSession[] = [];
  private readonly decoded = new DecodedMessage();
  private readonly timers = new Timers();
  private readonly dedupe: DedupeWindow;
  private readonly commands: Commands;
  private readonly liveness: AgentLiveness;
  private readonly notes = new ConformanceNotes();
  private readonly inflateBudget: InflateBudget;
  private readonly bytesRate = new RateMeter();
  private readonly messagesRate = new RateMeter();
  private seq = 0;
  private isClosed = true;
  private lastState: ConnectionState = 'CLOSED';
  private lastReason: string | undefined;
  private currentToken: string | undefined;
  private currentTokenGen = 0;
  private tokenFromCommand = false;
  private verifiedGen = -1;
  private refreshing: Promise<boolean> | null = null;
  private caBytes: Buffer | undefined;
  private clockOffsetMs: number | undefined;
  private lastLatencyMs: number | undefined;
  private readonly host: SessionHost;

  constructor(
    readonly config: PlaneConfig,
    private readonly listener: PlaneListener,
  ) {
    this.settings = resolvePlaneSettings(config);
    this.currentToken = config.token;
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
    this.dedupe = new DedupeWindow(config.dedupe?.size, config.dedupe?.windowMs);
    this.inflateBudget = new InflateBudget(this.settings.inflateBudgetBytesPerSec);
    this.commands = new Commands(
      {
        planeId: config.id,
        send: (m) => this.send('control', m),
        live: () => {
          const c = this.socket('control');
          return c !== undefined && c.commandsReady && c.ws !== null;
        },
      },
      { defaultTimeoutMs: this.settings.commandTimeoutMs, rateLimit: config.commandRateLimit },
    );
    this.liveness = new AgentLiveness(this.settings.agentTimeoutMs, {
      lost: (p) => this.emitClient('client.agent_lost', 'high', p),
      recovered: (p) => this.emitClient('client.agent_recovered', 'normal', p),
    });
    this.host = this.sessionHost();
    const wrap = (i: Inflater): Inflater => this.inflateBudget.wrap(i);
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const override = config.endpoints?.[name];
      if (override === false) continue;
      this.sockets.push(new EndpointSession(name, endpointUrl(config.url, override ?? ENDPOINTS[name]), this.host, wrap));
    }
  }

  get state(): ConnectionState {
    return this.lastState;
  }

  /** True when this profile skips TLS certificate verification. */
  get insecure(): boolean {
    return this.config.tls?.insecureSkipVerify === true;
  }

  /** A new name or colour (a profile edited while connected): shown from the next frame, without reconnecting. */
  present(label: string, color: number): void {
    this.config.label = label;
    this.config.color = color;
  }

  status(): PlaneStatus {
    const s: PlaneStatus = {
      plane: this.config.id,
      label: this.config.label,
      color: this.config.color,
      url: this.config.url,
      state: this.lastState,
      agents: this.store.agents,
      agentsLost: this.liveness.lost,
      insecure: this.insecure,
      // Agents past the cap are refused by the store (positions, states) and by liveness (JSON-only ids) alike.
      limits: { ...this.store.limits, agentsRefused: this.store.limits.agentsRefused + this.liveness.refused },
      rates: { bytesPerSec: Math.max(0, Math.round(this.bytesRate.perSecond)), messagesPerSec: Math.max(0, Math.round(this.messagesRate.perSecond)) },
      endpoints: this.sockets.map((x) => this.endpointStatus(x)),
      counters: {
        ...this.counters,
        commandsSent: this.commands.counters.sent,
        commandsTimedOut: this.commands.counters.timedOut,
        commandsRefused: this.commands.counters.refused,
        inflateBudgetDrops: this.inflateBudget.dropped,
      },
    };
    if (this.lastReason !== undefined) s.reason = this.lastReason;
    if (this.config.replay) s.replay = true;
    if (this.clockOffsetMs !== undefined) s.serverClockOffsetMs = Math.round(this.clockOffsetMs);
    if (this.lastLatencyMs !== undefined) s.lastLatencyMs = this.lastLatencyMs;
    const notes = this.notes.summary();
    if (notes.length) s.conformance = notes;
    return s;
  }

  /** Every conformance note of the current sessions, per endpoint (probe). */
  conformance(): ConformanceNote[] {
    return this.notes.all();
  }

  /** handshake_ack fields as received, per endpoint (probe). */
  handshakeAcks(): Partial<Record<EndpointName, JsonObject>> {
    const out: Partial<Record<EndpointName, JsonObject>> = {};
    for (const s of this.sockets) if (s.ack) out[s.name] = s.ack;
    return out;
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
    if (!this.isClosed) return;
    this.isClosed = false;
    const tick = Math.max(50, Math.min(1000, Math.floor(this.settings.agentTimeoutMs / 4)));
    this.timers.interval('housekeeping', tick, () => this.housekeeping());
    if (this.insecure) {
      this.emitClient('client.tls_insecure', 'high', {
        message: 'TLS certificate verification is OFF for this plane (profile tls.insecureSkipVerify): the connection can be intercepted',
      });
    }
    if (this.config.tls?.caFile !== undefined) {
      try {
        this.caBytes = readFileSync(this.config.tls.caFile);
      } catch (e) {
        const why = `cannot read the CA file ${this.config.tls.caFile}: ${e instanceof Error ? e.message : String(e)}`;
        for (const s of this.sockets) {
          s.machine.fire('connect');
          s.fail('TLS_VERIFICATION_FAILED', `${s.name}: ${why}`);
        }
        return;
      }
    }
    if (this.config.tokenCommand && this.currentToken === undefined) {
      for (const s of this.sockets) {
        s.awaitingToken = true;
        s.machine.fire('connect', `${s.name}: running the token command`);
      }
      void this.refreshToken();
      return;
    }
    for (const s of this.sockets) s.open();
  }

  close(): void {
    if (this.isClosed && this.sockets.every((s) => s.machine.state === 'CLOSED')) return;
    this.isClosed = true;
    this.timers.clearAll();
    for (const s of this.sockets) s.close();
    this.commands.abortAll('CLOSED', 'the plane was closed before a response');
  }

  /** A new token (e.g. typed by the operator): endpoints waiting in AUTH_REQUIRED reconnect with it. */
  setToken(token: string | undefined): void {
    this.currentToken = token;
    this.currentTokenGen++;
    this.tokenFromCommand = false;
    if (this.isClosed) return;
    for (const s of this.sockets) if (s.machine.state === 'AUTH_REQUIRED') s.open();
  }

  /** Retry now: endpoints in FAILED, AUTH_REQUIRED or waiting out a backoff open at once. */
  reconnect(): void {
    if (this.isClosed) return this.connect();
    for (const s of this.sockets) s.retryNow();
  }

  /** Sends a JSON message on an endpoint; false when that endpoint is not open. */
  send(endpoint: EndpointName, message: unknown): boolean {
    const s = this.socket(endpoint);
    return s ? s.sendJson(message) : false;
  }

  /**
   * Sends a command on the control endpoint and resolves with its result:
   * never rejects. Goes out as soon as the control endpoint's handshake is
   * done or waived (never waiting on optional negotiation), within the
   * command's timeout; refused at once when it cannot be (AUTH_REQUIRED,
   * FAILED, closed, disabled) or a rate limit says so.
   */
  command(req: CommandRequest): Promise<CommandResult> {
    const control = this.socket('control');
    if (this.isClosed) return Promise.resolve(this.commands.refuse(req, 'CLOSED', 'the plane is not connected'));
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
    this.receive(s, data, isBinary, Date.now());
    return true;
  }

  private socket(name: EndpointName): EndpointSession | undefined {
    return this.sockets.find((x) => x.name === name);
  }

  // ------------------------------------------------------- the sessions' host

  private sessionHost(): SessionHost {
    const plane = this;
    return {
      settings: this.settings,
      clientId: this.clientId,
      counters: this.counters,
      get insecure() {
        return plane.insecure;
      },
      get ca() {
        return plane.caBytes;
      },
      get closed() {
        return plane.isClosed;
      },
      get token() {
        return plane.currentToken;
      },
      get tokenGen() {
        return plane.currentTokenGen;
      },
      message: (s, data, isBinary) => this.receive(s, data, isBinary, s.lastRxAt),
      upgrade: (s, status, headers) => {
        if (status === 101) this.notes.resetSession(s.name);
        this.listener.upgrade?.(s.name, status, headers);
      },
      timing: (latency, offset) => {
        if (latency !== undefined) this.lastLatencyMs = latency;
        if (offset !== undefined) this.clockOffsetMs = offset;
      },
      pong: (ms) => {
        this.lastLatencyMs = ms;
      },
      note: (s, code, message) => {
        if (!this.notes.add(s.name, code, message)) return;
        this.emitClient('client.conformance', 'normal', { endpoint: s.name, code, message: this.notes.get(s.name, code)! });
      },
      emitClient: (type, priority, payload) => this.emitClient(type, priority, payload),
      error: (s, code, message, recoverable) => this.emitError(s, code, message, recoverable),
      ready: (s) => {
        if (s.name === 'control') this.commands.flushWaiting();
      },
      live: (s) => this.onLive(s),
      ended: (s, reason) => {
        if (s.mux) {
          const mux = s.mux;
          s.mux = null;
          mux.dispose();
        }
        if (s.name === 'control') this.commands.sessionLost(reason);
      },
      failed: (s, _code, reason) => {
        if (s.name === 'control') this.commands.abortAll('CONNECTION_FAILED', reason);
      },
      authFailure: (s, reason, status) => this.onAuthFailure(s, reason, status),
      transition: (s, t) => this.onTransition(s, t),
      mux: (s) => this.muxOf(s),
    };
  }

  private onLive(s: EndpointSession): void {
    this.verifiedGen = Math.max(this.verifiedGen, s.tokenGen);
    // A reconnect of the endpoint that carries agent heartbeats is not agents going silent: restart their clocks.
    if (s.name === 'control' || !this.socket('control')) this.liveness.restartClocks(Date.now());
    if (s.name === 'agents') {
      const since = s.openedAt;
      s.timers.timeout('resync', this.settings.resyncGraceMs, () => this.sweep(s, since));
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

  // ------------------------------------------------------------------- tokens

  /** 401/403 on upgrade or AUTH_FAILED: refresh the token once through the token command, else AUTH_REQUIRED. */
  private onAuthFailure(s: EndpointSession, reason: string, status?: number): void {
    this.counters.authFailures++;
    if (this.currentTokenGen > s.tokenGen) {
      // The token changed since this socket opened: try the new one.
      s.endForRetry(reason, 'retrying with the new token', 0);
      return;
    }
    const tc = this.config.tokenCommand;
    // No loop on dead credentials: a token from the command that was never accepted is not refreshed again.
    if (tc && (this.refreshing !== null || !this.tokenFromCommand || this.verifiedGen === s.tokenGen)) {
      s.awaitingToken = true;
      s.endForRetry(reason, 'running the token command for a fresh token', null);
      void this.refreshToken();
      return;
    }
    const why = tc ? `${reason}; the token command's token was refused too: a new token is needed` : `${reason}; a new token is needed`;
    this.authRequired(s, why, status);
  }

  private authRequired(s: EndpointSession, reason: string, status?: number): void {
    if (s.authRequired(reason, status) && s.name === 'control') this.commands.abortAll('AUTH_REQUIRED', reason);
  }

  private refreshToken(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const tc = this.config.tokenCommand!;
    this.counters.tokenRefreshes++;
    this.refreshing = runTokenCommand(tc).then(
      (token) => {
        this.refreshing = null;
        if (this.isClosed) return false;
        this.currentToken = token;
        this.currentTokenGen++;
        this.tokenFromCommand = true;
        this.emitClient('client.token_refreshed', 'normal', { command: describeTokenCommand(tc), generation: this.currentTokenGen });
        for (const s of this.sockets) {
          if (!s.awaitingToken) continue;
          s.awaitingToken = false;
          s.open();
        }
        return true;
      },
      (e: unknown) => {
        this.refreshing = null;
        if (this.isClosed) return false;
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

  private receive(s: EndpointSession, data: Buffer, isBinary: boolean, receivedAt: number): void {
    this.counters.bytesIn += data.byteLength;
    this.counters.messagesIn++;
    this.listener.inbound?.(s.name, data, isBinary, receivedAt);
    if (isBinary) this.onBinary(s, data);
    else this.onText(s, data.toString('utf8'));
  }

  private onText(s: EndpointSession, text: string): void {
    let ev = normaliseJson(text);
    if (ev.type === 'protocol.invalid_message' && typeof ev.payload.messageType === 'string' && SESSION_REPLY_TYPES.has(ev.payload.messageType)) {
      // A session reply in another plane's shape (snake_case, fields missing): read it leniently, note how it differs.
      const r = readSessionReply(text);
      if (r) {
        this.host.note(s, `shape:${r.type}`, `${r.type} does not have the seed's shape (${String(ev.payload.message)}): read leniently`);
        ev = { origin: 'vis', type: r.type, priority: 'normal', payload: r.fields as JsonObject };
      }
    }
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
    const opts: DecodeOptions = { inflate: s.inflate };
    const onFrame = this.listener.frame;
    if (onFrame) opts.onFrame = (f, out) => onFrame(s.name, f, out);
    decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), d, opts);
    if (d.compressedBatches > 0 || d.inflatedBytes > 0) {
      this.counters.compressedMessages++;
      if (s.step === 'live' && !s.compression) {
        this.host.note(s, 'compressed_unnegotiated', 'compressed frames arrive although no compression was negotiated: inflated, the algorithm read from their header');
      }
    }
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
        reorderWindowMs: this.settings.reorderWindowMs,
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
      if (s.ws && s.errors.hit(Date.now())) this.onAbuse(s);
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
        if (ev.agentId !== undefined) this.liveness.beat(ev.agentId, now);
        else if (ev.origin === 'binary' && typeof ev.payload.serverTime === 'number') this.noteServerTime(ev.payload.serverTime, now);
        break;
      case 'status_update':
        if (ev.agentId !== undefined) this.liveness.beat(ev.agentId, now);
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

    if (SESSION_REPLY_TYPES.has(ev.type)) s.onReply(ev.type, ev.payload);
    else if (ev.type === 'error') this.onServerError(s, ev);
  }

  /** Too many invalid messages on one endpoint: disconnect it; it reconnects with backoff. */
  private onAbuse(s: EndpointSession): void {
    this.counters.abuseDisconnects++;
    const a = this.settings.abuse;
    const reason = `${s.name}: disconnected after ${s.errors.errors} invalid messages within ${a.windowMs} ms (limit ${a.maxErrors})`;
    this.emitError(s, 'PROTOCOL_ABUSE', reason, true);
    s.lost(reason);
  }

  private noteServerTime(serverMs: number, now: number): void {
    if (!(serverMs > 0 && serverMs < 8.64e15)) return;
    this.clockOffsetMs = serverMs + (this.lastLatencyMs ?? 0) / 2 - now;
  }

  private onServerError(s: EndpointSession, ev: NormalisedEvent): void {
    if (!s.ws) return; // ingest(): nothing to close
    const p = ev.payload;
    const code = typeof p.code === 'string' ? p.code : 'UNKNOWN';
    const message = typeof p.message === 'string' ? p.message : '';
    if (code === 'AUTH_FAILED') return this.onAuthFailure(s, `${s.name}: server error AUTH_FAILED: ${message}`);
    if (code === 'RATE_LIMIT_EXCEEDED') this.commands.serverRateLimited(retryAfterOf(p));
    if ((s.step === 'version' && /VERSION/.test(code)) || code === 'VERSION_UNSUPPORTED') {
      return s.fail('VERSION_UNSUPPORTED', `${s.name}: the server refused the protocol versions ${this.settings.versions.join(', ')}: ${message}`);
    }
    if (p.recoverable === false) s.lost(`${s.name}: server error ${code} (unrecoverable): ${message}`);
  }

  // ----------------------------------------------------------------- liveness

  private housekeeping(): void {
    const now = Date.now();
    this.bytesRate.sample(this.counters.bytesIn, now);
    this.messagesRate.sample(this.counters.messagesIn, now);
    this.dedupe.expire(now);
    // Loss needs someone listening: only while the control endpoint (which carries agent heartbeats) is LIVE.
    const control = this.socket('control');
    if (control && control.machine.state !== 'LIVE') return;
    this.liveness.check(now);
  }

  // -------------------------------------------------------------------- send

  private ack(s: EndpointSession, ev: NormalisedEvent, status: AckStatus): void {
    if (ev.id === undefined || ev.origin === 'client') return;
    if (s.sendJson(ackMessage(ev.id, status, ev.channel, ev.sequence))) this.counters.acksSent++;
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

  private onTransition(s: EndpointSession, _t: Transition): void {
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
