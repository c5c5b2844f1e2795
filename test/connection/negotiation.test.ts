// Negotiation without a socket: replies fed one by one (fake timers for the
// wait), everything it asks of its port recorded in order. The shapes are the
// seed's (no "selected") and our simulator's pinned ones (with "selected").

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ASSUMED_VERSION, Negotiation, type NegotiationPort } from '../../electron/core/connection/negotiation.js';
import { type PlaneConfig, resolvePlaneSettings } from '../../electron/core/connection/plane-config.js';
import { Timers } from '../../electron/core/connection/timers.js';

type Msg = Record<string, unknown>;

function rig(config: Partial<PlaneConfig> = {}, name = 'agents') {
  const settings = resolvePlaneSettings({ id: 'p', label: 'p', color: 0, url: 'ws://x', negotiationWaitMs: 1000, ...config });
  const timers = new Timers();
  const sent: Msg[] = [];
  const calls: [string, ...unknown[]][] = [];
  const port: NegotiationPort = {
    send: (m) => (sent.push(m), true),
    note: (code) => calls.push(['note', code]),
    warning: (code) => calls.push(['warning', code]),
    problem: (code, message) => calls.push(['problem', code, message]),
    fail: (code, reason) => calls.push(['fail', code, reason]),
    received: 0,
    acked: (hb, _sentAt, _receivedAt, serverTime, late) => calls.push(['acked', hb, serverTime, late]),
    compression: (alg) => calls.push(['compression', alg]),
    ready: () => calls.push(['ready']),
    negotiated: () => calls.push(['negotiated']),
    channels: (specs) => calls.push(['channels', specs.map((s) => s.channelId)]),
    channelStart: (id, seq) => calls.push(['channelStart', id, seq]),
    live: () => calls.push(['live']),
  };
  const n = new Negotiation(name, settings, timers, port);
  n.start('client-1', Date.now());
  return {
    n,
    timers,
    sent,
    calls,
    types: () => sent.map((m) => m.type),
    kinds: () => calls.map((c) => c[0]),
    notes: () => calls.filter((c) => c[0] === 'note').map((c) => c[1]),
  };
}

