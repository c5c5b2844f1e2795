// Bounds the connection engine puts on what a plane sends: the heartbeat
// interval is clamped (timers never overflow to 1 ms), repeated invalid
// messages disconnect with backoff, and compressed frames past the inflate
// budget are dropped uninflated while good data keeps arriving. The peer is a
// small hostile `ws` server, not the simulator.

import { createServer } from 'node:http';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { clampDelay } from '../../electron/core/connection/timers.js';
import { MAX_TIMER_DELAY_MS } from '../../shared/limits.js';
import { waitFor } from '../helpers/wait.js';
import { sleep, useHarness } from '../helpers/harness.js';

const h = useHarness();

/** A server that answers the handshake with `ack` (and nothing else of the negotiation), heartbeats, and runs `attack(ws)` on the agents endpoint. */
async function hostile(ack: Record<string, unknown>, attack: (ws: WebSocket) => void = () => undefined): Promise<{ url: string; connections: () => number }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  let connections = 0;
  wss.on('connection', (ws, req) => {
    connections++;
    ws.on('error', () => undefined);
    // Alive, by the seed's heartbeat, so only the attack decides what happens.
    const keepalive = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat', timestamp: new Date().toISOString(), payload: {} })), 300);
    ws.on('close', () => clearInterval(keepalive));
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type?: string };
      if (m.type === 'handshake') {
        ws.send(JSON.stringify({ type: 'handshake_ack', sessionId: 's', protocols: ['binary', 'json'], ...ack }));
        if (req.url === '/api/visualisation/agents/ws') attack(ws);
      }
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  h.defer(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        http.closeAllConnections();
        http.close(() => r());
      }),
  );
  const a = http.address();
  return { url: `ws://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, connections: () => connections };
}

/** One POSITION_UPDATE frame for agent `id`. */
function position(id: number, x: number): Buffer {
  const b = Buffer.alloc(8 + 4 + 28);
  b.write('AGNT', 0, 'ascii');
  b.writeUInt8(1, 4);
  b.writeUInt8(2, 5);
  b.writeUInt16LE(32, 6);
  b.writeUInt32LE(1, 8);
  b.writeUInt32LE(id, 12);
  b.writeFloatLE(x, 16);
  return b;
}

describe('timers', () => {
  it('clamp NaN, negative and huge delays into what Node keeps (never the 1 ms wrap)', () => {
    expect(clampDelay(Number.NaN)).toBe(MAX_TIMER_DELAY_MS);
    expect(clampDelay(1e12)).toBe(MAX_TIMER_DELAY_MS);
    expect(clampDelay(2 ** 31)).toBe(MAX_TIMER_DELAY_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_DELAY_MS);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(-5, 1)).toBe(1);
    expect(clampDelay(1500.7)).toBe(1500);
  });
});

describe('heartbeatInterval from handshake_ack', () => {
  it.each([
    [1e12, 600_000],
    [2 ** 31, 600_000],
    [1e-6, 1000],
    ['30000x', 30_000],
  ])('%s is clamped to %s ms with a conformance note, and the session stays LIVE', async (asked, used) => {
    const s = await hostile({ heartbeatInterval: asked });
    const t = h.plane({ url: s.url, heartbeatLimitsMs: {}, endpoints: { graph: false, control: false }, negotiationWaitMs: 300 });
    await t.state('LIVE', 5000);
    const ep = t.plane.status().endpoints![0]!;
    expect(ep.heartbeatIntervalMs).toBe(used);
    expect(t.plane.conformance().map((n) => n.code)).toContain('heartbeat_clamped');
    expect(t.plane.status().conformance!.join(' ')).toContain(`${used} ms used`);
    // 1e-6 would have made the session stale at once; a wrapped timer would heartbeat every ms.
    await sleep(400);
    expect(t.plane.state).toBe('LIVE');
    expect(t.plane.counters.staleDetections).toBe(0);
    // handshake, version.negotiate, then a heartbeat a second at most.
    expect(t.plane.counters.messagesOut).toBeLessThan(6);
  });

  it('a missing interval takes the default, with a note', async () => {
    const s = await hostile({});
    const t = h.plane({ url: s.url, endpoints: { graph: false, control: false }, negotiationWaitMs: 300 });
    await t.state('LIVE', 5000);
    expect(t.plane.status().endpoints![0]!.heartbeatIntervalMs).toBe(30_000);
    expect(t.plane.conformance().find((n) => n.code === 'ack_partial')!.message).toContain('heartbeat interval assumed 30000 ms');
  });
});

describe('repeated abuse', () => {
  it('disconnects an endpoint that keeps sending invalid messages, with backoff and the reason in status', async () => {
    const s = await hostile({ heartbeatInterval: 30_000 }, (ws) => {
      for (let i = 0; i < 40; i++) ws.send('{"type": oops');
    });
    const t = h.plane({ url: s.url, abuse: { maxErrors: 25, windowMs: 10_000 }, backoff: { minMs: 300, maxMs: 300 }, endpoints: { graph: false, control: false }, negotiationWaitMs: 300 });
    const abuse = await t.event('abuse error', (e) => e.type === 'client.error' && e.payload.code === 'PROTOCOL_ABUSE', 5000);
    expect(abuse.payload.message).toContain('invalid messages within 10000 ms (limit 25)');
    await t.state('RECONNECTING', 2000);
    expect(t.plane.status().reason).toMatch(/disconnected after 26 invalid messages .*; retrying in \d+ ms/);
    expect(t.plane.counters.abuseDisconnects).toBe(1);
    // Not a loop: the retry waits out the backoff.
    expect(s.connections()).toBe(1);
    await waitFor('reconnected after the backoff', () => s.connections() === 2, 3000);
  });

  it('leaves a plane that errs now and then alone', async () => {
    const s = await hostile({ heartbeatInterval: 30_000 }, (ws) => {
      for (let i = 0; i < 20; i++) ws.send('{"type": oops');
    });
    const t = h.plane({ url: s.url, abuse: { maxErrors: 25, windowMs: 10_000 }, endpoints: { graph: false, control: false }, negotiationWaitMs: 300 });
    await t.state('LIVE', 5000);
    await waitFor('20 protocol errors', () => t.plane.counters.protocolErrors === 20, 5000);
    await sleep(200);
    expect(t.plane.counters.abuseDisconnects).toBe(0);
    expect(t.plane.state).toBe('LIVE');
  });
});

describe('inflate budget', () => {
  it('drops COMPRESSED_BATCH bombs past the per-second budget without inflating them; good frames still arrive', async () => {
    // 4 MiB of zeros deflate to ~4 KB: a small message that costs 4 MiB to inflate.
    const inner = Buffer.concat([position(1, 1), Buffer.alloc(4 * 1024 * 1024 - 40)]);
    const head = Buffer.alloc(9);
    head.write('AGNT', 0, 'ascii');
    head.writeUInt8(5, 4);
    head.writeUInt32LE(inner.length, 5);
    const bomb = Buffer.concat([head, deflateSync(inner)]);
    let timer: NodeJS.Timeout | undefined;
    const s = await hostile({ heartbeatInterval: 30_000 }, (ws) => {
      let x = 0;
      timer = setInterval(() => {
        for (let i = 0; i < 10; i++) ws.send(bomb);
        ws.send(position(2, ++x));
      }, 100);
    });
    h.defer(() => clearInterval(timer));
    const t = h.plane({ url: s.url, inflateBudgetBytesPerSec: 8 * 1024 * 1024, abuse: { maxErrors: 1e9 }, endpoints: { graph: false, control: false }, negotiationWaitMs: 300 });
    await t.state('LIVE', 5000);
    await sleep(1500);
    const st = t.plane.status();
    // 100 bombs a second at 4 MiB each against a budget of 8 MiB: at most ~2 inflate per second.
    expect(st.counters.inflateBudgetDrops).toBeGreaterThan(50);
    expect(st.counters.compressedMessages).toBeLessThan(10);
    const slot = t.plane.store.slotOf(2);
    expect(slot).toBeGreaterThanOrEqual(0);
    const before = t.plane.store.pos[slot * 3]!;
    await waitFor('good positions keep arriving', () => t.plane.store.pos[slot * 3]! > before + 2, 3000);
    expect(t.of('protocol.error').some((e) => String(e.payload.message ?? e.payload.reason).includes('inflate budget'))).toBe(true);
  });
});
