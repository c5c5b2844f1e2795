// EndpointSession against a small WebSocket peer written here from the
// seed's "Connection Establishment" section alone (visualisation-protocol.md:
// endpoints, Authentication headers, Handshake Protocol, and the
// version/compression negotiation messages in the seed's own shapes, which
// have no "selected"). It shares no code with the simulator. The test's
// listener stands in for the plane: it records every event, and hands
// session replies back to the session as the plane does.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawData, WebSocketServer, type WebSocket } from 'ws';
import { EndpointSession, type SessionListener } from '../../electron/core/connection/endpoint-session.js';
import { type PlaneConfig, resolvePlaneSettings } from '../../electron/core/connection/plane-config.js';
import type { Transition } from '../../electron/core/connection/state-machine.js';
import { readSessionReply } from '../../electron/core/protocol/session.js';
import { waitFor } from '../helpers/wait.js';

type Msg = Record<string, unknown>;

// ------------------------------------------------------------ the seed peer

interface PeerConn {
  ws: WebSocket;
  headers: IncomingHttpHeaders;
  /** Client messages, parsed, in order, with when they came. */
  received: { at: number; msg: Msg }[];
  pings: number[];
}

interface PeerOptions {
  /** Refuse the upgrade with this HTTP status. */
  refuse?: number;
  /** Called for each client message (parsed JSON). */
  onMessage?: (c: PeerConn, msg: Msg) => void;
  onOpen?: (c: PeerConn) => void;
}

/** "Server -> Client: Handshake response", as the seed prints it (serverTime now). */
function seedAck(over: Msg = {}): Msg {
  return { type: 'handshake_ack', sessionId: 'session-uuid', protocols: ['binary', 'json'], heartbeatInterval: 30000, compression: 'zlib', serverTime: new Date().toISOString(), ...over };
}

/** The seed's "Version Negotiation" message, sent back as the server's list (no "selected"). */
function seedVersionReply(supported: string[], preferred: string): Msg {
  return { type: 'version.negotiate', supported, preferred, features: { '1.0': ['basic'], '1.1': ['compression', 'binary'], '2.0': ['multiplexing', 'streaming'] } };
}

/** The seed's "Compression Negotiation" message, sent back (no "selected"). */
function seedCompressionReply(): Msg {
  return { type: 'compression.negotiate', algorithms: ['gzip', 'deflate', 'brotli'], preferredLevel: 6 };
}

class Peer {
  readonly conns: PeerConn[] = [];
  private http: Server | null = null;
  url = '';

  constructor(private readonly opts: PeerOptions = {}) {}

  async start(): Promise<string> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (this.opts.refuse) {
        socket.end(`HTTP/1.1 ${this.opts.refuse} Refused\r\nConnection: close\r\n\r\n`);
        this.conns.push({ ws: null as unknown as WebSocket, headers: req.headers, received: [], pings: [] });
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const c: PeerConn = { ws, headers: req.headers, received: [], pings: [] };
        this.conns.push(c);
        ws.on('ping', () => c.pings.push(Date.now()));
        ws.on('message', (data: RawData, isBinary: boolean) => {
          if (isBinary) return;
          const msg = JSON.parse(data.toString()) as Msg;
          c.received.push({ at: Date.now(), msg });
          this.opts.onMessage?.(c, msg);
        });
        this.opts.onOpen?.(c);
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    this.http = http;
    const port = (http.address() as { port: number }).port;
    this.url = `ws://127.0.0.1:${port}/api/visualisation/agents/ws`;
    return this.url;
  }

  /** The types the client sent on connection `i`. */
  types(i = 0): string[] {
    return (this.conns[i]?.received ?? []).map((r) => String(r.msg.type));
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.ws?.terminate();
    const http = this.http;
    if (http) await new Promise<void>((r) => http.close(() => r()));
  }
}

/** Answers the handshake with the seed's ack and the negotiation with the seed's shapes. */
function seedServer(ack: Msg = {}): PeerOptions {
  return {
    onMessage: (c, m) => {
      if (m.type === 'handshake') c.ws.send(JSON.stringify(seedAck(ack)));
      if (m.type === 'version.negotiate') c.ws.send(JSON.stringify(seedVersionReply(['1.0', '1.1'], '1.1')));
      if (m.type === 'compression.negotiate') c.ws.send(JSON.stringify(seedCompressionReply()));
    },
  };
}

// ------------------------------------------------------ the session under test

interface Rec {
  kind: keyof SessionListener;
  args: unknown[];
}

