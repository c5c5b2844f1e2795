// 100 forced reconnect cycles must not leak: no WebSocket retained, no timer
// or socket handle left behind, bounded heap, and nothing at all after close().
// Runs in a child `node --expose-gc` (reconnect-leak.child.ts) so GC can be forced.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./reconnect-leak.child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Report {
  cycles: number;
  reconnects: number;
  heapGrowth: number;
  wsSeen: number;
  wsAlive: number;
  before: Record<string, number>;
  baseHandles: Record<string, number>;
  endHandles: Record<string, number>;
  afterClose: Record<string, number>;
  baseTimers: number;
  live: { sockets: number; timers: number; pendingCommands: number; bufferedChannelMessages: number };
  closed: { sockets: number; timers: number; pendingCommands: number; bufferedChannelMessages: number };
}

function run(cycles: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, String(cycles)], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`leak child failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(line) as Report);
    });
  });
}

describe('reconnect cycles', () => {
  it('100 reconnects of 3 endpoints leave no WebSocket, timer or socket behind, and the heap flat', async () => {
    const r = await run(100);
    expect(r.reconnects).toBeGreaterThanOrEqual(300);
    expect(r.wsSeen).toBeGreaterThanOrEqual(600); // client and server side of every connection
    // Only the current connection's 3 client + 3 server sockets are alive.
    expect(r.wsAlive).toBeLessThanOrEqual(8);
    // Same handles after 90 more cycles as after 10.
    expect(r.endHandles.Timeout).toBe(r.baseHandles.Timeout);
    expect(r.endHandles.TCPSocketWrap).toBe(r.baseHandles.TCPSocketWrap);
    expect(r.live.timers).toBe(r.baseTimers);
    expect(r.live.sockets).toBe(3);
    // Generous: ~0.4 MB is normal (V8's own caches); a retained socket per cycle costs more.
    expect(r.heapGrowth).toBeLessThan(3 * 1024 * 1024);
    // close() releases everything the plane had.
    expect(r.closed).toEqual({ sockets: 0, timers: 0, pendingCommands: 0, bufferedChannelMessages: 0 });
    expect(r.afterClose.Timeout).toBe(r.before.Timeout);
    expect(r.afterClose.TCPSocketWrap ?? 0).toBe(0);
  });
});
