// Runs of the same test plane recorded for the synced-timeline tests: run k
// starts `gapMs` after run k-1, each a fresh TestPlane whose motion starts
// when its recording starts (motionOriginMs), so the runs are the same
// scripted session at different wall-clock times. Runs overlap in time (run
// k is recorded while run k-1 still is), so two 5 s apart cost one gap more
// than one run, not two. Every second of a run one agent changes state, by
// script, so its agents per state change over time the same way in every run.

import { Plane } from '../../electron/core/connection/plane.js';
import { fileSink } from '../../electron/core/recording/mcap-writer.js';
import { Recorder } from '../../electron/core/recording/recorder.js';
import { TestPlane } from './test-plane.js';

/** The states the script moves agents through, in turn. */
export const RUN_STATES = ['EXECUTING', 'WAITING', 'ERROR', 'IDLE'] as const;

export interface RecordedRun {
  file: string;
  /** Wall-clock ms when this run's motion (and recording) started. */
  originMs: number;
}

/** Records one run per file; resolves when every run is finished (files complete). */
export async function recordRuns(files: readonly string[], opts: { gapMs: number; durationMs: number; agents: number; positionHz?: number; snapshotEveryMs?: number }): Promise<RecordedRun[]> {
  const one = async (file: string, delayMs: number): Promise<RecordedRun> => {
    await new Promise((r) => setTimeout(r, delayMs));
    const tp = new TestPlane({ agents: opts.agents, positionHz: opts.positionHz ?? 20 });
    await tp.start();
    let rec: Recorder | null = null;
    const plane = new Plane({ id: 'tp', label: 'Test plane', url: tp.url, color: 0x4cc9f0 }, { event: (ev) => rec?.event(ev), inbound: (e, d, b, t) => rec?.inbound('tp', e, d, b, t) });
    rec = await Recorder.start(await fileSink(file), [plane], { snapshotEveryMs: opts.snapshotEveryMs ?? 1000 });
    const originMs = Date.now();
    tp.motionOriginMs = originMs;
    plane.connect();
    // The script: every second one more agent changes state (the same agents at the same moments of every run).
    let k = 0;
    const script = setInterval(() => {
      k++;
      tp.setState(((k - 1) % opts.agents) + 1, RUN_STATES[(k - 1) % RUN_STATES.length]!);
    }, 1000);
    await new Promise((r) => setTimeout(r, opts.durationMs));
    clearInterval(script);
    await rec.stop();
    plane.close();
    await tp.stop();
    return { file, originMs };
  };
  return Promise.all(files.map((f, k) => one(f, k * opts.gapMs)));
}
