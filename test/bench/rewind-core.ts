// Child of the rewind bench: the product's core (SwarmCore) on the stream's
// planes, with or without the flight recorder (recording/flight.ts) taking
// every inbound message into rolling segments. Reports CPU for a measured
// window, and (asked) its heap after a full GC and the recorder's figures.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SwarmCore } from '../../electron/core/app/core.js';
import { FlightRecorder } from '../../electron/core/recording/flight.js';

const urls = JSON.parse(process.argv[2]!) as string[];
const mode = process.argv[3] as 'plain' | 'flight';
const dir = process.argv[4]!;
const windowMs = Number(process.argv[5] ?? 15 * 60_000);
const core = new SwarmCore(urls.map((url, i) => ({ id: `plane-${i + 1}`, label: `plane ${i + 1}`, url, color: 0x4cc9f0 })));
const flight = mode === 'flight' ? new FlightRecorder(core, { dir, windowMs }) : null;
flight?.start();
core.start();
process.send?.({ kind: 'ready' });

const gc = (globalThis as { gc?: () => void }).gc;
const loop = monitorEventLoopDelay({ resolution: 1 });
let start: { cpu: NodeJS.CpuUsage; t: number; pos: number } | null = null;
const positions = (): number => core.planes.reduce((n, p) => n + p.counters.positionMessages, 0);
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'measure-start') {
    loop.reset();
    loop.enable();
    start = { cpu: process.cpuUsage(), t: performance.now(), pos: positions() };
  } else if (m.cmd === 'measure-stop' && start) {
    const cpu = process.cpuUsage(start.cpu);
    process.send?.({ kind: 'report', cpuMs: (cpu.user + cpu.system) / 1000, windowMs: performance.now() - start.t, positionMessages: positions() - start.pos, loopDelayP99: loop.percentile(99) / 1e6 });
    loop.disable();
  } else if (m.cmd === 'heap') {
    gc?.();
    const st = flight?.status();
    process.send?.({ kind: 'heap', heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, segments: st?.planes.reduce((n, p) => n + p.segments, 0) ?? 0, bytes: st?.bytes ?? 0, off: st?.planes.find((p) => p.off)?.off ?? null });
  } else if (m.cmd === 'exit') {
    void (flight?.stop() ?? Promise.resolve()).then(() => {
      core.stop();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
