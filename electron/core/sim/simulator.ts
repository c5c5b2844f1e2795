// The embedded control-plane simulator: a `ws` server on 127.0.0.1 that
// serves the three endpoints of the visualisation protocol, checks the bearer
// token on upgrade, answers the handshake, and streams the World: binary
// POSITION_UPDATE frames at `rate` Hz plus JSON agent.state.changed and
// message.sent events. It is the first-launch default and the test peer.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_STATES, ENDPOINTS, type EndpointName, MAX_POSITIONS_PER_FRAME } from '../protocol/constants.js';
import { concatBytes, encodePositions, encodeStateBatch } from '../protocol/encode.js';
import { agentLabel } from '../protocol/events.js';
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
  heartbeatIntervalMs?: number;
}

interface Session {
  ws: WebSocket;
  endpoint: EndpointName;
  live: boolean;
  sessionId: string;
}

/** Skip position frames to a client whose socket has this much unsent: latest wins there too. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export class Simulator {
  readonly options: Required<Omit<SimulatorOptions, 'token'>> & { token: string | undefined };
  readonly world: World;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly sessions = new Set<Session>();
  private lastTick = 0;
  private msgSeq = 0;
  /** Counters for tests and the CLI. */
  readonly stats = { connections: 0, refused: 0, positionMessages: 0, events: 0 };

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
    };
    this.world = new World(this.options.agents, this.options.seed);
  }

  /** Resolves with the bound port. */
  async start(): Promise<number> {
    const http = createServer((req, res) => {
      // A plain GET tells an operator what this is.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'swarmdeck-simulator', agents: this.world.count, rate: this.options.rate, endpoints: ENDPOINTS }));
    });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    http.on('upgrade', (req, socket, head) => this.onUpgrade(wss, req, socket, head));
    this.http = http;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.options.port, this.options.host, () => resolve());
    });
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), 1000 / this.options.rate);
    return this.port;
  }

  get port(): number {
    const a = this.http?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  /** ws://host:port — the base URL a client is given. */
  get url(): string {
    return `ws://${this.options.host}:${this.port}`;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
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

  private onUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const endpoint = (Object.keys(ENDPOINTS) as EndpointName[]).find((k) => ENDPOINTS[k] === path);
    const refuse = (status: number, text: string): void => {
      this.stats.refused++;
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!endpoint) return refuse(404, 'Not Found');
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return refuse(401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, endpoint));
  }

  private onConnection(ws: WebSocket, endpoint: EndpointName): void {
    this.stats.connections++;
    const session: Session = { ws, endpoint, live: false, sessionId: randomUUID() };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => this.sessions.delete(session));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return this.sendError(session, 'INVALID_MESSAGE', 'not JSON', undefined);
      }
      this.onClientMessage(session, msg);
    });
  }

  private onClientMessage(s: Session, msg: unknown): void {
    if (typeof msg !== 'object' || msg === null) return this.sendError(s, 'INVALID_MESSAGE', 'expected an object', undefined);
    const m = msg as Record<string, unknown>;
    const requestId = typeof m.request_id === 'string' ? m.request_id : typeof m.id === 'string' ? m.id : undefined;
    switch (m.type) {
      case 'handshake':
        s.ws.send(
          JSON.stringify({
            type: 'handshake_ack',
            sessionId: s.sessionId,
            protocols: ['binary', 'json'],
            heartbeatInterval: this.options.heartbeatIntervalMs,
            compression: 'zlib',
            serverTime: new Date().toISOString(),
          }),
        );
        s.live = true;
        if (s.endpoint === 'agents') this.sendFullState(s);
        return;
      case 'command':
      case 'control.execute':
        return this.respond(s, requestId, 'success');
      default:
        return;
    }
  }

  private respond(s: Session, requestId: string | undefined, status: 'success' | 'failed'): void {
    if (requestId === undefined) return this.sendError(s, 'INVALID_MESSAGE', 'request_id is required', undefined);
    s.ws.send(JSON.stringify({ type: 'response', request_id: requestId, timestamp: new Date().toISOString(), payload: { status } }));
  }

  private sendError(s: Session, code: string, message: string, requestId: string | undefined): void {
    const e: Record<string, unknown> = { type: 'error', timestamp: new Date().toISOString(), payload: { code, message } };
    if (requestId !== undefined) e.request_id = requestId;
    s.ws.send(JSON.stringify(e));
  }

  /** On a new agents session: every agent's current state, so the client starts complete. */
  private sendFullState(s: Session): void {
    const w = this.world;
    const frames: Uint8Array[] = [];
    // 8-byte records without metadata: well under the u16 length at this chunk size.
    for (let start = 0; start < w.count; start += MAX_POSITIONS_PER_FRAME) {
      const recs = [];
      for (let i = start; i < Math.min(w.count, start + MAX_POSITIONS_PER_FRAME); i++) recs.push({ id: w.ids[i]!, state: w.state[i]! });
      frames.push(encodeStateBatch(recs));
    }
    frames.push(encodePositions(w.ids, w.pos, w.vel, w.count));
    s.ws.send(concatBytes(frames));
  }

  private tick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const w = this.world;
    w.advance(dt);
    const positions = encodePositions(w.ids, w.pos, w.vel, w.count);
    const changes = w.changeStates(this.options.stateChangesPerSecond * dt);
    const stateEvents = changes.map((c) =>
      this.visMessage('agent.state.changed', {
        agentId: agentLabel(c.id),
        previousState: AGENT_STATES[c.previous]!,
        newState: AGENT_STATES[c.next]!,
        reason: 'simulated',
      }),
    );
    const flows: string[] = [];
    let n = this.options.messagesPerSecond * dt;
    while (n > 0 && w.count > 1) {
      if (n < 1 && w.random() > n) break;
      n--;
      const from = w.randomAgent();
      let to = w.randomAgent();
      if (to === from) to = (to % w.count) + 1;
      flows.push(
        this.visMessage('message.sent', {
          messageId: `sim-msg-${this.msgSeq}`,
          from: { id: agentLabel(from), namespace: NAMESPACES[(from - 1) % NAMESPACES.length]! },
          to: [{ id: agentLabel(to), namespace: NAMESPACES[(to - 1) % NAMESPACES.length]! }],
          messageType: 'REQUEST',
          priority: 'NORMAL',
        }),
      );
    }
    for (const s of this.sessions) {
      if (!s.live) continue;
      if (s.endpoint === 'agents') {
        if (s.ws.bufferedAmount < MAX_BUFFERED) {
          s.ws.send(positions);
          this.stats.positionMessages++;
        }
        for (const e of stateEvents) s.ws.send(e);
        this.stats.events += stateEvents.length;
      } else if (s.endpoint === 'graph') {
        for (const e of flows) s.ws.send(e);
        this.stats.events += flows.length;
      }
    }
  }

  private visMessage(type: string, payload: Record<string, unknown>): string {
    return JSON.stringify({ id: `sim-${++this.msgSeq}`, type, timestamp: new Date().toISOString(), payload });
  }
}
