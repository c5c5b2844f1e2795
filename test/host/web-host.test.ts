import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SwarmCore } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { AgentDetailSchema, type FrameMessage, FrameMessageSchema, IPC_CHANNELS, parseOrThrow } from '../../shared/contract/index.js';
import { CommandResultSchema } from '../../shared/index.js';
import { unpackMessage } from '../../shared/wire.js';
import { WebHost, IPC_PATH } from '../../electron/core/host/web-host.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(): Promise<{ host: WebHost; url: string; sim: Simulator }> {
  const sim = new Simulator({ agents: 25, rate: 30 });
  await sim.start();
  cleanup.push(() => sim.stop());
  const core = new SwarmCore([{ id: 'sim', label: 'sim', url: sim.url, color: 0xff0000 }]);
  core.start();
  cleanup.push(() => core.stop());
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const host = new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: dir, accessToken: TOKEN });
  const url = await host.start();
  cleanup.push(() => host.stop());
  return { host, url, sim };
}

const TOKEN = 'test-access-token';

function open(url: string, origin?: string, token: string | null = TOKEN): Promise<{ ws: WebSocket; status: number }> {
  return new Promise((resolve) => {
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url.replace('http', 'ws') + IPC_PATH + query, origin ? { origin } : {});
    ws.binaryType = 'arraybuffer';
    ws.on('open', () => resolve({ ws, status: 101 }));
    ws.on('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
    cleanup.push(() => ws.terminate());
  });
}

