// Memory attacks on browser mode, shared by test/hostile/web-memory.test.ts
// (which asserts the host's bounds) and `npm run bench -- hostile` (which
// prints the peaks): pages that acknowledge frames without reading them,
// clients that pipeline requests for a large file and read slowly, and a
// well-behaved page for the baseline.

import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { IPC_CHANNELS } from '../../shared/index.js';
import { openPage } from './page-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ViewsOutcome {
  /** Views the host closed, and with which close codes (1006: cut off before the client read the close frame). */
  closed: number;
  codes: number[];
}

/**
 * `n` page sockets that say hello, then stop reading and acknowledge every
 * frame that could ever be sent (so the host keeps sending), for `ms`.
 */
/** `ms` at most; with `untilAllClosed`, done as soon as the host has closed every view (a loaded machine fills the queues later). */
export async function nonReadingViews(openUrl: string, n: number, ms: number, untilAllClosed = false): Promise<ViewsOutcome> {
  const u = new URL(openUrl);
  const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? '';
  const codes: number[] = [];
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://${u.host}/ipc?token=${encodeURIComponent(token)}`, { origin: u.origin });
          ws.on('error', () => undefined);
          ws.once('close', (code) => codes.push(code));
          ws.once('unexpected-response', (_q, r) => reject(new Error(`ipc refused: ${r.statusCode}`)));
          ws.once('open', () => {
            ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
            (ws as unknown as { _socket: Socket })._socket.pause();
            resolve(ws);
          });
        }),
    ),
  );
  const acks = setInterval(() => {
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: Number.MAX_SAFE_INTEGER } }));
  }, 10);
  const end = Date.now() + ms;
  while (Date.now() < end && !(untilAllClosed && codes.length >= n)) await sleep(Math.min(100, end - Date.now()));
  clearInterval(acks);
  const closed = codes.length;
  for (const ws of sockets) ws.terminate();
  return { closed, codes };
}

/**
 * `connections` clients, each pipelining `depth` GETs of `path` at once,
 * then reading `readBytesPerSec` bytes a second, for `ms`. Resolves with the
 * bytes they read in all.
 */
export async function slowPipelinedReads(origin: string, path: string, connections: number, depth: number, ms: number, readBytesPerSec = 160 * 1024): Promise<number> {
  const u = new URL(origin);
  const request = `GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`.repeat(depth);
  let read = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < connections; i++) {
    const s = connect(Number(u.port), u.hostname);
    s.on('error', () => undefined);
    s.pause();
    s.write(request);
    sockets.push(s);
  }
  const step = 100;
  const timer = setInterval(() => {
    for (const s of sockets) {
      const b = s.read(Math.max(1, Math.floor((readBytesPerSec * step) / 1000))) as Buffer | null;
      if (b) read += b.byteLength;
    }
  }, step);
  await sleep(ms);
  clearInterval(timer);
  for (const s of sockets) s.destroy();
  return read;
}

/** A page that reads and acknowledges every frame, for `ms`: the baseline. */
export async function wellBehavedPage(openUrl: string, ms: number): Promise<number> {
  const page = await openPage(openUrl);
  await sleep(ms);
  page.close();
  return page.frames;
}
