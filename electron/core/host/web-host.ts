// Browser mode: serves the built renderer on 127.0.0.1 and carries the IPC
// contract over one WebSocket (/ipc) per tab. Only pages of this origin may
// open it (the Origin check is the browser-mode twin of Electron's sender
// check), only via a loopback Host header (no DNS rebinding), and only with
// this run's access token: on a shared jump host, other local users can
// reach 127.0.0.1 too, and the contract can send commands to agents.
// Nothing a request or a socket carries may throw out of a handler: every bad
// request is answered with a 4xx (or the socket closed), never an exit.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  IPC_CHANNELS,
  IPC_MAX_PENDING_REQUESTS,
  IpcValidationError,
  isAllowedSender,
  MAX_CONTRACT_MESSAGE_BYTES,
  MAX_JSON_DEPTH,
  MAX_PAGE_BUFFERED_BYTES,
  packMessage,
  SendBufferPool,
} from '../../../shared/index.js';
import { requestTarget, textNestsDeeperThan } from '../protocol/index.js';
import { contentSecurityPolicy } from './csp.js';
import type { HostContract, HostCore, PageView } from './ports.js';
import { RejectionLog } from './rejection-log.js';
import { decodedPath, fileInside } from './request-path.js';

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
      this.serve(req, res).catch((e: unknown) => this.serverError(res, e));
    });
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

  private trustedHost(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    const port = new URL(this.url).port;
    return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
  }

  private onUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Host, Origin and token checks come first, on a target read without throwing.
    const target = requestTarget(req.url);
    if (target === null) {
      this.refusedRequests.upgradeRefused++;
      return refuseUpgrade(socket, 400, 'Bad Request');
    }
    if (target.rawPath !== IPC_PATH || !this.trustedHost(req) || !isAllowedSender(req.headers.origin, this.url) || !this.tokenOk(target.params)) {
      this.refusedRequests.upgradeRefused++;
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
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
      // A page that does not read: skip the frame (its events come again after the ack timeout) rather than buffer without bound.
      if (ws.bufferedAmount > MAX_PAGE_BUFFERED_BYTES) return;
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
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      // The path is not echoed: a reflected string is an injection vector.
      this.refusedRequests.notFound++;
      plain(res, 404, 'not found\n');
    }
  }
}

/** A short plain-text answer that no browser will sniff into something else. */
function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
