// The headless CLI as a script sees it: spawned processes against a simulator
// started here; stdout JSON lines and exit codes (docs/PROTOCOL.md, "Headless CLI").

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PlaneEventSchema } from '../../shared/events.js';
import { waitFor } from '../helpers/wait.js';
import { QUIET, useHarness } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = 'node_modules/tsx/dist/cli.mjs';
const MAIN = 'electron/core/cli/main.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  lines: Record<string, unknown>[];
}

const h = useHarness();

function start(args: string[]): { child: ChildProcess; done: Promise<Run>; stdout: () => string } {
  const t0 = Date.now();
  const child = spawn(process.execPath, [TSX, MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // The tsx CLI relays SIGTERM to the node process it runs; a SIGKILL would orphan that one, so it comes last.
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const exited = await Promise.race([new Promise<boolean>((r) => child.once('close', () => r(true))), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!exited) child.kill('SIGKILL');
  };
  const killer = setTimeout(() => void stop(), 20_000);
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      // JSON lines (tail, command); anything else (the sim's banner) is kept as {text}.
      const lines = stdout
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l): Record<string, unknown> => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return { text: l };
          }
        });
      resolve({ code, stdout, stderr, ms: Date.now() - t0, lines });
    });
  });
  h.defer(stop);
  return { child, done, stdout: () => stdout };
}

const run = (args: string[]): Promise<Run> => start(args).done;

describe('swarmdeck tail', () => {
  it('prints one PlaneEvent JSON line per event, state changes included, each alert transition after its event, and exits 0 after --for', async () => {
    const s = await h.sim({ ...QUIET, agents: 5, stateChangesPerSecond: 20, heartbeatIntervalMs: 1000 }); // the client beats at >= 1 s (its clamp): a faster server rhythm would close it for silence
    const r = await run(['tail', '--url', s.url, '--for', '1500ms']);
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(1500);
    const events = r.lines.filter((l) => l.type !== 'client.alert');
    expect(events.length).toBeGreaterThan(5);
    for (const l of events) expect(PlaneEventSchema.safeParse(l).success).toBe(true);
    events.forEach((l, i) => expect(l.seq).toBe(i));
    // Every other line is an alert transition with exactly the public fields.
    for (const a of r.lines.filter((l) => l.type === 'client.alert')) {
      expect(Object.keys(a).filter((k) => k !== 'agent')).toEqual(['type', 'state', 'key', 'kind', 'plane', 'count', 'since']);
    }
    const states = events.filter((l) => l.type === 'client.connection').map((l) => (l.payload as { state: string }).state);
    expect(states[0]).toBe('CONNECTING');
    expect(states).toContain('LIVE');
    expect(states.at(-1)).toBe('CLOSED');
    expect(events.some((l) => l.type === 'handshake_ack')).toBe(true);
    expect(events.some((l) => l.type === 'agent.state.changed')).toBe(true);
    // Our own close at --for is no outage.
    expect(r.lines.some((l) => l.type === 'client.alert' && l.kind === 'plane_down')).toBe(false);
  });

  it('runs until SIGINT without --for, then exits 0', async () => {
    const s = await h.sim({ ...QUIET });
    const p = start(['tail', '--url', s.url, '--endpoints', 'control']);
    await waitFor('LIVE line', () => p.stdout().includes('"state":"LIVE"'), 15_000);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.lines.some((l) => l.type === 'handshake_ack')).toBe(true);
  });

  it('exits 4 on AUTH_REQUIRED and 5 on FAILED instead of waiting', async () => {
    const s = await h.sim({ ...QUIET, token: 'right' });
    const s2 = await h.sim({ ...QUIET, faults: { refuseVersions: true } });
    const [auth, failed] = await Promise.all([run(['tail', '--url', s.url, '--token', 'wrong', '--for', '10s']), run(['tail', '--url', s2.url, '--for', '10s'])]);
    expect(auth.code).toBe(4);
    expect(auth.ms).toBeLessThan(9000);
    expect(auth.lines.some((l) => l.type === 'client.connection' && (l.payload as { state: string }).state === 'AUTH_REQUIRED')).toBe(true);
    expect(failed.code).toBe(5);
    expect(JSON.stringify(failed.lines)).toContain('no common protocol version');
  });
});

