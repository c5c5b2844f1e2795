// A hostile control plane: its own small WebSocket server, sharing no code
// with the simulator or the project's encoder (frames are written by hand
// here, from the spec). It completes the handshake the way any 1.1 plane
// would, then sends whatever an attack asks, on every endpoint path.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** One AGNT frame: magic, type, flags (priority in bits 1-2), u16 LE length, payload. */
export function frame(type: number, payload: Uint8Array, priority = 0): Uint8Array {
  if (payload.byteLength > 0xffff) throw new RangeError('payload over 65535 bytes');
  const out = new Uint8Array(8 + payload.byteLength);
  out.set([0x41, 0x47, 0x4e, 0x54, type, (priority & 3) << 1, payload.byteLength & 0xff, payload.byteLength >> 8]);
  out.set(payload, 8);
  return out;
}

/** POSITION_UPDATE frames for ids[from..to), each at (id % 1000, 1, 0), as many frames as needed. */
export function positionFrames(ids: ArrayLike<number>, from = 0, to = ids.length): Uint8Array[] {
  const perFrame = Math.floor((0xffff - 4) / 28);
  const out: Uint8Array[] = [];
  for (let i = from; i < to; i += perFrame) {
    const n = Math.min(perFrame, to - i);
    const p = new Uint8Array(4 + 28 * n);
    const v = new DataView(p.buffer);
    v.setUint32(0, n, true);
    for (let k = 0; k < n; k++) {
      const o = 4 + 28 * k;
      const id = ids[i + k]!;
      v.setUint32(o, id, true);
      v.setFloat32(o + 4, id % 1000, true);
      v.setFloat32(o + 8, 1, true);
    }
    out.push(frame(0x01, p));
  }
  return out;
}

/** One STATE_BATCH frame of a single record with raw metadata text. */
export function stateFrame(id: number, state: number, meta: string): Uint8Array {
  const m = Buffer.from(meta, 'utf8');
  const p = new Uint8Array(4 + 8 + m.byteLength);
  const v = new DataView(p.buffer);
  v.setUint32(0, 1, true);
  v.setUint32(4, id, true);
  p[8] = state;
  v.setUint16(10, m.byteLength, true);
  p.set(m, 12);
  return frame(0x02, p);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** A visualisation-envelope event as JSON text. */
export function visEvent(type: string, payload: Record<string, unknown>, id: string, priority?: string): string {
  return JSON.stringify({ id, type, timestamp: new Date().toISOString(), payload, ...(priority ? { metadata: { priority } } : {}) });
}

export class HostilePlane {
  private readonly http: Server = createServer((_req, res) => res.end('hostile'));
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  readonly live = new Map<string, WebSocket>();
  /** Why sessions ended ("path: code reason"), for failure messages. */
  readonly closes: string[] = [];
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.http.on('upgrade', (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      const path = (req.url ?? '/').split('?')[0]!;
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, path));
    });
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    const a = this.http.address();
    return `ws://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  private onSocket(ws: WebSocket, path: string): void {
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      this.closes.push(`${path}: ${code} ${String(reason)}`);
      if (this.live.get(path) === ws) this.live.delete(path);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let m: { type?: unknown };
      try {
        m = JSON.parse(String(data)) as { type?: unknown };
      } catch {
        return;
      }
      if (m.type === 'handshake') {
        ws.send(JSON.stringify({ type: 'handshake_ack', sessionId: `s-${path}`, protocols: ['binary', 'json'], heartbeatInterval: 30_000, compression: null }));
      } else if (m.type === 'version.negotiate') {
        ws.send(JSON.stringify({ type: 'version.negotiate', selected: '1.1', supported: ['1.1'] }));
      } else if (m.type === 'compression.negotiate') {
        // No compression: every frame here is written by hand.
        ws.send(JSON.stringify({ type: 'compression.negotiate', algorithms: ['none'], selected: 'none' }));
        this.live.set(path, ws);
        for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  /** Resolves once a session on `path` (by suffix, e.g. "agents/ws") is live. */
  async ready(pathEnd: string, timeoutMs = 15_000): Promise<WebSocket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const [p, ws] of this.live) if (p.endsWith(pathEnd)) return ws;
      if (Date.now() > deadline) throw new Error(`no live session on *${pathEnd}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** Sends and waits until the socket buffer drains (the attack paces itself by the client's reading). */
  async send(ws: WebSocket, data: string | Uint8Array): Promise<void> {
    if (ws.readyState !== ws.OPEN) throw new Error(`session closed: ${this.closes.join('; ')}`);
    await new Promise<void>((res, rej) => ws.send(data, (e) => (e ? rej(e) : res())));
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
