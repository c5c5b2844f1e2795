// Session behaviour against the simulator: headers, handshake, versions and
// their features, compression per algorithm, heartbeats, several planes.

import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANNELS } from '../../electron/core/connection/plane.js';
import { CLIENT_VERSION } from '../../electron/core/protocol/constants.js';
import { waitFor } from '../helpers/wait.js';
import { QUIET, sleep, useHarness } from '../helpers/harness.js';

const h = useHarness();

describe('session negotiation', () => {
  it('sends the bearer token and client headers on every endpoint; permessage-deflate only when the profile asks', async () => {
    const s = await h.sim({ ...QUIET, token: 'tok-1' });
    const t = h.plane({ url: s.url, token: 'tok-1' });
    await t.state('LIVE');
    for (const ep of ['agents', 'graph', 'control'] as const) {
      const hd = s.stats.upgradeHeaders[ep]!;
      expect(hd.authorization).toBe('Bearer tok-1');
      expect(hd['x-client-version']).toBe(CLIENT_VERSION);
      expect(hd['x-requested-protocols']).toBe('binary,json');
      expect(hd['sec-websocket-extensions']).toBeUndefined();
    }
    const t2 = h.plane({ url: s.url, token: 'tok-1', perMessageDeflate: true, endpoints: { agents: false, graph: false } });
    await t2.state('LIVE');
    expect(s.stats.upgradeHeaders.control!['sec-websocket-extensions']).toContain('permessage-deflate');
  });

  it('keeps the handshake_ack session id, heartbeat interval and the server clock offset', async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 700, faults: { clockSkewMs: 5000 } });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    const st = t.plane.status();
    expect(st.serverClockOffsetMs).toBeGreaterThan(4800);
    expect(st.serverClockOffsetMs).toBeLessThan(5200);
    const serverIds = s.sessionInfo().map((x) => x.sessionId).sort();
    expect(st.endpoints!.map((e) => e.sessionId).sort()).toEqual(serverIds);
    expect(st.endpoints!.every((e) => e.heartbeatIntervalMs === 700)).toBe(true);
    // handshake, then version, then compression, each answered before LIVE.
    const order = t.events.filter((e) => e.payload.endpoint === 'agents' || ['handshake_ack', 'version.negotiate', 'compression.negotiate'].includes(e.type));
    expect(order.findIndex((e) => e.type === 'handshake_ack')).toBeLessThan(order.findIndex((e) => e.type === 'version.negotiate'));
    expect(order.findIndex((e) => e.type === 'version.negotiate')).toBeLessThan(order.findIndex((e) => e.type === 'compression.negotiate'));
  });

  it('negotiates 2.0 with binary, compression and the profile channels', async () => {
    const s = await h.sim({ ...QUIET, agents: 9 });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    await waitFor('positions', () => t.plane.counters.positionMessages >= 2);
    const st = t.plane.status();
    expect(st.endpoints!.map((e) => [e.endpoint, e.version, e.compression])).toEqual([
      ['agents', '2.0', 'gzip'],
      ['graph', '2.0', 'gzip'],
      ['control', '2.0', 'gzip'],
    ]);
    await waitFor('channels created', () => s.sessionInfo().every((x) => x.channels.length > 0));
    for (const info of s.sessionInfo()) {
      expect(info.channels).toEqual(DEFAULT_CHANNELS.filter((c) => c.endpoint === info.endpoint).map((c) => c.channelId));
    }
    expect(t.of('channel.create').map((e) => e.payload.status)).toEqual(['created', 'created', 'created']);
    expect(t.plane.store.agents).toBe(9);
  });

  it('lets features follow the version: 1.1 has binary and compression but no channels', async () => {
    const s = await h.sim({ ...QUIET, versions: ['1.0', '1.1'] });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    await waitFor('positions', () => t.plane.counters.positionMessages >= 2);
    expect(t.plane.status().endpoints!.map((e) => e.version)).toEqual(['1.1', '1.1', '1.1']);
    expect(t.of('channel.create')).toEqual([]);
    expect(s.sessionInfo().every((x) => x.channels.length === 0)).toBe(true);
    expect(t.plane.counters.protocolErrors).toBe(0);
  });

  it('lets features follow the version: 1.0 is JSON only (no binary, no compression) and still fills the store', async () => {
    const s = await h.sim({ ...QUIET, agents: 6, versions: ['1.0'] });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    await waitFor('6 agents from JSON', () => t.plane.store.agents === 6);
    await sleep(200);
    expect(t.plane.counters.positionMessages).toBe(0);
    expect(t.of('compression.negotiate')).toEqual([]);
    expect(t.plane.status().endpoints!.map((e) => [e.version, e.compression])).toEqual([
      ['1.0', null],
      ['1.0', null],
      ['1.0', null],
    ]);
    expect(t.plane.counters.protocolErrors).toBe(0);
  });

  it('fails with both sides named when there is no common version, and does not retry', async () => {
    const s = await h.sim({ ...QUIET, faults: { refuseVersions: true } });
    const t = h.plane({ url: s.url });
    await t.state('FAILED');
    const reason = t.plane.status().reason!;
    expect(reason).toContain('no common protocol version');
    expect(reason).toContain('1.0, 1.1, 2.0');
    expect(reason).toContain('3.0');
    expect(t.of('client.error').some((e) => e.payload.code === 'VERSION_UNSUPPORTED')).toBe(true);
    const connections = s.stats.connections;
    await sleep(500); // backoff here is 50-200 ms: a loop would have reconnected
    expect(s.stats.connections).toBe(connections);
    expect(t.plane.state).toBe('FAILED');
  });

  it('names the server versions when the client offers only newer ones', async () => {
    const s = await h.sim({ ...QUIET, versions: ['1.0', '1.1'] });
    const t = h.plane({ url: s.url, protocolVersions: ['2.0'], endpoints: { agents: false, graph: false } });
    await t.state('FAILED');
    expect(t.plane.status().reason).toMatch(/this client supports 2\.0; the server supports 1\.0, 1\.1/);
  });

  it.each(['gzip', 'deflate', 'brotli'] as const)('inflates compressed batches with the negotiated %s', async (alg) => {
    const s = await h.sim({ ...QUIET, agents: 40, compressThreshold: 0 });
    const t = h.plane({ url: s.url, compression: { algorithms: [alg], level: 5 }, endpoints: { graph: false, control: false } });
    await t.state('LIVE');
    await waitFor('compressed position messages', () => t.plane.counters.compressedMessages >= 3 && t.plane.counters.positionMessages >= 3);
    expect(t.plane.status().endpoints![0]!.compression).toBe(alg);
    expect(s.sessionInfo()[0]!.compression).toBe(alg);
    expect(s.stats.compressions).toBeGreaterThan(0);
    expect(t.plane.counters.protocolErrors).toBe(0);
    expect(t.plane.store.agents).toBe(40);
    const slot = t.plane.store.slotOf(s.world.ids[3]!);
    expect(Math.hypot(t.plane.store.pos[slot * 3]! - s.world.pos[9]!, t.plane.store.pos[slot * 3 + 1]! - s.world.pos[10]!)).toBeLessThan(50);
  });
});

