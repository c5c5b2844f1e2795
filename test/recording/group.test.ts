// Synced timelines (recording/group.ts): one clock for several recordings.
// The clock alone, with members that only record what they are told; then
// two real recordings of the same test plane, started apart, on one timeline.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plane } from '../../electron/core/connection/plane.js';
import { type GroupMember, ReplayGroup } from '../../electron/core/recording/group.js';
import { Replay } from '../../electron/core/recording/replay.js';
import type { ReplayState } from '../../shared/index.js';
import { tempDir } from '../helpers/recording.js';
import { recordRuns, type RecordedRun } from '../helpers/synced-runs.js';
import { testPlanePosition } from '../helpers/test-plane.js';

class FakeMember implements GroupMember {
  readonly calls: string[] = [];
  seeks: number[] = [];
  playing = false;
  speed = 1;
  source: (() => number) | null = null;
  constructor(
    readonly startMs: number,
    readonly endMs: number,
  ) {}
  state(): ReplayState {
    return { path: 'x', playing: this.playing, speed: this.speed, startMs: this.startMs, endMs: this.endMs, positionMs: this.source?.() ?? this.startMs, planes: {}, complete: true, problem: null, error: null };
  }
  play(): void {
    this.playing = true;
    this.calls.push('play');
  }
  pause(): void {
    this.playing = false;
    this.calls.push('pause');
  }
  setSpeed(s: number): void {
    this.speed = s;
  }
  seek(ms: number): Promise<void> {
    this.seeks.push(ms);
    return Promise.resolve();
  }
  follow(source: (() => number) | null): void {
    this.source = source;
  }
}

const DAY = 86_400_000;
const T = 1_700_000_000_000;

describe('the group clock', () => {
  const make = (align?: 'start' | 'time') => {
    let now = 0;
    // Yesterday's 60 s run and today's 40 s run.
    const a = new FakeMember(T, T + 60_000);
    const b = new FakeMember(T + DAY, T + DAY + 40_000);
    const g = new ReplayGroup(
      new Map<number, GroupMember>([
        [1, a],
        [2, b],
      ]),
      align,
      () => now,
    );
    return { a, b, g, advance: (ms: number) => (now += ms) };
  };

  it('aligned by start: both start at 0; the timeline is the longer one; each follows its own recording time', () => {
    const { a, b, g } = make();
    const s = g.state();
    expect(s.align).toBe('start');
    expect(s.members.map((m) => m.offsetMs)).toEqual([0, 0]);
    expect(s.endMs).toBe(60_000);
    expect(g.timeOf(1, 10_000)).toBe(T + 10_000);
    expect(g.timeOf(2, 10_000)).toBe(T + DAY + 10_000);
    // Past the shorter one's end it stays at its end.
    expect(g.timeOf(2, 50_000)).toBe(T + DAY + 40_000);
    // Members follow the group clock.
    expect(a.source!()).toBe(T);
    expect(b.source!()).toBe(T + DAY);
  });

  it('aligned by time: the recorded start times apart; by a chosen offset: that, shifted so the smallest is 0', async () => {
    const { b, g } = make('time');
    expect(g.state().members.map((m) => m.offsetMs)).toEqual([0, DAY]);
    expect(g.state().endMs).toBe(DAY + 40_000);
    expect(g.timeOf(2, DAY + 5_000)).toBe(T + DAY + 5_000);
    // Today's run starts 5 s after yesterday's on the timeline.
    await g.setOffset(2, 5_000);
    let s = g.state();
    expect(s.align).toBe('offset');
    expect(s.members.map((m) => m.offsetMs)).toEqual([0, 5_000]);
    expect(g.timeOf(2, 4_000)).toBe(T + DAY); // before its start: at its start
    expect(g.timeOf(2, 15_000)).toBe(T + DAY + 10_000);
    // A negative offset puts it first: the other moves to keep 0 the earliest start.
    await g.setOffset(2, -3_000);
    s = g.state();
    expect(s.members.map((m) => m.offsetMs)).toEqual([3_000, 0]);
    expect(g.timelineOf(1, T)).toBe(3_000);
    b.seeks = [];
    await g.realignTo('start');
    expect(g.state().members.map((m) => m.offsetMs)).toEqual([0, 0]);
    expect(b.seeks.length).toBe(1);
  });

  it('seek moves every member to its own recording time; clamped to the timeline', async () => {
    const { a, b, g } = make();
    await g.seek(30_000);
    expect(a.seeks.at(-1)).toBe(T + 30_000);
    expect(b.seeks.at(-1)).toBe(T + DAY + 30_000);
    expect(g.state().positionMs).toBe(30_000);
    await g.seek(-5);
    expect(g.state().positionMs).toBe(0);
    await g.seek(10 * DAY);
    expect(g.state().positionMs).toBe(60_000);
    expect(b.seeks.at(-1)).toBe(T + DAY + 40_000);
  });

  it('play, speed and pause drive every member from one clock; the end pauses it', async () => {
    const { a, b, g, advance } = make();
    g.play();
    expect(a.playing && b.playing).toBe(true);
    advance(2_000);
    expect(g.clock()).toBe(2_000);
    expect(a.source!()).toBe(T + 2_000);
    expect(b.source!()).toBe(T + DAY + 2_000);
    g.setSpeed(4);
    expect(a.speed).toBe(4);
    advance(1_000);
    expect(g.clock()).toBe(6_000);
    g.pause();
    expect(a.playing || b.playing).toBe(false);
    advance(10_000);
    expect(g.state().positionMs).toBe(6_000);
    expect(g.state().playing).toBe(false);
    // Seek while paused stays paused; play runs to the end and stops there.
    await g.seek(59_000);
    expect(a.playing).toBe(false);
    g.play();
    advance(1_000);
    const s = g.state();
    expect(s.positionMs).toBe(60_000);
    expect(s.playing).toBe(false);
    expect(a.calls.at(-1)).toBe('pause');
  });

  it('a removed member plays by its own clock again; fewer than two cannot be a group', () => {
    const { b, g } = make();
    g.remove(2);
    expect(b.source).toBeNull();
    expect(g.size).toBe(1);
    expect(() => new ReplayGroup(new Map([[1, new FakeMember(T, T + 1)]]))).toThrow(/two or more/);
  });
});

