// Browser mode's static files and sockets against a real WebHost: source
// maps only with --dev; files streamed (with their length); pipelined
// requests, connections and page sockets capped (limits.ts, "hosts"),
// each refusal counted; a page that does not read its socket closed with
// 1008 and a reason naming the limit; and a page opened as
// http://localhost:PORT is the host's own page, while the Host and Origin
// checks still refuse every other name.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SwarmCore } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { IPC_PATH, WebHost } from '../../electron/core/host/web-host.js';
import { IPC_CHANNELS, MAX_HTTP_CONNECTIONS, MAX_PAGE_BUFFERED_BYTES, MAX_PAGE_VIEWS, MAX_PIPELINED_REQUESTS } from '../../shared/index.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'test-access-token';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(opts: { dev?: boolean; agents?: number } = {}): Promise<{ host: WebHost; url: string; port: number; dir: string }> {
  const planes = [];
  if (opts.agents) {
    const sim = new Simulator({ agents: opts.agents, rate: 30 });
    await sim.start();
    cleanup.push(() => sim.stop());
    planes.push({ id: 'sim', label: 'sim', url: sim.url, color: 0xff0000 });
  }
  const core = new SwarmCore(planes);
  core.start();
  cleanup.push(() => core.stop());
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js'), 'x'.repeat(300_000));
  writeFileSync(join(dir, 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  const host = new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: dir, accessToken: TOKEN, ...(opts.dev ? { dev: true } : {}) });
  const url = await host.start();
  cleanup.push(() => host.stop());
  return { host, url, port: Number(new URL(url).port), dir };
}

function ipc(port: number, opts: { origin?: string; host?: string } = {}): Promise<{ ws: WebSocket; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${IPC_PATH}?token=${TOKEN}`, { origin: opts.origin ?? `http://127.0.0.1:${port}`, ...(opts.host ? { headers: { host: opts.host } } : {}) });
    ws.binaryType = 'arraybuffer';
    ws.on('open', () => resolve({ ws, status: 101 }));
    ws.on('unexpected-response', (_q, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
    cleanup.push(() => ws.terminate());
  });
}

/** Raw bytes on one connection; resolves with everything the host sent until it closed the connection (or `ms` passed). */
function rawExchange(port: number, bytes: string, ms = 5000): Promise<{ text: string; closedByHost: boolean }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    const t = setTimeout(() => {
      s.destroy();
      resolve({ text, closedByHost: false });
    }, ms);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(t);
      resolve({ text, closedByHost: true });
    });
    s.write(bytes);
  });
}

describe('static files', () => {
  it('source maps are not served without --dev, and are with it', async () => {
    const plain = await setup();
    expect((await fetch(`${plain.url}/app.js.map`)).status).toBe(404);
    expect((await fetch(`${plain.url}/app.js.map`, { method: 'HEAD' })).status).toBe(404);
    expect(plain.host.refusedRequests.notFound).toBe(2);
    const dev = await setup({ dev: true });
    const res = await fetch(`${dev.url}/app.js.map`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('secret.ts');
  });

  it('serves regular files only: a FIFO in the renderer folder is 404 at once, never waited on', async () => {
    const { url, dir } = await setup();
    execFileSync('mkfifo', [join(dir, 'pipe.js')]);
    expect((await fetch(`${url}/pipe.js`, { signal: AbortSignal.timeout(5000) })).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it('streams a file with its length, and answers HEAD without a body', async () => {
    const { url } = await setup();
    const res = await fetch(`${url}/app.js`);
    expect(res.headers.get('content-length')).toBe('300000');
    expect((await res.text()).length).toBe(300_000);
    const head = await fetch(`${url}/app.js`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('300000');
    expect(await head.text()).toBe('');
  });

  it(`more than MAX_PIPELINED_REQUESTS (${MAX_PIPELINED_REQUESTS}) requests pipelined on one connection: the connection is closed, counted`, async () => {
    const { host, port } = await setup();
    const req = `GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    const within = await rawExchange(port, req.repeat(MAX_PIPELINED_REQUESTS), 2000);
    expect(within.text.match(/HTTP\/1\.1 200/g)).toHaveLength(MAX_PIPELINED_REQUESTS);
    const over = await rawExchange(port, req.repeat(50));
    expect(over.closedByHost).toBe(true);
    expect((over.text.match(/HTTP\/1\.1 200/g) ?? []).length).toBeLessThanOrEqual(MAX_PIPELINED_REQUESTS);
    expect(host.limits.pipelinedClosed).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it(`more than MAX_HTTP_CONNECTIONS (${MAX_HTTP_CONNECTIONS}) connections: the extra ones are dropped, counted, and the host serves once they go`, async () => {
    const { host, port } = await setup();
    const sockets: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < MAX_HTTP_CONNECTIONS + 10; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('close', () => closed++);
      sockets.push(s);
    }
    cleanup.push(() => sockets.forEach((s) => s.destroy()));
    await waitFor('the extra connections dropped', () => closed >= 10);
    expect(closed).toBe(10);
    expect(host.limits.connectionsDropped).toBe(10);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });
});

describe('page sockets', () => {
  it(`more than MAX_PAGE_VIEWS (${MAX_PAGE_VIEWS}) views: the next upgrade is answered 503, counted`, async () => {
    const { host, port } = await setup();
    const views = await Promise.all(Array.from({ length: MAX_PAGE_VIEWS }, () => ipc(port)));
    expect(views.every((v) => v.status === 101)).toBe(true);
    expect((await ipc(port)).status).toBe(503);
    expect(host.limits.viewsRefused).toBe(1);
    views[0]!.ws.close();
    await waitFor('a view to close', () => host.viewCount < MAX_PAGE_VIEWS);
    expect((await ipc(port)).status).toBe(101);
  });

  it('a view that acknowledges frames but does not read them is closed with 1008 and a reason naming MAX_PAGE_BUFFERED_BYTES', async () => {
    const { host, port } = await setup({ agents: 20_000 });
    const { ws } = await ipc(port);
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
    // Stop reading; acknowledge every frame that could ever be sent.
    (ws as unknown as { _socket: Socket })._socket.pause();
    const acks = setInterval(() => ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: Number.MAX_SAFE_INTEGER } })), 10);
    cleanup.push(() => clearInterval(acks));
    await waitFor('the host to close the view', () => (host.limits?.viewsClosedNotReading ?? 0) > 0, 20_000);
    clearInterval(acks);
    (ws as unknown as { _socket: Socket })._socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(reason).toMatch(/not reading: .*MAX_PAGE_BUFFERED_BYTES/);
    expect(host.queuedBytes).toBeLessThanOrEqual(MAX_PAGE_BUFFERED_BYTES + 16 * 2 ** 20);
  }, 40_000);
});

describe('localhost', () => {
  it('a page opened as http://localhost:PORT connects /ipc; other names and ports are still refused', async () => {
    const { port } = await setup();
    expect((await ipc(port, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).status).toBe(101);
    expect((await ipc(port, { origin: `http://localhost:${port}` })).status).toBe(101);
    expect((await ipc(port, { origin: `http://localhost:${port + 1}`, host: `localhost:${port}` })).status).toBe(403);
    expect((await ipc(port, { origin: `http://evil.example:${port}`, host: `localhost:${port}` })).status).toBe(403);
    expect((await ipc(port, { origin: `http://localhost:${port}`, host: `evil.example:${port}` })).status).toBe(403);
    expect((await ipc(port, { origin: `https://localhost:${port}`, host: `localhost:${port}` })).status).toBe(403);
  });
});
