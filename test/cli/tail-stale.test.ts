// Liveness as `tail` reports it, against the independent test plane: a server
// that goes silent without closing is STALE at 3 × its heartbeat interval (not
// before), the plane_stale alert fires, and when it answers again the plane is
// LIVE again on the same connection and the alert resolves.
import { afterEach, describe, expect, it } from 'vitest';
import { runTail } from '../../electron/core/cli/headless.js';
import { TestPlane } from '../helpers/test-plane.js';
import { waitFor } from '../helpers/wait.js';

const planes: TestPlane[] = [];
afterEach(async () => {
  for (const p of planes.splice(0)) await p.stop();
});

type Line = Record<string, unknown> & { payload?: Record<string, unknown> };

describe('tail: a silent plane', () => {
  it('is STALE at 3 × its interval, not before; LIVE again when it answers', { timeout: 60_000 }, async () => {
    const tp = new TestPlane({ agents: 2, heartbeatIntervalMs: 1000 });
    planes.push(tp);
    await tp.start();
    const lines: { at: number; line: Line }[] = [];
    const stop = new AbortController();
    const done = runTail(['--url', tp.url, '--endpoints', 'agents,control'], (l) => lines.push({ at: Date.now(), line: JSON.parse(l) as Line }), stop.signal);
    const connection = (state: string) => lines.filter(({ line }) => line.type === 'client.connection' && line.payload?.state === state);
    await waitFor('LIVE', () => connection('LIVE').length > 0, 15_000);
    const upgradesBefore = { ...tp.accepted };
    const silentAt = Date.now();
    tp.silence(true);
    await waitFor('STALE', () => connection('STALE').length > 0, 10_000);
    const stale = lines.find(({ line }) => line.type === 'client.stale')!;
    // 3 × 1000 ms of silence since the last traffic; the silence began at most an interval after it.
    expect(stale.line.payload!.heartbeatIntervalMs).toBe(1000);
    expect(stale.line.payload!.silentForMs as number).toBeGreaterThanOrEqual(3000);
    expect(stale.line.payload!.silentForMs as number).toBeLessThan(3000 + 600);
    expect(connection('STALE')[0]!.at - silentAt).toBeGreaterThanOrEqual(2000 - 50);
    expect(lines.some(({ line }) => line.type === 'client.alert' && line.kind === 'plane_stale' && line.state === 'firing')).toBe(true);
    // It answers within the probe's wait: LIVE again, on the same connection, and the alert resolves.
    tp.silence(false);
    await waitFor('LIVE again', () => connection('LIVE').length > 1, 10_000);
    await waitFor('resolved', () => lines.some(({ line }) => line.type === 'client.alert' && line.kind === 'plane_stale' && line.state === 'resolved'), 10_000);
    expect(tp.accepted).toEqual(upgradesBefore);
    stop.abort();
    await expect(done).resolves.toBe(0);
  });
});
