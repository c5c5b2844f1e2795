// The embedded control-plane simulator: a `ws` server on 127.0.0.1 (or TLS)
// serving the three endpoints of the visualisation protocol with every message
// type of both seeds. It checks the bearer token on upgrade; answers the
// handshake and the version, compression and channel negotiations as the
// server side; streams the World (binary positions encoded once per tick and
// shared by every session; state changes, messages in namespaces, consensus
// rounds with votes — partly as binary COORDINATION_EVENT frames — metrics as
// JSON and PERFORMANCE_METRICS, system metrics with alerts, message flow
// stats, capability updates, agents' heartbeat/status_update in the
// control-plane envelope); answers every command; and injects faults
// (sim/faults.ts) switchable at runtime. It is the first-launch default and
// the test peer. docs/PROTOCOL.md, "Simulator", documents it.

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestTarget } from '../host/request-path.js';
import { type CompressionAlgorithm, COMPRESSION_ALGORITHMS, deflaterFor, normaliseAlgorithm } from '../protocol/compression.js';
import { AGENT_STATES, ENDPOINTS, ERROR_CODES, type EndpointName, MAX_POSITIONS_PER_FRAME, type Priority, RECOVERABLE_ERRORS } from '../protocol/constants.js';
import {
  concatBytes,
  encodeCompressedBatch,
  encodeCoordination,
  encodeErrorFrame,
  encodeHeartbeat,
  encodeMetrics,
  encodePositions,
  encodeStateBatch,
  type MetricsRecord,
} from '../protocol/encode.js';
import { agentLabel, agentNumber } from '../protocol/events.js';
import {
  type ChannelSpec,
  SUPPORTED_VERSIONS,
  channelMessage,
  channelReplyMessage,
  compressionReplyMessage,
  featuresOf,
  selectVersion,
  versionReplyMessage,
} from '../protocol/session.js';
import { defaultFaults, type Faults, faultSpec, parseFaultValue } from './faults.js';
import { NAMESPACES, World } from './world.js';

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
}

interface SimChannel {
  spec: ChannelSpec;
  seq: number;
  /** reorder-channel: the message held back to be sent after the next one. */
  held: string | null;
}

interface Session {
  ws: WebSocket;
  endpoint: EndpointName;
  sessionId: string;
  step: 'handshake' | 'negotiating' | 'live';
  /** The client negotiated a version (legacy sessions did not). */
  negotiated: boolean;
  /** Serves a client that never negotiates (cleared when it does, or leaves). */
  legacyTimer: NodeJS.Timeout | null;
  version: string | null;
  features: Set<string>;
  compression: CompressionAlgorithm | null;
  level: number;
  channels: Map<string, SimChannel>;
  lastClientMsgAt: number;
  commandTokens: number;
  commandTokensAt: number;
}

interface Round {
  id: string;
  initiator: number;
  voters: number[];
  observer: number;
  votes: Map<number, { vote: 'approve' | 'reject'; timestamp: string }>;
  threshold: number;
  nextStepAt: number;
  step: number;
}

/** Skip position frames to a client whose socket has this much unsent: latest wins there too. */
const MAX_BUFFERED = 8 * 1024 * 1024;
const CONTROL_EXECUTE_COMMANDS = new Set(['execute_tool', 'pause', 'resume', 'reset', 'ping']);
const TOPOLOGIES = new Set(['HIERARCHICAL', 'MESH', 'STAR', 'RING', 'FLAT']);

export class Simulator {
  readonly options: Required<Omit<SimulatorOptions, 'token' | 'tls' | 'faults'>> & { token: string | undefined; tls: SimulatorOptions['tls'] };
  readonly world: World;
  /** Live fault switches: read on every tick and message. */
  readonly faults: Faults;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private readonly sessions = new Set<Session>();
  private lastTick = 0;
  private msgSeq = 0;
  /** Message ids are unique across simulator instances (a restarted server must not look like a replay). */
  private readonly instance = randomUUID().slice(0, 8);
  private token: string | undefined;
  private last = { drop: 0, garbage: 0, truncate: 0, internal: 0, metrics: 0, system: 0, flows: 0, capability: 0, roundEnded: 0 };
  private expireAt = 0;
  private agentCursor = 0;
  private agentBudget = 0;
  private agentCycle = 0;
  private metricsCursor = 0;
  private round: Round | null = null;
  private readonly flowCounts = new Map<string, number>();
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

