// Named caps of issue 18 (shared/limits.ts), each with its counter in
// status().limits (Connections diagnostics, probe): channel ids per endpoint
// session, the size of a dedupe entry, simulators running for profiles.
// Agent-liveness entries are capped in number by MAX_AGENTS_PER_PLANE
// (limits.agentsRefused) and in id characters by MAX_LIVENESS_ID_CHARS
// (limits.livenessRefused).

import { describe, expect, it } from 'vitest';
import { ChannelMux } from '../../electron/core/connection/channels.js';
import { DedupeWindow } from '../../electron/core/connection/dedupe.js';
import { AgentLiveness } from '../../electron/core/connection/agent-liveness.js';
import type { NormalisedEvent } from '../../electron/core/protocol/index.js';
import { DEDUPE_ENTRIES, MAX_CHANNELS_PER_SESSION, MAX_DEDUPE_KEY_CHARS, MAX_LIVENESS_ID_CHARS } from '../../shared/index.js';
import { TestPlane } from '../helpers/test-plane.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const ev = (channel: string, sequence: number): NormalisedEvent => ({ channel, sequence, type: 'x', origin: 'vis', payload: {} }) as unknown as NormalisedEvent;

describe('channels per session', () => {
  it(`orders at most MAX_CHANNELS_PER_SESSION (${MAX_CHANNELS_PER_SESSION}) channels; a further channel's messages are delivered unordered and counted`, async () => {
    const got: NormalisedEvent[] = [];
    const mux = new ChannelMux({ deliver: (e) => got.push(e), onGap: () => undefined });
    for (let i = 0; i < MAX_CHANNELS_PER_SESSION + 1000; i++) mux.receive(ev(`c-${i}`, 1));
    await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(MAX_CHANNELS_PER_SESSION + 1000);
    expect(mux.stats.channelsRefused).toBe(1000);
    // Held state exists only for the capped channels: a gap on a refused channel holds nothing.
    mux.receive(ev(`c-${MAX_CHANNELS_PER_SESSION + 5}`, 9));
    expect(mux.buffered).toBe(0);
  });
});

describe('dedupe entries', () => {
  it(`keeps an id longer than MAX_DEDUPE_KEY_CHARS (${MAX_DEDUPE_KEY_CHARS}) by its hash: duplicates still caught, the window holds short keys`, () => {
    const d = new DedupeWindow();
    const long = (i: number): string => `id:${i}:${'x'.repeat(64_000)}`;
    for (let i = 0; i < DEDUPE_ENTRIES; i++) expect(d.check(long(i), 0)).toBe(false);
    expect(d.check(long(7), 1)).toBe(true);
    expect(d.check(`${long(7)}y`, 1)).toBe(false);
    expect(d.hashed).toBe(DEDUPE_ENTRIES + 2);
    const keys = [...(d as unknown as { seenAt: Map<string, number> }).seenAt.keys()];
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(MAX_DEDUPE_KEY_CHARS);
  });
});

describe('agent-liveness entries', () => {
  it(`hold at most MAX_LIVENESS_ID_CHARS (${MAX_LIVENESS_ID_CHARS}) characters of ids: a new 60 KB id past it is not tracked and counted, known ids keep beating`, () => {
    const lost: unknown[] = [];
    const l = new AgentLiveness(1000, { lost: (p) => lost.push(p), recovered: () => undefined });
    const id = (i: number): string => `${i}:`.padEnd(60_000, 'x');
    const fits = Math.floor(MAX_LIVENESS_ID_CHARS / 60_000);
    for (let i = 0; i < fits + 50; i++) l.beat(id(i), 0);
    expect(l.charsRefused).toBe(50);
    expect(l.refused).toBe(0);
    const held = [...(l as unknown as { beats: Map<string, number> }).beats.keys()];
    expect(held).toHaveLength(fits);
    expect(held.reduce((n, k) => n + k.length, 0)).toBeLessThanOrEqual(MAX_LIVENESS_ID_CHARS);
    l.beat(id(0), 900); // a known id still beats
    l.check(1500);
    expect(lost).toHaveLength(fits - 1);
    expect(l.charsRefused).toBe(50);
  });
});

const h = useHarness();

describe('in status().limits', () => {
  it('a plane sending 300 channels shows limits.channelsRefused', async () => {
    const tp = new TestPlane({ agents: 1 });
    await tp.start();
    h.defer(() => tp.stop());
    const t = h.plane({ url: tp.url });
    await t.state('LIVE');
    for (let i = 0; i < MAX_CHANNELS_PER_SESSION + 44; i++) tp.sendChannel('graph', `ch-${i}`, 1, { type: 'coordination.message', timestamp: new Date().toISOString(), payload: { text: 'x' } });
    await waitFor('channelsRefused', () => (t.plane.status().limits?.channelsRefused ?? 0) >= 44, 10_000);
    expect(t.plane.status().limits?.channelsRefused).toBe(44);
    expect(t.plane.status().limits?.dedupeKeysHashed).toBe(0);
  });

  it('a plane heartbeating for agents with 60 KB ids shows limits.livenessRefused', async () => {
    const tp = new TestPlane({ agents: 1 });
    await tp.start();
    h.defer(() => tp.stop());
    const t = h.plane({ url: tp.url });
    await t.state('LIVE');
    const fits = Math.floor(MAX_LIVENESS_ID_CHARS / 60_000);
    for (let i = 0; i < fits + 20; i++) tp.send('control', { type: 'heartbeat', timestamp: new Date().toISOString(), payload: {}, agent_id: `${i}:`.padEnd(60_000, 'x') });
    await waitFor('livenessRefused', () => (t.plane.status().limits?.livenessRefused ?? 0) >= 20, 20_000);
    expect(t.plane.status().limits?.livenessRefused).toBe(20);
  });
});
