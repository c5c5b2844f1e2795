// The conformance matrix, CLI side: against the simulator in every dialect,
// `tail --frames` shows the connection going LIVE, the dialect's conformance
// notes as client.conformance events and decoded frames as JSON lines;
// `command` round-trips; `probe --json` reports the deviations and exits 0.
// Plus probe's exit codes for a refused and an unusable plane, and its table.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES } from '../../electron/core/sim/simulator.js';
import { QUIET, useHarness } from '../helpers/harness.js';
import { EXPECTED_NOTES } from './expected-notes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const h = useHarness();

interface Run {
  code: number | null;
  stdout: string;
  lines: Record<string, unknown>[];
}

function run(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/core/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', () => undefined);
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stdout, lines });
    });
  });
}

type Probe = { verdict: string; exitCode: number; endpoints: Record<string, { wentLive: boolean; conformance: string[]; frames: Record<string, number>; messages: Record<string, number>; upgrade: { status: number } | null }> };

describe('conformance matrix (CLI)', () => {
  it.each(DIALECT_NAMES)('%s: tail --frames, command and probe', async (dialect) => {
    const s = await h.sim({ ...QUIET, agents: 4, stateChangesPerSecond: 10, compressThreshold: 0, dialect });
    const [tail, command, probe] = await Promise.all([
      run(['tail', '--url', s.url, '--for', '3500ms', '--frames']),
      run(['command', '--url', s.url, '--agent', 'agent-001', '--command', 'fetch_logs', '--param', 'lines=2', '--timeout', '5s']),
      run(['probe', '--url', s.url, '--for', '3500ms', '--json']),
    ]);
    expect(tail.code).toBe(0);
    const states = tail.lines.filter((l) => l.type === 'client.connection').map((l) => (l.payload as { state: string }).state);
    expect(states).toContain('LIVE');
    expect(states).not.toContain('RECONNECTING');
    const noted = new Set(tail.lines.filter((l) => l.type === 'client.conformance').map((l) => (l.payload as { code: string }).code));
    const want = EXPECTED_NOTES[dialect];
    for (const c of want.all) expect(noted, `${dialect}: ${c}`).toContain(c);
    if (want.all.length === 0) expect(noted.size).toBe(0);
    if (dialect === 'v1') {
      // A 1.0 server never sends binary: no frame lines, the store filled from JSON.
      expect(tail.lines.some((l) => 'frame' in l)).toBe(false);
    } else {
      const pos = tail.lines.find((l) => l.frame === 'POSITION_UPDATE') as { records: Record<string, number>[] } | undefined;
      expect(pos, dialect).toBeDefined();
      expect(Object.keys(pos!.records[0]!)).toEqual(['id', 'x', 'y', 'z', 'vx', 'vy', 'vz']);
    }
    expect(command.code).toBe(0);
    expect(command.lines[0]).toMatchObject({ status: 'success' });
    expect(probe.code).toBe(0);
    const doc = probe.lines[0] as unknown as Probe;
    expect(doc.verdict).toBe('usable');
    for (const ep of ['agents', 'graph', 'control']) {
      const r = doc.endpoints[ep]!;
      expect(r.wentLive).toBe(true);
      expect(r.upgrade!.status).toBe(101);
      expect(r.conformance.length).toBeGreaterThanOrEqual(want.all.length);
    }
    if (dialect !== 'v1') expect(doc.endpoints.agents!.frames.POSITION_UPDATE).toBeGreaterThan(0);
    expect(doc.endpoints.agents!.messages['agent.state.changed'] ?? 0).toBeGreaterThan(0);
  });

  it('probe exits 4 when refused and 5 when unusable, and prints a readable table by default', async () => {
    const locked = await h.sim({ ...QUIET, token: 'right' });
    const refusing = await h.sim({ ...QUIET, faults: { refuseVersions: true } });
    const fine = await h.sim({ ...QUIET, dialect: 'minimal' });
    const [refused, unusable, table] = await Promise.all([
      run(['probe', '--url', locked.url, '--token', 'wrong', '--for', '5s', '--json']),
      run(['probe', '--url', refusing.url, '--for', '5s', '--json']),
      run(['probe', '--url', fine.url, '--for', '3s']),
    ]);
    expect(refused.code).toBe(4);
    expect((refused.lines[0] as unknown as Probe).endpoints.agents!.upgrade!.status).toBe(401);
    expect(unusable.code).toBe(5);
    expect((unusable.lines[0] as unknown as Probe).verdict).toBe('unusable');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^probe ws:\/\/127\.0\.0\.1:\d+ for \d+ ms: usable \(exit 0\)/);
    expect(table.stdout).toMatch(/agents\s+101\s+LIVE\s+1\.1 \(assumed\)/);
    expect(table.stdout).toContain('handshake_ack: none received');
    expect(table.stdout).toContain('no handshake_ack within 2000 ms');
  });
});