  /** Sessions as the server sees them (tests). */
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
    const session: Session = {
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

  private onClientMessage(s: Session, msg: unknown): void {
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
        return this.onCommand(s, m);
      default: {
        const requestId = typeof m.request_id === 'string' ? m.request_id : typeof m.id === 'string' ? m.id : undefined;
        return this.sendJson(s, this.visError('INVALID_MESSAGE', `unknown message type ${JSON.stringify(m.type)}`, requestId ? { requestId } : {}));
      }
    }
  }

  private onHandshake(s: Session): void {
    this.sendJson(s, {
      type: 'handshake_ack',
      sessionId: s.sessionId,
      protocols: ['binary', 'json'],
      heartbeatInterval: this.options.heartbeatIntervalMs,
      compression: 'zlib',
      serverTime: this.iso(),
    });
    s.step = 'negotiating';
    this.clearLegacy(s);
    s.legacyTimer = setTimeout(() => {
      this.clearLegacy(s);
      if (s.step !== 'negotiating' || s.negotiated || !this.sessions.has(s)) return;
      // Never negotiated: serve it as 1.1 (binary, no compression, no channels).
      s.version = '1.1';
      s.features = featuresOf('1.1');
      s.step = 'live';
      if (s.endpoint === 'agents') this.sendFullState(s);
    }, this.options.legacyAfterMs);
    this.pendingTimers.add(s.legacyTimer);
  }

  private clearLegacy(s: Session): void {
    if (!s.legacyTimer) return;
    clearTimeout(s.legacyTimer);
    this.pendingTimers.delete(s.legacyTimer);
    s.legacyTimer = null;
  }

  private onVersion(s: Session, m: Record<string, unknown>): void {
    const client = Array.isArray(m.supported) ? m.supported.filter((v): v is string => typeof v === 'string') : [];
    const preferred = typeof m.preferred === 'string' ? m.preferred : undefined;
    const server = this.faults.refuseVersions ? ['3.0'] : this.options.versions;
    const selected = selectVersion(client, preferred, server);
    s.negotiated = true;
    this.clearLegacy(s);
    this.sendJson(s, versionReplyMessage(server, selected));
    if (selected === null) {
      this.stats.versionRefusals++;
      this.later(() => s.ws.close(4002, 'no common protocol version'), this.faults.delayMs + 50);
      return;
    }
    const wasLive = s.step === 'live';
    s.version = selected;
    s.features = featuresOf(selected);
    s.step = 'live';
    if (!wasLive && s.endpoint === 'agents') this.sendFullState(s);
  }

  private onCompression(s: Session, m: Record<string, unknown>): void {
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
    this.sendJson(s, compressionReplyMessage(this.options.compression, chosen, level));
  }

  private onChannelCreate(s: Session, m: Record<string, unknown>): void {
    const channelId = typeof m.channelId === 'string' ? m.channelId : '';
    const spec: ChannelSpec = { channelId };
    if (typeof m.priority === 'string') spec.priority = m.priority as Priority;
    if (typeof m.dedicated === 'boolean') spec.dedicated = m.dedicated;
    if (typeof m.bufferSize === 'number') spec.bufferSize = m.bufferSize;
    if (!channelId) return this.sendJson(s, this.visError('INVALID_MESSAGE', 'channel.create needs a channelId'));
    if (!s.features.has('multiplexing')) return this.sendJson(s, channelReplyMessage(spec, 'refused', { reason: `multiplexing needs protocol 2.0 (this session: ${s.version ?? 'none'})` }));
    s.channels.set(channelId, { spec, seq: 1, held: null });
    this.sendJson(s, channelReplyMessage(spec, 'created', { sequence: 1 }));
  }

