// One endpoint socket (agents, graph or control) and its current session: the
// WebSocket, the connection state machine, the reconnect backoff, the
// handshake and the best-effort negotiation, heartbeats and the stale timer.
// It reports to its plane (`SessionHost`): every inbound message, ready (the
// handshake is done or waived: commands may go), live, ended, failed and
// auth failures. Negotiation never gates data: every message is handed to the
// plane whatever the step, and an unanswered optional reply is waited for
// `negotiationWaitMs`, then assumed (docs/PROTOCOL.md, "What the client assumes").

import type { IncomingHttpHeaders } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';
import type { JsonObject, PlaneEvent, PlaneStatus } from '../../../shared/index.js';
import {
  type AckFields,
  channelCreateMessage,
  type ChannelSpec,
  chooseVersion,
  CLIENT_VERSION,
  clientHeartbeatMessage,
  type CompressionAlgorithm,
  compressionNegotiateMessage,
  detectingInflater,
  type EndpointName,
  featuresOf,
  handshakeMessage,
  type Inflater,
  normaliseAlgorithm,
  readChannelReply,
  readCompressionReply,
  readHandshakeAck,
  readVersionReply,
  versionNegotiateMessage,
} from '../protocol/index.js';
import { ErrorWindow } from './abuse.js';
import { Backoff } from './backoff.js';
import type { ChannelMux } from './channels.js';
import { quote } from './conformance.js';
import type { PlaneSettings } from './plane-config.js';
import { ConnectionMachine, type Transition } from './state-machine.js';
import { Timers } from './timers.js';

export type Step = 'upgrade' | 'handshake' | 'version' | 'compression' | 'live';
type Counters = PlaneStatus['counters'];

/** The version a session assumes when the server does not answer version.negotiate. */
export const ASSUMED_VERSION = '1.1';
const CAPABILITIES = ['binary', 'compression', 'multiplexing'];
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME/;
/** Largest plausible server clock (JavaScript dates end at 8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

export interface SessionHost {
  readonly settings: PlaneSettings;
  readonly clientId: string;
  readonly insecure: boolean;
  readonly ca: Buffer | undefined;
  readonly closed: boolean;
  readonly counters: Counters;
  readonly token: string | undefined;
  readonly tokenGen: number;
  /** Every inbound message, exactly as received. */
  message(s: EndpointSession, data: Buffer, isBinary: boolean): void;
  /** The HTTP answer to the upgrade (101 or a refusal). */
  upgrade(s: EndpointSession, status: number, headers: IncomingHttpHeaders): void;
  /** Round trip and server clock offset from handshake_ack (either may be unknown). */
  timing(latencyMs: number | undefined, clockOffsetMs: number | undefined): void;
  pong(latencyMs: number): void;
  note(s: EndpointSession, code: string, message: string): void;
  emitClient(type: string, priority: PlaneEvent['priority'], payload: JsonObject): void;
  error(s: EndpointSession, code: string, message: string, recoverable: boolean): void;
  /** The handshake is done or waived: commands may go out on this endpoint. */
  ready(s: EndpointSession): void;
  /** The session went LIVE (after the state machine). */
  live(s: EndpointSession): void;
  /** The session ended (any cause): pending work tied to it is resolved. */
  ended(s: EndpointSession, reason: string): void;
  /** The endpoint went FAILED. */
  failed(s: EndpointSession, code: string, reason: string): void;
  /** 401/403 on upgrade or AUTH_FAILED: the plane decides (new token, token command, AUTH_REQUIRED). */
  authFailure(s: EndpointSession, reason: string, status?: number): void;
  transition(s: EndpointSession, t: Transition): void;
  mux(s: EndpointSession): ChannelMux;
}

