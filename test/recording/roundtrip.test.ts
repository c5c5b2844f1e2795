// Round trip: record a live simulator session with every message kind,
// replay the file through a never-connected plane, and compare the store at
// the instants the recording marked (on-demand snapshots) with the live
// store copied at those same instants, agent by agent; and the events.
// Then seeking: the store after a seek equals the store reached by playing
// from the start to the same point.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import type { PlaneEvent } from '../../shared/events.js';
import { PlaneFeed, TurnGate, nextTurn } from '../../electron/core/recording/feed.js';
import { Recording } from '../../electron/core/recording/reader.js';
import { Replay, type ReplayHost } from '../../electron/core/recording/replay.js';
import { recordingMarkers } from '../../electron/core/recording/tail.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { type AgentRow, BUSY_SIM, expectSameAgents, recordSession, sleep, storeRows, tempDir, turn } from '../helpers/recording.js';

const tmp = tempDir();
const path = tmp.file('session.mcap');
const captures: Map<number, AgentRow>[] = [];
let liveEvents: PlaneEvent[] = [];
let sim: Simulator;

beforeAll(async () => {
  sim = new Simulator({ port: 0, ...BUSY_SIM });
  await sim.start();
  const events: PlaneEvent[] = [];
  let capturing = true;
  const s = await recordSession(path, sim, { snapshotEveryMs: 0 }, {}, (ev) => void (capturing && events.push(ev)));
  captures.push(storeRows(s.plane.store)); // the recorder's first snapshot: before connecting
  for (let i = 0; i < 5; i++) {
    await sleep(600);
    captures.push(storeRows(s.plane.store));
    s.recorder.snapshot();
  }
  await sleep(300);
  captures.push(storeRows(s.plane.store));
  capturing = false; // the recording ends here too
  await s.stop(); // writes the last snapshot synchronously first
  liveEvents = events;
  await sim.stop();
}, 30_000);

afterAll(() => tmp.remove());

function replayPlane(): { plane: Plane; events: PlaneEvent[] } {
  const events: PlaneEvent[] = [];
  const plane = new Plane({ id: 'p1', label: 'replay', color: 0, url: 'mcap:' }, { event: (e) => events.push(e) });
  return { plane, events };
}

const key = (e: PlaneEvent): string => JSON.stringify([e.type, e.id ?? null, e.agentId ?? null, e.payload]);

describe('round trip', () => {
  it('the replayed store equals the live store at every marked instant, agent by agent, and the events match', async () => {
    const rec = await Recording.open(path);
    expect(rec.complete).toBe(true);
    expect(rec.problem).toBeNull();
    const { plane, events } = replayPlane();
    const feed = new PlaneFeed(plane);
    const gate = new TurnGate();
    let k = 0;
    for (let i = 0; i < rec.chunks.length; i++) {
      for (const m of await rec.readChunk(i)) {
        if (gate.before(m)) await nextTurn();
        if (m.channel.kind === 'snapshot') {
          await turn();
          expectSameAgents(storeRows(plane.store), captures[k]!, `instant ${k}`);
          k++;
        } else feed.apply(m);
      }
    }
    await rec.close();
    expect(k).toBe(captures.length);
    expect(captures.at(-1)!.size).toBe(BUSY_SIM.agents);
    // Every message kind went through, and the plane made the same events from them as live.
    const types = new Set(events.map((e) => e.type));
    for (const t of ['agent.state.changed', 'message.sent', 'coordination.initiated', 'agent.performance.update', 'system.metrics', 'agent.capability.update', 'status_update', 'heartbeat', 'message.flow.stats']) {
      expect(types, t).toContain(t);
    }
    const live = liveEvents.filter((e) => e.origin !== 'client').map(key).sort();
    const replayed = events.filter((e) => e.origin !== 'client').map(key).sort();
    expect(replayed.length).toBeGreaterThan(100);
    expect(replayed).toEqual(live);
  }, 30_000);
});

describe('markers', () => {
  it('a recording has its connection changes and coordination rounds as markers, in time order', async () => {
    const { markers, dropped } = await recordingMarkers(path);
    expect(dropped).toBe(0);
    const kinds = new Set(markers.map((m) => m.kind));
    expect(kinds).toContain('connection');
    expect(kinds).toContain('coordination');
    expect(markers.find((m) => m.kind === 'connection' && m.label.endsWith('→ LIVE'))).toBeDefined();
    for (let i = 1; i < markers.length; i++) expect(markers[i]!.t).toBeGreaterThanOrEqual(markers[i - 1]!.t);
  });
});

