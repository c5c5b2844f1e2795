// Soak run (spawned by test/soak/soak.test.ts with --expose-gc): the
// core at moderate load for a few minutes: two simulated planes streaming
// positions and events, one browser-mode view acknowledging every frame
// through the real wire format. Prints one JSON line per heap sample (after a
// forced GC, code space excluded), then a summary line.

import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SwarmCore } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { WebHost } from '../../electron/core/host/web-host.js';
import { FrameMessageSchema, IPC_CHANNELS, parseOrThrow } from '../../shared/contract/index.js';
import { unpackMessage } from '../../shared/wire.js';

const seconds = Number(process.env.SWARMDECK_SOAK_SECONDS ?? 150);
const sampleEveryMs = 5000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

// The simulators run in their own process: only the core's heap is measured here.
// Bounded structures must fill before the steady part is judged: the duplicate-id
// window (4,096 ids) fills in ~40 s at 100 messages/s. State changes and consensus
// rounds stay rare: each adds to an agent's bounded history (20 entries x 4,000
// agents), which would fill for far longer than a soak and read as slow growth.
const stream = fork(fileURLToPath(new URL('../bench/procs/stream.ts', import.meta.url)), ['2', '2000', '30', JSON.stringify({ messagesPerSecond: 100, stateChangesPerSecond: 0.2, coordinationEveryMs: 60_000 })], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const urls = await new Promise<string[]>((resolve) => stream.once('message', (m) => resolve((m as { urls: string[] }).urls)));
const sims = urls.map((url) => ({ url }));
// Each plane's event log (monitor/) is bounded at 20,000 events, and its flow table at 20,000 flows
// (message.sent between random agents: ~100 new flows a second): at this load both would still be
// filling when the heap is judged (bounded growth, not a leak). Smaller bounds fill within the warm-up.
const core = new SwarmCore(sims.map((s, i) => ({ id: `p${i}`, label: `p${i}`, url: s.url, color: 0xffffff })), { flowEntries: 2_000 }, { eventEntries: 2_000 });
core.start();
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-soak-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html>');
const host = new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: dir });
const url = await host.start();

let frames = 0;
let events = 0;
const ws = new WebSocket(host.ipcUrl, { origin: url });
ws.binaryType = 'arraybuffer';
ws.on('open', () => ws.send(JSON.stringify({ c: IPC_CHANNELS.hello, r: 1 })));
ws.on('message', (data: ArrayBuffer) => {
  const m = unpackMessage(data);
  if (m.channel !== IPC_CHANNELS.frame) return;
  const f = parseOrThrow(IPC_CHANNELS.frame, FrameMessageSchema, m.payload);
  frames++;
  events += f.events.length;
  ws.send(JSON.stringify({ c: IPC_CHANNELS.ack, p: { seq: f.seq } }));
});

const started = Date.now();
const samples: number[] = [];
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    gc();
    // JIT code keeps growing for minutes as V8 optimises; it is bounded and not ours to leak.
    const heap = getHeapSpaceStatistics()
      .filter((sp) => !sp.space_name.startsWith('code'))
      .reduce((n, sp) => n + sp.space_used_size, 0);
    samples.push(heap);
    console.log(JSON.stringify({ t: Math.round((Date.now() - started) / 1000), heapUsed: heap, frames, events }));
    if (Date.now() - started >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, sampleEveryMs);
});
const stats = core.viewPipelines()[0]?.stats;
console.log(JSON.stringify({ done: true, frames, events, planes: core.planes.map((p) => p.store.agents), stats }));
ws.close();
await host.stop();
core.stop();
stream.kill();
process.exit(0);
