// Opening a recording for replay: `--open FILE` (npm start, npm run
// start:web), the desktop menu's Open Recording, and the Timeline panel's
// recordings folder all come here. Each recording opens as its plane(s)
// beside the live ones, is registered for the timeline, and plays at 1x.
// At most MAX_OPEN_REPLAYS are open at once.

import { MAX_OPEN_REPLAYS, type ReplayEntry } from '../../../shared/index.js';
import type { ReplayingCore } from './ports.js';
import { Replay } from './replay.js';

/** Recordings being opened per core: they count against MAX_OPEN_REPLAYS too, so concurrent opens cannot pass it. */
const opening = new WeakMap<ReplayingCore, number>();

/** Opens one recording; rejects, opening nothing, at MAX_OPEN_REPLAYS or for a file that is not a Swarmdeck recording. */
export async function openRecording(core: ReplayingCore, path: string, log: (line: string) => void = console.log): Promise<ReplayEntry & { replay: Replay }> {
  const busy = opening.get(core) ?? 0;
  if (core.replayList().length + busy >= MAX_OPEN_REPLAYS) throw new Error(`${MAX_OPEN_REPLAYS} recordings are already open: close one in the Timeline first (MAX_OPEN_REPLAYS)`);
  opening.set(core, busy + 1);
  let replay: Replay;
  try {
    replay = await Replay.open(path, core);
  } finally {
    opening.set(core, (opening.get(core) ?? 1) - 1);
  }
  const s = replay.state();
  log(`opened recording ${path}: ${Object.values(s.planes).join(', ')}, ${((s.endMs - s.startMs) / 1000).toFixed(1)} s${s.problem ? ` (incomplete: ${s.problem.message})` : ''}`);
  const id = core.addReplay(replay);
  replay.play();
  return { id, state: replay.state(), replay };
}

/** `--open FILE`, repeatable: each in turn (a failure stops start-up, naming the file). */
export async function openRecordings(core: ReplayingCore, paths: readonly string[], log: (line: string) => void = console.log): Promise<Replay[]> {
  const replays: Replay[] = [];
  for (const path of paths) replays.push((await openRecording(core, path, log)).replay);
  return replays;
}
