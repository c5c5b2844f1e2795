// Child: the control planes. N real simulators, each streaming `agents`
// agents at `rate` Hz (binary POSITION_UPDATE frames plus its JSON events).
// Argument 4, optional: JSON of further Simulator options.
import { Simulator, type SimulatorOptions } from '../../../electron/core/sim/simulator.js';
import { onParent, send } from './messages.js';

const [planes, agents, rate] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const extra = JSON.parse(process.argv[5] ?? '{}') as SimulatorOptions;
const sims: Simulator[] = [];
for (let i = 0; i < planes; i++) {
  const s = new Simulator({ ...extra, agents, rate, seed: i + 1 });
  await s.start();
  sims.push(s);
}
send({ kind: 'ready', urls: sims.map((s) => s.url) });
onParent(async (m) => {
  if (m.cmd === 'exit') {
    await Promise.all(sims.map((s) => s.stop()));
    process.exit(0);
  }
});
