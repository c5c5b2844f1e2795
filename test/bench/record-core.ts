// Child of the record bench: the product's core (SwarmCore: planes, decoder,
// store) on the stream's planes, with or without the recorder tapping every
// inbound message into an MCAP file. Reports its CPU and event-loop figures
// for the measured window, and the recorder's bytes.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SwarmCore } from '../../electron/core/app/core.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';

const urls = JSON.parse(process.argv[2]!) as string[];
const mode = process.argv[3] as 'plain' | 'record';
const out = process.argv[4]!;
const core = new SwarmCore(urls.map((url, i) => ({ id: `plane-${i + 1}`, label: `plane ${i + 1}`, url, color: 0x4cc9f0 })));
let recorder: Recorder | null = null;
if (mode === 'record') {
  recorder = await Recorder.start(await fileSink(out), core.planes);
  const r = recorder;
  core.onInbound((plane, endpoint, data, isBinary, at) => r.inbound(plane, endpoint, data, isBinary, at));
  core.onEvent((ev) => r.event(ev));
}
core.start();
process.send?.({ kind: 'ready' });

const loop = monitorEventLoopDelay({ resolution: 1 });
let start: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; t: number; pos: number; bytes: number; dropped: number } | null = null;
const positions = (): number => core.planes.reduce((n, p) => n + p.counters.positionMessages, 0);
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'measure-start') {
    loop.reset();
    loop.enable();
    const s = recorder?.stats();
    start = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now(), pos: positions(), bytes: s?.bytes ?? 0, dropped: s?.messagesDropped ?? 0 };
  } else if (m.cmd === 'measure-stop' && start) {
    const cpu = process.cpuUsage(start.cpu);
    const elu = performance.eventLoopUtilization(start.elu);
    const s = recorder?.stats();
    process.send?.({
      kind: 'report',
      cpuMs: (cpu.user + cpu.system) / 1000,
      elu: elu.utilization,
      windowMs: performance.now() - start.t,
      positionMessages: positions() - start.pos,
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
      bytes: (s?.bytes ?? 0) - start.bytes,
      messagesDropped: (s?.messagesDropped ?? 0) - start.dropped,
    });
    loop.disable();
  } else if (m.cmd === 'exit') {
    void (recorder?.stop() ?? Promise.resolve()).then(() => {
      core.stop();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
