// The decode worker with two faults a hostile file could cause, for
// decode-worker.test.ts: a job whose file path or chunk bytes contain
// HANG-ME spins forever, CRASH-ME ends the thread, once the real worker
// (imported below) is ready and would start the job.

import { parentPort } from 'node:worker_threads';
import { loadDecompressHandlers } from '@mcap/support';
import type { DecodeJob } from '../../electron/core/recording/decoder.js';

parentPort!.on('message', (job: DecodeJob) => {
  const text = job.kind === 'index' ? job.file.path : Buffer.from(job.bytes).toString('latin1');
  // When the real worker would run the job: after it has said it is ready (the same promise, resolved in order).
  void loadDecompressHandlers().then(() => {
    if (text.includes('HANG-ME')) for (;;);
    if (text.includes('CRASH-ME')) process.exit(7);
  });
});
await import('../../electron/core/recording/decode-worker.js');
