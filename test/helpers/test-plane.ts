// An independent control plane for the tests and benchmarks, written from the
// two seed documents alone (../shared/seeds): plain `ws`, frames written by hand,
// no import from electron/ or shared/. Our simulator agrees with our client on
// everything; this one is a second implementation with its own readings, and it
// misbehaves on request the way real planes do: it goes silent, dies, flaps,
// answers late, rotates its token, repeats channel sequences, lets agents stop
// heartbeating, floods flows.
//
// Positions are a pure function of agent id and time (`testPlanePosition`), so
// a test can say where an agent was at any moment the plane sent it.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const TEST_PLANE_PATHS = { agents: '/api/visualisation/agents/ws', graph: '/api/graph/ws', control: '/api/control/ws' } as const;
export type TestEndpoint = keyof typeof TEST_PLANE_PATHS;

export interface TestPlaneOptions {
  /** Binary agents 1..agents, sent as POSITION_UPDATE. */
  agents?: number;
  /** Position messages per second on the agents endpoint (0: none). */
  positionHz?: number;
  /** Required as `Authorization: Bearer <token>`; a wrong or missing one is answered 401. */
  token?: string;
  /** heartbeatInterval announced in handshake_ack, ms. */
  heartbeatIntervalMs?: number;
  /** handshake_ack: seed camelCase (default), snake_case, or never sent. */
  ack?: 'camel' | 'snake' | 'none';
  /** The ack is sent this late (its serverTime is taken when it is sent, as a real server would). */
  ackDelayMs?: number;
  /** This plane's clock runs ahead of the host's by this much (serverTime, timestamps). */
  clockSkewMs?: number;
  /** JSON `heartbeat` per agent (control-plane envelope with agent_id), every this many ms (0: none). */
  agentHeartbeatMs?: number;
  /** Which agents heartbeat (default: every agent 1..agents, at most 1,000). */
  heartbeatAgents?: number[];
  /** Flows between agents (flow k: from k%n+1 to the agent 1+⌊k/n⌋ after it, so up to n·(n−1) distinct flows): each sends message.flow.stats about once a second. */
  flows?: number;
  /** Each flow's messageCount grows at testPlaneFlowRate(i, flowRate) messages per second of this plane's time (i: the flow's sender), its stats stamped on whole seconds (an integer; absent: the count stays put). */
  flowRate?: number;
  /** Each position message ends with a HEARTBEAT frame holding this plane's time (u64 ms): the send time of its positions. */
  stampPositions?: boolean;
  /** message.sent per second, spread over the flows. */
  messagesPerSec?: number;
  /** The server's own WebSocket pings to the client, every this many ms (0: none). */
  serverPingMs?: number;
  /** Positions are testPlanePosition(id, t - motionOriginMs): a run whose motion starts at its own start (default 0: the epoch). Settable later (`motionOriginMs`). */
  motionOriginMs?: number;
}

/** Where agent `id` is at time `t` (ms since the epoch, this plane's clock): a circle of radius 40+id%60, 20 s per turn. */
export function testPlanePosition(id: number, t: number): { x: number; y: number } {
  const r = 40 + (id % 60) * 4;
  const a = (t / 20_000) * 2 * Math.PI + id * 0.7;
  return { x: r * Math.cos(a), y: r * Math.sin(a) };
}

/** Messages per second flow i (1-based) carries when the plane's flowRate is `base`: base, 2×, 3× or 4× by i. */
export function testPlaneFlowRate(i: number, base: number): number {
  return base * (1 + (i % 4));
}

/** Flow i's messageCount at time t (ms, this plane's clock). */
export function testPlaneFlowCount(i: number, t: number, base: number | undefined): number {
  return 100 + i + (base === undefined ? 0 : (testPlaneFlowRate(i, base) * t) / 1000);
}

/** JSON id of binary agent n, as the seed spells ids ("agent-001"). */
export const agentName = (n: number): string => `agent-${String(n).padStart(3, '0')}`;

const RECORDS_PER_FRAME = Math.floor((0xffff - 4) / 28);

/** POSITION_UPDATE frames for agents 1..n at time t, back to back in one buffer (the seed's 8-byte header, LE). */
export function positionMessage(n: number, t: number): Buffer {
  const frames: Buffer[] = [];
  for (let first = 1; first <= n; first += RECORDS_PER_FRAME) {
    const count = Math.min(RECORDS_PER_FRAME, n - first + 1);
    const f = Buffer.alloc(8 + 4 + 28 * count);
    f.write('AGNT', 0, 'ascii');
    f.writeUInt8(0x01, 4);
    f.writeUInt8(0x02, 5); // normal priority
    f.writeUInt16LE(4 + 28 * count, 6);
    f.writeUInt32LE(count, 8);
    for (let k = 0; k < count; k++) {
      const id = first + k;
      const p = testPlanePosition(id, t);
      const o = 12 + 28 * k;
      f.writeUInt32LE(id, o);
      f.writeFloatLE(p.x, o + 4);
      f.writeFloatLE(p.y, o + 8);
    }
    frames.push(f);
  }
  return Buffer.concat(frames);
}

