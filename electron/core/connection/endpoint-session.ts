// One endpoint socket (agents, graph or control) and its current session:
// the WebSocket, the connection state machine, the reconnect backoff, and the
// session's negotiation (negotiation.ts) and heartbeats (heartbeat.ts).
//
// Direction: plane.ts → endpoint-session.ts. The session imports nothing of
// the plane. It reports through the SessionListener it declares, each event
// after its own state is settled (a listener may answer with a command:
// open, lost, fail, endForRetry, reply…). It does not decode: every inbound
// message is handed to the listener as received, whatever the step, and the
// listener hands session replies back with reply(). Negotiation never gates
// data (docs/PROTOCOL.md, "What the client assumes").
//
// Where things go: the upgrade (headers, timeout, refusals) and the backoff
// (its reset once stable) are here; the steps after the upgrade are in
// negotiation.ts; heartbeats and staleness in heartbeat.ts.

import type { IncomingHttpHeaders } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';
import {
  type ChannelSpec,
  CLIENT_VERSION,
  clientHeartbeatMessage,
  type CompressionAlgorithm,
  detectingInflater,
  type EndpointName,
  type Inflater,
} from '../protocol/index.js';
import { type JsonObject, QUICK_RETRY_AFTER_LIVE_MS, QUICK_RETRY_MAX_MS, QUICK_RETRY_MIN_MS } from '../../../shared/index.js';
import { Backoff } from './backoff.js';
import { Heartbeat, type StaleInfo } from './heartbeat.js';
import { Negotiation, type Step } from './negotiation.js';
import type { PlaneSettings } from './plane-config.js';
import { ConnectionMachine, type Transition } from './state-machine.js';
import { Timers } from './timers.js';


const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME/;

/** What a socket is opened with; the owner sets it whenever it changes. */
export interface Credentials {
  token: string | undefined;
  /** Which token this is (it changes with every new token). */
  generation: number;
  /** Extra CA certificates (PEM). */
  ca: Buffer | undefined;
  /** TLS certificate verification off. */
  insecure: boolean;
}

/** What `client.session` reports once negotiation is over. */
export interface SessionInfo {
  version: string | null;
  compression: string | null;
  heartbeatIntervalMs: number;
  sessionId: string | undefined;
}

/** Everything a session reports, in the order it happens. */
export interface SessionListener {
  /** Every inbound message, exactly as received (`data` is valid only during the call). */
  message(s: EndpointSession, data: Buffer, isBinary: boolean, receivedAt: number): void;
  /** The HTTP answer to the upgrade (101 or a refusal). */
  upgrade(s: EndpointSession, status: number, headers: IncomingHttpHeaders): void;
  /** The state machine moved, or its reason changed. */
  state(s: EndpointSession, t: Transition): void;
  /** A conformance note: what the session assumed or accepted. */
  note(s: EndpointSession, code: string, message: string): void;
  warning(s: EndpointSession, code: string, message: string): void;
  /** A client error about this endpoint (the session goes on unless a state event says otherwise). */
  error(s: EndpointSession, code: string, message: string, recoverable: boolean): void;
  /** The server sent a message larger than maxPayloadBytes; ws closes the socket (1009). */
  oversized(s: EndpointSession, message: string): void;
  /** handshake_ack arrived: when the handshake went and the ack came, the server's time. */
  handshake(s: EndpointSession, sentAt: number, receivedAt: number, serverTime: string | undefined, late: boolean): void;
  /** A heartbeat ping's round trip. */
  pong(s: EndpointSession, rttMs: number): void;
  /** A JSON message went out. */
  sent(s: EndpointSession, bytes: number): void;
  /** The handshake is done or waived: commands may go out on this endpoint. */
  ready(s: EndpointSession): void;
  /** Negotiation is over; the LIVE transition follows. */
  negotiated(s: EndpointSession, info: SessionInfo): void;
  /** Channels about to be created on this session (before their channel.create goes out). */
  channels(s: EndpointSession, specs: readonly ChannelSpec[]): void;
  /** The server named a channel's first sequence. */
  channelStart(s: EndpointSession, channelId: string, sequence: number): void;
  /** The session is LIVE and its channels are asked for. */
  live(s: EndpointSession): void;
  /** The session ended (any cause, before any new state): work tied to it ends. */
  ended(s: EndpointSession, reason: string): void;
  /** The endpoint went FAILED. */
  failed(s: EndpointSession, code: string, reason: string): void;
  /** 401/403 on upgrade: the listener decides (endForRetry, endAwaitingToken or requireAuth). */
  authRejected(s: EndpointSession, reason: string, status: number): void;
  /** Nothing from the server for too long (heartbeat.ts): STALE (already); closing and retrying follow. */
  stale(s: EndpointSession, info: StaleInfo): void;
  /** The backoff elapsed: the socket opens again. */
  retry(s: EndpointSession): void;
}

