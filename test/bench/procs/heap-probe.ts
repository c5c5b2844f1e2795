// Loaded with --import into a process under attack (`npm run bench -- hostile`):
// every 100 ms one stderr line "bench-probe {json}" with the V8 heap in use,
// the resident set and the longest event-loop stall since the last line.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`bench-probe ${JSON.stringify({ t: Date.now(), heap: m.heapUsed, rss: m.rss, stallMs: delay.max / 1e6 })}\n`);
  delay.reset();
}, 100).unref();
