// A recording's agents per state over time, for the Overview's comparison of
// synced recordings: one point per snapshot (every RECORDING_SNAPSHOT_MS, and
// at the start and end), read from the snapshot's state column only. At most
// REPLAY_MAX_SERIES_POINTS points per plane: past it every other point goes
// and only every other snapshot after is taken (a long file keeps its whole
// span, more coarsely).

import { REPLAY_MAX_SERIES_POINTS, type ReplaySeries, stateName } from '../../../shared/index.js';
import { snapshotStates } from './format.js';
import type { Recording } from './reader.js';

interface Points {
  t: number[];
  counts: Map<number, number>[];
  stride: number;
  seen: number;
}

function push(p: Points, t: number, states: Uint16Array): void {
  if (p.seen++ % p.stride !== 0) return;
  const c = new Map<number, number>();
  for (const s of states) c.set(s, (c.get(s) ?? 0) + 1);
  p.t.push(t);
  p.counts.push(c);
  if (p.t.length >= REPLAY_MAX_SERIES_POINTS) {
    p.t = p.t.filter((_, i) => i % 2 === 0);
    p.counts = p.counts.filter((_, i) => i % 2 === 0);
    p.stride *= 2;
  }
}

/** The series of every recorded plane of `rec`; `planeIds` maps a recorded plane id to its replay plane id. Stops early (with what it read) when `signal` aborts. */
export async function recordingSeries(rec: Recording, planeIds: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ReplaySeries> {
  const byChannel = new Map<number, { plane: string; p: Points }>();
  for (const [rid, id] of Object.entries(planeIds)) {
    const ch = rec.channelsOf('snapshot', rid)[0];
    if (ch) byChannel.set(ch.id, { plane: id, p: { t: [], counts: [], stride: 1, seen: 0 } });
  }
  try {
    for (let i = 0; i < rec.chunks.length && !signal?.aborted; i++) {
      let any = false;
      for (const id of byChannel.keys()) any ||= rec.chunks.hasChannel(i, id);
      if (!any) continue;
      for (const m of await rec.readChunk(i)) {
        const e = byChannel.get(m.channel.id);
        if (!e) continue;
        try {
          push(e.p, m.timeMs, snapshotStates(m.data));
        } catch {
          // a damaged snapshot is no point of the series
        }
      }
    }
  } catch {
    // A bad chunk ends the readable part (as for playback), and a replay closed under the walk ends it: what was read stands.
  }
  return {
    planes: [...byChannel.values()].map(({ plane, p }) => {
      const codes = new Set<number>();
      for (const c of p.counts) for (const k of c.keys()) codes.add(k);
      const states: Record<string, number[]> = {};
      for (const code of [...codes].sort((a, b) => a - b)) states[stateName(code)] = p.counts.map((c) => c.get(code) ?? 0);
      return { plane, t: p.t, states };
    }),
  };
}