  // ----------------------------------------------------------------- commands

  private onCommand(s: Session, m: Record<string, unknown>): void {
    this.stats.commands++;
    const cp = m.type === 'command';
    const requestId = cp ? (typeof m.request_id === 'string' ? m.request_id : undefined) : typeof m.id === 'string' ? m.id : undefined;
    if (requestId === undefined) return this.sendJson(s, this.visError('INVALID_MESSAGE', cp ? 'command needs a request_id' : `${String(m.type)} needs an id`));
    const payload = (typeof m.payload === 'object' && m.payload !== null ? m.payload : {}) as Record<string, unknown>;
    if (this.faults.commandRateLimit > 0 && !this.takeCommandToken(s)) {
      this.stats.rateLimited++;
      const retryAfterMs = Math.ceil(1000 / this.faults.commandRateLimit);
      return this.reply(s, cp, requestId, { error: ['RATE_LIMIT_EXCEEDED', `more than ${this.faults.commandRateLimit} commands per second`, { retryAfterMs }] }, 0);
    }
    if (this.faults.commandNoAnswer) return;
    const answer = cp ? this.runCommand(payload, m.agent_id ?? payload.agent_id) : m.type === 'control.execute' ? this.runExecute(payload) : this.runConfigure(payload);
    if (this.faults.failCommands && 'ok' in answer && answer.ok) this.reply(s, cp, requestId, { ok: false, message: 'simulated failure (fault fail-commands)' }, this.faults.commandDelayMs);
    else this.reply(s, cp, requestId, answer, this.faults.commandDelayMs);
  }

  private takeCommandToken(s: Session): boolean {
    const rate = this.faults.commandRateLimit;
    const now = performance.now();
    s.commandTokens = Math.min(rate, s.commandTokens + ((now - s.commandTokensAt) / 1000) * rate);
    s.commandTokensAt = now;
    if (s.commandTokens < 1) return false;
    s.commandTokens -= 1;
    return true;
  }

  private agentIndex(id: unknown): number {
    const n = typeof id === 'string' ? agentNumber(id) : typeof id === 'number' ? id : null;
    return n === null ? -1 : this.world.indexOf(n);
  }

  /** restart / update / fetch_logs; unknown → INVALID_COMMAND (the control-plane seed). */
  private runCommand(p: Record<string, unknown>, agent: unknown): Answer {
    const params = (typeof p.parameters === 'object' && p.parameters !== null ? p.parameters : {}) as Record<string, unknown>;
    const command = typeof p.command === 'string' ? p.command : '';
    let i = -1;
    if (agent !== undefined) {
      i = this.agentIndex(agent);
      if (i < 0) return { error: ['AGENT_NOT_FOUND', `Agent with ID '${String(agent)}' not found`] };
    }
    const who = i >= 0 ? agentLabel(this.world.ids[i]!) : 'the control plane';
    switch (command) {
      case 'restart': {
        const delay = params.delay_seconds;
        if (delay !== undefined && (typeof delay !== 'number' || delay < 0)) return { ok: false, message: 'restart: parameters.delay_seconds must be a number >= 0' };
        if (i >= 0) this.broadcastState([this.world.setState(i, 1)], 'restart');
        return { ok: true, message: `restarting ${who}${typeof delay === 'number' ? ` in ${delay} s` : ''}` };
      }
      case 'update': {
        const version = params.version;
        if (typeof version !== 'string' || version.length === 0) return { ok: false, message: 'update: parameters.version (a string) is required' };
        return { ok: true, message: `updating ${who} to ${version}`, result: { version } };
      }
      case 'fetch_logs': {
        const lines = typeof params.lines === 'number' && params.lines > 0 ? Math.min(200, Math.floor(params.lines)) : 10;
        const logs: string[] = [];
        for (let k = 0; k < lines; k++) logs.push(`${this.iso()} ${who} [info] simulated log line ${k + 1}`);
        return { ok: true, message: `${lines} log lines of ${who}`, result: { logs } };
      }
      default:
        return { error: ['INVALID_COMMAND', `The command '${command}' is not recognized.`] };
    }
  }