describe('swarmdeck command', () => {
  it('prints the result as one JSON line; exit 0 success, 1 failed or error, 3 timeout, 4 refused', async () => {
    const s = await h.sim({ ...QUIET, agents: 5, token: 'tok' });
    const slow = await h.sim({ ...QUIET, faults: { commandNoAnswer: true } });
    const base = ['command', '--url', s.url, '--token', 'tok', '--agent', 'agent-002'];
    const [ok, failed, invalid, timeout, refused] = await Promise.all([
      run([...base, '--command', 'restart', '--param', 'delay_seconds=3']),
      run([...base, '--command', 'update']),
      run([...base, '--command', 'self_destruct']),
      // Long enough to connect and send on a loaded machine; the plane never answers.
      run(['command', '--url', slow.url, '--agent', 'agent-001', '--command', 'restart', '--timeout', '3s']),
      run(['command', '--url', s.url, '--token', 'nope', '--agent', 'agent-001', '--command', 'restart']),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.lines).toHaveLength(1);
    expect(ok.lines[0]).toMatchObject({ status: 'success', command: 'restart', message: 'restarting agent-002 in 3 s' });
    expect(failed.code).toBe(1);
    expect(failed.lines[0]).toMatchObject({ status: 'failed' });
    expect(invalid.code).toBe(1);
    expect(invalid.lines[0]).toMatchObject({ status: 'error', code: 'INVALID_COMMAND' });
    expect(timeout.code).toBe(3);
    expect(timeout.lines[0]).toMatchObject({ status: 'timeout', timeoutMs: 3000, sent: true });
    expect(refused.code).toBe(4);
    expect(refused.lines[0]).toMatchObject({ status: 'refused', code: 'AUTH_REQUIRED' });
  });

  it('sends control.execute with --kind execute', async () => {
    const s = await h.sim({ ...QUIET, agents: 5 });
    const r = await run(['command', '--url', s.url, '--agent', 'agent-003', '--command', 'execute_tool', '--kind', 'execute', '--param', 'tool=web_search']);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatchObject({ status: 'success', command: 'execute_tool' });
  });
});

describe('bad input', () => {
  it('exits 2 with a clear message on stderr and nothing on stdout', { timeout: 90_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['tail'], /--url is required/],
      [['tail', '--url', 'http://127.0.0.1:1'], /--url must be a ws:\/\/ or wss:\/\/ URL/],
      [['tail', '--url', 'ws://127.0.0.1:1', '--for', '10'], /--for must be a positive duration like 500ms, 10s or 2m, got "10"/],
      [['tail', '--url', 'ws://127.0.0.1:1', '--endpoints', 'agents,bogus'], /--endpoints/],
      [['tail', '--url', 'ws://127.0.0.1:1', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['command', '--url', 'ws://127.0.0.1:1', '--command', 'restart'], /--agent is required/],
      [['command', '--url', 'ws://127.0.0.1:1', '--agent', 'a', '--command', 'restart', '--param', 'novalue'], /--param must look like key=value/],
      [['command', '--url', 'ws://127.0.0.1:1', '--agent', 'a', '--command', 'restart', '--timeout', 'soon'], /--timeout must be a positive duration/],
      [['command', '--url', 'ws://127.0.0.1:1', '--agent', 'a', '--command', 'restart', '--kind', 'magic'], /--kind must be command or execute/],
      [['sim', '--fault', 'explode'], /unknown fault "explode"/],
      [['sim', '--fault', 'drop-every=often'], /drop-every: "often" is not a duration/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /usage: swarmdeck/],
    ];
    // Four at a time: thirteen processes at once on a loaded 2-core machine can outlast the 20 s guard.
    const results: Run[] = [];
    for (let i = 0; i < cases.length; i += 4) results.push(...(await Promise.all(cases.slice(i, i + 4).map(([args]) => run(args)))));
    results.forEach((r, i) => {
      const [args, msg] = cases[i]!;
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(msg);
    });
  });
});

describe('swarmdeck sim', () => {
  it('starts with --fault switches that take effect, and stops on SIGTERM', async () => {
    const p = start(['sim', '--port', '0', '--agents', '5', '--heartbeat', '500ms', '--fault', 'drop-every=700ms', '--fault', 'clock-skew=-3s']);
    await waitFor('sim banner', () => /ws:\/\/127\.0\.0\.1:\d+/.test(p.stdout()), 15_000);
    const banner = p.stdout();
    expect(banner).toContain('faults: drop-every=700ms, clock-skew=-3s');
    const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(banner)![0];
    const t = h.plane({ url, endpoints: { agents: false, graph: false } });
    await t.state('LIVE');
    await waitFor('dropped by the fault', () => t.plane.counters.reconnects >= 1, 5000);
    expect(t.plane.status().serverClockOffsetMs).toBeLessThan(-2800);
    t.plane.close();
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code).toBe(0);
  });

  it('routes decode to the decoder', async () => {
    const r = await run(['decode']);
    expect(r.code).toBe(2);
  });
});
