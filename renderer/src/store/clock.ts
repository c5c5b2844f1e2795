// The view's clock (window.__swarmdeck.clock()): live, rewound or replaying,
// and the data time shown. Read from the core's timeline entries (`replays`),
// asked every CLOCK_POLL_MS and after a rewind control (`refresh`).

import { clockOf, type ClockReading, isRewindPlane, type ReplayEntry, type SwarmdeckBridge } from '@shared';

export const CLOCK_POLL_MS = 500;

/** A rewound live plane and the data time shown of it. */
export interface Rewound {
  plane: string;
  at: number;
}

export class ClockSource {
  private entries: readonly ReplayEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private rewoundNow: readonly Rewound[] = [];
  private key = '';
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly bridge: SwarmdeckBridge | null) {}

  start(): void {
    if (!this.bridge || this.timer) return;
    this.timer = setInterval(() => this.refresh(), CLOCK_POLL_MS);
    this.refresh();
  }

  /** Asks the core now. */
  refresh(): void {
    this.bridge?.request('replays', undefined).then(
      (e) => this.set(e),
      () => undefined,
    );
  }

  /** The entries as a control's reply or the Timeline's poll had them. */
  set(entries: readonly ReplayEntry[]): void {
    this.entries = entries;
    const rewound: Rewound[] = [];
    for (const e of entries) for (const [live, shown] of Object.entries(e.state.planes)) if (isRewindPlane(shown)) rewound.push({ plane: live, at: e.state.positionMs });
    const key = JSON.stringify(rewound);
    if (key === this.key) return;
    this.key = key;
    this.rewoundNow = rewound;
    for (const l of this.listeners) l();
  }

  /** The rewound live planes (the same array until one changes: a snapshot for useSyncExternalStore). */
  rewound(): readonly Rewound[] {
    return this.rewoundNow;
  }

  /** Called when the rewound planes or their times change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  read(now = Date.now()): ClockReading {
    return clockOf(this.entries, now);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
