// Opens a replayed plane's moment (issue 21, "alerts open the moment they
// fired", for recordings): the core seeks the plane's recording (with its
// synced group) to 10 s before the moment, paused (replayMoment); the page
// selects the agent, if any, and centres on it, following it as the replay
// plays on. Live planes' moments are the flight recorder's (not here).

import type { ConsoleModel } from '../store/console-model.js';

/** Before the moment, ms: the 10 s. */
export const MOMENT_BEFORE_MS = 10_000;

/** True when `plane` is fed by a recording (its moments open here). */
export function isReplayed(model: ConsoleModel, plane: string): boolean {
  return model.store.getState().planes.find((p) => p.plane === plane)?.replay === true;
}

/** Seeks `plane`'s recording to 10 s before `at` (this console's clock, an alert's firedAt), selects `agent` and centres on it. Resolves false when the core could not (no such recording, or a moment before it opened). */
export async function openReplayMoment(model: ConsoleModel, plane: string, at: number, agent: number | null): Promise<boolean> {
  const bridge = model.services.bridge;
  if (!bridge) return false;
  const r = await bridge.request('replayMoment', { plane, at, beforeMs: MOMENT_BEFORE_MS });
  if (!r) return false;
  if (agent !== null) {
    const ref = { plane, id: agent };
    model.select(ref);
    model.services.graph?.focusAgent(ref, true);
  }
  return true;
}