describe('liveness', () => {
  it("sends heartbeats at the server's interval, so the server keeps the session", async () => {
    const s = await h.sim({ ...QUIET, heartbeatIntervalMs: 100 });
    const t = h.plane({ url: s.url });
    await t.state('LIVE');
    const before = s.stats.clientHeartbeats;
    await sleep(1000);
    const sent = s.stats.clientHeartbeats - before;
    // 3 endpoints × ~10 intervals; the server drops clients silent for 3 intervals.
    expect(sent).toBeGreaterThanOrEqual(3 * 6);
    expect(sent).toBeLessThanOrEqual(3 * 12);
    expect(s.stats.clientTimeouts).toBe(0);
    expect(t.plane.counters.reconnects).toBe(0);
    expect(t.plane.state).toBe('LIVE');
    expect(t.plane.status().lastLatencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('several planes', () => {
  it('runs each plane independently: one server going away does not touch the other plane', async () => {
    const a = await h.sim({ ...QUIET, agents: 4, seed: 1 });
    const b = await h.sim({ ...QUIET, agents: 7, seed: 2 });
    const pa = h.plane({ id: 'a', url: a.url });
    const pb = h.plane({ id: 'b', url: b.url });
    await pa.state('LIVE');
    await pb.state('LIVE');
    await waitFor('agents', () => pa.plane.store.agents === 4 && pb.plane.store.agents === 7);
    await a.stop();
    await pa.state('RECONNECTING');
    const bBefore = pb.plane.counters.positionMessages;
    await waitFor('b keeps streaming', () => pb.plane.counters.positionMessages > bBefore + 3);
    expect(pb.plane.state).toBe('LIVE');
    expect(pb.plane.counters.reconnects).toBe(0);
    for (const t of [pa, pb]) t.events.forEach((e, i) => expect(e.seq).toBe(i));
    expect(new Set(pa.events.map((e) => e.plane))).toEqual(new Set(['a']));
    expect(new Set(pb.events.map((e) => e.plane))).toEqual(new Set(['b']));
  });
});
