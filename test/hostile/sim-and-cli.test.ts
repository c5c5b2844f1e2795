// The simulator's upgrade path under malformed targets (in process: a throw
// in its 'upgrade' listener would fail this test as an uncaught error), and
// the token's way in: SWARMDECK_TOKEN for `sim`, a warning for --token.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { type Child, startCli } from './child.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function firstLine(port: number, req: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const t = setTimeout(() => reject(new Error(`no answer to ${req.split('\r\n')[0]}`)), 5000);
    s.on('error', () => undefined);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) {
        clearTimeout(t);
        s.destroy();
        resolve(got.split('\r\n')[0]!);
      }
    });
    s.write(req);
  });
}

describe('simulator: malformed upgrade targets', () => {
  it.each(['//', '//evil/x', '/%', 'http://x/api/graph/ws', '*'])('an upgrade to %s is refused with a status, and the simulator keeps serving', async (target) => {
    const sim = new Simulator({ agents: 3, rate: 5, port: 0 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const req = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    expect(await firstLine(sim.port, req)).toMatch(/^HTTP\/1\.1 4\d\d/);
    const res = await fetch(`http://127.0.0.1:${sim.port}/`);
    expect(res.status).toBe(200);
  });
});

describe('the token on the command line', () => {
  let child: Child | null = null;
  afterEach(async () => child?.stop());

  it('sim takes SWARMDECK_TOKEN from the environment, without a warning', async () => {
    child = startCli(['sim', '--port', '0', '--agents', '2'], { SWARMDECK_TOKEN: 'from-env' });
    expect(await child.line(/swarmdeck simulator/)).toContain('(token required)');
    const url = (await child.line(/ws:\/\//)).match(/ws:\/\/127\.0\.0\.1:(\d+)/)![1];
    const req = (auth: string): string =>
      `GET /api/graph/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${auth}\r\n`;
    expect(await firstLine(Number(url), req(''))).toMatch(/^HTTP\/1\.1 401/);
    expect(await firstLine(Number(url), req('Authorization: Bearer from-env\r\n'))).toMatch(/^HTTP\/1\.1 101/);
    expect(child.stderr.join('')).not.toMatch(/warning/);
  });

  it('warns on stderr when --token is given on the command line', async () => {
    child = startCli(['sim', '--port', '0', '--agents', '2', '--token', 'visible-in-ps']);
    await child.line(/swarmdeck simulator/);
    await new Promise((r) => setTimeout(r, 100));
    expect(child.stderr.join('')).toMatch(/--token on the command line is readable by every local user.*SWARMDECK_TOKEN/);
  });
});
