// The view's clock (window.__swarmdeck.clock()): live, rewound or replaying,
// and the data time shown. Read from the core's timeline entries (`replays`),
// asked every CLOCK_POLL_MS and after a rewind control (`refresh`).

import { clockOf, type ClockReading, type ReplayEntry, type SwarmdeckBridge } from '@shared';

export const CLOCK_POLL_MS = 500;

export class ClockSource {
  private entries: readonly ReplayEntry[] = [];
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
  }

  read(now = Date.now()): ClockReading {
    return clockOf(this.entries, now);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
