// Flows benchmark (issue 22): one plane with 10,000 flows, each sending
// message.flow.stats once a second, plus 500 message.sent a second, for
// `--seconds` simulated seconds (default 10), into the core in-process and out
// to one view at 60 frames a second (acknowledged at once; frames packed as
// browser mode packs them). Two paths over the same events:
//   flow tables (product): the plane's listener folds them (SwarmCore), the view gets FlowFrames;
//   events (baseline):     every update logged and queued to the view as a JSON event, as before issue 22.
// Prints core CPU ms per simulated second, bytes to the page per second, and
// events the page would handle per second, with the ratios.

import { SwarmCore } from '../../electron/core/app/core.js';
import { type FrameMessage, packMessage, type PlaneEvent } from '../../shared/index.js';

type Print = (line: string) => void;
const FLOWS = 10_000;
const AGENTS = 5_000;
const MESSAGES_PER_SEC = 500;
const FRAME_MS = 1000 / 60;
const agent = (n: number): string => `agent-${String(n).padStart(3, '0')}`;

function eventsOfSecond(s: number, t0: number): PlaneEvent[] {
  const out: PlaneEvent[] = [];
  const total = FLOWS + MESSAGES_PER_SEC;
  for (let j = 0; j < total; j++) {
    const at = t0 + s * 1000 + (j * 1000) / total;
    if (j % 21 === 20 || j >= FLOWS) {
      const from = 1 + ((j * 7 + s) % AGENTS);
      out.push({ seq: 0, plane: 'p', at, origin: 'vis', type: 'message.sent', priority: 'normal', payload: { messageId: `m${s}-${j}`, from: { id: agent(from) }, to: [{ id: agent(1 + (from % AGENTS)) }], messageType: 'REQUEST', priority: 'NORMAL' } });
    } else {
      const i = j % FLOWS;
      out.push({ seq: 0, plane: 'p', at, origin: 'vis', type: 'message.flow.stats', priority: 'normal', timestamp: new Date(at).toISOString(), payload: { flowId: `${agent(1 + (i % AGENTS))}-${agent(1 + ((i * 13 + 1) % AGENTS))}`, statistics: { messageCount: 100 + s * 5, averageLatency: 20 + (i % 40), successRate: 0.97, bandwidth: 0.5 } } });
    }
  }
  return out;
}

interface Result {
  cpuMsPerSec: number;
  bytesPerSec: number;
  eventsPerSec: number;
  flowsPerSec: number;
}

function run(seconds: number, folded: boolean): Result {
  const core = new SwarmCore([{ id: 'p', label: 'P', url: 'ws://127.0.0.1:9', color: 0 }], { rateHz: 1e6, ackTimeoutMs: 60_000 });
  let bytes = 0, events = 0, flows = 0;
  const view = core.openView((f: FrameMessage) => {
    bytes += packMessage('swarmdeck:frame', f).byteLength;
    events += f.events.length;
    for (const t of f.flows ?? []) flows += t.slots.length;
    view.ack(f.seq);
  });
  view.hello('web');
  const listener = core.listenerFor('p');
  const t0 = Date.now();
  const stream = Array.from({ length: seconds }, (_, s) => eventsOfSecond(s, t0));
  const cpu0 = process.cpuUsage();
  for (let s = 0; s < seconds; s++) {
    const evs = stream[s]!;
    const perFrame = Math.ceil(evs.length / 60);
    for (let f = 0; f < 60; f++) {
      for (const ev of evs.slice(f * perFrame, (f + 1) * perFrame)) {
        if (folded) listener.event(ev);
        else {
          // The path before issue 22: every update logged and queued as an event.
          core.monitor('p').ingest(ev);
          view.pipeline.push(ev);
        }
      }
      view.pipeline.flush(t0 + s * 1000 + f * FRAME_MS);
    }
  }
  const c = process.cpuUsage(cpu0);
  core.stop();
  return { cpuMsPerSec: (c.user + c.system) / 1000 / seconds, bytesPerSec: bytes / seconds, eventsPerSec: events / seconds, flowsPerSec: flows / seconds };
}

export function runFlowsBench(print: Print, rest: readonly string[]): void {
  const i = rest.indexOf('--seconds');
  const seconds = i >= 0 ? Math.max(1, Number(rest[i + 1])) : 10;
  print(`## Flows: ${FLOWS.toLocaleString('en')} flows × 1 stats/s + ${MESSAGES_PER_SEC} message.sent/s, ${seconds} s into the core, one view at 60 Hz`);
  run(1, true); // warm-up
  run(1, false);
  const ours = run(seconds, true);
  const base = run(seconds, false);
  print('| path | core CPU ms per s of stream | % of one core | bytes to the page per s | events to the page per s | flow entries per s |');
  print('| --- | --- | --- | --- | --- | --- |');
  const row = (name: string, r: Result): string => `| ${name} | ${r.cpuMsPerSec.toFixed(1)} | ${(r.cpuMsPerSec / 10).toFixed(1)}% | ${Math.round(r.bytesPerSec).toLocaleString('en')} | ${Math.round(r.eventsPerSec)} | ${Math.round(r.flowsPerSec)} |`;
  print(row('flow tables (product)', ours));
  print(row('events (baseline)', base));
  print(`events/flow tables: core CPU ${(base.cpuMsPerSec / ours.cpuMsPerSec).toFixed(1)}x, bytes to the page ${(base.bytesPerSec / ours.bytesPerSec).toFixed(1)}x, events to the page ${(base.eventsPerSec / Math.max(1, ours.eventsPerSec)).toFixed(0)}x`);
}