export class EndpointSession {
  ws: WebSocket | null = null;
  readonly machine: ConnectionMachine;
  readonly backoff: Backoff;
  readonly timers = new Timers();
  readonly errors: ErrorWindow;
  // The current session (reset on every open).
  step: Step = 'upgrade';
  sessionId: string | undefined;
  version: string | undefined;
  features = new Set<string>();
  /** Negotiated algorithm; null: none; undefined: not negotiated. */
  compression: string | null | undefined;
  inflate: Inflater | undefined;
  heartbeatMs = 0;
  openedAt = 0;
  handshakeSentAt = 0;
  lastRxAt = 0;
  /** Messages received in this session. */
  received = 0;
  pingSentAt = 0;
  ackReceived = false;
  /** The handshake is done or waived: commands may go. */
  commandsReady = false;
  /** handshake_ack fields as received (for probe). */
  ack: JsonObject | undefined;
  mux: ChannelMux | null = null;
  tokenGen = 0;
  fatal: { code: string; reason: string } | undefined;
  lastError: string | undefined;
  binaryViolationReported = false;
  private pendingChannels = new Set<string>();
  // Across sessions.
  awaitingToken = false;

  constructor(
    readonly name: EndpointName,
    readonly url: string,
    private readonly host: SessionHost,
    private readonly wrapInflater: (i: Inflater) => Inflater,
  ) {
    const o = host.settings;
    this.backoff = new Backoff(o.backoff.minMs, o.backoff.maxMs);
    this.machine = new ConnectionMachine('CLOSED', (t) => host.transition(this, t));
    this.errors = new ErrorWindow(o.abuse.maxErrors, o.abuse.windowMs);
  }

  private resetSession(): void {
    this.step = 'upgrade';
    this.sessionId = undefined;
    this.version = undefined;
    this.features = new Set();
    this.compression = undefined;
    this.inflate = this.wrapInflater(detectingInflater());
    this.heartbeatMs = 0;
    this.openedAt = 0;
    this.handshakeSentAt = 0;
    this.received = 0;
    this.pingSentAt = 0;
    this.ackReceived = false;
    this.commandsReady = false;
    this.ack = undefined;
    this.fatal = undefined;
    this.lastError = undefined;
    this.binaryViolationReported = false;
    this.pendingChannels = new Set();
    this.errors.reset();
  }

  // ------------------------------------------------------------ socket lifecycle

