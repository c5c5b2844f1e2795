// The embedded control-plane simulator: a `ws` server on 127.0.0.1 (or TLS)
// serving the three endpoints of the visualisation protocol with every message
// type of both seeds. This file is the server: its options, start and stop,
// the bearer token checked on upgrade, the server heartbeats, the timed faults
// of sim/faults.ts (switchable at runtime) and the actions tests and demos
// call. How it answers a client's messages (handshake, negotiations, commands)
// is sim/inbound.ts; everything it sends goes through sim/output.ts; what it
// streams is sim/scenario.ts; how it answers commands is sim/responder.ts.
// It is the first-launch default and the test peer. docs/PROTOCOL.md,
// "Simulator", documents it.

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  COMPRESSION_ALGORITHMS,
  type CompressionAlgorithm,
  encodeErrorFrame,
  encodeHeartbeat,
  encodePositions,
  type EndpointName,
  ENDPOINTS,
  ERROR_CODES,
  requestTarget,
} from '../protocol/index.js';
import { type Priority, SUPPORTED_VERSIONS } from '../../../shared/index.js';
import { type Dialect, type DialectName, DIALECTS } from './dialects.js';
import { defaultFaults, type Faults, faultSpec, parseFaultValue } from './faults.js';
import { Inbound } from './inbound.js';
import { SimSender } from './output.js';
import { CommandResponder } from './responder.js';
import { Scenario } from './scenario.js';
import type { SimSession } from './session.js';
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

export class Simulator {
  readonly options: Required<Omit<SimulatorOptions, 'token' | 'tls' | 'faults' | 'dialect'>> & { token: string | undefined; tls: SimulatorOptions['tls'] };
  readonly world: World;
  /** Live fault switches: read on every tick and message. */
  readonly faults: Faults;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private token: string | undefined;
  private readonly last = { drop: 0, garbage: 0, truncate: 0, internal: 0 };
  private expireAt = 0;
  /** How this server behaves where implementations differ (sim/dialects.ts). */
  readonly dialect: Dialect;
  private readonly scenario: Scenario;
  /** Sends (output faults applied) and keeps the sessions. */
  private readonly out: SimSender;
  private readonly inbound: Inbound;
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
    // Message ids are unique across simulator instances (a restarted server must not look like a replay).
    this.out = new SimSender(this.world, this.faults, this.stats, this.options, randomUUID().slice(0, 8));
    this.scenario = new Scenario(this.out);
    this.inbound = new Inbound(this.out, this.dialect, this.options, this.stats, this.scenario, new CommandResponder(this.out, this.scenario));
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
    this.out.closeAll();
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
    // A hung server answers nothing, not even a ping: its sockets stop being read.
    if (spec.key === 'silence') for (const s of this.out.sessions) v ? s.ws.pause() : s.ws.resume();
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
    return [...this.out.sessions].map((s) => ({
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
    for (const s of this.out.sessions) {
      this.stats.drops++;
      s.ws.terminate();
    }
    this.out.sessions.clear();
  }

  /** The token stops being accepted: AUTH_FAILED to every session, then each is closed; upgrades need `next`. */
  expireToken(next: string = `expired-${randomUUID()}`): void {
    this.token = next;
    for (const s of this.out.sessions) {
      this.out.sendJson(s, this.out.visError('AUTH_FAILED', 'the bearer token has expired', { recoverable: true, suggestedAction: 'refresh_token' }));
      this.out.later(() => s.ws.close(4001, 'token expired'), this.faults.delayMs + 20);
    }
  }

  /** Sends raw data (text, bytes, or an object as JSON) to every live session of an endpoint. */
  inject(endpoint: EndpointName, data: string | Uint8Array | object): number {
    let n = 0;
    const payload = typeof data === 'string' || data instanceof Uint8Array ? data : JSON.stringify(data);
    for (const s of this.out.live(endpoint)) {
      this.out.sendRaw(s, payload);
      n++;
    }
    return n;
  }

  /** A message on a channel (sequence-numbered per session, channel faults applied); plain when the session has no such channel. */
  sendOnChannel(endpoint: EndpointName, channelId: string, message: object): void {
    const text = JSON.stringify(message);
    for (const s of this.out.live(endpoint)) this.out.sendTopic(s, channelId, text, message);
  }

  /** An error to every live session of an endpoint: JSON `error` (visualisation envelope), or a 0xFF frame with `binary`. */
  sendError(endpoint: EndpointName, code: string, message: string, opts: { recoverable?: boolean; binary?: boolean; requestId?: string; priority?: Priority } = {}): void {
    for (const s of this.out.live(endpoint)) {
      if (opts.binary) {
        const n = (ERROR_CODES as readonly string[]).indexOf(code);
        this.out.sendRaw(s, encodeErrorFrame(n > 0 ? n : 0, message, { priority: opts.priority ?? 'high' }));
      } else {
        const extra: { recoverable?: boolean; requestId?: string } = {};
        if (opts.recoverable !== undefined) extra.recoverable = opts.recoverable;
        if (opts.requestId !== undefined) extra.requestId = opts.requestId;
        this.out.sendJson(s, this.out.visError(code, message, extra));
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
    if (this.faults.silence) ws.pause();
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
    this.out.sessions.add(session);
    this.inbound.connected(session);
    const gone = (): void => {
      this.out.sessions.delete(session);
      this.inbound.closed(session);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data, isBinary) => {
      session.lastClientMsgAt = Date.now();
      this.inbound.message(session, data, isBinary);
    });
  }

  // ----------------------------------------------------------------- streams

  /** The server's heartbeat to every session; a negotiated client silent for 3 intervals is closed. */
  private heartbeat(): void {
    const now = Date.now();
    const limit = 3 * this.options.heartbeatIntervalMs;
    let frame: Uint8Array | null = null;
    let json: string | null = null;
    for (const s of this.out.sessions) {
      if (this.options.requireClientHeartbeats && s.negotiated && now - s.lastClientMsgAt > limit) {
        this.stats.clientTimeouts++;
        s.ws.terminate();
        this.out.sessions.delete(s);
        continue;
      }
      if (s.step === 'handshake' || this.faults.stopHeartbeats) continue;
      if (s.features.has('binary')) this.out.sendRaw(s, (frame ??= encodeHeartbeat(this.out.serverNow())));
      else this.out.sendRaw(s, (json ??= JSON.stringify({ type: 'heartbeat', timestamp: this.out.iso(), payload: {} })));
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
