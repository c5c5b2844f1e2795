// The embedded control-plane simulator: a `ws` server on 127.0.0.1 (or TLS)
// serving the three endpoints of the visualisation protocol with every message
// type of both seeds. This file is the server and the handshake: it checks
// the bearer token on upgrade, answers the handshake and the version,
// compression and channel negotiations as the server side in the chosen
// dialect (sim/dialects.ts), keeps the sessions, sends (with the faults of
// sim/faults.ts applied, switchable at runtime) and the server heartbeats.
// What it streams is sim/scenario.ts; how it answers commands is
// sim/responder.ts. It is the first-launch default and the test peer.
// docs/PROTOCOL.md, "Simulator", documents it.

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestTarget } from '../host/index.js';
import {
  channelCreateMessage,
  channelMessage,
  channelReplyMessage,
  type ChannelSpec,
  COMPRESSION_ALGORITHMS,
  type CompressionAlgorithm,
  compressionNegotiateMessage,
  compressionReplyMessage,
  deflaterFor,
  encodeCompressedBatch,
  encodeErrorFrame,
  encodeHeartbeat,
  encodePositions,
  type EndpointName,
  ENDPOINTS,
  ERROR_CODES,
  featuresOf,
  normaliseAlgorithm,
  RECOVERABLE_ERRORS,
  selectVersion,
  versionNegotiateMessage,
  versionReplyMessage,
} from '../protocol/index.js';
import { type Priority, SUPPORTED_VERSIONS } from '../../../shared/index.js';
import { type Dialect, type DialectName, DIALECTS } from './dialects.js';
import { defaultFaults, type Faults, faultSpec, parseFaultValue } from './faults.js';
import { CommandResponder } from './responder.js';
import { Scenario } from './scenario.js';
import type { SimOutput, SimSession } from './session.js';
import { World } from './world.js';

export { DIALECT_NAMES, type DialectName } from './dialects.js';

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When set, upgrades need `Authorization: Bearer <token>`. */
  token?: string;
  agents?: number;
  /** Position frames per second. */
  rate?: number;
  seed?: number;
  /** State changes per second across the swarm. */
  stateChangesPerSecond?: number;
  /** message.sent events per second. */
  messagesPerSecond?: number;
  /** handshake_ack.heartbeatInterval and the server's heartbeat period. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** Each agent's heartbeat (alternating with status_update) period, on the control endpoint. Default 10 s; 0 = none. */
  agentHeartbeatMs?: number;
  /** Metrics (JSON and binary) period. Default 1 s; 0 = none. */
  metricsIntervalMs?: number;
  /** system.metrics period. Default 2 s; 0 = none. */
  systemMetricsIntervalMs?: number;
  /** A new consensus round this long after the last one ended. Default 4 s; 0 = none. */
  coordinationEveryMs?: number;
  /** message.flow.stats period. Default 3 s; 0 = none. */
  flowStatsEveryMs?: number;
  /** agent.capability.update period. Default 7 s; 0 = none. */
  capabilityEveryMs?: number;
  /** Versions the server supports. Default 1.0, 1.1, 2.0. */
  versions?: string[];
  /** Compression algorithms the server supports. Default gzip, deflate, brotli. */
  compression?: CompressionAlgorithm[];
  /** Binary messages at least this big go as COMPRESSED_BATCH on sessions that negotiated compression. Default 4096. */
  compressThreshold?: number;
  /** Close negotiated sessions that send nothing (no heartbeat) for 3 heartbeat intervals. Default true. */
  requireClientHeartbeats?: boolean;
  /**
   * A client that does the handshake but never sends version.negotiate (a
   * seed-minimal client) is served as protocol 1.1 this long after its
   * handshake. Default 300 ms.
   */
  legacyAfterMs?: number;
  /** Serve wss:// with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Faults active from the start. */
  faults?: Partial<Faults>;
  /** How the server behaves where implementations of the seeds differ (sim/dialects.ts). Default strict. */
  dialect?: DialectName;
}