/** A HEARTBEAT frame with server time `t` (u64 LE ms), the seed's 8-byte header. */
export function heartbeatFrame(t: number): Buffer {
  const f = Buffer.alloc(16);
  f.write('AGNT', 0, 'ascii');
  f.writeUInt8(0x06, 4);
  f.writeUInt8(0x02, 5);
  f.writeUInt16LE(8, 6);
  f.writeBigUInt64LE(BigInt(Math.round(t)), 8);
  return f;
}

interface Conn {
  ws: WebSocket;
  endpoint: TestEndpoint;
  raw: Duplex;
}

export class TestPlane {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly conns = new Set<Conn>();
  private readonly timers: NodeJS.Timeout[] = [];
  private port = 0;
  private silent = false;
  private token: string | undefined;
  private msgSeq = 0;
  private readonly beating = new Set<number>();
  /** Client messages received, by type. */
  readonly received = new Map<string, number>();
  /** Upgrades accepted per endpoint, and refused (401). */
  readonly accepted: Record<TestEndpoint, number> = { agents: 0, graph: 0, control: 0 };
  refused = 0;
  /** Authorization headers received with upgrades (at most 1,000). */
  readonly authorizations: string[] = [];
  /** When each position message was sent (this plane's clock; its positions are those of t - motionOriginMs), newest last; at most 10,000. */
  readonly sentPositionsAt: number[] = [];
  /** Handles `command` messages; default: `response` success. Return null to never answer. */
  onCommand: (m: Record<string, unknown>) => Record<string, unknown> | null = (m) => ({
    type: 'response',
    request_id: m.request_id,
    timestamp: this.iso(),
    payload: { status: 'success' },
  });

  /** Where this run's motion starts (TestPlaneOptions.motionOriginMs); set it to restart the motion from that moment. */
  motionOriginMs: number;