export class EndpointSession {
  readonly machine: ConnectionMachine;
  readonly backoff: Backoff;
  /** This socket reached LIVE and delivered a message (the flap guard reset the backoff). */
  private deliveredLive = false;
  /** When this socket reached LIVE (0: not yet). */
  private liveAt = 0;
  readonly timers = new Timers();
  /** When the current socket's upgrade succeeded. */
  openedAt = 0;
  /** Messages received in this session. */
  received = 0;
  /** The token generation the current socket was opened with. */
  tokenGen = 0;
  inflate: Inflater | undefined;
  private ws: WebSocket | null = null;
  private credentials: Credentials = { token: undefined, generation: 0, ca: undefined, insecure: false };
  private readonly negotiation: Negotiation;
  private readonly heartbeat: Heartbeat;
  private fatal: { code: string; reason: string } | undefined;
  private lastError: string | undefined;
  // Across sessions.
  private waitingForToken = false;

  constructor(
    readonly name: EndpointName,
    readonly url: string,
    private readonly settings: PlaneSettings,
    private readonly clientId: string,
    private readonly listener: SessionListener,
    /** Wraps each session's inflater (the plane's inflate budget). */
    private readonly wrapInflater: (i: Inflater) => Inflater = (i) => i,
  ) {
    this.backoff = new Backoff(settings.backoff.minMs, settings.backoff.maxMs);
    this.machine = new ConnectionMachine('CLOSED', (t) => listener.state(this, t));
    const session = this;
    this.negotiation = new Negotiation(name, settings, this.timers, {
      send: (m) => this.sendJson(m),
      note: (code, message) => listener.note(this, code, message),
      warning: (code, message) => listener.warning(this, code, message),
      problem: (code, message) => listener.error(this, code, message, true),
      fail: (code, reason) => this.fail(code, reason),
      get received() {
        return session.received;
      },
      acked: (hb, sentAt, receivedAt, serverTime, late) => {
        this.heartbeat.start(hb);
        listener.handshake(this, sentAt, receivedAt, serverTime, late);
      },
      compression: (alg) => this.expectCompression(alg),
      ready: () => listener.ready(this),
      negotiated: () => this.onNegotiated(),
      channels: (specs) => listener.channels(this, specs),
      channelStart: (id, sequence) => listener.channelStart(this, id, sequence),
      live: () => listener.live(this),
    });
    this.heartbeat = new Heartbeat(settings.heartbeat, this.timers, {
      beat: () => this.beat(),
      note: (code, message) => listener.note(this, code, message),
      stale: (info, reason) => {
        this.machine.fire('silent', `${name}: ${reason}`);
        listener.stale(this, info);
      },
      probe: () => {
        const ws = this.ws;
        if (!ws || ws.readyState !== WebSocket.OPEN) return false;
        ws.ping();
        return true;
      },
      revived: (silentForMs) => this.machine.fire('revived', `${name}: heard again after ${silentForMs} ms`),
      dead: (reason) => this.lost(`${name}: ${reason}`),
    });
  }

