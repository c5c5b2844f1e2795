// One control plane: the lifecycle of its endpoint sessions and the parts
// they share. Plain Node (ws); no Electron import. docs/PROTOCOL.md,
// "Session", is the specification.
//
// Direction, top to bottom (no module below imports one above):
//   plane.ts     owns the sessions (connect, close, reconnect, token, state)
//     → endpoint-session.ts  socket, state machine, backoff; reports events
//         → negotiation.ts, heartbeat.ts
//     → intake.ts    every inbound message: decoding, channels, message rules
//     → auth.ts      token, generation, token command
//     → commands.ts  command lifecycle on the control endpoint
//     → agent-liveness.ts, clock.ts, conformance.ts, counters.ts
//     → status.ts    what status() shows, gathered from the parts
// The plane listens to its sessions (SessionListener) and to intake
// (IntakeHost), and acts on the sessions; nothing below calls the plane.

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type ConnectionState, type JsonObject, type PlaneEvent, type PlaneStatus, SLOT_EMPTY } from '../../../shared/index.js';
import {
  type DecodedMessage,
  type EndpointName,
  ENDPOINTS,
  type FrameInfo,
  type Inflater,
  type NormalisedEvent,
} from '../protocol/index.js';
import { AgentStore } from '../store/index.js';
import { AgentLiveness } from './agent-liveness.js';
import { Auth } from './auth.js';
import { readCaFile } from './ca-file.js';
import { clientError, clientEvent } from './client-events.js';
import { ServerClock } from './clock.js';
import { type CommandRequest, type CommandResult, Commands } from './commands.js';
import { type ConformanceNote, ConformanceNotes } from './conformance.js';
import { newCounters, type PlaneCounters } from './counters.js';
import { type Credentials, EndpointSession, type SessionListener } from './endpoint-session.js';
import { suggestedAction } from './errors.js';
import { InflateBudget } from './inflate-budget.js';
import { Intake, type IntakeHost } from './intake.js';
import { type PlaneConfig, type PlaneSettings, resolvePlaneSettings } from './plane-config.js';
import { RateMeter } from './rates.js';
import { aggregateState } from './state-machine.js';
import { planeStatus } from './status.js';
import { Timers } from './timers.js';

export type { ChannelSpec } from '../protocol/index.js';
export type { CommandRequest, CommandResult } from './commands.js';
export type { ConformanceNote } from './conformance.js';
export type { PlaneCounters } from './counters.js';
export type { EndpointStatus } from './status.js';
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

export class Plane {
  readonly store = new AgentStore();
  readonly counters: PlaneCounters = newCounters();
  /** Sent in handshake; stable for the Plane's life. */
  readonly clientId = randomUUID();
  readonly settings: PlaneSettings;
  private readonly sessions: EndpointSession[] = [];
  private readonly timers = new Timers();
  private readonly commands: Commands;
  private readonly liveness: AgentLiveness;
  private readonly notes = new ConformanceNotes();
  private readonly clock = new ServerClock();
  private readonly auth: Auth;
  private readonly intake: Intake<EndpointSession>;
  private readonly inflateBudget: InflateBudget;
  private readonly bytesRate = new RateMeter();
  private readonly messagesRate = new RateMeter();
  private seq = 0;
  private isClosed = true;
  private lastState: ConnectionState = 'CLOSED';
  private lastReason: string | undefined;
  private downSince: number | undefined;
  private caBytes: Buffer | undefined;
  /** Which connect() a CA file read belongs to: a read finishing after close() and connect() again is dropped. */
  private connectGeneration = 0;

