// The decode worker's entry (node:worker_threads): reads recordings' indexes
// and decodes chunks (zstd, lz4, bz2) off the host's main thread, one job at
// a time, and posts the results back as transferable columns. decoder.ts
// starts it, bounds each job's time and this thread's heap, and treats a
// crash as an error of the file being read.

import { parentPort, threadId } from 'node:worker_threads';
import { loadDecompressHandlers } from '@mcap/support';
import { decodeChunk } from './chunk-decode.js';
import type { DecodeJob, DecodeReply } from './decoder.js';
import { readRecordingIndex } from './index-read.js';
import { RecordingLimitError } from './limit-error.js';

const port = parentPort;
if (!port) throw new Error('decode-worker runs as a worker thread');
const handlers = loadDecompressHandlers();
void handlers.then(() => port.postMessage({ id: 0, ready: true, threadId } satisfies DecodeReply));

port.on('message', (job: DecodeJob) => {
  void run(job).then(
    ([reply, transfer]) => port.postMessage(reply, transfer),
    (e: unknown) => port.postMessage({ id: job.id, ok: false, threadId, error: e instanceof Error ? e.message : String(e), limit: e instanceof RecordingLimitError ? e.limit : null } satisfies DecodeReply),
  );
});

async function run(job: DecodeJob): Promise<[DecodeReply, ArrayBuffer[]]> {
  const h = await handlers;
  if (job.kind === 'index') {
    const value = await readRecordingIndex(job.file, h);
    const c = value.chunks;
    return [{ id: job.id, ok: true, threadId, kind: 'index', value }, [c.offset, c.length, c.startNs, c.endNs, c.channelStart, c.channelIds].map((a) => a.buffer as ArrayBuffer)];
  }
  const value = decodeChunk(job.bytes, h);
  const buffers = new Set([value.bytes.buffer, value.channel.buffer, value.logTime.buffer, value.publishTime.buffer, value.dataStart.buffer, value.dataLength.buffer] as ArrayBuffer[]);
  return [{ id: job.id, ok: true, threadId, kind: 'chunk', value }, [...buffers]];
}
