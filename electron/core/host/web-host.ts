// Browser mode: serves the built renderer on 127.0.0.1 and carries the IPC
// contract over one WebSocket (/ipc) per tab. Only pages of this origin may
// open it (the Origin check is the browser-mode twin of Electron's sender
// check), only via a loopback Host header (no DNS rebinding), and only with
// this run's access token: on a shared jump host, other local users can
// reach 127.0.0.1 too, and the contract can send commands to agents.
// Nothing a request or a socket carries may throw out of a handler: every bad
// request is answered with a 4xx (or the socket closed), never an exit.
// Nothing a client does may grow the host without bound: static files are
// streamed with backpressure, connections, pipelined requests and page
// sockets are capped, and a page that does not read its socket is closed
// with the reason rather than buffered (limits.ts, "hosts").

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  IPC_CHANNELS,
  IPC_MAX_PENDING_REQUESTS,
  IpcValidationError,
  isAllowedSender,
  MAX_CONTRACT_MESSAGE_BYTES,
  MAX_HTTP_CONNECTIONS,
  MAX_JSON_DEPTH,
  MAX_PAGE_BUFFERED_BYTES,
  MAX_PAGE_QUEUED_BYTES,
  MAX_PAGE_VIEWS,
  MAX_PIPELINED_REQUESTS,
  packMessage,
  PAGE_CLOSE_GRACE_MS,
  SendBufferPool,
} from '../../../shared/index.js';
import { requestTarget, textNestsDeeperThan } from '../protocol/index.js';
import { contentSecurityPolicy } from './csp.js';
import type { HostContract, HostCore, PageView } from './ports.js';
import { RejectionLog } from './rejection-log.js';
import { decodedPath, fileInside } from './request-path.js';

export const IPC_PATH = '/ipc';

/** The names this host answers to on its port: a page opened through any of them is this host's own page. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Close code of a view closed for not reading its socket (policy violation), with the reason as its text. */
export const CLOSE_NOT_READING = 1008;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebHostOptions<V extends PageView = PageView> {
  /** The core: a view per page (app/'s SwarmCore). */
  core: HostCore<V>;
  /** The channel table's handlers (app/'s serveContract): the page's requests go there. */
  contract: HostContract<V>;
  /** Folder of the built renderer (vite build output). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed access token (tests); default: random per run. */
  accessToken?: string;
  /** Called with a reason when a message from a page fails validation (tests listen). */
  onRejected?: (reason: string) => void;
  /** Serve source maps (`swarmdeck web --dev`); without it *.map is 404: they show the source to anyone who can ask. */
  dev?: boolean;
}

export class WebHost<V extends PageView = PageView> {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly root: string;
  private readonly contract: HostContract<V>;
  /** Why page messages and socket frames were refused: bounded and aggregated. */
  readonly rejections = new RejectionLog();
  /** Requests answered 4xx/5xx by the static server and the upgrade path (malformed, forbidden, missing). */
  readonly refusedRequests = { badRequest: 0, forbidden: 0, notFound: 0, serverError: 0, upgradeRefused: 0 };
  /** What the host's caps refused or closed (limits.ts, "hosts"). */
  readonly limits = { connectionsDropped: 0, pipelinedClosed: 0, viewsRefused: 0, viewsClosedNotReading: 0, responsesCut: 0 };
  /** Open page sockets (views), closing ones included until their socket is gone. */
  private readonly views = new Set<WebSocket>();
  /** Upgrades accepted but not yet open: they count against MAX_PAGE_VIEWS. */
  private upgrading = 0;
  /** Requests each connection has unanswered (HTTP pipelining). */
  private readonly pending = new WeakMap<Duplex, number>();

  /** Random per run; the page gets it in the URL fragment (never sent in HTTP requests) and presents it on /ipc. */
  readonly accessToken: string;

