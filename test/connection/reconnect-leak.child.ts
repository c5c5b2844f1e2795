// Child process of connection-leak.test.ts, run as `node --expose-gc --import
// tsx`: one Plane through N forced reconnect cycles against the simulator,
// then one JSON line with heap and handle measurements.

import WebSocket from 'ws';
import { Plane } from '../../electron/core/connection/plane.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { QUIET } from '../helpers/quiet-sim.js';

// Every WebSocket (client and server side) that ever emits is registered; a
// retained one (a leak) is never finalized.
let wsSeen = 0;
let wsFinalized = 0;
const registered = new WeakSet<object>();
const registry = new FinalizationRegistry<void>(() => void wsFinalized++);
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
  if (!registered.has(this)) {
    registered.add(this);
    registry.register(this);
    wsSeen++;
  }
  return emit.call(this, event, ...args);
};

const cycles = Number(process.argv[2] ?? 100);
const warmup = Math.min(10, Math.floor(cycles / 5));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

async function heap(): Promise<number> {
  for (let i = 0; i < 6; i++) {
    gc!();
    await sleep(10);
  }
  return process.memoryUsage().heapUsed;
}

const sim = new Simulator({ ...QUIET, agents: 20, rate: 20, heartbeatIntervalMs: 1000 });
await sim.start();
await sleep(20);
const before = handles();
let events = 0;
const plane = new Plane(
  { id: 'leak', label: 'leak', url: sim.url, color: 0, backoff: { minMs: 2, maxMs: 4, stableAfterMs: 60_000 }, resyncGraceMs: 20 },
  { event: () => void events++ },
);
plane.connect();
const allLive = (): boolean => plane.status().endpoints!.every((e) => e.state === 'LIVE') && sim.sessionInfo().filter((x) => x.live).length === 3;
await until('LIVE', allLive);

let baseHeap = 0;
let baseHandles: Record<string, number> = {};
let baseTimers = 0;
for (let i = 0; i < cycles; i++) {
  const r = plane.counters.reconnects;
  sim.dropAll();
  await until(`reconnect ${i}`, () => plane.counters.reconnects >= r + 3 && allLive());
  if (i === warmup) {
    await sleep(40);
    baseHeap = await heap();
    baseHandles = handles();
    baseTimers = plane.resources().timers;
  }
}
await sleep(40);
const endHeap = await heap();
const wsAlive = wsSeen - wsFinalized;
const endHandles = handles();
const live = plane.resources();
plane.close();
await sleep(30);
const closed = plane.resources();
const afterClose = handles();
await sim.stop();
console.log(
  JSON.stringify({
    cycles,
    reconnects: plane.counters.reconnects,
    events,
    heapGrowth: endHeap - baseHeap,
    wsSeen,
    wsAlive,
    baseHeap,
    before,
    baseHandles,
    endHandles,
    afterClose,
    baseTimers,
    live,
    closed,
  }),
);