/** A host like SwarmCore's, for the replay controller. */
function fakeHost(): ReplayHost & { planes: Map<string, Plane> } {
  const planes = new Map<string, Plane>();
  return {
    planes,
    listenerFor: () => ({ event: () => undefined }),
    putPlane: (p) => void planes.set(p.config.id, p),
    removePlane: (id) => planes.delete(id),
    plane: (id) => planes.get(id),
  };
}

async function playedTo(t: number): Promise<Map<number, AgentRow>> {
  const rec = await Recording.open(path);
  const { plane } = replayPlane();
  const feed = new PlaneFeed(plane);
  const gate = new TurnGate();
  outer: for (let i = 0; i < rec.chunks.length; i++) {
    for (const m of await rec.readChunk(i)) {
      if (m.timeMs > t) break outer;
      if (gate.before(m)) await nextTurn();
      feed.apply(m);
    }
  }
  await turn();
  await rec.close();
  return storeRows(plane.store);
}

describe('seeking', () => {
  it('the store after a seek (forward, backward, to the ends) equals playing from the start to the same point', async () => {
    const host = fakeHost();
    const replay = await Replay.open(path, host, { idFor: (p) => `rec:${p.id}` });
    const { startMs, endMs } = replay.state();
    expect(endMs - startMs).toBeGreaterThan(2500);
    const span = endMs - startMs;
    for (const f of [0.9, 0.35, 0.62, 0.05, 1, 0.5, 0]) {
      const t = startMs + f * span;
      await replay.seek(t);
      expect(replay.state().positionMs).toBeCloseTo(t, 3);
      const seen = storeRows(host.plane('rec:p1')!.store);
      expectSameAgents(seen, await playedTo(t), `seek to ${f}`);
      if (f > 0.3) expect(seen.size).toBe(BUSY_SIM.agents);
    }
    await replay.close();
    expect(host.planes.size).toBe(0);
  }, 60_000);

  it('step plays exactly one message and play advances the clock at the chosen speed', async () => {
    const host = fakeHost();
    const replay = await Replay.open(path, host);
    const id = replay.state().planes.p1!;
    const mid = (replay.state().startMs + replay.state().endMs) / 2;
    await replay.seek(mid);
    const before = host.plane(id)!.counters.messagesIn;
    expect(await replay.step()).toBe(true);
    expect(host.plane(id)!.counters.messagesIn).toBe(before + 1);
    replay.setSpeed(100); // clamped
    expect(replay.state().speed).toBe(16);
    replay.setSpeed(4);
    const p0 = replay.state().positionMs;
    replay.play();
    await sleep(250);
    replay.pause();
    const advanced = replay.state().positionMs - p0;
    // 250 ms at 4x is ~1 s of recording; generous bounds for a loaded machine.
    expect(advanced).toBeGreaterThan(400);
    expect(advanced).toBeLessThan(2500);
    expect(host.plane(id)!.counters.messagesIn).toBeGreaterThan(before + 1);
    await replay.close();
  }, 30_000);

  it('a pause holds the clock still, even one that lands in the middle of a tick', async () => {
    // The pause comes from inside the tick: a replayed event reaching the host (as a request answered between two messages would).
    let onEvent: (() => void) | null = null;
    const host = { ...fakeHost(), listenerFor: () => ({ event: () => onEvent?.() }) };
    const replay = await Replay.open(path, host);
    const moved: string[] = [];
    for (let i = 0; i < 5; i++) {
      let paused = NaN;
      let seen = 0;
      const pausedMidTick = new Promise<void>((resolve) => {
        onEvent = () => {
          if (++seen !== 3) return;
          replay.pause();
          paused = replay.state().positionMs;
          resolve();
        };
      });
      replay.play();
      await pausedMidTick;
      onEvent = null;
      await sleep(60);
      if (replay.state().positionMs !== paused) moved.push(`cycle ${i}: paused at ${paused}, then ${replay.state().positionMs}`);
      expect(replay.state().playing).toBe(false);
    }
    expect(moved).toEqual([]);
    await replay.close();
  }, 30_000);
});
