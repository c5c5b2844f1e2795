// Opens the moment an alert fired or a command was sent (issue 21): 10 s
// before it, paused, its agent selected and centred.
// * A replayed plane: the core seeks its recording (with its synced group),
//   `replayMoment`.
// * A live plane: the core rewinds it through its flight recorder
//   (`rewind` seek); the agent is selected on the rewind plane that shows it.

import { isRewindPlane, REWIND_PLANE_PREFIX } from '@shared';
import type { AgentRef } from '../scene/graph-view.js';
import type { ConsoleModel } from '../store/console-model.js';
import { rewindAction } from './rewind-action.js';

/** Before the moment, ms: the 10 s. */
export const MOMENT_BEFORE_MS = 10_000;

/** True when `plane` is fed by a recording (its moments open from the recording). */
export function isReplayed(model: ConsoleModel, plane: string): boolean {
  return model.store.getState().planes.find((p) => p.plane === plane)?.replay === true;
}

function selectAndCentre(model: ConsoleModel, plane: string, agent: number | null): void {
  if (agent === null) return;
  const ref: AgentRef = { plane, id: agent };
  model.select(ref);
  model.services.graph?.focusAgent(ref, true);
}

/** Seeks `plane`'s recording to 10 s before `at` (this console's clock, an alert's firedAt), selects `agent` and centres on it. Resolves false when the core could not (no such recording, or a moment before it opened). */
export async function openReplayMoment(model: ConsoleModel, plane: string, at: number, agent: number | null): Promise<boolean> {
  const bridge = model.services.bridge;
  if (!bridge) return false;
  const r = await bridge.request('replayMoment', { plane, at, beforeMs: MOMENT_BEFORE_MS });
  if (!r) return false;
  selectAndCentre(model, plane, agent);
  return true;
}

/**
 * Opens `at` (this console's ms) on `plane`, live or replayed: null when done,
 * else why not (the core's refusal: no buffer, rewind off, a moment before the
 * buffer begins is clamped to its start by the core).
 */
export async function openMoment(model: ConsoleModel, plane: string, at: number, agent: number | null): Promise<string | null> {
  if (isReplayed(model, plane) && !isRewindPlane(plane)) return (await openReplayMoment(model, plane, at, agent)) ? null : 'the recording does not reach that moment';
  const live = isRewindPlane(plane) ? plane.slice(REWIND_PLANE_PREFIX.length) : plane;
  try {
    const r = await rewindAction(model, { plane: live, action: 'seek', at: at - MOMENT_BEFORE_MS });
    selectAndCentre(model, r.replayPlane ?? `${REWIND_PLANE_PREFIX}${live}`, agent);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
