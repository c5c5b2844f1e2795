// Child: the product's core as browser mode runs it. SwarmCore (planes,
// decoder, store, frame pipeline) plus the WebHost link to the page.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SwarmCore } from '../../../electron/core/app/core.js';
import { serveContract } from '../../../electron/core/app/serve-contract.js';
import { WebHost } from '../../../electron/core/host/web-host.js';
import { onParent, send } from './messages.js';

const urls = JSON.parse(process.argv[2]!) as string[];
// No compression negotiated: both paths then receive the same uncompressed stream
// (the naive client never negotiates), and zlib's cost is not mixed into the comparison.
const core = new SwarmCore(urls.map((url, i) => ({ id: `plane-${i + 1}`, label: `plane ${i + 1}`, url, color: 0x4cc9f0, compression: false as const })));
core.start();
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html>');
const host = new WebHost({ core, contract: serveContract(core, 'web'), rendererDir: dir });
await host.start();
// The consumer needs the page origin and the contract socket (with this run's access token).
send({ kind: 'ready', url: host.url, urls: [host.ipcUrl] });

let start: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; t: number; frames: number; sup: number; pos: number } | null = null;
const stats = () => {
  let frames = 0, sup = 0;
  for (const v of core.viewPipelines()) {
    frames += v.stats.framesSent;
    sup += v.stats.supersededPositions;
  }
  return { frames, sup, pos: core.planes.reduce((n, p) => n + p.counters.positionMessages, 0) };
};
const loop = monitorEventLoopDelay({ resolution: 1 });
onParent((m) => {
  if (m.cmd === 'measure-start') {
    loop.reset();
    loop.enable();
    start = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now(), ...stats() };
  } else if (m.cmd === 'measure-stop' && start) {
    const cpu = process.cpuUsage(start.cpu);
    const elu = performance.eventLoopUtilization(start.elu);
    const s = stats();
    send({
      kind: 'core',
      cpuMs: (cpu.user + cpu.system) / 1000,
      elu: elu.utilization,
      framesSent: s.frames - start.frames,
      supersededPositions: s.sup - start.sup,
      positionMessages: s.pos - start.pos,
      windowMs: performance.now() - start.t,
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
    });
    loop.disable();
  } else if (m.cmd === 'exit') {
    void host.stop().then(() => {
      core.stop();
      process.exit(0);
    });
  }
});