const ack = (over: Msg = {}): Msg => ({ sessionId: 's-1', protocols: ['binary', 'json'], heartbeatInterval: 5000, compression: 'zlib', serverTime: '2024-01-10T12:00:00Z', ...over });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('negotiation', () => {
  it('walks handshake → version → compression → live on pinned replies, with no notes', () => {
    const r = rig();
    expect(r.sent[0]).toMatchObject({ type: 'handshake', clientId: 'client-1', capabilities: ['binary', 'compression', 'multiplexing'] });
    r.n.reply('handshake_ack', ack());
    expect(r.n.step).toBe('version');
    expect(r.n.ready).toBe(true);
    expect(r.n.sessionId).toBe('s-1');
    r.n.reply('version.negotiate', { supported: ['1.1', '2.0'], selected: '1.1' });
    expect(r.sent.at(-1)).toMatchObject({ type: 'compression.negotiate', algorithms: ['gzip', 'deflate', 'brotli'], preferredLevel: 6 });
    r.n.reply('compression.negotiate', { algorithms: ['gzip'], selected: 'gzip' });
    expect(r.types()).toEqual(['handshake', 'version.negotiate', 'compression.negotiate']);
    // The ack's algorithm is a hint until negotiated; then the negotiated one.
    expect(r.calls).toEqual([['acked', 5000, '2024-01-10T12:00:00Z', false], ['compression', 'deflate'], ['ready'], ['compression', 'gzip'], ['negotiated'], ['live']]);
    expect([r.n.step, r.n.version, r.n.compression]).toEqual(['live', '1.1', 'gzip']);
    expect(r.timers.has('negotiation')).toBe(false);
  });

  it("takes the server's preferred version from the seed's shape (no selected), with a note", () => {
    const r = rig({ compression: false });
    r.n.reply('handshake_ack', ack());
    r.n.reply('version.negotiate', { supported: ['1.0', '1.1'], preferred: '1.0' });
    expect(r.n.version).toBe('1.0');
    expect(r.notes()).toEqual(['version_no_selected']);
    // 1.0 has no compression: straight to live.
    expect(r.types()).toEqual(['handshake', 'version.negotiate']);
    expect([r.n.step, r.n.compression]).toEqual(['live', null]);
  });

  it('fails on no common version, naming both lists, and goes no further', () => {
    const r = rig();
    r.n.reply('handshake_ack', ack());
    r.n.reply('version.negotiate', { supported: ['3.0'] });
    expect(r.calls.at(-1)).toEqual(['fail', 'VERSION_UNSUPPORTED', 'agents: no common protocol version: this client supports 1.0, 1.1, 2.0; the server supports 3.0']);
    expect(r.kinds()).not.toContain('negotiated');
  });

  it('notes a compression it does not know or did not offer, and takes none without selected', () => {
    for (const [reply, note, compression] of [
      [{ algorithms: ['gzip'] }, 'compression_no_selected', null],
      [{ algorithms: ['lz9'], selected: 'lz9' }, 'compression_unknown', null],
      [{ algorithms: ['gzip'], selected: 'gzip' }, 'compression_not_offered', 'gzip'],
    ] as const) {
      const r = rig({ compression: { algorithms: ['deflate'] } });
      r.n.reply('handshake_ack', ack());
      r.n.reply('version.negotiate', { supported: ['1.1'], selected: '1.1' });
      r.n.reply('compression.negotiate', reply);
      expect(r.notes()).toEqual([note]);
      expect(r.n.compression).toBe(compression);
      expect(r.n.step).toBe('live');
    }
  });

  it('notes a snake_case or partial ack, and reads it all the same', () => {
    const r = rig();
    r.n.reply('handshake_ack', { session_id: 's-9', heartbeat_interval: 2000 });
    expect(r.notes()).toEqual(['ack_snake_case', 'ack_partial']);
    expect(r.n.sessionId).toBe('s-9');
    expect(r.calls).toContainEqual(['acked', 2000, undefined, false]);
  });

  it('assumes what is unanswered after the wait, and says so', () => {
    const r = rig();
    r.n.reply('handshake_ack', ack());
    vi.advanceTimersByTime(999);
    expect(r.n.step).toBe('version');
    vi.advanceTimersByTime(1);
    expect(r.notes()).toEqual(['version_assumed', 'compression_assumed']);
    expect([r.n.step, r.n.version, r.n.compression]).toEqual(['live', ASSUMED_VERSION, null]);

    const silent = rig();
    vi.advanceTimersByTime(1000);
    expect(silent.notes()).toEqual(['no_handshake_ack', 'version_assumed', 'compression_assumed']);
    expect(silent.kinds()).toEqual(['note', 'warning', 'ready', 'note', 'note', 'negotiated', 'live']);
    // A late ack is applied (heartbeat, session id) but does not restart negotiation.
    silent.n.reply('handshake_ack', ack({ sessionId: 'late' }));
    expect(silent.calls).toContainEqual(['acked', 5000, '2024-01-10T12:00:00Z', true]);
    expect(silent.notes().at(-1)).toBe('ack_late');
    expect(silent.n.sessionId).toBe('late');
    expect(silent.sent.map((m) => m.type)).toEqual(['handshake']);
  });

  it('creates the endpoint’s channels on 2.0, reports refusals and first sequences, and notes the unanswered', () => {
    const channels = [
      { channelId: 'a', endpoint: 'agents' as const },
      { channelId: 'b', endpoint: 'agents' as const },
      { channelId: 'c', endpoint: 'agents' as const },
      { channelId: 'g', endpoint: 'graph' as const },
    ];
    const r = rig({ channels });
    r.n.reply('handshake_ack', ack());
    r.n.reply('version.negotiate', { supported: ['2.0'], selected: '2.0' });
    r.n.reply('compression.negotiate', { algorithms: [], selected: null });
    expect(r.calls.filter((c) => ['negotiated', 'channels', 'live'].includes(c[0]))).toEqual([['negotiated'], ['channels', ['a', 'b', 'c']], ['live']]);
    expect(r.sent.filter((m) => m.type === 'channel.create').map((m) => m.channelId)).toEqual(['a', 'b', 'c']);
    r.n.reply('channel.create', { channelId: 'a', status: 'created', sequence: 5 });
    r.n.reply('channel.create', { channelId: 'b', status: 'refused', reason: 'busy' });
    expect(r.calls).toContainEqual(['channelStart', 'a', 5]);
    expect(r.calls).toContainEqual(['problem', 'CHANNEL_REFUSED', 'agents: the server refused channel b: busy']);
    vi.advanceTimersByTime(1000);
    expect(r.notes()).toEqual(['channel_unanswered:c']);
  });

  it('forgets everything on reset, and ignores the wait once ended', () => {
    const r = rig();
    r.n.reply('handshake_ack', ack());
    r.n.end();
    expect([r.n.step, r.n.ready]).toEqual(['upgrade', false]);
    vi.advanceTimersByTime(5000);
    expect(r.kinds()).not.toContain('negotiated');
    r.n.reset();
    expect([r.n.sessionId, r.n.version, r.n.ack]).toEqual([undefined, undefined, undefined]);
  });
});
