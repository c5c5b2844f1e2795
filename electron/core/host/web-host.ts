// Browser mode: serves the built renderer on 127.0.0.1 and carries the IPC
// contract over one WebSocket (/ipc) per tab. Only pages of this origin may
// open it (the Origin check is the browser-mode twin of Electron's sender
// check), only via a loopback Host header (no DNS rebinding), and only with
// this run's access token: on a shared jump host, other local users can
// reach 127.0.0.1 too, and the contract can send commands to agents.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SwarmCore } from '../app/core.js';
import { IPC_CHANNELS, IpcValidationError, isAllowedSender } from '../ipc/contract.js';
import { serveContract, type ContractServer } from '../ipc/serve-contract.js';
import type { ProfileService } from '../profiles/service.js';
import { IPC_MAX_PENDING_REQUESTS } from '../limits.js';
import { packMessage, SendBufferPool } from '../ipc/wire.js';
import { contentSecurityPolicy } from './csp.js';

export const IPC_PATH = '/ipc';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebHostOptions {
  core: SwarmCore;
  /** Folder of the built renderer (vite build output). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed access token (tests); default: random per run. */
  accessToken?: string;
  /** The profile manager the contract's profile requests go to; without it they are refused. */
  profiles?: ProfileService;
  /** Called with a reason when a message from a page fails validation (tests listen). */
  onRejected?: (reason: string) => void;
}

export class WebHost {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly root: string;
  readonly rejected: string[] = [];
  private readonly contract: ContractServer;

  /** Random per run; the page gets it in the URL fragment (never sent in HTTP requests) and presents it on /ipc. */
  readonly accessToken: string;

  constructor(private readonly o: WebHostOptions) {
    this.root = resolve(o.rendererDir);
    this.contract = serveContract(o.core, 'web', o.profiles);
    this.accessToken = o.accessToken ?? randomBytes(24).toString('base64url');
  }

  /** The URL to open: the page plus the access token in the fragment. */
  get openUrl(): string {
    return `${this.url}/#token=${this.accessToken}`;
  }

  /** The contract socket's URL with the token, for non-browser clients (tests, benchmarks). */
  get ipcUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}${IPC_PATH}?token=${encodeURIComponent(this.accessToken)}`;
  }

  private tokenOk(req: IncomingMessage): boolean {
    const given = Buffer.from(new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '');
    const want = Buffer.from(this.accessToken);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  async start(): Promise<string> {
    const http = createServer((req, res) => void this.serve(req, res));
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
    http.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== IPC_PATH || !this.trustedHost(req) || !isAllowedSender(req.headers.origin, this.url) || !this.tokenOk(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onPage(ws));
    });
    this.http = http;
    this.wss = wss;
    await new Promise<void>((res, rej) => {
      http.once('error', rej);
      http.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => res());
    });
    return this.url;
  }

  get url(): string {
    const a = this.http?.address();
    const port = a && typeof a === 'object' ? a.port : 0;
    return `http://${this.o.host ?? '127.0.0.1'}:${port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  }

  private trustedHost(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    const port = new URL(this.url).port;
    return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
  }

  private onPage(ws: WebSocket): void {
    const pool = new SendBufferPool();
    const view = this.o.core.openView((frame) => {
      if (ws.readyState !== ws.OPEN) return;
      let buf: Uint8Array | null = null;
      const bytes = packMessage(IPC_CHANNELS.frame, frame, (n) => (buf = pool.take(n)));
      // ws keeps a reference until the bytes are written: only then may the buffer be reused.
      ws.send(bytes, () => pool.give(buf!));
    });
    ws.on('close', () => view.close());
    // Requests are answered in order of completion; a refused one gets a replyError so the page never waits on it.
    let pending = 0;
    const reply = (channel: string, payload: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(packMessage(channel, payload));
    };
    const refuse = (e: unknown): string => {
      const reason = e instanceof Error ? e.message : String(e);
      this.rejected.push(reason);
      this.o.onRejected?.(reason);
      return reason;
    };
    ws.on('message', (data, isBinary) => {
      let msg: { c?: unknown; p?: unknown; r?: unknown };
      try {
        if (isBinary) throw new IpcValidationError('(transport)', '', 'pages send JSON text');
        msg = JSON.parse(String(data)) as typeof msg;
        if (typeof msg !== 'object' || msg === null) throw new IpcValidationError('(transport)', '', 'a message is a JSON object');
        if (!this.contract.isRequest(msg.c)) return this.contract.message(view, msg.c, msg.p);
      } catch (e) {
        refuse(e);
        return;
      }
      const { c, r } = msg;
      if (typeof r !== 'number' || !Number.isSafeInteger(r)) return void refuse(new IpcValidationError(String(c), 'r', 'a request needs a numeric id'));
      if (pending >= IPC_MAX_PENDING_REQUESTS) return reply(IPC_CHANNELS.replyError, { c, r, error: refuse(new Error(`more than ${IPC_MAX_PENDING_REQUESTS} requests pending`)) });
      pending++;
      this.contract.request(view, c, msg.p).then(
        (value) => reply(String(c), { r, value }),
        (e: unknown) => reply(IPC_CHANNELS.replyError, { c, r, error: refuse(e) }),
      ).finally(() => pending--);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.trustedHost(req)) {
      res.writeHead(403).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
    const file = join(this.root, rel);
    if (!file.startsWith(this.root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}\n`);
    }
  }
}