  constructor(private readonly o: WebHostOptions<V>) {
    this.root = resolve(o.rendererDir);
    this.contract = o.contract;
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

  /** The most recent rejection reasons, oldest first (at most MAX_REJECTION_REASONS; `rejections.total` counts all). */
  get rejected(): string[] {
    return this.rejections.reasons();
  }

  private tokenOk(params: URLSearchParams): boolean {
    const given = Buffer.from(params.get('token') ?? '');
    const want = Buffer.from(this.accessToken);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  async start(): Promise<string> {
    const http = createServer((req, res) => {
      req.on('error', () => undefined);
      // Pipelined requests each hold a response (and a file) until those before them are written: a few, then the connection goes.
      const socket = req.socket;
      if (socket.destroyed) return; // the rest of a pipeline already refused
      const n = (this.pending.get(socket) ?? 0) + 1;
      this.pending.set(socket, n);
      res.once('close', () => this.pending.set(socket, (this.pending.get(socket) ?? 1) - 1));
      if (n > MAX_PIPELINED_REQUESTS) {
        this.limits.pipelinedClosed++;
        this.rejections.push(`http: more than ${MAX_PIPELINED_REQUESTS} requests pipelined on one connection (MAX_PIPELINED_REQUESTS): closed`);
        socket.destroy();
        return;
      }
      this.serve(req, res).catch((e: unknown) => this.serverError(res, e));
    });
    // Past the cap new connections are dropped by Node as they arrive; counted.
    http.maxConnections = MAX_HTTP_CONNECTIONS;
    http.on('drop', () => this.limits.connectionsDropped++);
    // Malformed HTTP (bad header, bad method line): answer 400 and close, whatever state the socket is in.
    http.on('clientError', (_err, socket: Duplex) => {
      this.refusedRequests.badRequest++;
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CONTRACT_MESSAGE_BYTES });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // A client that resets mid-upgrade, or after a refusal, is not the host's crash.
      socket.on('error', () => socket.destroy());
      try {
        this.onUpgrade(wss, req, socket, head);
      } catch (e) {
        this.refusedRequests.serverError++;
        this.rejections.push(`upgrade: ${e instanceof Error ? e.message : String(e)}`);
        refuseUpgrade(socket, 400, 'Bad Request');
      }
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

  private get port(): string {
    return new URL(this.url).port;
  }

  /** A loopback Host header of this port (a rebound DNS name is not one). */
  private trustedHost(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    return LOOPBACK_NAMES.some((n) => host === `${n}:${this.port}`);
  }

  /** The page this host served, under any of its loopback names (a page opened as http://localhost:PORT is as much ours as http://127.0.0.1:PORT). */
  private trustedOrigin(origin: string | undefined): boolean {
    return LOOPBACK_NAMES.some((n) => isAllowedSender(origin, `http://${n}:${this.port}`));
  }

  /** Page sockets open now. */
  get viewCount(): number {
    return this.views.size;
  }

  /** Bytes waiting to be written to every page socket together. */
  get queuedBytes(): number {
    let total = 0;
    for (const v of this.views) total += v.bufferedAmount;
    return total;
  }

  private onUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Host, Origin and token checks come first, on a target read without throwing.
    const target = requestTarget(req.url);
    if (target === null) {
      this.refusedRequests.upgradeRefused++;
      return refuseUpgrade(socket, 400, 'Bad Request');
    }
    if (target.rawPath !== IPC_PATH || !this.trustedHost(req) || !this.trustedOrigin(req.headers.origin) || !this.tokenOk(target.params)) {
      this.refusedRequests.upgradeRefused++;
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (this.views.size + this.upgrading >= MAX_PAGE_VIEWS) {
      this.limits.viewsRefused++;
      this.rejections.push(`upgrade: ${MAX_PAGE_VIEWS} page sockets are open (MAX_PAGE_VIEWS): refused`);
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    this.upgrading++;
    let settled = false;
    const upgraded = (): void => {
      if (!settled) this.upgrading--;
      settled = true;
    };
    socket.once('close', upgraded);
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded();
      this.views.add(ws);
      ws.once('close', () => this.views.delete(ws));
      // ws reports protocol errors (too large, bad UTF-8, unmasked, bad opcode, RSV1, bad close code) here, then closes.
      ws.on('error', (e) => this.rejections.push(`socket: ${e.message}`));
      try {
        this.onPage(ws);
      } catch (e) {
        this.rejections.push(`page: ${e instanceof Error ? e.message : String(e)}`);
        ws.terminate();
      }
    });
  }

  private serverError(res: ServerResponse, e: unknown): void {
    this.refusedRequests.serverError++;
    this.rejections.push(`http: ${e instanceof Error ? e.message : String(e)}`);
    if (res.headersSent) res.destroy();
    else plain(res, 500, 'internal error\n');
  }

  private onPage(ws: WebSocket): void {
    const pool = new SendBufferPool();
    const view = this.o.core.openView((frame) => {
      if (ws.readyState !== ws.OPEN) return;
      // A page that does not read its socket is closed, saying why, rather than buffered without bound.
      if (!this.withinQueueBudget(ws)) return;
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
      this.rejections.push(reason);
      view.pipeline.noteRejected();
      this.o.onRejected?.(reason);
      return reason;
    };
    ws.on('message', (data, isBinary) => {
      let msg: { c?: unknown; p?: unknown; r?: unknown };
      try {
        if (isBinary) throw new IpcValidationError('(transport)', '', 'pages send JSON text');
        const text = String(data);
        // Refused before parsing: JSON.parse of deep nesting costs milliseconds per message.
        if (textNestsDeeperThan(text, MAX_JSON_DEPTH)) throw new IpcValidationError('(transport)', '', `nested deeper than ${MAX_JSON_DEPTH}`);
        msg = JSON.parse(text) as typeof msg;
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

  /**
   * False when `ws` is closed for not reading: its own backlog is over
   * MAX_PAGE_BUFFERED_BYTES, or every view's together is over
   * MAX_PAGE_QUEUED_BYTES and it has the most. A page that acknowledges
   * frames has read them, so only a page that does not read gets here.
   */
  private withinQueueBudget(ws: WebSocket): boolean {
    if (ws.bufferedAmount > MAX_PAGE_BUFFERED_BYTES) {
      this.closeNotReading(ws, `${mib(ws.bufferedAmount)} waiting, over MAX_PAGE_BUFFERED_BYTES`);
      return false;
    }
    let total = this.queuedBytes;
    while (total > MAX_PAGE_QUEUED_BYTES) {
      let worst: WebSocket | null = null;
      for (const v of this.views) if (v.readyState === v.OPEN && v.bufferedAmount > 0 && (!worst || v.bufferedAmount > worst.bufferedAmount)) worst = v;
      if (!worst) break;
      total -= worst.bufferedAmount;
      this.closeNotReading(worst, `${mib(worst.bufferedAmount)} waiting; all views over MAX_PAGE_QUEUED_BYTES`);
      if (worst === ws) return false;
    }
    return true;
  }

  private closeNotReading(ws: WebSocket, why: string): void {
    this.limits.viewsClosedNotReading++;
    const reason = `view not reading: ${why}`;
    this.rejections.push(reason);
    ws.close(CLOSE_NOT_READING, reason);
    // A page that reads gets the reason; one that does not is cut off, freeing what it left unread.
    setTimeout(() => ws.terminate(), PAGE_CLOSE_GRACE_MS).unref();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.trustedHost(req)) {
      this.refusedRequests.forbidden++;
      plain(res, 403, 'forbidden\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.refusedRequests.badRequest++;
      plain(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const target = requestTarget(req.url);
    const pathname = target === null ? null : decodedPath(target.rawPath);
    if (pathname === null) {
      this.refusedRequests.badRequest++;
      plain(res, 400, 'bad request\n');
      return;
    }
    const file = fileInside(this.root, pathname);
    if (file === null) {
      this.refusedRequests.forbidden++;
      plain(res, 403, 'forbidden\n');
      return;
    }
    // Source maps show the source to anyone who asks: only with --dev.
    if (!this.o.dev && extname(file) === '.map') return this.notFound(res);
    // A regular file only, opened without blocking (a FIFO in the folder must not hang the host).
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
    if (!fh) return this.notFound(res);
    const st = await fh.stat().catch(() => null);
    if (!st?.isFile()) {
      await fh.close();
      return this.notFound(res);
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': String(st.size),
      'content-security-policy': contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') {
      await fh.close();
      res.end();
      return;
    }
    // Streamed: a client that reads slowly holds a buffer's worth, never the file (nor one per pipelined request).
    try {
      await pipeline(fh.createReadStream(), res);
    } catch {
      this.limits.responsesCut++; // the client went away, or the file could not be read: the response is cut, nothing else
    }
  }

  private notFound(res: ServerResponse): void {
    // The path is not echoed: a reflected string is an injection vector.
    this.refusedRequests.notFound++;
    plain(res, 404, 'not found\n');
  }
}

/** A short plain-text answer that no browser will sniff into something else. */
function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