describe('two recordings of the same test plane, started 1.5 s apart', () => {
  const tmp = tempDir();
  let runs: RecordedRun[];
  const replays: Replay[] = [];
  const planes = new Map<string, Plane>();
  const host = { listenerFor: () => ({ event: () => undefined }), putPlane: (p: Plane) => void planes.set(p.config.id, p), removePlane: (id: string) => planes.delete(id), plane: (id: string) => planes.get(id) };
  const AGENT = 2;
  const at = (plane: string): { x: number; y: number } => {
    const s = planes.get(plane)!.store;
    const slot = s.slotOf(AGENT);
    return { x: s.pos[3 * slot]!, y: s.pos[3 * slot + 1]! };
  };
  const dist = (p: { x: number; y: number }, q: { x: number; y: number }): number => Math.hypot(p.x - q.x, p.y - q.y);

  beforeAll(async () => {
    runs = await recordRuns([tmp.file('a.mcap'), tmp.file('b.mcap')], { gapMs: 1500, durationMs: 3500, agents: 4, positionHz: 20 });
    replays.push(await Replay.open(runs[0]!.file, host), await Replay.open(runs[1]!.file, host));
  }, 30_000);
  afterAll(async () => {
    for (const r of replays) await r.close();
    tmp.remove();
  });

  it('aligned by start: the same agent at the same place at the same timeline time; aligned by time: not', async () => {
    const [a, b] = replays as [Replay, Replay];
    expect([...planes.keys()].sort()).toEqual(['rec:tp', 'rec:tp-2']);
    expect(b.state().startMs - a.state().startMs).toBeGreaterThan(1200);
    const g = new ReplayGroup(
      new Map<number, GroupMember>([
        [1, a],
        [2, b],
      ]),
    );
    for (const t of [1000, 2500]) {
      await g.seek(t);
      const pa = at('rec:tp');
      const pb = at('rec:tp-2');
      // Both where the scripted run had the agent `t` ms after its start (one 50 ms position period apart at most).
      expect(dist(pa, pb)).toBeLessThan(2);
      expect(dist(pa, testPlanePosition(AGENT, t))).toBeLessThan(3);
    }
    // The motion is real: 1.5 s apart on the clock, the agent is far from where it was.
    const before = at('rec:tp');
    await g.seek(1000);
    expect(dist(before, at('rec:tp'))).toBeGreaterThan(10);
    await g.realignTo('time');
    expect(g.state().members[1]!.offsetMs).toBeGreaterThan(1200);
    await g.seek(g.state().members[1]!.offsetMs + 1000);
    expect(dist(at('rec:tp'), at('rec:tp-2'))).toBeGreaterThan(10);
    // Back by start, played for a while and paused: still together.
    await g.realignTo('start');
    await g.seek(500);
    g.play();
    await new Promise((r) => setTimeout(r, 800));
    g.pause();
    await a.seek(a.state().positionMs); // let each apply what the paused clock reached
    await b.seek(b.state().positionMs);
    const s = g.state();
    expect(s.positionMs).toBeGreaterThan(900);
    expect(Math.abs(s.members[0]!.state.positionMs - s.members[0]!.state.startMs - (s.members[1]!.state.positionMs - s.members[1]!.state.startMs))).toBeLessThan(60);
    expect(dist(at('rec:tp'), at('rec:tp-2'))).toBeLessThan(4);
    g.dissolve();
  }, 30_000);

  it('each recording\'s agents per state over time, one point per snapshot', async () => {
    const series = await replays[0]!.series();
    expect(series.planes.map((p) => p.plane)).toEqual(['rec:tp']);
    const p = series.planes[0]!;
    // Snapshots every second over 3.5 s, and at the start and the end.
    expect(p.t.length).toBeGreaterThanOrEqual(4);
    expect([...p.t].sort((x, y) => x - y)).toEqual(p.t);
    expect(p.t[0]).toBeGreaterThanOrEqual(replays[0]!.state().startMs);
    // Every point counts the 4 agents once they came; the script moved some into other states as the run went on.
    const last = p.t.length - 1;
    expect(Object.values(p.states).reduce((n, c) => n + c[last]!, 0)).toBe(4);
    expect(p.states.EXECUTING?.[last]).toBeGreaterThanOrEqual(1);
    expect(p.states.EXECUTING?.[0] ?? 0).toBe(0);
    // The other run (started 1.5 s later) went through the same states at the same moments of its run.
    const q = (await replays[1]!.series()).planes[0]!;
    expect(Object.keys(q.states).sort()).toEqual(Object.keys(p.states).sort());
    for (const c of Object.values(p.states)) expect(c.length).toBe(p.t.length);
  });
});