describe('browser-mode host', () => {
  it('serves the renderer with a strict CSP and refuses foreign Host headers', async () => {
    const { url } = await setup();
    const res = await fetch(url + '/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect((await fetch(url + '/../../etc/passwd')).status).not.toBe(200);
  });

  it('refuses the IPC socket to other origins (the sender check)', async () => {
    const { url } = await setup();
    expect((await open(url)).status).toBe(403);
    expect((await open(url, 'http://evil.example')).status).toBe(403);
    expect((await open(url, url.replace(/:\d+$/, ':1'))).status).toBe(403);
    expect((await open(url, url)).status).toBe(101);
  });

  it("refuses the IPC socket without this run's access token, even from the right origin", async () => {
    const { url, host } = await setup();
    expect((await open(url, url, null)).status).toBe(403);
    expect((await open(url, url, 'wrong-token-wrong-token')).status).toBe(403);
    expect((await open(url, url, TOKEN.slice(0, -1))).status).toBe(403);
    expect((await open(url, url)).status).toBe(101);
    expect(host.openUrl).toBe(`${url}/#token=${TOKEN}`);
    // The default is random per run.
    const bare = (): WebHost => {
      const core = new SwarmCore([]);
      return new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: '.' });
    };
    const other = bare();
    expect(other.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(other.accessToken).not.toBe(bare().accessToken);
  });

  it('streams validated frames, and rejects malformed page messages without dropping the page', async () => {
    const { host, url } = await setup();
    const { ws } = await open(url, url);
    const frames: FrameMessage[] = [];
    ws.on('message', (data: ArrayBuffer) => {
      const m = unpackMessage(data);
      if (m.channel === IPC_CHANNELS.frame) {
        const f = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, m.payload);
        frames.push(f);
        ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: f.seq } }));
      }
    });
    // Nothing flows until the page says it has subscribed.
    await new Promise((r) => setTimeout(r, 200));
    expect(frames).toHaveLength(0);
    ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
    await waitFor('a frame with all 25 agents', () => frames.some((f) => f.positions[0]?.slotCount === 25));
    ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: 'three' } }));
    ws.send(JSON.stringify({ c: 'swarmdeck:exec', p: 'rm -rf /' }));
    ws.send(Buffer.from([1, 2, 3]));
    await waitFor('three rejections', () => host.rejected.length === 3);
    expect(host.rejected[0]).toMatch(/invalid swarmdeck:ack message at seq/);
    expect(host.rejected[1]).toMatch(/unknown channel/);
    const before = frames.length;
    await waitFor('frames keep coming', () => frames.length > before + 3);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('tracks a command from the page to its result, and refuses malformed or misaddressed ones', async () => {
    const { host, url } = await setup();
    const { ws } = await open(url, url);
    const replies = new Map<number, unknown>();
    ws.on('message', (data: ArrayBuffer) => {
      const m = unpackMessage(data);
      if (m.channel === IPC_CHANNELS.command) {
        const { r, value } = m.payload as { r: number; value: unknown };
        replies.set(r, parseOrThrow(IPC_CHANNELS.command, CommandResultSchema, value));
      }
    });
    ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
    const cmd = (r: number, p: unknown) => ws.send(JSON.stringify({ c: IPC_CHANNELS.command, r, p }));
    cmd(2, { plane: 'sim', request: { kind: 'command', command: 'restart', agentId: 'agent-003', parameters: { delay_seconds: 1 }, timeoutMs: 5000 } });
    cmd(3, { plane: 'elsewhere', request: { kind: 'command', command: 'restart' } });
    cmd(4, { plane: 'sim', request: { kind: 'command', command: 'shutdown_everything', agentId: 'agent-003', timeoutMs: 5000 } });
    await waitFor('three results', () => replies.has(2) && replies.has(3) && replies.has(4), 10_000);
    expect(replies.get(2)).toMatchObject({ status: 'success', plane: 'sim', command: 'restart' });
    expect(replies.get(3)).toMatchObject({ status: 'refused', code: 'UNKNOWN_PLANE' });
    expect(replies.get(4)).toMatchObject({ status: 'error', code: 'INVALID_COMMAND' });
    cmd(5, { plane: 'sim', request: { kind: 'launch', command: 'x' } });
    await waitFor('a rejection', () => host.rejected.length === 1);
    expect(host.rejected[0]).toMatch(/invalid swarmdeck:command message at request/);
    expect(replies.has(5)).toBe(false);
  });

  it('answers inspect requests from the store, and rejects malformed ones', async () => {
    const { host, url } = await setup();
    const { ws } = await open(url, url);
    const replies = new Map<number, unknown>();
    ws.on('message', (data: ArrayBuffer) => {
      const m = unpackMessage(data);
      if (m.channel === IPC_CHANNELS.inspect) {
        const { r, value } = m.payload as { r: number; value: unknown };
        replies.set(r, value);
      }
    });
    ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 }));
    // Agent 3 exists once the simulator's first message is in.
    await waitFor('agent 3', () => {
      ws.send(JSON.stringify({ c: IPC_CHANNELS.inspect, r: 2, p: { plane: 'sim', id: 3 } }));
      return (replies.get(2) as { id?: number } | null | undefined)?.id === 3;
    });
    const d = parseOrThrow(IPC_CHANNELS.inspect, AgentDetailSchema.nullable(), replies.get(2))!;
    expect(d.plane).toBe('sim');
    expect(d.stateName).toMatch(/^[A-Z]+/);
    expect(Math.hypot(d.pos[0], d.pos[1])).toBeGreaterThan(0);
    ws.send(JSON.stringify({ c: IPC_CHANNELS.inspect, r: 3, p: { plane: 'sim', id: 999_999 } }));
    ws.send(JSON.stringify({ c: IPC_CHANNELS.inspect, r: 4, p: { plane: 'nope', id: 1 } }));
    await waitFor('two null replies', () => replies.has(3) && replies.has(4));
    expect([replies.get(3), replies.get(4)]).toEqual([null, null]);
    ws.send(JSON.stringify({ c: IPC_CHANNELS.inspect, r: 5, p: { plane: 'sim', id: -1 } }));
    await waitFor('a rejection', () => host.rejected.length === 1);
    expect(host.rejected[0]).toMatch(/invalid swarmdeck:inspect message at id/);
    expect(replies.has(5)).toBe(false);
  });
});
