// The synced timeline's state (the core's replayGroup), polled while a panel
// that shows it wants it: the Timeline (its controls) and the Overview (its
// comparison of the recordings on it).

import { useEffect, useState } from 'react';
import type { ReplayGroupState, SwarmdeckBridge } from '@shared';

/** The synced timeline's state, polled every `everyMs` while `on` (null: none). */
export function useReplayGroup(bridge: SwarmdeckBridge | null | undefined, on: boolean, everyMs: number): { group: ReplayGroupState | null; set: (g: ReplayGroupState | null) => void } {
  const [group, set] = useState<ReplayGroupState | null>(null);
  useEffect(() => {
    if (!bridge || !on) {
      set(null);
      return;
    }
    let live = true;
    const poll = (): void =>
      void bridge.request('replayGroup', { action: 'state' }).then(
        (g) => live && set(g),
        () => undefined,
      );
    poll();
    const t = setInterval(poll, everyMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [bridge, on, everyMs]);
  return { group, set };
}