  private runExecute(p: Record<string, unknown>): Answer {
    const i = this.agentIndex(p.targetAgent);
    if (i < 0) return { error: ['AGENT_NOT_FOUND', `Agent with ID '${String(p.targetAgent)}' not found`] };
    const command = typeof p.command === 'string' ? p.command : '';
    if (!CONTROL_EXECUTE_COMMANDS.has(command)) return { error: ['INVALID_COMMAND', `The command '${command}' is not recognized.`] };
    if (command === 'pause') this.broadcastState([this.world.setState(i, 3)], 'paused by operator');
    if (command === 'resume') this.broadcastState([this.world.setState(i, 0)], 'resumed by operator');
    return { ok: true, message: `${command} on ${agentLabel(this.world.ids[i]!)}`, result: { command } };
  }

  private runConfigure(p: Record<string, unknown>): Answer {
    const id = p['multi-agentId'];
    const conf = p.configuration;
    if (typeof id !== 'string' || typeof conf !== 'object' || conf === null) return { error: ['INVALID_MESSAGE', 'needs multi-agentId and configuration'] };
    const topology = (conf as Record<string, unknown>).topology;
    if (topology !== undefined && (typeof topology !== 'string' || !TOPOLOGIES.has(topology))) {
      return { ok: false, message: `unsupported topology ${JSON.stringify(topology)} (one of ${[...TOPOLOGIES].join(', ')})` };
    }
    return { ok: true, message: `configuration of ${id} applied`, result: { 'multi-agentId': id } };
  }

  /**
   * Control-plane `command` → control-plane `response`/`error` with request_id.
   * Visualisation control.* → visualisation `response`/`error` with
   * metadata.correlationId (and details.requestId on errors).
   */
  private reply(s: Session, cp: boolean, requestId: string, a: Answer, delayMs: number): void {
    let msg: object;
    if ('error' in a) {
      const [code, message, details] = a.error;
      if (cp) {
        msg = { type: 'error', request_id: requestId, timestamp: this.iso(), payload: { code, message, ...(details ? { details } : {}) } };
      } else {
        msg = this.visError(code, message, { requestId, ...(details ? { details } : {}) });
      }
    } else {
      const payload: Record<string, unknown> = { status: a.ok ? 'success' : 'failed' };
      if (a.message !== undefined) payload.message = a.message;
      if (a.result !== undefined) payload.result = a.result;
      msg = cp
        ? { type: 'response', request_id: requestId, timestamp: this.iso(), payload }
        : { id: this.nextId(), type: 'response', timestamp: this.iso(), payload, metadata: { correlationId: requestId } };
    }
    if (delayMs > 0) this.later(() => this.sendJson(s, msg), delayMs);
    else this.sendJson(s, msg);
  }

  // -------------------------------------------------------------------- send