  // ------------------------------------------------------------ what it shows

  /** A socket is open or opening (false between sessions and for ingest() of a recording). */
  get connected(): boolean {
    return this.ws !== null;
  }
  get step(): Step {
    return this.negotiation.step;
  }
  get version(): string | undefined {
    return this.negotiation.version;
  }
  get features(): ReadonlySet<string> {
    return this.negotiation.features;
  }
  /** Negotiated algorithm; null: none; undefined: not negotiated. */
  get compression(): string | null | undefined {
    return this.negotiation.compression;
  }
  get sessionId(): string | undefined {
    return this.negotiation.sessionId;
  }
  /** handshake_ack fields as received (probe). */
  get ack(): JsonObject | undefined {
    return this.negotiation.ack;
  }
  /** The handshake is done or waived: commands may go. */
  get commandsReady(): boolean {
    return this.negotiation.ready;
  }
  get heartbeatMs(): number {
    return this.heartbeat.intervalMs;
  }
  get lastRxAt(): number {
    return this.heartbeat.lastRxAt;
  }
  /** When the backoff's next attempt is due (ms since epoch); undefined when none is waiting. */
  retryAt: number | undefined = undefined;
  /** Waiting for the token command before opening (no backoff timer runs meanwhile). */
  get awaitingToken(): boolean {
    return this.waitingForToken;
  }

  setCredentials(c: Credentials): void {
    this.credentials = c;
  }

  // ------------------------------------------------------------ socket lifecycle

