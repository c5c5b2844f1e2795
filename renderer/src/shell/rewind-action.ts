// A live plane rewound, returned to LIVE or saved (the core's `rewind`), with
// what the page does around it: the live plane gives way to its rewind plane
// ("rewind:<plane>") in the graph and comes back at LIVE; the clock is read
// again. One place for the Timeline's rewind controls and for the alerts and
// commands that open their moment.

import { type RewindAction, type RewindResult } from '@shared';
import type { ConsoleModel } from '../store/console-model.js';
import { clockSource } from './services.js';

/** Live planes hidden for their rewind plane (shown again when the rewind ends, however it ends). */
export const hiddenByRewind = new Set<string>();

/** Sends `a` to the core and shows its outcome in the graph; rejects with the core's refusal. */
export async function rewindAction(model: ConsoleModel, a: RewindAction): Promise<RewindResult> {
  const bridge = model.services.bridge;
  if (!bridge) throw new Error('not connected to the core');
  const r = await bridge.request('rewind', a);
  if (r.mode === 'rewind') hiddenByRewind.add(r.plane);
  else hiddenByRewind.delete(r.plane);
  model.store.setState((s) => ({ hiddenPlanes: r.mode === 'rewind' ? [...new Set([...s.hiddenPlanes, r.plane])] : s.hiddenPlanes.filter((x) => x !== r.plane) }));
  clockSource().refresh();
  return r;
}

/** Shows again the live planes whose rewind ended elsewhere (the Timeline's close, another view's LIVE); `rewound`: the planes rewound now. */
export function showEndedRewinds(model: ConsoleModel, rewound: ReadonlySet<string>): void {
  const back = [...hiddenByRewind].filter((id) => !rewound.has(id));
  if (back.length === 0) return;
  for (const id of back) hiddenByRewind.delete(id);
  model.store.setState((s) => ({ hiddenPlanes: s.hiddenPlanes.filter((x) => !back.includes(x)) }));
}
