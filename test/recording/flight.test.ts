// The flight recorder (recording/flight.ts) against the independent test
// plane: segments roll, the files stay under the byte budget with the oldest
// deleted first and never the current one; an unwritable cache turns it off
// for the plane with a reason while intake goes on; Save writes a file the
// independent MCAP reader accepts, covering the span; rewind shows the agents
// where the plane sent them then, refuses commands, and LIVE returns.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SwarmCore } from '../../electron/core/app/core.js';
import { runInfo } from '../../electron/core/cli/info.js';
import { FlightRecorder } from '../../electron/core/recording/flight.js';
import { RewindService } from '../../electron/core/recording/rewind.js';
import { readFraming } from '../helpers/mcap-framing.js';
import { sleep, storeRows, tempDir } from '../helpers/recording.js';
import { TestPlane, testPlanePosition } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function setup(agents = 20, positionHz = 20): Promise<{ tp: TestPlane; core: SwarmCore }> {
  const tp = new TestPlane({ agents, positionHz, heartbeatIntervalMs: 30_000 });
  await tp.start();
  stops.push(() => tp.stop());
  const core = new SwarmCore([{ id: 'tp', label: 'TP', url: tp.url, color: 0 }]);
  core.start();
  stops.push(() => core.stop());
  await waitFor('the plane is live', () => core.plane('tp')!.state === 'LIVE' && core.plane('tp')!.store.agents === agents);
  return { tp, core };
}

const segmentFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.mcap')).sort();
  } catch {
    return [];
  }
};
const diskBytes = (dir: string): number => segmentFiles(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

describe('flight recorder', () => {
  it('rolls segments, stays under the byte budget, deletes the oldest first and never the current one', async () => {
    const { core } = await setup(200, 20);
    const maxBytes = 600_000;
    const flight = new FlightRecorder(core, { dir: tmp.file('cache-budget'), windowMs: 15 * 60_000, maxBytes, tickMs: 60_000, segmentMs: 400, recorder: { compression: 'none', snapshotEveryMs: 200 } });
    flight.start();
    stops.push(() => flight.stop());
    await waitFor('a first segment', () => flight.segments('tp').length === 1);
    const planeDir = join(flight.runDir, 'tp');
    let deleted = 0;
    let seen = new Set<string>();
    let maxOnDisk = 0;
    for (let i = 0; i < 25; i++) {
      await sleep(150);
      await flight.tick();
      const files = segmentFiles(planeDir);
      const onDisk = diskBytes(planeDir);
      maxOnDisk = Math.max(maxOnDisk, onDisk);
      expect(onDisk, `tick ${i}: files under --rewind-bytes`).toBeLessThanOrEqual(maxBytes);
      const segs = flight.segments('tp');
      // The current segment is always there; what is left is a contiguous run of the newest (the oldest went first).
      expect(files).toContain(segs.at(-1)!.path.split('/').at(-1));
      const nums = files.map((f) => Number(/(\d+)/.exec(f)![1]));
      for (let k = 1; k < nums.length; k++) expect(nums[k], `tick ${i}: contiguous ${nums.join(',')}`).toBe(nums[k - 1]! + 1);
      for (const f of seen) if (!files.includes(f)) deleted++;
      seen = new Set(files);
      // The index is the files (one more may be the next segment, being opened by a roll).
      expect(files.slice(0, segs.length)).toEqual(segs.map((s) => s.path.split('/').at(-1)));
      expect(files.length - segs.length).toBeLessThanOrEqual(1);
    }
    expect(deleted, 'segments were deleted for the budget').toBeGreaterThan(2);
    expect(maxOnDisk).toBeGreaterThan(maxBytes / 3);
    const st = flight.status();
    expect(st.planes[0]!.recording).toBe(true);
    expect(st.planes[0]!.off).toBeNull();
    expect(st.bytes).toBeLessThanOrEqual(maxBytes);
  }, 30_000);

  it('deletes segments past the window', async () => {
    const { core } = await setup(20, 20);
    const flight = new FlightRecorder(core, { dir: tmp.file('cache-window'), windowMs: 1000, maxBytes: 1e9, tickMs: 100, segmentMs: 300, recorder: { compression: 'none' } });
    flight.start();
    stops.push(() => flight.stop());
    await sleep(3000);
    await flight.tick();
    const segs = flight.segments('tp');
    expect(segs[0]!.startMs).toBeGreaterThan(Date.now() - 1000 - 300 - 400);
    // The files are the index (one more may be a segment a roll is opening now).
    expect(segmentFiles(join(flight.runDir, 'tp')).length - segs.length).toBeGreaterThanOrEqual(0);
    expect(segmentFiles(join(flight.runDir, 'tp')).length - segs.length).toBeLessThanOrEqual(1);
    expect(Number(/(\d+)\.mcap$/.exec(segs[0]!.path)![1]), 'older segments were made and deleted').toBeGreaterThan(3);
  }, 20_000);

  it('an unwritable cache turns it off for the plane with a reason; intake goes on', async () => {
    const { tp, core } = await setup(10, 20);
    // Root ignores permissions: a regular file where the cache folder should be cannot be written under either way.
    const blocked = tmp.file('cache-file');
    writeFileSync(blocked, 'not a folder');
    const flight = new FlightRecorder(core, { dir: blocked, windowMs: 60_000, maxBytes: 1e9, tickMs: 100 });
    flight.start();
    stops.push(() => flight.stop());
    const off = await waitFor('the recorder is off', () => flight.status().planes[0]?.off);
    expect(off).toMatch(/cannot write/);
    expect(flight.problem('tp')).toBe(off);
    const notes = core.monitor('tp').history(0, 0).connection.map((n) => n.text);
    expect(notes.some((t) => /FLIGHT_RECORDER_OFF: rewind is off for this plane: the flight recorder cannot write/.test(t))).toBe(true);
    const before = tp.sentPositionsAt.length;
    const pos = core.plane('tp')!.store;
    const first = storeRows(pos).get(1)!.pos.slice();
    await waitFor('positions still arrive', () => tp.sentPositionsAt.length > before + 5 && storeRows(pos).get(1)!.pos[0] !== first[0]);
    expect(core.plane('tp')!.state).toBe('LIVE');
  }, 20_000);

  it('a deleted folder turns it off with a reason', async () => {
    const { core } = await setup(10, 20);
    const flight = new FlightRecorder(core, { dir: tmp.file('cache-deleted'), windowMs: 60_000, maxBytes: 1e9, tickMs: 100, recorder: { compression: 'none' } });
    flight.start();
    stops.push(() => flight.stop());
    await waitFor('a first segment', () => flight.segments('tp').length === 1);
    const { rmSync } = await import('node:fs');
    rmSync(flight.runDir, { recursive: true, force: true });
    const off = await waitFor('the recorder is off', () => flight.status().planes[0]?.off);
    expect(off).toMatch(/was deleted/);
    expect(core.plane('tp')!.state).toBe('LIVE');
  }, 20_000);

  it('Save writes a file the independent MCAP reader accepts, covering the span', async () => {
    const { core } = await setup(20, 20);
    const flight = new FlightRecorder(core, { dir: tmp.file('cache-save'), windowMs: 60_000, maxBytes: 1e9, tickMs: 100, segmentMs: 700, recorder: { snapshotEveryMs: 300 } });
    flight.start();
    stops.push(() => flight.stop());
    const rewind = new RewindService(core, flight, tmp.file('recordings'));
    stops.push(() => rewind.stop());
    await waitFor('a first segment', () => flight.segments('tp').length === 1);
    const t0 = Date.now();
    await sleep(2500);
    const from = t0 + 800;
    const to = t0 + 2000;
    expect(flight.segments('tp').length, 'the span crosses segments').toBeGreaterThan(2);
    const r = await rewind.act({ plane: 'tp', action: 'save', fromMs: from, toMs: to });
    expect(r.saved).toMatch(/swarmdeck-rewind-tp-.*\.mcap$/);
    const f = await readFraming(new Uint8Array(readFileSync(r.saved!)));
    expect(f.complete).toBe(true);
    expect(f.header.profile).toBe('swarmdeck');
    const msgs = f.chunks.flatMap((c) => c.messages);
    const times = msgs.map((m) => Number(m.logTime / 1_000_000n));
    expect(Math.min(...times), 'starts at the snapshot before the span').toBeLessThanOrEqual(from);
    expect(Math.min(...times)).toBeGreaterThan(from - 1000);
    expect(Math.max(...times)).toBeLessThanOrEqual(to);
    expect(Math.max(...times)).toBeGreaterThan(to - 300);
    const topics = new Set(msgs.map((m) => f.channels.get(m.channelId)!.topic));
    expect(topics).toContain('/tp/snapshot');
    expect(topics).toContain('/tp/agents/agnt');
    // Positions throughout: no gap at a segment boundary longer than a few sends.
    const agnt = msgs.filter((m) => f.channels.get(m.channelId)!.topic === '/tp/agents/agnt').map((m) => Number(m.logTime / 1_000_000n));
    for (let i = 1; i < agnt.length; i++) expect(agnt[i]! - agnt[i - 1]!, 'gap between position messages').toBeLessThan(400);
    expect(f.statistics!.messageCount).toBe(BigInt(msgs.length));
    // `swarmdeck info` reads it like any recording.
    const lines: string[] = [];
    expect(await runInfo([r.saved!, '--json'], (l) => lines.push(l))).toBe(0);
    const info = JSON.parse(lines.join('')) as { complete: boolean; planes: { id: string }[]; snapshots: number };
    expect(info.complete).toBe(true);
    expect(info.planes.map((p) => p.id)).toEqual(['tp']);
    expect(info.snapshots).toBeGreaterThan(1);
  }, 20_000);

  it('rewinds to where the plane sent the agents then, refuses commands, and LIVE returns', async () => {
    const { tp, core } = await setup(30, 10);
    const flight = new FlightRecorder(core, { dir: tmp.file('cache-rewind'), windowMs: 60_000, maxBytes: 1e9, tickMs: 100, segmentMs: 800 });
    flight.start();
    stops.push(() => flight.stop());
    const rewind = new RewindService(core, flight, tmp.file('recordings-2'));
    core.refuseCommandsWhen((p) => rewind.commandRefusal(p));
    stops.push(() => rewind.stop());
    await waitFor('a first segment', () => flight.segments('tp').length === 1);
    await sleep(3000);
    // A moment between two sends, well inside an older segment.
    const sent = tp.sentPositionsAt.filter((t) => t > flight.segments('tp')[0]!.startMs + 500);
    const k = 3;
    const at = sent[k]! + 50;
    const r = await rewind.act({ plane: 'tp', action: 'seek', at });
    expect(r.mode).toBe('rewind');
    expect(r.replayPlane).toBe('rewind:tp');
    expect(Math.abs(r.atMs! - at)).toBeLessThan(1);
    const rows = storeRows(core.plane('rewind:tp')!.store);
    expect(rows.size).toBe(30);
    for (const id of [1, 7, 30]) {
      const want = testPlanePosition(id, sent[k]!);
      expect(rows.get(id)!.pos[0]).toBeCloseTo(want.x, 3);
      expect(rows.get(id)!.pos[1]).toBeCloseTo(want.y, 3);
    }
    // Live goes on meanwhile.
    const liveBefore = storeRows(core.plane('tp')!.store).get(1)!.pos[0];
    await sleep(300);
    expect(storeRows(core.plane('tp')!.store).get(1)!.pos[0]).not.toBe(liveBefore);
    const refused = await core.command({ plane: 'tp', request: { kind: 'command', command: 'restart', agentId: 'agent-001' } });
    expect(refused.status).toBe('refused');
    expect(refused.status === 'refused' && refused.code).toBe('REWOUND');
    expect(refused.status === 'refused' && refused.message).toMatch(/rewound .* commands are refused .* LIVE/);
    expect(core.replayList().map((e) => e.state.path)).toEqual(['rewind:tp']);
    // The rewound plane is a timeline entry like a recording: its series and an alert's moment are served; a synced
    // timeline refuses it, saying why.
    const id = core.replayList()[0]!.id;
    expect((await core.replaySeries({ id }))!.planes.map((p) => p.plane)).toEqual(['rewind:tp']);
    const moment = (await core.replayMoment({ plane: 'rewind:tp', at: sent[k + 5]!, beforeMs: 200 }))!;
    expect(moment.id).toBe(id);
    expect(moment.momentMs).toBe(sent[k + 5]!);
    expect(Math.abs(moment.positionMs - (sent[k + 5]! - 200))).toBeLessThan(1);
    await expect(core.replayGroupAction({ action: 'sync', ids: [id, id] })).rejects.toThrow(/rewound plane: .* cannot join a synced timeline; save it/);
    await rewind.act({ plane: 'tp', action: 'seek', at });
    // Across a segment: later, in the growing one.
    const late = Date.now() - 200;
    await rewind.act({ plane: 'tp', action: 'seek', at: late });
    expect(Math.abs(rewind.rewoundAt('tp')! - late)).toBeLessThan(1);
    const back = await rewind.act({ plane: 'tp', action: 'live' });
    expect(back.mode).toBe('live');
    expect(core.plane('rewind:tp')).toBeUndefined();
    expect(core.replayList()).toEqual([]);
    expect(rewind.commandRefusal('tp')).toBeNull();
  }, 30_000);
});
