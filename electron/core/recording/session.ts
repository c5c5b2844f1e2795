// Recording from the app: some or all of a SwarmCore's planes into one file,
// through the core's inbound and event taps. What the UI's record button
// (per plane, or all planes) calls; `stats()` feeds its indicator (elapsed
// time, size, what was not written).

import { fileSink } from './mcap-writer.js';
import type { RecordableCore } from './ports.js';
import { Recorder, type RecorderOptions, type RecorderStats } from './recorder.js';

export interface CoreRecording {
  readonly path: string;
  /** Plane ids being recorded. */
  readonly planes: readonly string[];
  stats(): RecorderStats;
  /** A snapshot of every recorded plane now (a bookmark for seeking). */
  snapshot(): void;
  /** Finishes the file; resolves with the final figures. */
  stop(): Promise<RecorderStats>;
}

/** Starts recording `planeIds` (default: every open plane that is not itself a replay) of `core` into `path`. */
export async function recordCore(core: RecordableCore, path: string, planeIds?: readonly string[], opts: RecorderOptions = {}): Promise<CoreRecording> {
  const planes = (planeIds ?? core.planes.filter((p) => !p.config.replay).map((p) => p.config.id)).map((id) => {
    const p = core.plane(id);
    if (!p) throw new Error(`no plane "${id}" to record`);
    return p;
  });
  if (planes.length === 0) throw new Error('no planes to record');
  const ids = new Set(planes.map((p) => p.config.id));
  let detach = (): void => undefined;
  // At its byte or duration cap the recorder finishes the file itself; the taps go with it.
  const recorder = await Recorder.start(await fileSink(path), planes, {
    ...opts,
    onLimit: (limit) => {
      detach();
      opts.onLimit?.(limit);
    },
  });
  const offInbound = core.onInbound((plane, endpoint, data, isBinary, at) => {
    if (ids.has(plane)) recorder.inbound(plane, endpoint, data, isBinary, at);
  });
  const offEvent = core.onEvent((ev) => {
    if (ids.has(ev.plane)) recorder.event(ev);
  });
  detach = () => {
    offInbound();
    offEvent();
  };
  let stopping: Promise<RecorderStats> | null = null;
  return {
    path,
    planes: [...ids],
    stats: () => recorder.stats(),
    snapshot: () => recorder.snapshot(),
    stop: () =>
      (stopping ??= (async () => {
        detach();
        await recorder.stop();
        return recorder.stats();
      })()),
  };
}
