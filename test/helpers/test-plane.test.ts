// The independent test plane does what the seeds say, checked with a bare ws
// client (not our connection engine), so the tests that use it rest on it.

import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { TEST_PLANE_PATHS, TestPlane, testPlanePosition } from './test-plane.js';

let plane: TestPlane | null = null;
afterEach(async () => {
  await plane?.stop();
  plane = null;
});

function open(url: string, token?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket, pred: (data: Buffer, binary: boolean) => boolean): Promise<Buffer> {
  return new Promise((resolve) => {
    const on = (data: Buffer, binary: boolean) => {
      if (!pred(data, binary)) return;
      ws.off('message', on);
      resolve(data);
    };
    ws.on('message', on);
  });
}

test('answers the handshake in the seed shape, streams positions that match testPlanePosition, refuses a wrong token', async () => {
  plane = new TestPlane({ agents: 3, positionHz: 20, token: 'good', heartbeatIntervalMs: 1500, clockSkewMs: 5000 });
  const base = await plane.start();
  await expect(open(base + TEST_PLANE_PATHS.agents, 'bad')).rejects.toThrow('HTTP 401');
  expect(plane.refused).toBe(1);

  const ws = await open(base + TEST_PLANE_PATHS.agents, 'good');
  const ackP = next(ws, (_d, bin) => !bin);
  ws.send(JSON.stringify({ type: 'handshake', version: '1.0.0', capabilities: ['binary'], clientId: 'c', timestamp: new Date().toISOString() }));
  const ack = JSON.parse(String(await ackP)) as Record<string, unknown>;
  expect(ack).toMatchObject({ type: 'handshake_ack', heartbeatInterval: 1500 });
  expect(Math.abs(Date.parse(String(ack.serverTime)) - Date.now() - 5000)).toBeLessThan(1000);

  const bin = await next(ws, (_d, b) => b);
  expect(bin.toString('ascii', 0, 4)).toBe('AGNT');
  expect(bin.readUInt8(4)).toBe(0x01);
  expect(bin.readUInt32LE(8)).toBe(3);
  const t = plane.sentPositionsAt.at(-1)!;
  const id = bin.readUInt32LE(12 + 28);
  expect(id).toBe(2);
  expect(bin.readFloatLE(12 + 28 + 4)).toBeCloseTo(testPlanePosition(2, t).x, 3);
  ws.terminate();
});

test('a silent plane sends nothing and answers no ping; kill() closes the port', async () => {
  plane = new TestPlane({ agents: 2, positionHz: 50 });
  const base = await plane.start();
  const ws = await open(base + TEST_PLANE_PATHS.agents);
  await next(ws, (_d, b) => b);
  plane.silence(true);
  await new Promise((r) => setTimeout(r, 100));
  let got = 0;
  let pong = false;
  ws.on('message', () => got++);
  ws.on('pong', () => (pong = true));
  ws.ping();
  await new Promise((r) => setTimeout(r, 400));
  expect(got).toBe(0);
  expect(pong).toBe(false);
  plane.silence(false);
  await new Promise((r) => setTimeout(r, 200));
  expect(pong).toBe(true);
  expect(got).toBeGreaterThan(0);
  await plane.kill();
  await expect(open(base + TEST_PLANE_PATHS.agents)).rejects.toThrow();
});
