// The plane as the owner of its endpoint sessions: which sessions it has,
// its state as the least advanced of theirs, connect/close/reconnect and a
// new token, all against peers written from the seeds (the conformance seed
// server, and a bare peer that asks for a bearer token).

import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Plane, type PlaneConfig } from '../../electron/core/connection/plane.js';
import { encodePositions } from '../../electron/core/protocol/encode.js';
import type { PlaneEvent } from '../../shared/events.js';
import { SeedServer } from '../conformance/seed-server.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function plane(config: Partial<PlaneConfig> & { url: string }) {
  const events: PlaneEvent[] = [];
  const p = new Plane({ id: 'p', label: 'p', color: 0, backoff: { minMs: 50, maxMs: 200 }, negotiationWaitMs: 200, ...config }, { event: (e) => events.push(e) });
  cleanup.push(() => p.close());
  return { p, events, of: (type: string) => events.filter((e) => e.type === type) };
}

/** Upgrades only with `Authorization: Bearer <token>`, else 401; says nothing after the upgrade. */
async function tokenPeer(token: string): Promise<{ url: string; refused: () => number }> {
  let refused = 0;
  const wss = new WebSocketServer({ noServer: true });
  const http: Server = createServer((_q, s) => s.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      refused++;
      return socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    }
    wss.handleUpgrade(req, socket, head, () => undefined);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanup.push(async () => {
    for (const c of wss.clients) c.terminate();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });
  return { url: `ws://127.0.0.1:${(http.address() as { port: number }).port}`, refused: () => refused };
}

describe('plane: ownership', () => {
  it('has one session per enabled endpoint, and feeds ingest() only to those', async () => {
    const { p } = plane({ url: 'ws://127.0.0.1:9', endpoints: { graph: false } });
    expect(p.status().endpoints!.map((e) => e.endpoint)).toEqual(['agents', 'control']);
    expect(p.ingest('graph', Buffer.from('{}'), false)).toBe(false);
    expect(p.ingest('agents', Buffer.from(encodePositions([1, 2], [0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0], 2)), true)).toBe(true);
    expect(p.store.agents).toBe(2);
    expect(p.state).toBe('CLOSED');
    await expect(p.command({ kind: 'command', command: 'status' })).resolves.toMatchObject({ status: 'refused', code: 'CLOSED' });
    const noControl = plane({ url: 'ws://127.0.0.1:9', endpoints: { control: false } });
    noControl.p.connect();
    await expect(noControl.p.command({ kind: 'command', command: 'status' })).resolves.toMatchObject({ status: 'refused', code: 'ENDPOINT_DISABLED' });
  });
});

describe('plane: lifecycle', () => {
  it('is LIVE when every endpoint is, answers a command, releases everything on close, and connects again', async () => {
    const seed = new SeedServer({ rate: 10 });
    const url = await seed.start();
    cleanup.push(() => seed.stop());
    const t = plane({ url });
    t.p.connect();
    await waitFor('LIVE', () => t.p.state === 'LIVE');
    expect(t.p.status().endpoints!.every((e) => e.state === 'LIVE')).toBe(true);
    const live = t.of('client.connection').at(-1)!;
    expect(live.payload).toMatchObject({ state: 'LIVE', endpoints: { agents: 'LIVE', graph: 'LIVE', control: 'LIVE' } });
    expect(t.of('client.session').length).toBe(3);
    await expect(t.p.command({ kind: 'command', command: 'status' })).resolves.toMatchObject({ status: 'success' });
    expect(t.p.resources().sockets).toBe(3);

    t.p.close();
    expect(t.p.state).toBe('CLOSED');
    expect(t.p.resources()).toEqual({ sockets: 0, timers: 0, pendingCommands: 0, bufferedChannelMessages: 0 });
    await expect(t.p.command({ kind: 'command', command: 'status' })).resolves.toMatchObject({ code: 'CLOSED' });

    t.p.connect();
    await waitFor('LIVE again', () => t.p.state === 'LIVE');
    // Every event has the next seq: nothing skipped across close and connect.
    t.events.forEach((e, i) => expect(e.seq).toBe(i));
  });

  it('stops in AUTH_REQUIRED without retrying, and a new token opens every endpoint', async () => {
    const peer = await tokenPeer('good');
    const t = plane({ url: peer.url, token: 'stale' });
    t.p.connect();
    await waitFor('AUTH_REQUIRED on all three', () => t.p.status().endpoints!.every((e) => e.state === 'AUTH_REQUIRED'));
    expect(t.p.state).toBe('AUTH_REQUIRED');
    expect(t.of('client.auth_required').map((e) => e.payload.status)).toEqual([401, 401, 401]);
    expect(t.p.counters.authFailures).toBe(3);
    await expect(t.p.command({ kind: 'command', command: 'status' })).resolves.toMatchObject({ status: 'refused', code: 'AUTH_REQUIRED' });
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.refused()).toBe(3);

    t.p.setToken('good');
    await waitFor('LIVE with the new token', () => t.p.state === 'LIVE');
    expect(peer.refused()).toBe(3);
  });
});