  constructor(readonly opts: TestPlaneOptions = {}) {
    this.motionOriginMs = opts.motionOriginMs ?? 0;
    this.token = opts.token;
    const hb = opts.heartbeatAgents ?? range(1, Math.min(opts.agents ?? 0, 1000));
    for (const a of hb) this.beating.add(a);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** This plane's clock. */
  now(): number {
    return Date.now() + (this.opts.clockSkewMs ?? 0);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Listens on a free port (or the port it had, after kill()). Returns the base URL. */
  async start(): Promise<string> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => this.upgrade(wss, req, socket, head));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, '127.0.0.1', () => resolve());
    });
    const a = http.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    this.http = http;
    this.wss = wss;
    this.startTimers();
    return this.url;
  }

  /** The server dies: every socket is cut (no close frame) and the port stops listening. */
  async kill(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    const http = this.http;
    this.http = null;
    this.wss?.close();
    this.wss = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  }

  stop(): Promise<void> {
    return this.kill();
  }

  /** Silent but connected: nothing is sent, and nothing is read (so pings go unanswered), until `silence(false)`. */
  silence(on: boolean): void {
    this.silent = on;
    for (const c of this.conns) {
      if (on) c.raw.pause();
      else c.raw.resume();
    }
  }

  /** Cuts every connection (as a flapping network does); the port keeps listening. */
  dropAll(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  stopHeartbeat(agent: number): void {
    this.beating.delete(agent);
  }

  resumeHeartbeat(agent: number): void {
    this.beating.add(agent);
  }

  /** Open connections per endpoint. */
  connections(endpoint?: TestEndpoint): number {
    let n = 0;
    for (const c of this.conns) if (!endpoint || c.endpoint === endpoint) n++;
    return n;
  }

  /** Sends a JSON message (or raw bytes) on every connection of an endpoint. */
  send(endpoint: TestEndpoint, message: Record<string, unknown> | Buffer): void {
    const data = Buffer.isBuffer(message) ? message : JSON.stringify(message);
    for (const c of this.conns) if (c.endpoint === endpoint && c.ws.readyState === c.ws.OPEN) c.ws.send(data);
  }

  /** A visualisation envelope of the given type, with a fresh id and this plane's timestamp. */
  event(type: string, payload: Record<string, unknown>, metadata?: Record<string, unknown>, at?: number): Record<string, unknown> {
    return { id: `tp-${++this.msgSeq}`, type, timestamp: at === undefined ? this.iso() : new Date(at).toISOString(), payload, ...(metadata ? { metadata } : {}) };
  }

  /** agent.state.changed for a binary agent (JSON id "agent-NNN"). */
  setState(agent: number, newState: string, previousState = 'IDLE', reason = 'test'): void {
    this.send('agents', this.event('agent.state.changed', { agentId: agentName(agent), previousState, newState, reason }));
  }

  /** A channel-wrapped message: {channel, sequence, message}, the seed's "Channel Message". */
  sendChannel(endpoint: TestEndpoint, channel: string, sequence: number, message: Record<string, unknown>): void {
    this.send(endpoint, { channel, sequence, message });
  }

  private upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Every Authorization header that reached this plane, on any path: tests assert a token never went where it should not.
    if (req.headers.authorization !== undefined && this.authorizations.length < 1000) this.authorizations.push(req.headers.authorization);
    const endpoint = (Object.keys(TEST_PLANE_PATHS) as TestEndpoint[]).find((k) => TEST_PLANE_PATHS[k] === req.url);
    if (!endpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      this.refused++;
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, endpoint, raw: socket };
      this.accepted[endpoint]++;
      this.conns.add(conn);
      if (this.silent) socket.pause();
      ws.on('close', () => this.conns.delete(conn));
      ws.on('error', () => this.conns.delete(conn));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let m: Record<string, unknown>;
        try {
          m = JSON.parse(String(data)) as Record<string, unknown>;
        } catch {
          return;
        }
        const type = typeof m.type === 'string' ? m.type : '(none)';
        this.received.set(type, (this.received.get(type) ?? 0) + 1);
        this.answer(conn, m);
      });
    });
  }

  private answer(conn: Conn, m: Record<string, unknown>): void {
    if (this.silent) return;
    switch (m.type) {
      case 'handshake': {
        if (this.opts.ack === 'none') return;
        const send = () => {
          if (conn.ws.readyState !== conn.ws.OPEN) return;
          const hb = this.opts.heartbeatIntervalMs ?? 30_000;
          const ack =
            this.opts.ack === 'snake'
              ? { type: 'handshake_ack', session_id: `s-${conn.endpoint}`, protocols: ['binary', 'json'], heartbeat_interval: hb, server_time: this.iso() }
              : { type: 'handshake_ack', sessionId: `s-${conn.endpoint}`, protocols: ['binary', 'json'], heartbeatInterval: hb, compression: null, serverTime: this.iso() };
          conn.ws.send(JSON.stringify(ack));
        };
        if (this.opts.ackDelayMs) this.timers.push(setTimeout(send, this.opts.ackDelayMs));
        else send();
        return;
      }
      case 'command': {
        const reply = this.onCommand(m);
        if (reply) conn.ws.send(JSON.stringify(reply));
        return;
      }
    }
  }

  private every(ms: number, fn: () => void): void {
    this.timers.push(
      setInterval(() => {
        if (!this.silent) fn();
      }, ms),
    );
  }

  private startTimers(): void {
    const n = this.opts.agents ?? 0;
    const hz = this.opts.positionHz ?? 0;
    if (n > 0 && hz > 0) {
      this.every(1000 / hz, () => {
        const t = this.now();
        const pm = positionMessage(n, t - this.motionOriginMs);
        this.send('agents', this.opts.stampPositions ? Buffer.concat([pm, heartbeatFrame(t)]) : pm);
        this.sentPositionsAt.push(t);
        if (this.sentPositionsAt.length > 10_000) this.sentPositionsAt.splice(0, 5_000);
      });
    }
    const beat = this.opts.agentHeartbeatMs ?? 0;
    if (beat > 0) {
      this.every(beat, () => {
        for (const a of this.beating) this.send('control', { type: 'heartbeat', timestamp: this.iso(), payload: {}, agent_id: agentName(a) });
      });
    }
    const flows = Math.min(this.opts.flows ?? 0, Math.max(0, n * (n - 1)));
    if (flows > 0) {
      // Each flow once a second, spread over ten ticks.
      let next = 0;
      this.every(100, () => {
        const batch = Math.ceil(flows / 10);
        for (let k = 0; k < batch; k++, next++) {
          const k0 = next % flows;
          const i = (k0 % n) + 1;
          const to = ((i + Math.floor(k0 / n)) % n) + 1;
          // With a flowRate the stats are stamped on whole seconds, so the integer count grows exactly at the rate.
          const t = this.opts.flowRate === undefined ? this.now() : Math.floor(this.now() / 1000) * 1000;
          this.send(
            'graph',
            this.event('message.flow.stats', {
              flowId: `${agentName(i)}-${agentName(to)}`,
              statistics: { messageCount: testPlaneFlowCount(i, t, this.opts.flowRate), averageLatency: 10 + (i % 50), maxLatency: 200, minLatency: 1, successRate: 0.9 + (i % 10) / 100, bandwidth: 0.5, lastActivity: this.iso() },
            }, undefined, t),
          );
        }
      });
    }
    const mps = this.opts.messagesPerSec ?? 0;
    if (mps > 0 && n > 1) {
      let k = 0;
      this.every(100, () => {
        for (let j = 0; j < Math.ceil(mps / 10); j++, k++) {
          const from = (k % n) + 1;
          const to = (from % n) + 1;
          this.send('graph', this.event('message.sent', { messageId: `m-${k}`, from: { id: agentName(from) }, to: [{ id: agentName(to) }], messageType: 'REQUEST', priority: 'NORMAL' }));
        }
      });
    }
    const ping = this.opts.serverPingMs ?? 0;
    if (ping > 0) this.every(ping, () => { for (const c of this.conns) c.ws.ping(); });
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
