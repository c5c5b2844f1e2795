// `--open FILE` (npm start, npm run start:web): each recording opens as its
// plane(s) beside the live ones and starts playing at 1x.

import type { SwarmCore } from '../app/core.js';
import { Replay } from './replay.js';

export async function openRecordings(core: SwarmCore, paths: readonly string[], log: (line: string) => void = console.log): Promise<Replay[]> {
  const replays: Replay[] = [];
  for (const path of paths) {
    const r = await Replay.open(path, core);
    const s = r.state();
    log(
      `opened recording ${path}: ${Object.values(s.planes).join(', ')}, ${((s.endMs - s.startMs) / 1000).toFixed(1)} s${s.problem ? ` (incomplete: ${s.problem.message})` : ''}`,
    );
    core.addReplay(r);
    r.play();
    replays.push(r);
  }
  return replays;
}