  open(): void {
    const host = this.host;
    if (host.closed) return;
    const st = this.machine.state;
    if (st === 'RECONNECTING') this.machine.fire('retry', `${this.name}: connecting`);
    else if (st !== 'CONNECTING') this.machine.fire('connect', `${this.name}: connecting`);
    if (this.machine.state !== 'CONNECTING') return;
    this.detach();
    this.resetSession();
    this.timers.clearAll();
    const headers: Record<string, string> = { 'X-Client-Version': CLIENT_VERSION, 'X-Requested-Protocols': 'binary,json' };
    if (host.token !== undefined) headers.Authorization = `Bearer ${host.token}`;
    const opts: ClientOptions = {
      headers,
      perMessageDeflate: host.settings.perMessageDeflate,
      maxPayload: host.settings.maxPayloadBytes,
      handshakeTimeout: host.settings.handshakeTimeoutMs,
      followRedirects: false,
      rejectUnauthorized: !host.insecure,
    };
    if (host.ca) opts.ca = host.ca;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, opts);
    } catch (e) {
      this.fail('CONNECTION_FAILED', `${this.name}: bad URL ${this.url}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.ws = ws;
    this.tokenGen = host.tokenGen;
    ws.binaryType = 'nodebuffer';
    ws.on('upgrade', (res) => {
      if (this.ws === ws) host.upgrade(this, res.statusCode ?? 101, res.headers);
    });
    ws.on('unexpected-response', (_req, res) => {
      if (this.ws !== ws) return;
      const code = res.statusCode ?? 0;
      host.upgrade(this, code, res.headers);
      const text = `${this.name}: server answered ${code}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
      res.resume();
      this.detach();
      if (code === 401 || code === 403) host.authFailure(this, text, code);
      else if (code >= 400 && code < 500 && code !== 408 && code !== 429) this.fail('CONNECTION_FAILED', `${text} for ${this.url}; check the URL and endpoint path`);
      else this.lost(text);
    });
    ws.on('open', () => {
      if (this.ws === ws) this.onOpen();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws === ws) this.onMessage(data, isBinary);
    });
    ws.on('pong', () => {
      if (this.ws === ws && this.pingSentAt > 0) {
        host.pong(Date.now() - this.pingSentAt);
        this.pingSentAt = 0;
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (this.ws !== ws) return;
      const code = err.code ?? '';
      if (TLS_ERROR.test(code)) {
        this.fatal = {
          code: 'TLS_VERIFICATION_FAILED',
          reason: `${this.name}: TLS certificate verification failed (${code}: ${err.message}); give the profile the server's CA file${host.ca ? ' (the configured one does not match)' : ''}`,
        };
      } else if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        host.counters.protocolErrors++;
        this.lastError = `${this.name}: the server sent a message larger than ${host.settings.maxPayloadBytes} bytes (closed with 1009)`;
        host.error(this, 'MESSAGE_TOO_LARGE', this.lastError, true);
      } else {
        this.lastError = `${this.name}: ${err.message || code}`;
      }
    });
    ws.on('close', (code: number, why: Buffer) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (host.closed) return;
      if (this.fatal) return this.fail(this.fatal.code, this.fatal.reason);
      this.lost(this.lastError ?? `${this.name}: connection closed (${code}${why.length ? ` ${why.toString()}` : ''})`);
    });
  }

  private onOpen(): void {
    const now = Date.now();
    this.openedAt = now;
    this.lastRxAt = now;
    this.machine.fire('opened', `${this.name}: handshaking`);
    this.step = 'handshake';
    this.handshakeSentAt = now;
    this.sendJson(handshakeMessage(CLIENT_VERSION, this.host.clientId, CAPABILITIES));
    const o = this.host.settings;
    this.timers.timeout('negotiation', o.negotiationWaitMs, () => this.onNegotiationWait());
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.lastRxAt = Date.now();
    this.received++;
    this.timers.refresh('stale');
    this.host.message(this, data, isBinary);
  }

  /** Forgets the current socket (its late events are ignored) and kills it. */
  private detach(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.terminate();
  }

  /** Ends the current session: socket, session timers, then the plane's work tied to it. */
  private endSession(reason: string): void {
    this.detach();
    this.timers.clearAll();
    this.step = 'upgrade';
    this.commandsReady = false;
    this.host.ended(this, reason);
  }

  /** The session is closed (on purpose, or the socket went): reconnect after the backoff. */
  lost(reason: string): void {
    this.endSession(reason);
    if (this.host.closed) return;
    const delay = Math.round(this.backoff.next());
    if (!this.machine.fire('lost', `${reason}; retrying in ${delay} ms`)) return;
    this.timers.timeout('retry', delay, () => {
      this.host.counters.reconnects++;
      this.open();
    });
  }

  /** Retrying cannot help: FAILED, no timer leaves it. */
  fail(code: string, reason: string): void {
    this.endSession(reason);
    if (this.host.closed) return;
    if (!this.machine.fire('fatal', reason)) return;
    this.host.error(this, code, reason, false);
    this.host.failed(this, code, reason);
  }

  /** AUTH_REQUIRED: no retry until a new token. */
  authRequired(reason: string, status?: number): boolean {
    this.endSession(reason);
    if (this.host.closed) return false;
    if (!this.machine.fire('auth_failed', reason)) return false;
    const payload: JsonObject = { endpoint: this.name, reason };
    if (status !== undefined) payload.status = status;
    this.host.emitClient('client.auth_required', 'high', payload);
    return true;
  }

  /** Ends the session for an auth retry: `next` runs (immediately or when a token arrives). */
  endForRetry(reason: string, explain: string, retryInMs: number | null): void {
    this.endSession(reason);
    if (this.host.closed) return;
    this.machine.fire('lost', `${reason}; ${explain}`);
    if (retryInMs !== null) this.timers.timeout('retry', retryInMs, () => this.open());
  }

  /** close(): for good. */
  close(): void {
    this.endSession('closed by the client');
    this.timers.clearAll();
    this.awaitingToken = false;
    this.machine.fire('close', `${this.name}: closed by the client`);
  }

  /** Opens now if in FAILED, AUTH_REQUIRED or waiting out a backoff. */
  retryNow(): void {
    const st = this.machine.state;
    if (st === 'FAILED' || st === 'AUTH_REQUIRED' || (st === 'RECONNECTING' && !this.awaitingToken)) {
      this.timers.clear('retry');
      this.open();
    }
  }

  sendJson(message: unknown): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    const text = JSON.stringify(message);
    ws.send(text);
    this.host.counters.bytesOut += Buffer.byteLength(text);
    this.host.counters.messagesOut++;
    return true;
  }

  // -------------------------------------------------------------- negotiation

  /** A session reply (already emitted as an event by the plane): the next step. */
  onReply(type: string, fields: Record<string, unknown>): void {
    if (!this.ws && this.step === 'upgrade') return; // ingest() of a recording: no session to negotiate
    switch (type) {
      case 'handshake_ack':
        return this.onAck(readHandshakeAck(fields), fields);
      case 'version.negotiate':
        return this.onVersion(fields);
      case 'compression.negotiate':
        return this.onCompression(fields);
      case 'channel.create':
        return this.onChannel(fields);
    }
  }

  private note(code: string, message: string): void {
    this.host.note(this, code, message);
  }

  private onAck(a: AckFields, raw: Record<string, unknown>): void {
    if (this.ackReceived) return;
    this.ackReceived = true;
    this.ack = raw as JsonObject;
    const now = Date.now();
    const late = this.step !== 'handshake';
    if (a.snakeCase.length) this.note('ack_snake_case', `handshake_ack uses snake_case field names (${a.snakeCase.join(', ')}): read as their camelCase names`);
    const missing = a.missing.filter((m) => !(m === 'heartbeatInterval' && a.heartbeatInterval !== undefined));
    if (missing.length) this.note('ack_partial', `handshake_ack has no ${missing.join(', ')}: ${missing.includes('heartbeatInterval') ? `heartbeat interval assumed ${this.host.settings.heartbeat.defaultMs} ms` : 'not needed to go on'}`);
    if (a.sessionId !== undefined) this.sessionId = a.sessionId;
    this.startHeartbeats(a.heartbeatInterval);
    if (a.compression !== undefined) {
      const alg = a.compression === null ? null : normaliseAlgorithm(a.compression);
      // The ack names the algorithm until negotiated: a hint for the detecting inflater (brotli has no header).
      this.inflate = this.wrapInflater(detectingInflater(alg));
    }
    const serverMs = a.serverTime !== undefined ? Date.parse(a.serverTime) : Number.NaN;
    const offset = Number.isFinite(serverMs) && serverMs > 0 && serverMs < MAX_DATE_MS ? serverMs - (this.handshakeSentAt + now) / 2 : undefined;
    this.host.timing(late ? undefined : now - this.handshakeSentAt, offset);
    if (late) {
      this.note('ack_late', `handshake_ack arrived ${now - this.openedAt} ms after the upgrade, after the ${this.host.settings.negotiationWaitMs} ms wait: its fields were applied, negotiation was not restarted`);
      return;
    }
    this.markReady();
    this.step = 'version';
    this.sendJson(versionNegotiateMessage(this.host.settings.versions));
  }

  /** Heartbeats and the stale timer at the server's interval, clamped (a note when it was). */
  private startHeartbeats(asked: number | undefined): void {
    const hb = this.host.settings.heartbeat;
    let ms = hb.defaultMs;
    if (asked !== undefined) {
      if (!Number.isFinite(asked) || asked < hb.minMs || asked > hb.maxMs) {
        ms = Number.isFinite(asked) ? Math.min(hb.maxMs, Math.max(hb.minMs, Math.round(asked))) : hb.defaultMs;
        this.note('heartbeat_clamped', `heartbeatInterval ${quote(asked)} ms is outside ${hb.minMs}..${hb.maxMs} ms: ${ms} ms used`);
      } else {
        ms = Math.round(asked);
      }
    }
    this.heartbeatMs = ms;
    this.timers.interval('heartbeat', ms, () => this.sendHeartbeat());
    this.timers.timeout('stale', 2 * ms, () => this.onStale());
  }

  private markReady(): void {
    if (this.commandsReady) return;
    this.commandsReady = true;
    this.host.ready(this);
  }

  private onVersion(fields: Record<string, unknown>): void {
    if (this.step !== 'version') {
      if (this.step === 'live' && this.version === undefined) this.note('version_late', 'a version.negotiate reply arrived after the wait: ignored, the session keeps the assumed version');
      return;
    }
    const r = readVersionReply(fields);
    const versions = this.host.settings.versions;
    const c = chooseVersion(versions, r);
    if (c.version === null) return this.fail('VERSION_UNSUPPORTED', `${this.name}: ${c.why}`);
    if (c.how !== 'selected') {
      const rule = c.how === 'preferred' ? `the server's preferred ${c.version}` : `${c.version}, the highest version both support`;
      this.note(
        'version_no_selected',
        `the version.negotiate reply has no "selected" (server supports ${r.supported.join(', ') || 'nothing listed'}${r.preferred ? `, prefers ${r.preferred}` : ''}): the client took ${rule}`,
      );
    }
    this.version = c.version;
    this.features = featuresOf(c.version);
    const offer = this.host.settings.compression;
    if (!this.features.has('compression') || offer === false) {
      this.compression = null;
      return this.goLive();
    }
    this.step = 'compression';
    this.sendJson(compressionNegotiateMessage(offer.algorithms, offer.level));
  }

  private onCompression(fields: Record<string, unknown>): void {
    if (this.step !== 'compression') return;
    const r = readCompressionReply(fields);
    const offer = this.host.settings.compression;
    const offered: readonly CompressionAlgorithm[] = offer === false ? [] : offer.algorithms;
    if (r.selected === undefined) {
      this.compression = null;
      this.note(
        'compression_no_selected',
        `the compression.negotiate reply has no "selected" (server lists ${r.algorithms.join(', ') || 'nothing'}): no compression assumed; compressed frames are inflated by their header (zlib, gzip, raw deflate)`,
      );
    } else if (r.selected === null) {
      this.compression = null;
    } else {
      const alg = normaliseAlgorithm(r.selected);
      if (alg === null) {
        this.compression = null;
        this.note('compression_unknown', `the server chose compression ${quote(r.selected)}, which this client does not know: compressed frames are inflated by their header`);
      } else {
        if (!offered.includes(alg)) this.note('compression_not_offered', `the server chose compression ${alg}, which this client did not offer (${offered.join(', ')}): accepted`);
        this.compression = alg;
        this.inflate = this.wrapInflater(detectingInflater(alg));
      }
    }
    this.goLive();
  }

  private onChannel(fields: Record<string, unknown>): void {
    const r = readChannelReply(fields);
    if (r.channelId === undefined) return;
    this.pendingChannels.delete(r.channelId);
    if (r.status === 'refused') {
      this.host.error(this, 'CHANNEL_REFUSED', `${this.name}: the server refused channel ${r.channelId}${r.reason ? `: ${r.reason}` : ''}`, true);
      return;
    }
    if (r.status === undefined) this.note('channel_no_status', `the channel.create reply for ${r.channelId} has no "status": taken as created`);
    if (r.sequence !== undefined) this.host.mux(this).startAt(r.channelId, r.sequence);
  }

  /**
   * The wait for optional replies is over: go LIVE on the assumptions. The
   * upgrade succeeded, so the plane is there (data flowing says so too); a
   * server that then sends nothing is caught by the stale timer.
   */
  private onNegotiationWait(): void {
    if (this.step === 'live' || this.step === 'upgrade') return;
    const wait = this.host.settings.negotiationWaitMs;
    if (this.step === 'handshake') {
      const hb = this.host.settings.heartbeat.defaultMs;
      const flowing = this.received > 0 ? 'data is flowing' : 'nothing received yet; the stale timer watches it';
      this.note('no_handshake_ack', `no handshake_ack within ${wait} ms: went LIVE without one (${flowing}; heartbeat interval assumed ${hb} ms)`);
      this.host.emitClient('client.warning', 'normal', { endpoint: this.name, code: 'NO_HANDSHAKE_ACK', message: `${this.name}: no handshake_ack within ${wait} ms; went LIVE without one (${flowing})` });
      this.startHeartbeats(undefined);
      this.markReady();
    }
    if (this.step === 'handshake' || this.step === 'version') {
      const why = this.step === 'handshake' ? 'no handshake_ack, so no version was negotiated' : `the server did not answer version.negotiate within ${wait} ms`;
      this.note('version_assumed', `version assumed ${ASSUMED_VERSION}: ${why}`);
      this.version = ASSUMED_VERSION;
      this.features = featuresOf(ASSUMED_VERSION);
    }
    {
      this.compression = null;
      this.note('compression_assumed', 'no compression negotiated: compressed frames are still inflated, the algorithm read from their header (zlib, gzip, raw deflate)');
    }
    this.goLive();
  }

  private goLive(): void {
    const host = this.host;
    this.timers.clear('negotiation');
    this.step = 'live';
    if (!this.timers.has('heartbeat')) this.startHeartbeats(undefined);
    this.markReady();
    this.timers.timeout('stable', host.settings.backoff.stableAfterMs, () => this.backoff.reset());
    const session: JsonObject = { endpoint: this.name, version: this.version ?? null, compression: this.compression ?? null, heartbeatIntervalMs: this.heartbeatMs };
    if (this.sessionId !== undefined) session.sessionId = this.sessionId;
    host.emitClient('client.session', 'normal', session);
    this.machine.fire('negotiated');
    if (this.features.has('multiplexing')) {
      const specs = host.settings.channels.filter((spec: ChannelSpec) => (spec.endpoint ?? 'agents') === this.name);
      for (const spec of specs) {
        host.mux(this).define(spec);
        this.pendingChannels.add(spec.channelId);
        this.sendJson(channelCreateMessage(spec));
      }
      if (specs.length) {
        this.timers.timeout('channels', host.settings.negotiationWaitMs, () => {
          for (const id of this.pendingChannels) {
            this.note(`channel_unanswered:${id}`, `channel.create ${id} was not answered within ${host.settings.negotiationWaitMs} ms: its messages are accepted whenever they arrive`);
          }
          this.pendingChannels.clear();
        });
      }
    }
    host.live(this);
  }

  // ----------------------------------------------------------------- liveness

  private sendHeartbeat(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    this.sendJson(clientHeartbeatMessage(this.host.clientId, this.sessionId));
    this.pingSentAt = Date.now();
    ws.ping();
  }

  private onStale(): void {
    const now = Date.now();
    const silentForMs = now - this.lastRxAt;
    // Timers run on the event loop's cached clock and may fire a millisecond early by Date.now().
    const early = 2 * this.heartbeatMs - silentForMs;
    if (early > 0) {
      this.timers.timeout('stale', early, () => this.onStale());
      return;
    }
    this.host.counters.staleDetections++;
    const reason = `${this.name}: no heartbeat or data for ${silentForMs} ms (limit 2 × ${this.heartbeatMs} ms)`;
    this.machine.fire('silent', reason);
    this.host.emitClient('client.stale', 'high', { endpoint: this.name, silentForMs, lastRxAt: this.lastRxAt, heartbeatIntervalMs: this.heartbeatMs });
    this.lost(reason);
  }
}
