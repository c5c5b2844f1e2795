// `record`: connects one plane per --url and records every inbound message
// into one MCAP file until --for elapses or a signal (docs/RECORDING.md).
// stdout: one JSON line when done (the file and its figures, and `stoppedAt`:
// the limit it stopped at by itself, RECORDING_MAX_BYTES or
// RECORDING_MAX_DURATION_MS, else null); stderr: plane state changes and, if
// the disk falls behind, what was not written.
// Exit: 0 done, 1 the file is incomplete (disk error, messages not written), 2 usage.

import { FLAGS, durationFlag, parseFlags, tlsFlags, tokenAt, UsageError, urlTokens, wsUrlFlag } from '../args/index.js';
import { PLANE_COLORS } from '../app/index.js';
import { Plane, type PlaneConfig } from '../connection/index.js';
import { fileSink, Recorder, type RecorderOptions, sizeText } from '../recording/index.js';
import { RECORDING_MAX_BYTES, RECORDING_MAX_DURATION_MS } from '../../../shared/index.js';
import { cliProfileConfig } from '../profiles/index.js';
import { type EndpointName, ENDPOINTS, jsonLine } from '../protocol/index.js';


/** Progress on stderr this often. */
const PROGRESS_MS = 5000;

export async function runRecord(argv: string[], out: (line: string) => void, err: (line: string) => void, signal?: AbortSignal, recorderOptions: RecorderOptions = {}): Promise<number> {
  const { values } = parseFlags(FLAGS.record, argv);
  const urls = values.url ?? [];
  const profiles = values.profile ?? [];
  if (urls.length === 0 && profiles.length === 0) throw new UsageError('record needs at least one --url or --profile');
  if (!values.out) throw new UsageError('--out FILE is required');
  const tokens = urlTokens(urls, values.token);
  const forMs = durationFlag('for', values.for);
  const configs = urls.map((url, i): PlaneConfig => {
    const c: PlaneConfig = { id: `plane-${i + 1}`, label: wsUrlFlag(url), url, color: PLANE_COLORS[i % PLANE_COLORS.length]! };
    const token = tokenAt(tokens, i);
    if (token !== undefined) c.token = token;
    const tls = tlsFlags(values.ca, values.insecure);
    if (tls) c.tls = tls;
    return c;
  });
  // Saved profiles, their tokens from the secret store (never the command line).
  for (const name of profiles) {
    const c = await cliProfileConfig(name, {}, Object.keys(ENDPOINTS) as EndpointName[]);
    if (configs.some((x) => x.id === c.id)) throw new UsageError(`--profile ${name} is given twice`);
    configs.push(c);
  }

  let recorder: Recorder | null = null;
  const planes = configs.map(
    (c) =>
      new Plane(c, {
        event: (ev) => {
          recorder?.event(ev);
          if (ev.type === 'client.connection') err(`swarmdeck record: ${c.id} ${String(ev.payload.state)}${typeof ev.payload.reason === 'string' ? `: ${ev.payload.reason}` : ''}`);
        },
        inbound: (endpoint, data, isBinary, at) => recorder?.inbound(c.id, endpoint, data, isBinary, at),
      }),
  );
  // At its byte or duration cap the recorder finishes the file by itself: then record is done too.
  let atLimit: () => void = () => undefined;
  const limited = new Promise<void>((resolve) => (atLimit = resolve));
  recorder = await Recorder.start(await fileSink(values.out), planes, {
    ...recorderOptions,
    onLimit: (limit) => {
      const cap = limit === 'RECORDING_MAX_BYTES' ? sizeText(recorderOptions.maxBytes ?? RECORDING_MAX_BYTES) : `${(recorderOptions.maxDurationMs ?? RECORDING_MAX_DURATION_MS) / 3_600_000} h`;
      err(`swarmdeck record: stopped at ${limit} (${cap}); the file is complete up to there`);
      atLimit();
    },
  });
  for (const p of planes) p.connect();

  let reportedDrops = 0;
  const progress = setInterval(() => {
    const s = recorder!.stats();
    if (s.messagesDropped > reportedDrops) {
      err(`swarmdeck record: the disk cannot keep up: ${s.messagesDropped} messages (${s.bytesDropped} bytes) not written so far`);
      reportedDrops = s.messagesDropped;
    }
    if (s.error) err(`swarmdeck record: writing ${values.out} failed: ${s.error}`);
  }, PROGRESS_MS);

  await new Promise<void>((resolve) => {
    const timer = forMs !== undefined ? setTimeout(resolve, forMs) : null;
    if (signal?.aborted) resolve();
    const done = (): void => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', done);
    void limited.then(done);
  });
  clearInterval(progress);
  await recorder.stop();
  for (const p of planes) p.close();
  const s = recorder.stats();
  out(
    jsonLine({
      recording: values.out,
      elapsedMs: Math.round(s.elapsedMs),
      bytes: s.bytesWritten,
      messages: s.messages,
      snapshots: s.snapshots,
      messagesDropped: s.messagesDropped,
      bytesDropped: s.bytesDropped,
      error: s.error,
      stoppedAt: s.stoppedAt,
      planes: planes.map((p) => ({ plane: p.config.id, url: p.config.url, state: p.state, agents: p.store.agents })),
    }),
  );
  if (s.messagesDropped > 0) err(`swarmdeck record: ${s.messagesDropped} messages (${s.bytesDropped} bytes) were not written: the disk could not keep up`);
  return s.error !== null || s.messagesDropped > 0 ? 1 : 0;
}
