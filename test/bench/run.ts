// `npm run bench`: every benchmark, printing figures and ratios against
// baselines measured in the same run. Not a test: nothing here fails a build.
//   decode  (issue 3): position decoding vs memcpy and vs JSON.parse
//   ingest  (issue 5): stream -> core -> renderer side, typed path vs naive path
//   render  (issue 10): our scene vs sigma.js v3 in Chromium, N nodes + 2N edges
// `npm run bench -- decode` (or ingest, render) runs one.
import { runDecodeBench } from './decode.js';
import { runIngestBench } from './ingest.js';
import { runRenderBench } from './render.js';

const print = (line: string): void => console.log(line);
const only = process.argv[2];
if (only !== undefined && only !== 'decode' && only !== 'ingest' && only !== 'render') {
  console.error(`bench: unknown bench "${only}" (decode, ingest, render)`);
  process.exit(2);
}
if (!only || only === 'decode') runDecodeBench(print);
if (!only || only === 'ingest') {
  print('');
  await runIngestBench(print);
}
if (!only || only === 'render') {
  print('');
  await runRenderBench(print);
}