  constructor(
    readonly config: PlaneConfig,
    private readonly listener: PlaneListener,
  ) {
    this.settings = resolvePlaneSettings(config);
    this.inflateBudget = new InflateBudget(this.settings.inflateBudgetBytesPerSec);
    this.commands = new Commands(
      {
        planeId: config.id,
        send: (m) => this.send('control', m),
        live: () => {
          const c = this.session('control');
          return c !== undefined && c.commandsReady && c.connected;
        },
      },
      { defaultTimeoutMs: this.settings.commandTimeoutMs, rateLimit: config.commandRateLimit },
    );
    this.liveness = new AgentLiveness(this.settings.agentTimeoutMs, {
      lost: (p) => this.emitClient('client.agent_lost', 'high', p),
      recovered: (p) => this.emitClient('client.agent_recovered', 'normal', p),
    });
    this.auth = new Auth(config.token, config.tokenCommand, this.counters, this.authPort());
    this.intake = new Intake(
      { counters: this.counters, store: this.store, liveness: this.liveness, commands: this.commands, clock: this.clock, settings: this.settings, dedupe: config.dedupe },
      this.intakeHost(),
    );
    const events = this.sessionListener();
    const wrap = (i: Inflater): Inflater => this.inflateBudget.wrap(i);
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      const override = config.endpoints?.[name];
      if (override === false) continue;
      this.sessions.push(new EndpointSession(name, endpointUrl(config.url, override ?? ENDPOINTS[name]), this.settings, this.clientId, events, wrap));
    }
    this.pushCredentials();
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
    return planeStatus({
      config: this.config,
      state: this.lastState,
      reason: this.lastReason,
      downSince: this.downSince,
      insecure: this.insecure,
      store: this.store,
      liveness: this.liveness,
      sessions: this.sessions,
      counters: this.counters,
      commands: this.commands,
      inflateBudgetDrops: this.inflateBudget.dropped,
      bytesRate: this.bytesRate,
      messagesRate: this.messagesRate,
      clock: this.clock,
      notes: this.notes,
      caps: this.intake.capCounters(),
    });
  }

  /** Every conformance note of the current sessions, per endpoint (probe). */
  conformance(): ConformanceNote[] {
    return this.notes.all();
  }

  /** handshake_ack fields as received, per endpoint (probe). */
  handshakeAcks(): Partial<Record<EndpointName, JsonObject>> {
    const out: Partial<Record<EndpointName, JsonObject>> = {};
    for (const s of this.sessions) if (s.ack) out[s.name] = s.ack;
    return out;
  }

  /** What the plane holds that must be released by close(): for leak tests and diagnostics. */
  resources(): { sockets: number; timers: number; pendingCommands: number; bufferedChannelMessages: number } {
    const channels = this.intake.resources();
    let sockets = 0;
    let timers = this.timers.size + channels.timers;
    for (const s of this.sessions) {
      if (s.connected) sockets++;
      timers += s.timers.size;
    }
    return { sockets, timers, pendingCommands: this.commands.size, bufferedChannelMessages: channels.buffered };
  }

  connect(): void {
    if (!this.isClosed) return;
    this.isClosed = false;
    const tick = Math.max(50, Math.min(250, Math.floor(this.settings.agentTimeoutMs / 4)));
    this.timers.interval('housekeeping', tick, () => this.housekeeping());
    if (this.insecure) {
      this.emitClient('client.tls_insecure', 'high', {
        message: 'TLS certificate verification is OFF for this plane (profile tls.insecureSkipVerify): the connection can be intercepted',
      });
    }
    const caFile = this.config.tls?.caFile;
    if (caFile !== undefined) {
      const generation = ++this.connectGeneration;
      const current = (): boolean => !this.isClosed && generation === this.connectGeneration;
      // Read asynchronously and bounded (ca-file.ts); the sessions open once it is in.
      void readCaFile(caFile).then(
        (bytes) => {
          if (!current()) return;
          this.caBytes = bytes;
          this.pushCredentials();
          this.openSessions();
        },
        (e: unknown) => {
          if (!current()) return;
          const why = `cannot read the CA file ${caFile}: ${e instanceof Error ? e.message : String(e)}`;
          for (const s of this.sessions) s.failToStart('TLS_VERIFICATION_FAILED', `${s.name}: ${why}`);
        },
      );
      return;
    }
    this.openSessions();
  }

  private openSessions(): void {
    if (this.auth.refreshFirst) {
      for (const s of this.sessions) s.connectAwaitingToken();
      void this.auth.refresh();
      return;
    }
    for (const s of this.sessions) s.open();
  }

  close(): void {
    if (this.isClosed && this.sessions.every((s) => s.machine.state === 'CLOSED')) return;
    this.isClosed = true;
    this.connectGeneration++;
    this.timers.clearAll();
    for (const s of this.sessions) s.close();
    this.commands.abortAll('CLOSED', 'the plane was closed before a response');
  }

  /** A new token (e.g. typed by the operator): endpoints waiting in AUTH_REQUIRED reconnect with it. */
  setToken(token: string | undefined): void {
    this.auth.set(token);
    this.pushCredentials();
    if (this.isClosed) return;
    for (const s of this.sessions) if (s.machine.state === 'AUTH_REQUIRED') s.open();
  }

  /** Retry now: endpoints in FAILED, AUTH_REQUIRED or waiting out a backoff open at once. */
  reconnect(): void {
    if (this.isClosed) return this.connect();
    for (const s of this.sessions) s.retryNow();
  }

  /** Sends a JSON message on an endpoint; false when that endpoint is not open. */
  send(endpoint: EndpointName, message: unknown): boolean {
    const s = this.session(endpoint);
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
    return this.commands.request(req, this.isClosed, this.session('control')?.machine);
  }

  /**
   * Feeds one message as if it had arrived on an endpoint's socket: the same
   * decoder, store and event path. For replaying recordings into a plane that
   * is never connected; false when the endpoint is disabled in this profile.
   */
  ingest(endpoint: EndpointName, data: Buffer, isBinary: boolean): boolean {
    const s = this.session(endpoint);
    if (!s) return false;
    this.intake.receive(s, data, isBinary, Date.now());
    return true;
  }

  private session(name: EndpointName): EndpointSession | undefined {
    return this.sessions.find((x) => x.name === name);
  }

  private pushCredentials(): void {
    const c: Credentials = { token: this.auth.token, generation: this.auth.generation, ca: this.caBytes, insecure: this.insecure };
    for (const s of this.sessions) s.setCredentials(c);
  }

  // ------------------------------------------------------ what sessions report

  private sessionListener(): SessionListener {
    return {
      message: (s, data, isBinary, receivedAt) => this.intake.receive(s, data, isBinary, receivedAt),
      upgrade: (s, status, headers) => {
        if (status === 101) this.notes.resetSession(s.name);
        this.listener.upgrade?.(s.name, status, headers);
      },
      state: (s) => this.onTransition(s),
      note: (s, code, message) => this.note(s, code, message),
      warning: (s, code, message) => this.emitClient('client.warning', 'normal', { endpoint: s.name, code, message }),
      error: (s, code, message, recoverable) => this.emit(clientError(s.name, code, message, recoverable)),
      oversized: (s, message) => {
        this.counters.protocolErrors++;
        this.emit(clientError(s.name, 'MESSAGE_TOO_LARGE', message, true));
      },
      handshake: (_s, sentAt, receivedAt, serverTime, late) => this.clock.fromHandshake(sentAt, receivedAt, serverTime, late),
      pong: (_s, rtt) => this.clock.fromPong(rtt),
      sent: (_s, bytes) => {
        this.counters.bytesOut += bytes;
        this.counters.messagesOut++;
      },
      ready: (s) => {
        if (s.name === 'control') this.commands.flushWaiting();
      },
      negotiated: (s, info) => {
        const session: JsonObject = { endpoint: s.name, version: info.version, compression: info.compression, heartbeatIntervalMs: info.heartbeatIntervalMs };
        if (info.sessionId !== undefined) session.sessionId = info.sessionId;
        this.emitClient('client.session', 'normal', session);
      },
      channels: (s, specs) => this.intake.defineChannels(s, specs),
      channelStart: (s, id, sequence) => this.intake.channelStart(s, id, sequence),
      live: (s) => this.onLive(s),
      ended: (s, reason) => {
        this.intake.sessionEnded(s.name);
        if (s.name === 'control') this.commands.sessionLost(reason);
      },
      failed: (s, code, reason) => {
        this.emit(clientError(s.name, code, reason, false));
        if (s.name === 'control') this.commands.abortAll('CONNECTION_FAILED', reason);
      },
      authRejected: (s, reason, status) => this.onAuthRejected(s, reason, status),
      stale: (s, info) => {
        this.counters.staleDetections++;
        this.emitClient('client.stale', 'high', { endpoint: s.name, silentForMs: info.silentForMs, lastRxAt: info.lastRxAt, heartbeatIntervalMs: info.heartbeatIntervalMs });
      },
      retry: () => {
        this.counters.reconnects++;
      },
    };
  }

  private onLive(s: EndpointSession): void {
    this.auth.accepted(s.tokenGen);
    // A reconnect of the endpoint that carries agent heartbeats is not agents going silent: restart their clocks.
    if (s.name === 'control' || !this.session('control')) this.liveness.restartClocks(Date.now());
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

  /** The plane's state is its least advanced endpoint's; each change (and a new reason, but while connecting) is an event. */
  private onTransition(s: EndpointSession): void {
    const states = this.sessions.map((x) => x.machine.state);
    const { state, index } = aggregateState(states);
    const worst = this.sessions[index];
    const reason = state === 'LIVE' ? undefined : worst?.machine.reason;
    if (state === this.lastState && reason === this.lastReason) return;
    const previous = this.lastState;
    this.lastState = state;
    this.lastReason = reason;
    // DOWN: it was LIVE (or STALE) and a socket went; it stays down through the retries until LIVE.
    if (state === 'LIVE' || state === 'CLOSED' || state === 'AUTH_REQUIRED' || state === 'FAILED') this.downSince = undefined;
    else if (state === 'RECONNECTING' && this.downSince === undefined && (previous === 'LIVE' || previous === 'STALE')) this.downSince = Date.now();
    // A new reason while still connecting or handshaking is progress, not news: status() has it.
    if (state === previous && (state === 'CONNECTING' || state === 'HANDSHAKING')) return;
    const endpoints: JsonObject = {};
    for (const x of this.sessions) endpoints[x.name] = x.machine.state;
    const payload: JsonObject = { state, previous, endpoint: s.name, endpoints };
    if (reason !== undefined) payload.reason = reason;
    this.emitClient('client.connection', state === 'AUTH_REQUIRED' || state === 'FAILED' || state === 'STALE' ? 'high' : 'normal', payload);
  }

  // ------------------------------------------------------------ authentication

  /** 401/403 on upgrade or AUTH_FAILED: the new token, the token command, else AUTH_REQUIRED. */
  private onAuthRejected(s: EndpointSession, reason: string, status?: number): void {
    const d = this.auth.rejected(s.tokenGen, reason);
    if (d.kind === 'retry') return s.endForRetry(reason, 'retrying with the new token', 0);
    if (d.kind === 'refresh') {
      s.endAwaitingToken(reason);
      void this.auth.refresh();
      return;
    }
    this.requireAuth(s, d.reason, status);
  }

  private requireAuth(s: EndpointSession, reason: string, status?: number): void {
    if (!s.requireAuth(reason)) return;
    const payload: JsonObject = { endpoint: s.name, reason };
    if (status !== undefined) payload.status = status;
    this.emitClient('client.auth_required', 'high', payload);
    if (s.name === 'control') this.commands.abortAll('AUTH_REQUIRED', reason);
  }

  private authPort(): ConstructorParameters<typeof Auth>[3] {
    const plane = this;
    return {
      get closed() {
        return plane.isClosed;
      },
      refreshed: (generation, command) => {
        this.pushCredentials();
        this.emitClient('client.token_refreshed', 'normal', { command, generation });
        for (const s of this.sessions) if (s.awaitingToken) s.open();
      },
      refreshFailed: (message) => {
        this.emitClient('client.error', 'high', { code: 'TOKEN_COMMAND_FAILED', message, recoverable: false, suggestedAction: suggestedAction('TOKEN_COMMAND_FAILED') });
        for (const s of this.sessions) if (s.awaitingToken) this.requireAuth(s, `${s.name}: ${message}; a new token is needed`);
      },
    };
  }

  // -------------------------------------------------------- what intake reports

  private intakeHost(): IntakeHost<EndpointSession> {
    const l = this.listener;
    const host: IntakeHost<EndpointSession> = {
      emit: (ev) => this.emit(ev),
      note: (s, code, message) => this.note(s, code, message),
      reply: (s, type, fields) => s.reply(type, fields),
      authFailed: (s, reason) => this.onAuthRejected(s, reason),
      fatal: (s, code, reason) => s.fail(code, reason),
      drop: (s, reason) => s.lost(reason),
    };
    if (l.inbound) host.inbound = l.inbound.bind(l);
    if (l.frame) host.frame = l.frame.bind(l);
    return host;
  }

  // ------------------------------------------------------------------ liveness

  private housekeeping(): void {
    const now = Date.now();
    this.bytesRate.sample(this.counters.bytesIn, now);
    this.messagesRate.sample(this.counters.messagesIn, now);
    this.intake.expire(now);
    // Loss needs someone listening: only while the control endpoint (which carries agent heartbeats) is LIVE.
    const control = this.session('control');
    if (control && control.machine.state !== 'LIVE') return;
    this.liveness.check(now);
  }

  // -------------------------------------------------------------------- events

  private note(s: EndpointSession, code: string, message: string): void {
    if (!this.notes.add(s.name, code, message)) return;
    this.emitClient('client.conformance', 'normal', { endpoint: s.name, code, message: this.notes.get(s.name, code)! });
  }

  private emitClient(type: string, priority: PlaneEvent['priority'], payload: JsonObject): void {
    this.emit(clientEvent(type, priority, payload));
  }

  private emit(ev: NormalisedEvent): void {
    const full: PlaneEvent = { seq: this.seq++, plane: this.config.id, at: Date.now(), ...ev };
    if (full.truncated !== undefined) this.store.limits.stringsTruncated += full.truncated;
    // State changes (with history), capabilities and metadata of one agent go to the store as they pass.
    if (full.agentId !== undefined && full.origin !== 'client') this.store.applyEvent(full);
    this.listener.event(full);
  }
}

export function endpointUrl(base: string, pathOrUrl: string): string {
  if (/^wss?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  return base.replace(/\/+$/, '') + pathOrUrl;
}