/** Channels a silent-negotiation server streams on unasked, per endpoint (our client's defaults). */
const UNASKED_CHANNELS: Readonly<Record<EndpointName, readonly string[]>> = { agents: ['perf-metrics'], graph: ['coordination'], control: ['alerts'] };

export class Simulator implements SimOutput {
  readonly options: Required<Omit<SimulatorOptions, 'token' | 'tls' | 'faults' | 'dialect'>> & { token: string | undefined; tls: SimulatorOptions['tls'] };
  readonly world: World;
  /** Live fault switches: read on every tick and message. */
  readonly faults: Faults;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private readonly sessions = new Set<SimSession>();
  private lastTick = 0;
  private msgSeq = 0;
  /** Message ids are unique across simulator instances (a restarted server must not look like a replay). */
  readonly instance = randomUUID().slice(0, 8);
  private token: string | undefined;
  private readonly last = { drop: 0, garbage: 0, truncate: 0, internal: 0 };
  private expireAt = 0;
  /** How this server behaves where implementations differ (sim/dialects.ts). */
  readonly dialect: Dialect;
  private readonly scenario: Scenario;
  private readonly responder: CommandResponder;
  /** Counters for tests and the CLI. */
  readonly stats = {
    connections: 0,
    refused: 0,
    positionMessages: 0,
    events: 0,
    commands: 0,
    rateLimited: 0,
    acks: 0,
    /** The ack messages received (the first 10,000). */
    ackMessages: [] as Record<string, unknown>[],
    clientHeartbeats: 0,
    clientTimeouts: 0,
    drops: 0,
    versionRefusals: 0,
    coordinationRounds: 0,
    channelMessages: 0,
    /** Position messages encoded (once per tick, however many sessions). */
    positionEncodes: 0,
    /** COMPRESSED_BATCH encodings (at most once per tick per algorithm and level). */
    compressions: 0,
    /** Headers of the last upgrade request per endpoint. */
    upgradeHeaders: {} as Partial<Record<EndpointName, IncomingMessage['headers']>>,
  };

  constructor(opts: SimulatorOptions = {}) {
    this.options = {
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      token: opts.token,
      agents: opts.agents ?? 500,
      rate: opts.rate ?? 30,
      seed: opts.seed ?? 1,
      stateChangesPerSecond: opts.stateChangesPerSecond ?? 4,
      messagesPerSecond: opts.messagesPerSecond ?? 6,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 30_000,
      agentHeartbeatMs: opts.agentHeartbeatMs ?? 10_000,
      metricsIntervalMs: opts.metricsIntervalMs ?? 1000,
      systemMetricsIntervalMs: opts.systemMetricsIntervalMs ?? 2000,
      coordinationEveryMs: opts.coordinationEveryMs ?? 4000,
      flowStatsEveryMs: opts.flowStatsEveryMs ?? 3000,
      capabilityEveryMs: opts.capabilityEveryMs ?? 7000,
      versions: opts.versions ?? [...SUPPORTED_VERSIONS],
      compression: opts.compression ?? [...COMPRESSION_ALGORITHMS],
      compressThreshold: opts.compressThreshold ?? 4096,
      requireClientHeartbeats: opts.requireClientHeartbeats ?? true,
      legacyAfterMs: opts.legacyAfterMs ?? 300,
      tls: opts.tls,
    };
    this.token = opts.token;
    this.faults = { ...defaultFaults(), ...opts.faults };
    if (this.faults.expireTokenAfterMs > 0) this.expireAt = Date.now() + this.faults.expireTokenAfterMs;
    this.world = new World(this.options.agents, this.options.seed);
    this.dialect = DIALECTS[opts.dialect ?? 'strict'];
    this.scenario = new Scenario(this);
    this.responder = new CommandResponder(this, this.scenario);
  }