  open(): void {
    this.waitingForToken = false;
    const st = this.machine.state;
    if (st === 'RECONNECTING') this.machine.fire('retry', `${this.name}: connecting`);
    else if (st !== 'CONNECTING') this.machine.fire('connect', `${this.name}: connecting`);
    if (this.machine.state !== 'CONNECTING') return;
    this.detach();
    this.resetSession();
    this.timers.clearAll();
    this.retryAt = undefined;
    const c = this.credentials;
    const headers: Record<string, string> = { 'X-Client-Version': CLIENT_VERSION, 'X-Requested-Protocols': 'binary,json' };
    if (c.token !== undefined) headers.Authorization = `Bearer ${c.token}`;
    const opts: ClientOptions = {
      headers,
      perMessageDeflate: this.settings.perMessageDeflate,
      maxPayload: this.settings.maxPayloadBytes,
      handshakeTimeout: this.settings.handshakeTimeoutMs,
      followRedirects: false,
      rejectUnauthorized: !c.insecure,
    };
    if (c.ca) opts.ca = c.ca;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, opts);
    } catch (e) {
      this.fail('CONNECTION_FAILED', `${this.name}: bad URL ${this.url}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.ws = ws;
    this.deliveredLive = false;
    this.liveAt = 0;
    this.tokenGen = c.generation;
    ws.binaryType = 'nodebuffer';
    this.listen(ws);
    // ws's handshakeTimeout is an idle timeout: an upgrade answered a byte a second never trips it.
    // This one counts from the request, however the answer trickles in.
    const limit = this.settings.handshakeTimeoutMs;
    this.timers.timeout('upgrade', limit, () => {
      if (this.ws === ws && this.machine.state === 'CONNECTING') this.lost(`${this.name}: the upgrade was not answered within ${limit} ms`);
    });
  }

  private listen(ws: WebSocket): void {
    const l = this.listener;
    ws.on('upgrade', (res) => {
      if (this.ws === ws) l.upgrade(this, res.statusCode ?? 101, res.headers);
    });
    ws.on('unexpected-response', (_req, res) => {
      if (this.ws !== ws) return;
      const code = res.statusCode ?? 0;
      l.upgrade(this, code, res.headers);
      const text = `${this.name}: server answered ${code}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
      res.resume();
      this.detach();
      if (code === 401 || code === 403) l.authRejected(this, text, code);
      else if (code >= 400 && code < 500 && code !== 408 && code !== 429) this.fail('CONNECTION_FAILED', `${text} for ${this.url}; check the URL and endpoint path`);
      else this.lost(text);
    });
    ws.on('open', () => {
      if (this.ws === ws) this.onOpen();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws !== ws) return;
      const now = Date.now();
      this.received++;
      this.heartbeat.heard(now);
      // Flap guard (issue 23): a connection that reached LIVE and delivered data resets the backoff,
      // so a plane that drops every few seconds is retried at once, not after a growing delay;
      // the delay grows only while connections fail before LIVE (minMs/2 floor: no hammering).
      if (!this.deliveredLive && this.machine.state === 'LIVE') {
        this.deliveredLive = true;
        this.backoff.reset();
      }
      l.message(this, data, isBinary, now);
    });
    // Pings and pongs are traffic too: a plane may keep a quiet endpoint alive with pings alone.
    ws.on('ping', () => {
      if (this.ws === ws) this.heartbeat.heard(Date.now());
    });
    ws.on('pong', () => {
      if (this.ws !== ws) return;
      const now = Date.now();
      this.heartbeat.heard(now);
      const rtt = this.heartbeat.pong(now);
      if (rtt !== undefined) l.pong(this, rtt);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (this.ws !== ws) return;
      const code = err.code ?? '';
      if (TLS_ERROR.test(code)) {
        this.fatal = {
          code: 'TLS_VERIFICATION_FAILED',
          reason: `${this.name}: TLS certificate verification failed (${code}: ${err.message}); give the profile the server's CA file${this.credentials.ca ? ' (the configured one does not match)' : ''}`,
        };
      } else if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.lastError = `${this.name}: the server sent a message larger than ${this.settings.maxPayloadBytes} bytes (closed with 1009)`;
        l.oversized(this, this.lastError);
      } else {
        this.lastError = `${this.name}: ${err.message || code}`;
      }
    });
    ws.on('close', (code: number, why: Buffer) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.machine.state === 'CLOSED') return;
      if (this.fatal) return this.fail(this.fatal.code, this.fatal.reason);
      this.lost(this.lastError ?? `${this.name}: connection closed (${code}${why.length ? ` ${why.toString()}` : ''})`);
    });
  }

  private resetSession(): void {
    this.negotiation.reset();
    this.heartbeat.reset();
    this.inflate = this.wrapInflater(detectingInflater());
    this.openedAt = 0;
    this.received = 0;
    this.fatal = undefined;
    this.lastError = undefined;
  }

  private onOpen(): void {
    this.timers.clear('upgrade');
    const now = Date.now();
    this.openedAt = now;
    this.heartbeat.heard(now);
    this.machine.fire('opened', `${this.name}: handshaking`);
    this.negotiation.start(this.clientId, now);
  }

  /** Forgets the current socket (its late events are ignored) and kills it. */
  private detach(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.terminate();
  }

  /** Ends the current session: socket, session timers, then the listener's work tied to it. */
  private endSession(reason: string): void {
    this.detach();
    this.timers.clearAll();
    this.retryAt = undefined;
    this.negotiation.end();
    this.listener.ended(this, reason);
  }

  /** The session is closed (on purpose, or the socket went): reconnect after the backoff. */
  lost(reason: string): void {
    this.endSession(reason);
    if (this.machine.state === 'CLOSED') return;
    const quick = this.deliveredLive && this.liveAt > 0 && Date.now() - this.liveAt >= QUICK_RETRY_AFTER_LIVE_MS;
    const delay = Math.round(quick ? QUICK_RETRY_MIN_MS + Math.random() * (QUICK_RETRY_MAX_MS - QUICK_RETRY_MIN_MS) : this.backoff.next());
    if (!this.machine.fire('lost', `${reason}; retrying in ${delay} ms`)) return;
    this.retryAt = Date.now() + delay;
    this.timers.timeout('retry', delay, () => {
      this.retryAt = undefined;
      this.listener.retry(this);
      this.open();
    });
  }

  /** Retrying cannot help: FAILED, no timer leaves it. */
  fail(code: string, reason: string): void {
    this.endSession(reason);
    if (this.machine.state === 'CLOSED') return;
    if (!this.machine.fire('fatal', reason)) return;
    this.listener.failed(this, code, reason);
  }

  /** FAILED before any socket (e.g. an unreadable CA file). */
  failToStart(code: string, reason: string): void {
    this.machine.fire('connect');
    this.fail(code, reason);
  }

  /** AUTH_REQUIRED: no retry until a new token. False when the state machine refused it. */
  requireAuth(reason: string): boolean {
    this.waitingForToken = false;
    this.endSession(reason);
    if (this.machine.state === 'CLOSED') return false;
    return this.machine.fire('auth_failed', reason);
  }

  /** Ends the session for an auth retry: opens again after `retryInMs`. */
  endForRetry(reason: string, explain: string, retryInMs: number): void {
    this.endSession(reason);
    if (this.machine.state === 'CLOSED') return;
    this.machine.fire('lost', `${reason}; ${explain}`);
    this.retryAt = Date.now() + retryInMs;
    this.timers.timeout('retry', retryInMs, () => {
      this.retryAt = undefined;
      this.open();
    });
  }

  /** Ends the session until the token command has run: the owner opens it again (or requires auth). */
  endAwaitingToken(reason: string): void {
    this.waitingForToken = true;
    this.endSession(reason);
    if (this.machine.state === 'CLOSED') return;
    this.machine.fire('lost', `${reason}; running the token command for a fresh token`);
  }

  /** connect() with no token yet: CONNECTING while the token command runs. */
  connectAwaitingToken(): void {
    this.waitingForToken = true;
    this.machine.fire('connect', `${this.name}: running the token command`);
  }

  /** close(): for good. */
  close(): void {
    this.endSession('closed by the client');
    this.timers.clearAll();
    this.waitingForToken = false;
    this.machine.fire('close', `${this.name}: closed by the client`);
  }

  /** Opens now if in FAILED, AUTH_REQUIRED or waiting out a backoff. */
  retryNow(): void {
    const st = this.machine.state;
    if (st === 'FAILED' || st === 'AUTH_REQUIRED' || (st === 'RECONNECTING' && !this.waitingForToken)) {
      this.timers.clear('retry');
      this.open();
    }
  }

  sendJson(message: unknown): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    const text = JSON.stringify(message);
    ws.send(text);
    this.listener.sent(this, Buffer.byteLength(text));
    return true;
  }

  /** A session reply (handshake_ack, version, compression, channel) the listener read from this socket's messages. */
  reply(type: string, fields: Record<string, unknown>): void {
    if (!this.ws && this.negotiation.step === 'upgrade') return; // ingest() of a recording: no session to negotiate
    this.negotiation.reply(type, fields);
  }

  // ------------------------------------------------------- negotiation's port

  private expectCompression(alg: CompressionAlgorithm | null): void {
    this.inflate = this.wrapInflater(detectingInflater(alg));
  }

  private onNegotiated(): void {
    if (!this.heartbeat.running) this.heartbeat.start(undefined);
    // The backoff resets only after a stable stretch LIVE, not at the handshake.
    this.timers.timeout('stable', this.settings.backoff.stableAfterMs, () => this.backoff.reset());
    this.liveAt = Date.now();
    const n = this.negotiation;
    this.listener.negotiated(this, { version: n.version ?? null, compression: n.compression ?? null, heartbeatIntervalMs: this.heartbeat.intervalMs, sessionId: n.sessionId });
    this.machine.fire('negotiated');
  }

  // --------------------------------------------------------- heartbeat's port

  private beat(): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    this.sendJson(clientHeartbeatMessage(this.clientId, this.negotiation.sessionId));
    ws.ping();
    return true;
  }
}
