// `npm run bench`: every benchmark, printing figures and ratios against
// baselines measured in the same run. Not a test: nothing here fails a build.
//   decode  (issue 3): position decoding vs memcpy and vs JSON.parse
//   ingest  (issue 5): stream -> core -> renderer side, typed path vs naive path
//   fuzz    (issue 14): 1,000,000 fuzzed contract messages against browser mode; 0 crashes, 0 hangs (only when named)
// `npm run bench -- decode` or `-- ingest` runs one.
import { runDecodeBench } from './decode.js';
import { runIngestBench } from './ingest.js';
import { runFuzzBench } from './fuzz.js';

const print = (line: string): void => console.log(line);
const only = process.argv[2];
if (only !== undefined && only !== 'decode' && only !== 'ingest' && only !== 'fuzz') {
  console.error(`bench: unknown bench "${only}" (decode, ingest, fuzz)`);
  process.exit(2);
}
if (!only || only === 'decode') runDecodeBench(print);
if (!only || only === 'ingest') {
  print('');
  await runIngestBench(print);
}
if (only === 'fuzz') await runFuzzBench(print, Number(process.argv[3] ?? 1_000_000));