  /** Resolves with the bound port. */
  async start(): Promise<number> {
    const handler = (_req: IncomingMessage, res: ServerResponse): void => {
      // A plain GET tells an operator what this is.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'swarmdeck-simulator', agents: this.world.count, rate: this.options.rate, endpoints: ENDPOINTS, versions: this.options.versions }));
    };
    const tls = this.options.tls;
    const http = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    http.on('upgrade', (req, socket, head) => this.onUpgrade(wss, req, socket, head));
    // TLS handshakes that fail (a client that does not trust us) are the client's business.
    http.on('tlsClientError', () => undefined);
    this.http = http;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.options.port, this.options.host, () => resolve());
    });
    const now = performance.now();
    this.lastTick = now;
    for (const k of Object.keys(this.last) as (keyof typeof this.last)[]) this.last[k] = now;
    this.scenario.start(now);
    this.timer = setInterval(() => this.tick(), 1000 / this.options.rate);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatIntervalMs);
    return this.port;
  }

  get port(): number {
    const a = this.http?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  /** ws://host:port (wss:// with TLS) — the base URL a client is given. */
  get url(): string {
    return `${this.options.tls ? 'wss' : 'ws'}://${this.options.host}:${this.port}`;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.timer = null;
    this.heartbeatTimer = null;
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  /** Sets a fault by kebab-case name ("drop-every") or key ("dropEveryMs"); a string value is parsed as on the CLI. */
  setFault(name: string, value: unknown): void {
    const spec = faultSpec(name);
    if (!spec) throw new Error(`unknown fault "${name}"`);
    const v = typeof value === 'string' ? parseFaultValue(name, value) : value;
    (this.faults as unknown as Record<string, unknown>)[spec.key] = v;
    if (spec.key === 'expireTokenAfterMs') this.expireAt = (v as number) > 0 ? Date.now() + (v as number) : 0;
  }

  /** The token upgrades need now (undefined: none). */
  get acceptedToken(): string | undefined {
    return this.token;
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** SimSessions as the server sees them (tests). */
  sessionInfo(): { endpoint: EndpointName; sessionId: string; live: boolean; version: string | null; compression: string | null; channels: string[] }[] {
    return [...this.sessions].map((s) => ({
      endpoint: s.endpoint,
      sessionId: s.sessionId,
      live: s.step === 'live',
      version: s.version,
      compression: s.compression,
      channels: [...s.channels.keys()],
    }));
  }

  // ------------------------------------------------------------------ actions

  /** Terminates every connection (fault: drop). */
  dropAll(): void {
    for (const s of this.sessions) {
      this.stats.drops++;
      s.ws.terminate();
    }
    this.sessions.clear();
  }

  /** The token stops being accepted: AUTH_FAILED to every session, then each is closed; upgrades need `next`. */
  expireToken(next: string = `expired-${randomUUID()}`): void {
    this.token = next;
    for (const s of this.sessions) {
      this.sendJson(s, this.visError('AUTH_FAILED', 'the bearer token has expired', { recoverable: true, suggestedAction: 'refresh_token' }));
      this.later(() => s.ws.close(4001, 'token expired'), this.faults.delayMs + 20);
    }
  }

  /** Sends raw data (text, bytes, or an object as JSON) to every live session of an endpoint. */
  inject(endpoint: EndpointName, data: string | Uint8Array | object): number {
    let n = 0;
    const payload = typeof data === 'string' || data instanceof Uint8Array ? data : JSON.stringify(data);
    for (const s of this.live(endpoint)) {
      this.sendRaw(s, payload);
      n++;
    }
    return n;
  }

  /** A message on a channel (sequence-numbered per session, channel faults applied); plain when the session has no such channel. */
  sendOnChannel(endpoint: EndpointName, channelId: string, message: object): void {
    const text = JSON.stringify(message);
    for (const s of this.live(endpoint)) this.sendTopic(s, channelId, text, message);
  }

  /** An error to every live session of an endpoint: JSON `error` (visualisation envelope), or a 0xFF frame with `binary`. */
  sendError(endpoint: EndpointName, code: string, message: string, opts: { recoverable?: boolean; binary?: boolean; requestId?: string; priority?: Priority } = {}): void {
    for (const s of this.live(endpoint)) {
      if (opts.binary) {
        const n = (ERROR_CODES as readonly string[]).indexOf(code);
        this.sendRaw(s, encodeErrorFrame(n > 0 ? n : 0, message, { priority: opts.priority ?? 'high' }));
      } else {
        const extra: { recoverable?: boolean; requestId?: string } = {};
        if (opts.recoverable !== undefined) extra.recoverable = opts.recoverable;
        if (opts.requestId !== undefined) extra.requestId = opts.requestId;
        this.sendJson(s, this.visError(code, message, extra));
      }
    }
  }

  /** A binary message that is not AGNT frames. */
  sendGarbage(endpoint: EndpointName = 'agents'): void {
    const junk = new Uint8Array(24);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(this.world.random() * 256);
    junk[0] = 0x58; // never "A": always bad magic
    this.inject(endpoint, junk);
  }

  /** A POSITION_UPDATE frame cut short. */
  sendTruncated(endpoint: EndpointName = 'agents'): void {
    const w = this.world;
    const full = encodePositions(w.ids, w.pos, w.vel, Math.min(w.count, 4));
    this.inject(endpoint, full.subarray(0, Math.max(9, full.byteLength - 11)));
  }

  // --------------------------------------------------------------- connection

  private onUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client that hangs up mid-upgrade (or right after a refusal) is not the server's crash.
    socket.on('error', () => socket.destroy());
    // Read without throwing: `new URL("//", base)` throws, and this runs in the server's 'upgrade' listener.
    const path = requestTarget(req.url)?.rawPath;
    const endpoint = (Object.keys(ENDPOINTS) as EndpointName[]).find((k) => ENDPOINTS[k] === path);
    const refuse = (status: number, text: string): void => {
      this.stats.refused++;
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!endpoint) return refuse(404, 'Not Found');
    this.stats.upgradeHeaders[endpoint] = req.headers;
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, endpoint));
  }

  private onConnection(ws: WebSocket, endpoint: EndpointName): void {
    this.stats.connections++;
    const session: SimSession = {
      ws,
      endpoint,
      sessionId: randomUUID(),
      step: 'handshake',
      negotiated: false,
      legacyTimer: null,
      version: null,
      features: new Set(),
      compression: null,
      level: 6,
      channels: new Map(),
      lastClientMsgAt: Date.now(),
      commandTokens: Number.POSITIVE_INFINITY, // a full bucket, whatever the limit is set to later
      commandTokensAt: performance.now(),
    };
    this.sessions.add(session);
    if (this.dialect.serveAt === 'connect') {
      session.step = 'negotiating';
      this.serveUnnegotiated(session);
    }
    const gone = (): void => {
      this.sessions.delete(session);
      this.clearLegacy(session);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data, isBinary) => {
      session.lastClientMsgAt = Date.now();
      if (isBinary) return this.sendJson(session, this.visError('INVALID_MESSAGE', 'the server accepts JSON text messages only'));
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return this.sendJson(session, this.visError('INVALID_MESSAGE', 'not JSON'));
      }
      this.onClientMessage(session, msg);
    });
  }

  private onClientMessage(s: SimSession, msg: unknown): void {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.sendJson(s, this.visError('INVALID_MESSAGE', 'expected a JSON object'));
    const m = msg as Record<string, unknown>;
    switch (m.type) {
      case 'handshake':
        return this.onHandshake(s);
      case 'version.negotiate':
        return this.onVersion(s, m);
      case 'compression.negotiate':
        return this.onCompression(s, m);
      case 'channel.create':
        return this.onChannelCreate(s, m);
      case 'heartbeat':
        this.stats.clientHeartbeats++;
        return;
      case 'ack':
        this.stats.acks++;
        if (this.stats.ackMessages.length < 10_000) this.stats.ackMessages.push(m);
        return;
      case 'command':
      case 'control.execute':
      case 'control.multi-agent.configure':
        return this.responder.onCommand(s, m);
      default: {
        const requestId = typeof m.request_id === 'string' ? m.request_id : typeof m.id === 'string' ? m.id : undefined;
        return this.sendJson(s, this.visError('INVALID_MESSAGE', `unknown message type ${JSON.stringify(m.type)}`, requestId ? { requestId } : {}));
      }
    }
  }

  private onHandshake(s: SimSession): void {
    const d = this.dialect;
    if (d.ack !== 'none') {
      const snake = d.ack === 'snake';
      this.sendJson(s, {
        type: 'handshake_ack',
        [snake ? 'session_id' : 'sessionId']: s.sessionId,
        protocols: [...d.protocols],
        [snake ? 'heartbeat_interval' : 'heartbeatInterval']: this.options.heartbeatIntervalMs,
        compression: 'zlib',
        [snake ? 'server_time' : 'serverTime']: this.iso(),
      });
    }
    if (s.step !== 'handshake') return;
    s.step = 'negotiating';
    if (d.serveAt === 'ack') return this.serveUnnegotiated(s);
    this.clearLegacy(s);
    s.legacyTimer = setTimeout(() => {
      this.clearLegacy(s);
      if (s.step !== 'negotiating' || s.negotiated || !this.sessions.has(s)) return;
      // Never negotiated: serve it as 1.1 (binary, no compression, no channels).
      this.serveUnnegotiated(s);
    }, this.options.legacyAfterMs);
    this.pendingTimers.add(s.legacyTimer);
  }

  /** A session that streams without negotiating: the dialect's version, unasked channels and compression. */
  private serveUnnegotiated(s: SimSession): void {
    const d = this.dialect;
    s.version = d.serveAs;
    s.features = featuresOf(d.serveAs);
    s.step = 'live';
    if (d.unaskedCompression && s.features.has('compression')) s.compression = d.unaskedCompression;
    if (d.unaskedChannels) {
      for (const id of UNASKED_CHANNELS[s.endpoint]) s.channels.set(id, { spec: { channelId: id }, seq: 1, held: null });
    }
    if (s.endpoint === 'agents') this.scenario.sendFullState(s);
  }

  private clearLegacy(s: SimSession): void {
    if (!s.legacyTimer) return;
    clearTimeout(s.legacyTimer);
    this.pendingTimers.delete(s.legacyTimer);
    s.legacyTimer = null;
  }

  private onVersion(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const client = Array.isArray(m.supported) ? m.supported.filter((v): v is string => typeof v === 'string') : [];
    const preferred = typeof m.preferred === 'string' ? m.preferred : undefined;
    const server = this.faults.refuseVersions ? ['3.0'] : this.options.versions;
    const selected = selectVersion(client, preferred, server);
    s.negotiated = true;
    this.clearLegacy(s);
    if (this.dialect.replies === 'seed') {
      // The seed's own shape: the server's lists, no "selected" (the client picks from them).
      this.sendJson(s, versionNegotiateMessage(server));
    } else {
      this.sendJson(s, versionReplyMessage(server, selected));
    }
    if (selected === null) {
      this.stats.versionRefusals++;
      this.later(() => s.ws.close(4002, 'no common protocol version'), this.faults.delayMs + 50);
      return;
    }
    const wasLive = s.step === 'live';
    s.version = selected;
    s.features = featuresOf(selected);
    s.step = 'live';
    if (!wasLive && s.endpoint === 'agents') this.scenario.sendFullState(s);
  }

  private onCompression(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const asked = Array.isArray(m.algorithms) ? m.algorithms.filter((v): v is string => typeof v === 'string') : [];
    let chosen: CompressionAlgorithm | null = null;
    for (const a of asked) {
      const alg = normaliseAlgorithm(a);
      if (alg && this.options.compression.includes(alg)) {
        chosen = alg;
        break;
      }
    }
    const level = typeof m.preferredLevel === 'number' && Number.isInteger(m.preferredLevel) ? Math.max(0, Math.min(chosen === 'brotli' ? 11 : 9, m.preferredLevel)) : 6;
    s.compression = chosen;
    s.level = level;
    if (this.dialect.replies === 'seed') this.sendJson(s, compressionNegotiateMessage(this.options.compression.length ? this.options.compression : ['none'], level));
    else this.sendJson(s, compressionReplyMessage(this.options.compression, chosen, level));
  }

  private onChannelCreate(s: SimSession, m: Record<string, unknown>): void {
    if (this.dialect.replies === 'none') return;
    const channelId = typeof m.channelId === 'string' ? m.channelId : '';
    const spec: ChannelSpec = { channelId };
    if (typeof m.priority === 'string') spec.priority = m.priority as Priority;
    if (typeof m.dedicated === 'boolean') spec.dedicated = m.dedicated;
    if (typeof m.bufferSize === 'number') spec.bufferSize = m.bufferSize;
    if (!channelId) return this.sendJson(s, this.visError('INVALID_MESSAGE', 'channel.create needs a channelId'));
    if (!s.features.has('multiplexing')) return this.sendJson(s, channelReplyMessage(spec, 'refused', { reason: `multiplexing needs protocol 2.0 (this session: ${s.version ?? 'none'})` }));
    s.channels.set(channelId, { spec, seq: 1, held: null });
    // seed-echo: the seed's channel.create echoed back, no status or sequence.
    this.sendJson(s, this.dialect.replies === 'seed' ? channelCreateMessage(spec) : channelReplyMessage(spec, 'created', { sequence: 1 }));
  }

  // ----------------------------------------------------------------- commands


  // -------------------------------------------------------------------- send

  live(endpoint?: EndpointName): SimSession[] {
    const out: SimSession[] = [];
    for (const s of this.sessions) if (s.step === 'live' && (endpoint === undefined || s.endpoint === endpoint)) out.push(s);
    return out;
  }

  later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.pendingTimers.delete(t);
      fn();
    }, ms);
    this.pendingTimers.add(t);
  }

  /** Every outgoing message goes through here: silence and delay faults apply. */
  sendRaw(s: SimSession, data: string | Uint8Array): void {
    if (this.faults.silence) return;
    if (this.faults.delayMs > 0) {
      this.later(() => {
        if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
      }, this.faults.delayMs);
      return;
    }
    if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
  }

  sendJson(s: SimSession, msg: object): void {
    this.sendRaw(s, JSON.stringify(msg));
  }

  /** On the session's channel of that name (sequence, channel faults), else plain. */
  sendTopic(s: SimSession, topic: string, text: string, msg: object): void {
    const ch = s.channels.get(topic);
    if (!ch) return this.sendRaw(s, text);
    const f = this.faults;
    let seq = ch.seq++;
    if (f.skipChannelEvery > 0 && seq % f.skipChannelEvery === 0) seq = ch.seq++;
    const wrapped = JSON.stringify(channelMessage(topic, seq, msg));
    this.stats.channelMessages++;
    if (f.reorderChannel) {
      if (ch.held === null) {
        ch.held = wrapped;
        return;
      }
      this.sendRaw(s, wrapped);
      this.sendRaw(s, ch.held);
      ch.held = null;
    } else {
      if (ch.held !== null) {
        this.sendRaw(s, ch.held);
        ch.held = null;
      }
      this.sendRaw(s, wrapped);
    }
    if (f.duplicateChannel) this.sendRaw(s, wrapped);
  }

  /** One message to every live session of an endpoint (serialised once; per session only when on a channel). */
  broadcast(endpoint: EndpointName, topic: string, msg: object): void {
    const text = JSON.stringify(msg);
    for (const s of this.live(endpoint)) {
      this.sendTopic(s, topic, text, msg);
      this.stats.events++;
    }
  }

  /** Binary for sessions that negotiated it: one encoding per tick per algorithm, shared by all sessions. */
  binaryFor(s: SimSession, frames: Uint8Array, cache: Map<string, Uint8Array>): Uint8Array | null {
    if (!s.features.has('binary')) return null;
    if (s.compression === null || frames.byteLength < this.options.compressThreshold) return frames;
    const key = `${s.compression}:${s.level}`;
    let out = cache.get(key);
    if (!out) {
      out = encodeCompressedBatch(frames, deflaterFor(s.compression, s.level));
      this.stats.compressions++;
      cache.set(key, out);
    }
    return out;
  }

  nextId(): string {
    return `sim-${this.instance}-${++this.msgSeq}`;
  }

  serverNow(): number {
    return Date.now() + this.faults.clockSkewMs;
  }

  iso(ms = this.serverNow()): string {
    return new Date(ms).toISOString();
  }

  visMessage(type: string, payload: Record<string, unknown>, metadata?: Record<string, unknown>): Record<string, unknown> {
    const m: Record<string, unknown> = { id: this.nextId(), type, timestamp: this.iso(), payload };
    if (metadata) m.metadata = metadata;
    return m;
  }

  visError(code: string, message: string, opts: { recoverable?: boolean; suggestedAction?: string; requestId?: string; details?: Record<string, unknown> } = {}): Record<string, unknown> {
    const details: Record<string, unknown> = { component: 'swarmdeck-simulator', ...opts.details };
    if (opts.requestId !== undefined) details.requestId = opts.requestId;
    const payload: Record<string, unknown> = { code, message, details, recoverable: opts.recoverable ?? RECOVERABLE_ERRORS[code] ?? true };
    if (opts.suggestedAction !== undefined) payload.suggestedAction = opts.suggestedAction;
    return this.visMessage('error', payload, opts.requestId !== undefined ? { correlationId: opts.requestId, priority: 'high' } : { priority: 'high' });
  }

  // ----------------------------------------------------------------- streams

  /** On a new agents session: every agent's current state (and position, metrics), so the client starts complete. */
  private heartbeat(): void {
    const now = Date.now();
    const limit = 3 * this.options.heartbeatIntervalMs;
    let frame: Uint8Array | null = null;
    let json: string | null = null;
    for (const s of this.sessions) {
      if (this.options.requireClientHeartbeats && s.negotiated && now - s.lastClientMsgAt > limit) {
        this.stats.clientTimeouts++;
        s.ws.terminate();
        this.sessions.delete(s);
        continue;
      }
      if (s.step === 'handshake' || this.faults.stopHeartbeats) continue;
      if (s.features.has('binary')) this.sendRaw(s, (frame ??= encodeHeartbeat(this.serverNow())));
      else this.sendRaw(s, (json ??= JSON.stringify({ type: 'heartbeat', timestamp: this.iso(), payload: {} })));
    }
  }

  private tick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    this.faultTick(now);
    this.scenario.advance(now, dt);
  }

  private faultTick(now: number): void {
    const f = this.faults;
    if (f.dropEveryMs > 0 && now - this.last.drop >= f.dropEveryMs) {
      this.last.drop = now;
      this.dropAll();
    }
    if (f.garbageEveryMs > 0 && now - this.last.garbage >= f.garbageEveryMs) {
      this.last.garbage = now;
      for (const e of Object.keys(ENDPOINTS) as EndpointName[]) this.sendGarbage(e);
    }
    if (f.truncateEveryMs > 0 && now - this.last.truncate >= f.truncateEveryMs) {
      this.last.truncate = now;
      this.sendTruncated('agents');
    }
    if (f.internalErrorEveryMs > 0 && now - this.last.internal >= f.internalErrorEveryMs) {
      this.last.internal = now;
      for (const e of Object.keys(ENDPOINTS) as EndpointName[]) this.sendError(e, 'INTERNAL_ERROR', 'simulated internal error', { recoverable: false });
    }
    if (this.expireAt > 0 && Date.now() >= this.expireAt) {
      this.expireAt = 0;
      f.expireTokenAfterMs = 0;
      this.expireToken();
    }
  }
}
