// `npm run bench`: every benchmark, printing figures and ratios against
// baselines measured in the same run. Not a test: nothing here fails a build.
//   decode  (issue 3): position decoding vs memcpy and vs JSON.parse
//   ingest  (issue 5): stream -> core -> renderer side, typed path vs naive path
// `npm run bench -- decode` or `-- ingest` runs one.
import { runDecodeBench } from './decode.js';
import { runIngestBench } from './ingest.js';

const print = (line: string): void => console.log(line);
const only = process.argv[2];
if (only !== undefined && only !== 'decode' && only !== 'ingest') {
  console.error(`bench: unknown bench "${only}" (decode, ingest)`);
  process.exit(2);
}
if (!only || only === 'decode') runDecodeBench(print);
if (!only || only === 'ingest') {
  print('');
  await runIngestBench(print);
}
