// `npm run bench`: benchmarks, printing figures and ratios against baselines
// measured in the same run. Not a test: nothing here fails a build.
//   decode  (issue 3):  position decoding vs memcpy and vs JSON.parse
//   ingest  (issue 5):  stream -> core -> renderer side, typed path vs naive path (also named `pipeline`)
//   render  (issue 10): our scene vs sigma.js v3 in Chromium, N nodes + 2N edges
//   record  (issue 13): recorder overhead on the live path, bytes per hour, seek time
//   fuzz    (issue 14): 1,000,000 fuzzed contract messages against browser mode; 0 crashes, 0 hangs
//   hostile (issue 18): memory attacks on browser mode: peak heap, RSS and event-loop stall against a baseline
//   scale   (issue 22): browser mode against test planes: 5,000 agents, + 10,000 flows, 10 planes; fps, data age, core CPU, launch
//   rewind  (issue 21): flight recorder CPU above intake, seek in a full buffer, heap over a run
//   history (issue 20): 10 planes × 1,000 events/s for 10 min (--minutes N) into the core; its memory against the limits
//   flows   (issue 22): 10,000 flows + 500 message.sent/s into the core: flow tables vs one JSON event per update
//   shots   DIR: screenshots of ten test planes × 5,000 agents at 1920 × 1080 and 1024 × 700, reloaded, one plane killed (to look at)
// `npm run bench -- NAME [ARG...]` runs one; without a name, every bench but fuzz, hostile, history, scale, flows, rewind, shots and the alias pipeline (which only run when named).
import { runDecodeBench } from './decode.js';
import { runFlowsBench } from './flows.js';
import { runFuzzBench } from './fuzz.js';
import { runHostileBench } from './hostile.js';
import { runHistoryBench } from './history.js';
import { runIngestBench } from './ingest.js';
import { runRecordBench } from './record.js';
import { runRenderBench } from './render.js';
import { runScaleBench } from './scale.js';
import { runRewindBench } from './rewind.js';
import { runShotsBench } from './shots.js';

type Print = (line: string) => void;
const BENCHES: Record<string, { byDefault: boolean; run: (print: Print, arg: string | undefined, rest: readonly string[]) => void | Promise<void> }> = {
  decode: { byDefault: true, run: (print) => runDecodeBench(print) },
  ingest: { byDefault: true, run: async (print) => void (await runIngestBench(print)) },
  // The same bench by the name issue 22 gives it (not run twice by default).
  pipeline: { byDefault: false, run: async (print) => void (await runIngestBench(print)) },
  render: { byDefault: true, run: (print) => runRenderBench(print) },
  record: { byDefault: true, run: (print) => runRecordBench(print) },
  scale: { byDefault: false, run: (print, _arg, rest) => runScaleBench(print, rest) },
  fuzz: { byDefault: false, run: (print, arg) => runFuzzBench(print, Number(arg ?? 1_000_000)) },
  hostile: { byDefault: false, run: (print, arg) => runHostileBench(print, Number(arg ?? 10)) },
  flows: { byDefault: false, run: (print, _arg, rest) => runFlowsBench(print, rest) },
  rewind: { byDefault: false, run: (print) => runRewindBench(print) },
  shots: { byDefault: false, run: (print, arg) => runShotsBench(print, arg ?? 'test-results/shots') },
  history: {
    byDefault: false,
    run: async (print, _arg, rest) => {
      if (!(await runHistoryBench(print, rest))) process.exitCode = 1;
    },
  },
};

const print: Print = (line) => console.log(line);
const only = process.argv[2];
if (only !== undefined && !(only in BENCHES)) {
  console.error(`bench: unknown bench "${only}" (${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
let first = true;
for (const [name, b] of Object.entries(BENCHES)) {
  if (only ? name !== only : !b.byDefault) continue;
  if (!first) print('');
  first = false;
  await b.run(print, process.argv[3], process.argv.slice(3));
}
