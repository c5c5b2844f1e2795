// A control plane written for the tests from the two seed documents alone,
// sharing no code with the simulator (nor with the client's protocol code):
// plain `ws` and Buffer writes. It answers every client message with the
// seed's own example messages, literally: handshake_ack as in "Handshake
// Protocol", version.negotiate and compression.negotiate in the seed's shapes
// (no "selected"), channel.create echoed; streams POSITION_UPDATE frames
// (little-endian, 28-byte records) and the seed's example events; answers
// `command` with the seed's response example. Options make it send its
// position frames as COMPRESSED_BATCH in gzip, zlib or raw deflate without
// any negotiation.

import { createServer, type Server } from 'node:http';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SeedServerOptions {
  agents?: number;
  /** Send positions as COMPRESSED_BATCH in this format (nothing is negotiated). */
  compress?: 'gzip' | 'zlib' | 'raw';
  /** Position frames per second. */
  rate?: number;
}

const PATHS = ['/api/visualisation/agents/ws', '/api/graph/ws', '/api/control/ws'];

/** POSITION_UPDATE, the seed's "Position Update Format" behind the 8-byte header. */
function positionFrame(n: number, t: number): Buffer {
  const payload = Buffer.alloc(4 + 28 * n);
  payload.writeUInt32LE(n, 0);
  for (let i = 0; i < n; i++) {
    const o = 4 + 28 * i;
    const a = t / 1000 + i;
    payload.writeUInt32LE(i + 1, o);
    payload.writeFloatLE(100 * Math.cos(a), o + 4);
    payload.writeFloatLE(100 * Math.sin(a), o + 8);
    payload.writeFloatLE(0, o + 12);
    payload.writeFloatLE(-Math.sin(a), o + 16);
    payload.writeFloatLE(Math.cos(a), o + 20);
    payload.writeFloatLE(0, o + 24);
  }
  const head = Buffer.alloc(8);
  head.write('AGNT', 0, 'ascii');
  head.writeUInt8(0x01, 4);
  head.writeUInt8(0x02, 5); // normal priority, not compressed
  head.writeUInt16LE(payload.length, 6);
  return Buffer.concat([head, payload]);
}

/** COMPRESSED_BATCH, the seed's "Compressed Message Format": magic, type, original length, compressed bytes. */
function compressedBatch(frames: Buffer, format: 'gzip' | 'zlib' | 'raw'): Buffer {
  const head = Buffer.alloc(9);
  head.write('AGNT', 0, 'ascii');
  head.writeUInt8(0x05, 4);
  head.writeUInt32LE(frames.length, 5);
  const body = format === 'gzip' ? gzipSync(frames) : format === 'zlib' ? deflateSync(frames) : deflateRawSync(frames);
  return Buffer.concat([head, body]);
}

export class SeedServer {
  private http: Server | null = null;
  private readonly sockets = new Set<WebSocket>();
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  /** Messages received from clients, by type. */
  readonly received = new Map<string, number>();

  constructor(private readonly opts: SeedServerOptions = {}) {}

  async start(): Promise<string> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (!PATHS.includes(req.url ?? '')) return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, req.url!));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    this.http = http;
    const agents = this.opts.agents ?? 5;
    this.timer = setInterval(() => {
      const frame = positionFrame(agents, Date.now());
      const data = this.opts.compress ? compressedBatch(frame, this.opts.compress) : frame;
      for (const ws of this.sockets) if ((ws as WebSocket & { path?: string }).path === PATHS[0]) ws.send(data);
    }, 1000 / (this.opts.rate ?? 20));
    const a = http.address();
    return `ws://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const ws of this.sockets) ws.terminate();
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  }

  private serve(ws: WebSocket, path: string): void {
    (ws as WebSocket & { path?: string }).path = path;
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        return;
      }
      const type = String(m.type);
      this.received.set(type, (this.received.get(type) ?? 0) + 1);
      this.answer(ws, path, m);
    });
  }

  private answer(ws: WebSocket, path: string, m: Record<string, unknown>): void {
    const now = new Date().toISOString();
    switch (m.type) {
      case 'handshake':
        ws.send(JSON.stringify({ type: 'handshake_ack', sessionId: 'session-uuid', protocols: ['binary', 'json'], heartbeatInterval: 30000, compression: 'zlib', serverTime: now }));
        if (path === PATHS[0]) this.examples(ws);
        return;
      case 'version.negotiate':
        ws.send(JSON.stringify({ type: 'version.negotiate', supported: ['1.0', '1.1', '2.0'], preferred: '2.0', features: { '1.0': ['basic'], '1.1': ['compression', 'binary'], '2.0': ['multiplexing', 'streaming'] } }));
        return;
      case 'compression.negotiate':
        ws.send(JSON.stringify({ type: 'compression.negotiate', algorithms: ['gzip', 'deflate', 'brotli'], preferredLevel: 6 }));
        return;
      case 'channel.create':
        ws.send(JSON.stringify({ type: 'channel.create', channelId: m.channelId, priority: m.priority, dedicated: m.dedicated, bufferSize: m.bufferSize }));
        return;
      case 'command':
        ws.send(JSON.stringify({ type: 'response', request_id: m.request_id, timestamp: now, payload: { status: 'success' } }));
        return;
    }
  }

  /** The seed's example events, ids made unique per send (the seed's ids would be duplicates the second time). */
  private examples(ws: WebSocket): void {
    const n = ++this.seq;
    ws.send(
      JSON.stringify({
        id: `msg-123-${n}`,
        type: 'agent.state.changed',
        timestamp: '2024-01-10T12:00:00Z',
        payload: { agentId: 'agent-001', previousState: 'IDLE', newState: 'EXECUTING', reason: 'Task assigned', metadata: { taskId: 'task-456', estimatedDuration: 5000 } },
      }),
    );
    ws.send(JSON.stringify({ type: 'status_update', timestamp: '2025-02-24T12:35:10Z', payload: { cpu_usage: '30%', memory_usage: '1.5GB' } }));
    ws.send(JSON.stringify({ type: 'heartbeat', timestamp: '2025-02-24T12:36:00Z', payload: {} }));
  }
}
