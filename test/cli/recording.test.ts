// The recording CLI: `record` (two planes) → `info` → `tail --recording`,
// as spawned processes; and `tail --recording` printing exactly the lines a
// live tail printed for the same session (in process, same plane).

import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaneEventSchema } from '../../shared/events.js';
import { recordingLines } from '../../electron/core/recording/tail.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { BUSY_SIM, recordSession, sleep, tempDir } from '../helpers/recording.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.remove());

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/core/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGTERM'), 40_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

const lines = (s: string): Record<string, unknown>[] =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('record, info, tail --recording', () => {
  it('records two planes for --for, then info and tail read the file', async () => {
    const a = new Simulator({ port: 0, ...BUSY_SIM, agents: 40, token: 'tok' });
    const b = new Simulator({ port: 0, ...BUSY_SIM, agents: 25, seed: 2, token: 'tok' });
    await a.start();
    await b.start();
    const out = tmp.file('cli.mcap');
    try {
      const r = await run(['record', '--url', a.url, '--url', b.url, '--token', 'tok', '--out', out, '--for', '2s']);
      expect(r.code, r.stderr).toBe(0);
      const done = lines(r.stdout);
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ recording: out, messagesDropped: 0, error: null });
      expect(done[0]!.planes).toEqual([
        expect.objectContaining({ plane: 'plane-1', agents: 40 }),
        expect.objectContaining({ plane: 'plane-2', agents: 25 }),
      ]);
      expect(readFileSync(out).includes('tok"')).toBe(false);
    } finally {
      await a.stop();
      await b.stop();
    }

    const info = await run(['info', out, '--json']);
    expect(info.code, info.stderr).toBe(0);
    const i = lines(info.stdout)[0]!;
    expect(i).toMatchObject({ complete: true, problem: null });
    expect((i.planes as { id: string }[]).map((p) => p.id)).toEqual(['plane-1', 'plane-2']);
    expect(i.durationMs as number).toBeGreaterThan(1500);
    expect(i.snapshots as number).toBeGreaterThanOrEqual(4); // start and stop, per plane
    const agnt = (i.channels as { topic: string; messages: number }[]).find((c) => c.topic === '/plane-2/agents/agnt')!;
    expect(agnt.messages).toBeGreaterThan(10);
    const text = await run(['info', out]);
    expect(text.stdout).toMatch(/complete\s+yes/);

    const tail = await run(['tail', '--recording', out, '--frames']);
    expect(tail.code, tail.stderr).toBe(0);
    const tl = lines(tail.stdout);
    const events = tl.filter((l) => !('frame' in l));
    for (const e of events) expect(PlaneEventSchema.safeParse(e).success).toBe(true);
    expect(new Set(events.map((e) => e.plane))).toEqual(new Set(['plane-1', 'plane-2']));
    expect(events.some((e) => e.type === 'client.connection' && (e.payload as { state: string }).state === 'LIVE')).toBe(true);
    // Frame lines in live `tail --frames`'s format: one per decoded frame, with its records.
    const frames = tl.filter((l) => 'frame' in l);
    expect(frames.length).toBeGreaterThan(10);
    const pos = frames.find((f) => f.frame === 'POSITION_UPDATE') as { endpoint: string; count: number; records: { id: number; x: number; vx: number }[] } | undefined;
    expect(pos).toBeDefined();
    expect(pos!.endpoint).toBe('agents');
    expect(pos!.records).toHaveLength(pos!.count);
    expect(typeof pos!.records[0]!.x).toBe('number');

    // Cut off: tail prints what was complete, then a problem line with the offset, exit 1.
    const cut = tmp.file('cut.mcap');
    const full = readFileSync(out);
    writeFileSync(cut, full.subarray(0, Math.floor(full.byteLength * 0.6)));
    const t2 = await run(['tail', '--recording', cut]);
    expect(t2.code).toBe(1);
    const last = lines(t2.stdout).at(-1)!;
    expect(last).toMatchObject({ recording: 'problem' });
    expect(String(last.message)).toMatch(/offset \d+/);
    expect(lines(t2.stdout).length).toBeGreaterThan(10);
    const i2 = await run(['info', cut]);
    expect(i2.code).toBe(1);
    expect(i2.stdout).toMatch(/complete\s+no: truncated at offset/);
  }, 90_000);

  it('usage errors exit 2', async () => {
    expect((await run(['record', '--out', tmp.file('x.mcap')])).code).toBe(2);
    expect((await run(['info'])).code).toBe(2);
  }, 30_000);
});

describe('tail --recording prints what tail printed live', () => {
  it('the same lines, in the same order, with the same seq; at is the arrival time', async () => {
    const sim = new Simulator({ port: 0, ...BUSY_SIM, agents: 60 });
    await sim.start();
    const path = tmp.file('tail.mcap');
    const live: string[] = [];
    let capturing = true;
    // What `tail` prints: JSON.stringify of every PlaneEvent (headless.ts).
    const s = await recordSession(path, sim, {}, {}, (ev) => void (capturing && live.push(JSON.stringify(ev))));
    await sleep(2000);
    capturing = false;
    await s.stop();
    await sim.stop();
    const replayed: string[] = [];
    for await (const l of recordingLines(path)) replayed.push(l);
    expect(replayed.length).toBeGreaterThan(200);
    const norm = (l: string): string => { const o = JSON.parse(l) as Record<string, unknown>; return JSON.stringify([o.type, o.id, o.payload]); };
    const ls = new Set(live.map(norm));
    const rs = new Set(replayed.map(norm));
    expect(replayed.map(norm).filter((x) => !ls.has(x)), "only replayed").toEqual([]);
    expect(live.map(norm).filter((x) => !rs.has(x)), "only live").toEqual([]);
    expect(replayed.length).toBe(live.length);
    const diffs: number[] = [];
    for (let i = 0; i < live.length; i++) {
      const a = JSON.parse(live[i]!) as { at: number };
      const b = JSON.parse(replayed[i]!) as { at: number };
      // Live `at` is when the plane finished handling the message, replayed `at` when it arrived: the handling time apart.
      expect(a.at - b.at, `line ${i} at`).toBeLessThanOrEqual(50);
      expect(a.at - b.at, `line ${i} at`).toBeGreaterThanOrEqual(-1);
      diffs.push(a.at - b.at);
      expect({ ...b, at: 0 }, `line ${i}`).toEqual({ ...a, at: 0 });
    }
    diffs.sort((x, y) => x - y);
    expect(diffs[diffs.length >> 1]).toBeLessThanOrEqual(1);
  }, 30_000);
});