// Every event of the listener (the compiler checks the list is complete).
const KINDS: Record<keyof SessionListener, true> = {
  message: true,
  upgrade: true,
  state: true,
  note: true,
  warning: true,
  error: true,
  oversized: true,
  handshake: true,
  pong: true,
  sent: true,
  ready: true,
  negotiated: true,
  channels: true,
  channelStart: true,
  live: true,
  ended: true,
  failed: true,
  authRejected: true,
  stale: true,
  retry: true,
};

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function peer(opts: PeerOptions = {}): Promise<Peer> {
  const p = new Peer(opts);
  await p.start();
  cleanup.push(() => p.stop());
  return p;
}

function session(url: string, config: Partial<PlaneConfig> = {}, on: Partial<SessionListener> = {}) {
  const log: Rec[] = [];
  const listener = {} as Record<keyof SessionListener, (...a: unknown[]) => void>;
  for (const kind of Object.keys(KINDS) as (keyof SessionListener)[]) {
    listener[kind] = (...a: unknown[]) => {
      log.push({ kind, args: a.slice(1) });
      (on[kind] as ((...x: unknown[]) => void) | undefined)?.(...a);
    };
  }
  const settings = resolvePlaneSettings({ id: 'p', label: 'p', color: 0, url, backoff: { minMs: 50, maxMs: 400 }, heartbeatLimitsMs: { minMs: 50 }, ...config });
  const s = new EndpointSession('agents', url, settings, 'client-uuid', listener as unknown as SessionListener);
  // The plane's part: session replies read from the messages go back to the session.
  const routed = listener.message;
  listener.message = (...a: unknown[]) => {
    routed(...a);
    const [, data, isBinary] = a as [EndpointSession, Buffer, boolean];
    const r = isBinary ? null : readSessionReply(data.toString('utf8'));
    if (r) s.reply(r.type, r.fields);
  };
  s.setCredentials({ token: 'seed-token', generation: 1, ca: undefined, insecure: false });
  cleanup.push(() => s.close());
  const of = (kind: keyof SessionListener): unknown[][] => log.filter((r) => r.kind === kind).map((r) => r.args);
  return {
    s,
    log,
    of,
    kinds: () => log.map((r) => r.kind),
    states: () => of('state').map(([t]) => (t as Transition).to),
    notes: () => of('note').map(([code]) => code as string),
    state: (want: string, timeoutMs = 5000) => waitFor(`state ${want} (now ${s.machine.state}: ${s.machine.reason ?? ''})`, () => s.machine.state === want, timeoutMs),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('endpoint session: handshake', () => {
  it("sends the seed's headers and handshake, reads the seed's ack, negotiates in the seed's shapes and goes LIVE without waiting", async () => {
    const p = await peer(seedServer());
    const t = session(p.url, { negotiationWaitMs: 5000 });
    t.s.open();
    await t.state('LIVE');

    const c = p.conns[0]!;
    expect(c.headers.authorization).toBe('Bearer seed-token');
    expect(c.headers['x-client-version']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(c.headers['x-requested-protocols']).toBe('binary,json');
    const hs = c.received[0]!.msg;
    expect(hs).toMatchObject({ type: 'handshake', clientId: 'client-uuid', capabilities: ['binary', 'compression', 'multiplexing'] });
    expect(Number.isFinite(Date.parse(String(hs.timestamp)))).toBe(true);
    // One step after the other: each reply answered by the next message.
    expect(p.types().slice(0, 3)).toEqual(['handshake', 'version.negotiate', 'compression.negotiate']);

    expect(t.states()).toEqual(['CONNECTING', 'HANDSHAKING', 'LIVE']);
    const [sentAt, receivedAt, serverTime, late] = t.of('handshake')[0]!;
    expect(late).toBe(false);
    expect(Number(receivedAt)).toBeGreaterThanOrEqual(Number(sentAt));
    expect(typeof serverTime).toBe('string');
    expect(t.of('negotiated')[0]![0]).toEqual({ version: '1.1', compression: null, heartbeatIntervalMs: 30000, sessionId: 'session-uuid' });
    // Ready (commands may go) at the ack, before LIVE; live after the LIVE transition.
    const kinds = t.kinds();
    expect(kinds.indexOf('ready')).toBeLessThan(kinds.indexOf('negotiated'));
    expect(kinds.lastIndexOf('state')).toBeLessThan(kinds.indexOf('live'));
    expect(t.s.sessionId).toBe('session-uuid');
    expect(t.s.heartbeatMs).toBe(30000);
    expect(t.s.commandsReady).toBe(true);
    // The seed's reply shapes are accepted, and how they differ is noted, not treated as errors.
    expect(t.notes()).toEqual(expect.arrayContaining(['version_no_selected', 'compression_no_selected']));
    expect(t.notes()).not.toContain('no_handshake_ack');
    expect(t.of('error')).toEqual([]);
    expect(t.of('ended')).toEqual([]);
  });

  it('creates the profile channels once a 2.0 session is live', async () => {
    const p = await peer({
      onMessage: (c, m) => {
        if (m.type === 'handshake') c.ws.send(JSON.stringify(seedAck()));
        if (m.type === 'version.negotiate') c.ws.send(JSON.stringify(seedVersionReply(['1.0', '1.1', '2.0'], '2.0')));
        if (m.type === 'compression.negotiate') c.ws.send(JSON.stringify(seedCompressionReply()));
        if (m.type === 'channel.create') c.ws.send(JSON.stringify(m)); // the seed has no reply: echo it
      },
    });
    const t = session(p.url, { negotiationWaitMs: 300 });
    t.s.open();
    await t.state('LIVE');
    await waitFor('channel.create', () => p.types().includes('channel.create'));
    expect(t.s.version).toBe('2.0');
    expect(t.of('channels')[0]![0]).toEqual([expect.objectContaining({ channelId: 'perf-metrics' })]);
    expect(p.conns[0]!.received.find((r) => r.msg.type === 'channel.create')!.msg).toMatchObject({ channelId: 'perf-metrics', priority: 'normal', bufferSize: 1000 });
    await waitFor('channel_no_status note', () => t.notes().includes('channel_no_status'));
  });
});

describe('endpoint session: best effort', () => {
  it('goes LIVE without a handshake_ack after the wait, on stated assumptions, and hands over the data that came meanwhile', async () => {
    const p = await peer({ onOpen: (c) => c.ws.send(JSON.stringify({ id: 'm1', type: 'agent.state.changed', timestamp: new Date().toISOString(), payload: {} })) });
    const t = session(p.url, { negotiationWaitMs: 300 });
    t.s.open();
    await t.state('HANDSHAKING');
    await waitFor('the data message', () => t.of('message').length === 1);
    expect(t.s.machine.state).toBe('HANDSHAKING'); // data never waits for negotiation
    await t.state('LIVE');
    expect(t.notes()).toEqual(expect.arrayContaining(['no_handshake_ack', 'version_assumed', 'compression_assumed']));
    expect(t.of('warning')[0]).toEqual(['NO_HANDSHAKE_ACK', expect.stringMatching(/no handshake_ack within 300 ms.*data is flowing/)]);
    expect(t.s.version).toBe('1.1');
    expect(t.s.heartbeatMs).toBe(30000); // the default
    expect(t.s.commandsReady).toBe(true);
    expect(t.of('handshake')).toEqual([]);
    expect(t.of('ended')).toEqual([]);
    // No version or compression was asked for: there was no ack to go on from.
    expect(p.types()).toEqual(['handshake']);
  });

  it('applies a late handshake_ack without restarting negotiation, and ignores a late version reply', async () => {
    let conn: PeerConn | undefined;
    const p = await peer({ onOpen: (c) => (conn = c) });
    const t = session(p.url, { negotiationWaitMs: 200 });
    t.s.open();
    await t.state('LIVE');
    conn!.ws.send(JSON.stringify(seedAck({ heartbeatInterval: 2000, sessionId: 'late-session' })));
    await waitFor('the late ack', () => t.of('handshake').length === 1);
    expect(t.of('handshake')[0]![3]).toBe(true);
    expect(t.notes()).toContain('ack_late');
    expect(t.s.sessionId).toBe('late-session');
    expect(t.s.heartbeatMs).toBe(2000);
    // A version reply after the wait changes nothing: the session keeps the assumed version.
    conn!.ws.send(JSON.stringify(seedVersionReply(['2.0'], '2.0')));
    await waitFor('the late version reply', () => t.of('message').length === 2);
    expect(t.s.version).toBe('1.1');
    expect(t.states()).toEqual(['CONNECTING', 'HANDSHAKING', 'LIVE']);
    expect(p.types().filter((x) => x !== 'heartbeat')).toEqual(['handshake']);
  });
});

describe('endpoint session: heartbeats', () => {
  it("beats at the ack's interval (a heartbeat message and a ping), measures the pong, and keeps LIVE while data flows", async () => {
    let feed: NodeJS.Timeout | undefined;
    const p = await peer({
      onMessage: (c, m) => {
        if (m.type !== 'handshake') return;
        c.ws.send(JSON.stringify(seedAck({ heartbeatInterval: 100 })));
        // Data every 60 ms; nothing answers the negotiation.
        feed = setInterval(() => c.ws.send(JSON.stringify({ type: 'status_update', timestamp: new Date().toISOString(), payload: {} })), 60);
      },
    });
    cleanup.push(() => clearInterval(feed));
    const t = session(p.url, { negotiationWaitMs: 100 });
    t.s.open();
    await t.state('LIVE');
    const since = Date.now();
    await sleep(650);
    const beats = p.conns[0]!.received.filter((r) => r.msg.type === 'heartbeat' && r.at >= since);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.length).toBeLessThanOrEqual(8);
    expect(beats[0]!.msg).toMatchObject({ payload: { clientId: 'client-uuid', sessionId: 'session-uuid' } });
    expect(p.conns[0]!.pings.length).toBeGreaterThanOrEqual(beats.length);
    expect(t.of('pong').length).toBeGreaterThanOrEqual(1);
    expect(t.of('stale')).toEqual([]);
    expect(t.s.machine.state).toBe('LIVE');
  });

  it('goes STALE after 3 × the interval of silence (at least staleMinMs), probes with a ping, then closes and retries', async () => {
    // A peer that answers the handshake and then reads nothing more: no pong, no message.
    const p = await peer({
      onMessage: (c, m) => {
        if (m.type !== 'handshake') return;
        c.ws.send(JSON.stringify(seedAck({ heartbeatInterval: 100 })));
        c.ws.pause();
      },
    });
    const t = session(p.url, { negotiationWaitMs: 50, heartbeatLimitsMs: { minMs: 50, staleMinMs: 200 } });
    t.s.open();
    await waitFor('stale', () => t.of('stale').length === 1, 5000);
    const [info] = t.of('stale')[0]! as [{ silentForMs: number; heartbeatIntervalMs: number }];
    expect(info.heartbeatIntervalMs).toBe(100);
    expect(info.silentForMs).toBeGreaterThanOrEqual(300);
    await waitFor('RECONNECTING', () => t.states().includes('RECONNECTING'), 5000);
    expect(t.states().slice(0, 5)).toEqual(['CONNECTING', 'HANDSHAKING', 'LIVE', 'STALE', 'RECONNECTING']);
    expect(t.s.machine.reason).toMatch(/no traffic for \d+ ms, and no answer to a ping within 200 ms \(STALE after 3 × 100 ms\); retrying in \d+ ms/);
    await waitFor('a second connection', () => p.conns.length === 2);
  });

  it('counts the server\'s pings as traffic: an endpoint kept alive by pings alone stays LIVE', async () => {
    const p = await peer({
      onMessage: (c, m) => {
        if (m.type !== 'handshake') return;
        c.ws.send(JSON.stringify(seedAck({ heartbeatInterval: 100 })));
        setInterval(() => c.ws.readyState === c.ws.OPEN && c.ws.ping(), 50).unref();
      },
    });
    const t = session(p.url, { negotiationWaitMs: 50, heartbeatLimitsMs: { minMs: 50, staleMinMs: 200 } });
    t.s.open();
    await t.state('LIVE');
    await sleep(800);
    expect(t.of('stale')).toEqual([]);
    expect(t.s.machine.state).toBe('LIVE');
  });

  it('clamps an out-of-range interval, with a note', async () => {
    const p = await peer(seedServer({ heartbeatInterval: 1e12 }));
    const t = session(p.url, { heartbeatLimitsMs: { minMs: 50, maxMs: 60_000 } });
    t.s.open();
    await t.state('LIVE');
    expect(t.s.heartbeatMs).toBe(60_000);
    expect(t.notes()).toContain('heartbeat_clamped');
  });
});

describe('endpoint session: close and backoff', () => {
  it('reconnects after the server closes, with a growing backoff reset once stable, and close() ends it for good', async () => {
    let closeNext = 2;
    const p = await peer({
      onOpen: (c) => {
        if (closeNext-- > 0) c.ws.close(1011, 'going away');
      },
      ...seedServer(),
    });
    const t = session(p.url, { backoff: { minMs: 50, maxMs: 400, stableAfterMs: 150 } });
    t.s.open();
    await waitFor('three connections', () => p.conns.length === 3);
    await t.state('LIVE');
    // Two lost sessions, two backoff delays, each retry counted.
    const retrying = t.of('state').map(([x]) => (x as Transition).reason ?? '').filter((r) => /retrying in/.test(r));
    expect(retrying.length).toBe(2);
    expect(retrying[0]).toMatch(/connection closed \(1011 going away\); retrying in \d+ ms/);
    const delays = retrying.map((r) => Number(/retrying in (\d+) ms/.exec(r)![1]));
    expect(delays[0]).toBeGreaterThanOrEqual(25);
    expect(delays[0]).toBeLessThanOrEqual(50);
    expect(delays[1]).toBeLessThanOrEqual(100);
    expect(t.of('retry').length).toBe(2);
    expect(t.of('ended').length).toBe(2);
    expect(t.s.backoff.attempts).toBe(2);
    await waitFor('backoff reset after a stable stretch', () => t.s.backoff.attempts === 0, 2000);

    t.s.close();
    expect(t.s.machine.state).toBe('CLOSED');
    expect(t.s.connected).toBe(false);
    expect(t.s.timers.size).toBe(0);
    expect(t.of('ended').at(-1)).toEqual(['closed by the client']);
    await sleep(300);
    expect(p.conns.length).toBe(3);
  });

  it('hands a 401 to the listener and waits; fails on a 404; retries a 503', async () => {
    const refused = await peer({ refuse: 401 });
    const a = session(refused.url, {}, { authRejected: (s, reason) => s.requireAuth(reason) });
    a.s.open();
    await a.state('AUTH_REQUIRED');
    expect(a.of('upgrade')[0]![0]).toBe(401);
    expect(a.of('authRejected')[0]).toEqual([expect.stringMatching(/server answered 401/), 401]);
    await sleep(300);
    expect(refused.conns.length).toBe(1);

    const missing = await peer({ refuse: 404 });
    const b = session(missing.url);
    b.s.open();
    await b.state('FAILED');
    expect(b.of('failed')[0]).toEqual(['CONNECTION_FAILED', expect.stringMatching(/server answered 404.*check the URL/)]);
    await sleep(300);
    expect(missing.conns.length).toBe(1);

    const busy = await peer({ refuse: 503 });
    const c = session(busy.url);
    c.s.open();
    await waitFor('a retry after 503', () => busy.conns.length >= 2);
    expect(c.of('failed')).toEqual([]);
  });
});

describe('endpoint session: a server that never answers the upgrade', () => {
  it('gives up on the upgrade after handshakeTimeoutMs and retries with backoff, never waiting forever', async () => {
    const held: Socket[] = [];
    const tcp: TcpServer = createTcpServer((sock) => held.push(sock)); // accepts, reads, never writes a byte
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const s of held) s.destroy();
          tcp.close(() => r());
        }),
    );
    const url = `ws://127.0.0.1:${(tcp.address() as { port: number }).port}/api/visualisation/agents/ws`;
    const t = session(url, { handshakeTimeoutMs: 200 });
    t.s.open();
    await t.state('RECONNECTING', 3000);
    expect(t.s.machine.reason).toMatch(/(timed out|the upgrade was not answered within 200 ms).*retrying in \d+ ms/);
    expect(t.states()).not.toContain('HANDSHAKING');
    await waitFor('a second attempt', () => held.length >= 2, 3000);
    expect(t.of('retry').length).toBeGreaterThanOrEqual(1);
    t.s.close();
    expect(t.s.timers.size).toBe(0);
    expect(t.s.connected).toBe(false);
  });

  it('gives up on an upgrade answered a byte at a time (an idle timeout never trips): the limit counts from the request', async () => {
    const held: Socket[] = [];
    const timers: NodeJS.Timeout[] = [];
    const answer = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';
    const tcp: TcpServer = createTcpServer((sock) => {
      held.push(sock);
      sock.on('error', () => undefined);
      let i = 0;
      const t = setInterval(() => (i < answer.length && !sock.destroyed ? sock.write(answer[i++]!) : clearInterval(t)), 50);
      timers.push(t);
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const t of timers) clearInterval(t);
          for (const s of held) s.destroy();
          tcp.close(() => r());
        }),
    );
    const url = `ws://127.0.0.1:${(tcp.address() as { port: number }).port}/api/visualisation/agents/ws`;
    const t = session(url, { handshakeTimeoutMs: 400 });
    const started = Date.now();
    t.s.open();
    await t.state('RECONNECTING', 5000);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(t.s.machine.reason).toMatch(/the upgrade was not answered within 400 ms|timed out/);
    expect(t.states()).not.toContain('HANDSHAKING');
    t.s.close();
    expect(t.s.timers.size).toBe(0);
  });
});