  private live(endpoint?: EndpointName): Session[] {
    const out: Session[] = [];
    for (const s of this.sessions) if (s.step === 'live' && (endpoint === undefined || s.endpoint === endpoint)) out.push(s);
    return out;
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.pendingTimers.delete(t);
      fn();
    }, ms);
    this.pendingTimers.add(t);
  }

  /** Every outgoing message goes through here: silence and delay faults apply. */
  private sendRaw(s: Session, data: string | Uint8Array): void {
    if (this.faults.silence) return;
    if (this.faults.delayMs > 0) {
      this.later(() => {
        if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
      }, this.faults.delayMs);
      return;
    }
    if (s.ws.readyState === s.ws.OPEN) s.ws.send(data);
  }

  private sendJson(s: Session, msg: object): void {
    this.sendRaw(s, JSON.stringify(msg));
  }

  /** On the session's channel of that name (sequence, channel faults), else plain. */
  private sendTopic(s: Session, topic: string, text: string, msg: object): void {
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
  private broadcast(endpoint: EndpointName, topic: string, msg: object): void {
    const text = JSON.stringify(msg);
    for (const s of this.live(endpoint)) {
      this.sendTopic(s, topic, text, msg);
      this.stats.events++;
    }
  }

  /** Binary for sessions that negotiated it: one encoding per tick per algorithm, shared by all sessions. */
  private binaryFor(s: Session, frames: Uint8Array, cache: Map<string, Uint8Array>): Uint8Array | null {
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

  private nextId(): string {
    return `sim-${this.instance}-${++this.msgSeq}`;
  }

  private serverNow(): number {
    return Date.now() + this.faults.clockSkewMs;
  }

  private iso(ms = this.serverNow()): string {
    return new Date(ms).toISOString();
  }

  private visMessage(type: string, payload: Record<string, unknown>, metadata?: Record<string, unknown>): Record<string, unknown> {
    const m: Record<string, unknown> = { id: this.nextId(), type, timestamp: this.iso(), payload };
    if (metadata) m.metadata = metadata;
    return m;
  }

  private visError(code: string, message: string, opts: { recoverable?: boolean; suggestedAction?: string; requestId?: string; details?: Record<string, unknown> } = {}): Record<string, unknown> {
    const details: Record<string, unknown> = { component: 'swarmdeck-simulator', ...opts.details };
    if (opts.requestId !== undefined) details.requestId = opts.requestId;
    const payload: Record<string, unknown> = { code, message, details, recoverable: opts.recoverable ?? RECOVERABLE_ERRORS[code] ?? true };
    if (opts.suggestedAction !== undefined) payload.suggestedAction = opts.suggestedAction;
    return this.visMessage('error', payload, opts.requestId !== undefined ? { correlationId: opts.requestId, priority: 'high' } : { priority: 'high' });
  }

  // ----------------------------------------------------------------- streams

  /** On a new agents session: every agent's current state (and position, metrics), so the client starts complete. */
  private sendFullState(s: Session): void {
    const w = this.world;
    if (!s.features.has('binary')) {
      // 1.0: JSON only.
      for (let i = 0; i < w.count; i++) {
        this.sendJson(s, this.visMessage('agent.state.changed', { agentId: agentLabel(w.ids[i]!), newState: AGENT_STATES[w.state[i]!]!, reason: 'snapshot' }));
      }
      return;
    }
    const frames: Uint8Array[] = [];
    // 8-byte records without metadata: well under the u16 length at this chunk size.
    for (let start = 0; start < w.count; start += MAX_POSITIONS_PER_FRAME) {
      const recs = [];
      for (let i = start; i < Math.min(w.count, start + MAX_POSITIONS_PER_FRAME); i++) recs.push({ id: w.ids[i]!, state: w.state[i]! });
      frames.push(encodeStateBatch(recs));
    }
    frames.push(encodePositions(w.ids, w.pos, w.vel, w.count));
    const all = concatBytes(frames);
    this.sendRaw(s, this.binaryFor(s, all, new Map()) ?? all);
  }

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

  private broadcastState(changes: { id: number; previous: number; next: number }[], reason: string): void {
    for (const c of changes) {
      this.broadcast(
        'agents',
        'state',
        this.visMessage('agent.state.changed', { agentId: agentLabel(c.id), previousState: AGENT_STATES[c.previous]!, newState: AGENT_STATES[c.next]!, reason }),
      );
    }
  }

  private tick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    this.faultTick(now);
    const w = this.world;
    w.advance(dt);

    // Positions: encoded once, shared by every binary session (compressed once per algorithm).
    const positions = encodePositions(w.ids, w.pos, w.vel, w.count);
    this.stats.positionEncodes++;
    const cache = new Map<string, Uint8Array>();
    for (const s of this.live('agents')) {
      const data = this.binaryFor(s, positions, cache);
      if (data && s.ws.bufferedAmount < MAX_BUFFERED) {
        this.sendRaw(s, data);
        this.stats.positionMessages++;
      }
    }

    this.broadcastState(w.changeStates(this.options.stateChangesPerSecond * dt), 'simulated');
    this.messages(dt);
    this.agentHeartbeats(dt);
    const o = this.options;
    if (o.metricsIntervalMs > 0 && now - this.last.metrics >= o.metricsIntervalMs) {
      w.updateMetrics((now - this.last.metrics) / 1000);
      this.last.metrics = now;
      this.metrics();
    }
    if (o.systemMetricsIntervalMs > 0 && now - this.last.system >= o.systemMetricsIntervalMs) {
      this.last.system = now;
      this.systemMetrics();
    }
    if (o.flowStatsEveryMs > 0 && now - this.last.flows >= o.flowStatsEveryMs) {
      this.last.flows = now;
      this.flowStats();
    }
    if (o.capabilityEveryMs > 0 && now - this.last.capability >= o.capabilityEveryMs) {
      this.last.capability = now;
      const c = w.changeCapability();
      if (c) {
        this.broadcast(
          'agents',
          'capabilities',
          this.visMessage('agent.capability.update', {
            agentId: agentLabel(c.id),
            action: c.action,
            capability: { name: c.name, category: c.category, level: c.level, description: `${c.name} (level ${c.level})` },
          }),
        );
      }
    }
    this.coordination(now);
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

  private messages(dt: number): void {
    const w = this.world;
    let n = this.options.messagesPerSecond * dt;
    while (n > 0 && w.count > 1) {
      if (n < 1 && w.random() > n) break;
      n--;
      const from = w.randomAgent();
      let to = w.randomAgent();
      if (to === from) to = (to % w.count) + 1;
      const fromNs = NAMESPACES[(from - 1) % NAMESPACES.length]!;
      const toNs = NAMESPACES[(to - 1) % NAMESPACES.length]!;
      const key = `${fromNs}→${toNs}`;
      this.flowCounts.set(key, (this.flowCounts.get(key) ?? 0) + 1);
      const priority = w.random() < 0.1 ? 'HIGH' : 'NORMAL';
      this.broadcast(
        'graph',
        'messages',
        this.visMessage('message.sent', {
          messageId: `msg-${this.instance}-${this.msgSeq}`,
          from: { id: agentLabel(from), namespace: fromNs },
          to: [{ id: agentLabel(to), namespace: toNs }],
          messageType: w.random() < 0.7 ? 'REQUEST' : 'RESPONSE',
          priority,
          content: { action: 'simulated', size: Math.floor(w.random() * 2000) },
          expiry: this.iso(this.serverNow() + 300_000),
        }),
      );
    }
  }

  /** Each agent's heartbeat / status_update in the control-plane envelope, spread over agentHeartbeatMs. */
  private agentHeartbeats(dt: number): void {
    const w = this.world;
    const period = this.options.agentHeartbeatMs;
    if (period <= 0 || w.count === 0) return;
    this.agentBudget += (w.count * dt * 1000) / period;
    const silent = this.faults.silentAgents;
    const sessions = this.live('control');
    while (this.agentBudget >= 1) {
      this.agentBudget--;
      const i = this.agentCursor;
      this.agentCursor = (this.agentCursor + 1) % w.count;
      if (this.agentCursor === 0) this.agentCycle++;
      const id = agentLabel(w.ids[i]!);
      if (silent.length > 0 && silent.includes(id)) continue;
      if (sessions.length === 0) continue;
      const msg =
        this.agentCycle % 2 === 0
          ? { type: 'heartbeat', timestamp: this.iso(), payload: { agent_id: id } }
          : {
              type: 'status_update',
              timestamp: this.iso(),
              payload: { agent_id: id, cpu_usage: `${w.cpu[i]!.toFixed(0)}%`, memory_usage: `${(w.mem[i]! / 1024 ** 3).toFixed(2)}GB` },
            };
      const text = JSON.stringify(msg);
      for (const s of sessions) this.sendTopic(s, 'agent-status', text, msg);
    }
  }

  private metrics(): void {
    const w = this.world;
    if (w.count === 0) return;
    // Binary: a rotating batch of up to 100 agents.
    const recs: MetricsRecord[] = [];
    for (let k = 0; k < Math.min(100, w.count); k++) {
      const i = (this.metricsCursor + k) % w.count;
      recs.push({ id: w.ids[i]!, tasks: w.tasks[i]!, successRate: w.successRate[i]!, avgMs: w.avgMs[i]!, cpu: w.cpu[i]!, mem: w.mem[i]! });
    }
    this.metricsCursor = (this.metricsCursor + recs.length) % w.count;
    const frame = encodeMetrics(recs);
    const cache = new Map<string, Uint8Array>();
    for (const s of this.live('agents')) {
      const data = this.binaryFor(s, frame, cache);
      if (data) this.sendRaw(s, data);
    }
    // JSON: two agents in detail.
    for (let k = 0; k < 2; k++) {
      const i = Math.floor(w.random() * w.count);
      this.broadcast(
        'agents',
        'perf-metrics',
        this.visMessage('agent.performance.update', {
          agentId: agentLabel(w.ids[i]!),
          metrics: {
            tasksCompleted: w.tasks[i]!,
            successRate: Math.round(w.successRate[i]! * 1000) / 1000,
            averageResponseTime: Math.round(w.avgMs[i]!),
            resourceUtilization: Math.round(w.cpu[i]!) / 100,
            communicationEfficiency: Math.round((0.7 + w.random() * 0.3) * 100) / 100,
            uptime: Math.round(w.t * 1000),
            messageQueueSize: Math.floor(w.random() * 10),
            connectionCount: 1 + Math.floor(w.random() * 8),
            memoryUsage: w.mem[i]!,
          },
          trends: {
            successRateTrend: w.random() < 0.5 ? 'improving' : 'stable',
            responseTrend: w.random() < 0.7 ? 'stable' : 'degrading',
            loadTrend: w.random() < 0.5 ? 'increasing' : 'decreasing',
          },
        }),
      );
    }
  }

  private systemMetrics(): void {
    const w = this.world;
    let active = 0;
    let cpu = 0;
    for (let i = 0; i < w.count; i++) {
      if (w.state[i] !== 0) active++;
      cpu += w.cpu[i]!;
    }
    const queueDepth = Math.floor(w.random() * 400);
    const alerts: Record<string, unknown>[] = [];
    if (queueDepth > 300) alerts.push({ level: 'warning', message: 'High message queue depth detected', component: 'message-bus', timestamp: this.iso() });
    if (w.random() < 0.05) alerts.push({ level: 'critical', message: 'Coordinator failover in progress', component: 'coordinator', timestamp: this.iso() });
    const critical = alerts.some((a) => a.level === 'critical');
    this.broadcast(
      'control',
      'alerts',
      this.visMessage(
        'system.metrics',
        {
          activeAgents: active,
          totalAgents: w.count,
          systemLoad: { cpu: w.count ? Math.round(cpu / w.count) / 100 : 0, memory: Math.round((0.3 + w.random() * 0.4) * 100) / 100, gpu: Math.round(w.random() * 50) / 100 },
          messageMetrics: {
            rate: this.options.messagesPerSecond,
            queueDepth,
            averageLatency: Math.round((10 + w.random() * 30) * 10) / 10,
            errorRate: Math.round(w.random() * 50) / 10_000,
          },
          networkHealth: Math.round((0.9 + w.random() * 0.1) * 100) / 100,
          coordinationEfficiency: Math.round((0.7 + w.random() * 0.3) * 100) / 100,
          alerts,
        },
        critical ? { priority: 'critical', ttl: 60_000 } : undefined,
      ),
    );
  }

  private flowStats(): void {
    for (const [key, count] of this.flowCounts) {
      const w = this.world;
      const [from, to] = key.split('→');
      const min = 5 + Math.floor(w.random() * 10);
      this.broadcast(
        'graph',
        'messages',
        this.visMessage('message.flow.stats', {
          flowId: `${from}-${to}`,
          statistics: {
            messageCount: count,
            averageLatency: Math.round((min + w.random() * 40) * 10) / 10,
            maxLatency: min + 50 + Math.floor(w.random() * 200),
            minLatency: min,
            successRate: Math.round((0.95 + w.random() * 0.05) * 100) / 100,
            bandwidth: Math.round(w.random() * 100) / 100,
            lastActivity: this.iso(),
          },
        }),
      );
    }
  }

  /** Consensus rounds: initiated, then progress with votes filling in (odd steps as binary frames), then completed. */
  private coordination(now: number): void {
    const every = this.options.coordinationEveryMs;
    const w = this.world;
    if (every <= 0 || w.count < 5) return;
    if (!this.round) {
      if (now - this.last.roundEnded < every) return;
      const initiator = w.randomAgent();
      const others = new Set<number>();
      while (others.size < 4) {
        const a = w.randomAgent();
        if (a !== initiator) others.add(a);
      }
      const [observer, ...voters] = [...others];
      const r: Round = {
        id: `coord-${this.instance}-${++this.stats.coordinationRounds}`,
        initiator,
        voters: [initiator, ...voters],
        observer: observer!,
        votes: new Map(),
        threshold: 0.66,
        nextStepAt: now + 500,
        step: 0,
      };
      this.round = r;
      this.broadcast(
        'graph',
        'coordination',
        this.visMessage('coordination.initiated', {
          coordinationId: r.id,
          pattern: 'CONSENSUS',
          initiator: { id: agentLabel(initiator) },
          participants: [...voters.map((v) => ({ id: agentLabel(v), role: 'voter' })), { id: agentLabel(r.observer), role: 'observer' }],
          parameters: { consensusThreshold: r.threshold, timeout: 30_000, proposal: { type: 'resource_allocation', details: { cpu: 4, memory: '8GB' } } },
        }),
      );
      this.broadcastState(
        r.voters.map((v) => w.setState(w.indexOf(v), 5)),
        `consensus ${r.id}`,
      );
      return;
    }
    const r = this.round;
    if (now < r.nextStepAt) return;
    r.nextStepAt = now + 500;
    r.step++;
    const next = r.voters.find((v) => !r.votes.has(v));
    if (next !== undefined) r.votes.set(next, { vote: w.random() < 0.8 ? 'approve' : 'reject', timestamp: this.iso() });
    const done = r.votes.size === r.voters.length;
    const approvals = [...r.votes.values()].filter((v) => v.vote === 'approve').length;
    const votes: Record<string, unknown> = {};
    for (const v of r.voters) votes[agentLabel(v)] = r.votes.get(v) ?? { vote: 'pending' };
    const payload: Record<string, unknown> = {
      coordinationId: r.id,
      pattern: 'CONSENSUS',
      progress: Math.round((r.votes.size / r.voters.length) * 100) / 100,
      status: done ? 'COMPLETED' : 'VOTING',
      votes,
      estimatedCompletion: this.iso(this.serverNow() + (r.voters.length - r.votes.size) * 500),
    };
    if (done) payload.result = approvals / r.voters.length >= r.threshold ? 'approved' : 'rejected';
    const msg = this.visMessage('coordination.progress', payload);
    const text = JSON.stringify(msg);
    const binary = r.step % 2 === 1 ? encodeCoordination(msg, { priority: 'high' }) : null;
    for (const s of this.live('graph')) {
      // Odd steps go as COORDINATION_EVENT frames to binary sessions not multiplexing coordination.
      if (binary && s.features.has('binary') && !s.channels.has('coordination')) this.sendRaw(s, binary);
      else this.sendTopic(s, 'coordination', text, msg);
      this.stats.events++;
    }
    if (done) {
      this.round = null;
      this.last.roundEnded = now;
      this.broadcastState(
        r.voters.map((v) => w.setState(w.indexOf(v), 0)),
        `consensus ${r.id} ${String(payload.result)}`,
      );
    }
  }
}

type Answer = { ok: boolean; message?: string; result?: Record<string, unknown> } | { error: [code: string, message: string, details?: Record<string, unknown>] };
