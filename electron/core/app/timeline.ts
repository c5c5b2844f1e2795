// The core's timeline: the open recordings and rewound planes (TimelineEntry)
// by the id the page addresses them with, their controls, markers and series,
// and the synced timeline over them (synced.ts). SwarmCore serves its
// requests through this.

import type { ReplayAction, ReplayEntry, ReplayGroupAction, ReplayGroupState, ReplayMarkers, ReplayMoment, ReplayMomentResult, ReplayRef, ReplaySeries, ReplayState } from '../../../shared/index.js';
import type { TimelineEntry } from '../recording/index.js';
import { SyncedTimeline } from './synced.js';

export class Timeline {
  private readonly entries = new Map<number, TimelineEntry>();
  private nextId = 1;
  /** Two or more open recordings on one clock. */
  private readonly synced = new SyncedTimeline(this.entries);

  /** Registers an opened recording (its planes are already in the core); returns its id. */
  add(entry: TimelineEntry): number {
    const id = this.nextId++;
    this.entries.set(id, entry);
    return id;
  }

  list(): ReplayEntry[] {
    return [...this.entries].map(([id, r]) => ({ id, state: r.state() }));
  }

  /** One control; null when there is no entry by that id. */
  async action(req: ReplayAction): Promise<ReplayState | null> {
    const r = this.entries.get(req.id);
    if (!r) return null;
    // A synced recording's play, pause, speed and seek move its whole group.
    if (await this.synced.route(req)) return r.state();
    switch (req.action) {
      case 'play':
        r.play();
        break;
      case 'pause':
        r.pause();
        break;
      case 'speed':
        r.setSpeed(req.value);
        break;
      case 'seek':
        await r.seek(req.value);
        break;
      case 'step':
        await r.step();
        break;
      case 'close': {
        // Its planes leave the core; the timeline no longer lists it.
        r.pause();
        const last = r.state();
        this.entries.delete(req.id);
        await r.close();
        return last;
      }
    }
    return r.state();
  }

  async markers(req: ReplayRef): Promise<ReplayMarkers | null> {
    return (await this.entries.get(req.id)?.markers()) ?? null;
  }

  async series(req: ReplayRef): Promise<ReplaySeries | null> {
    return (await this.entries.get(req.id)?.series()) ?? null;
  }

  /** A replayed plane's moment (an alert's firedAt): its recording, with its group, sought before it. */
  moment(req: ReplayMoment): Promise<ReplayMomentResult> {
    return this.synced.moment(req);
  }

  /** The synced timeline's requests. */
  group(req: ReplayGroupAction): Promise<ReplayGroupState | null> {
    return this.synced.act(req);
  }

  /** Every entry closed (the core stops). */
  closeAll(): void {
    this.synced.dissolve();
    for (const r of this.entries.values()) void r.close();
    this.entries.clear();
  }
}
