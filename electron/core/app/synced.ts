// The core's synced timeline: at most one group of open recordings on one
// clock (recording/group.ts), the `replayGroup` request, and how a single
// recording's controls reach its group (play, pause, speed and seek move every
// recording of it; step pauses the group and steps that one; close takes it
// out, and a group left with one recording is no longer synced).

import type { ReplayAction, ReplayGroupAction, ReplayGroupState, ReplayMoment, ReplayMomentResult } from '../../../shared/index.js';
import { isSyncable, ReplayGroup, type SyncableEntry, type TimelineEntry } from '../recording/index.js';

export class SyncedTimeline {
  private group: ReplayGroup | null = null;

  constructor(private readonly replays: ReadonlyMap<number, TimelineEntry>) {}

  /** One request of the synced timeline; null when there is none (after unsync too). */
  async act(req: ReplayGroupAction): Promise<ReplayGroupState | null> {
    if (req.action === 'sync') {
      const members = new Map<number, SyncableEntry>();
      for (const id of req.ids) {
        const r = this.replays.get(id);
        if (!r) throw new Error(`no open recording ${id} to sync`);
        if (!isSyncable(r)) throw new Error(`${r.state().path} is a rewound plane: it follows its live buffer and cannot join a synced timeline; save it as a recording and open that`);
        members.set(id, r);
      }
      this.dissolve();
      // The timeline starts where the first recording named is.
      const first = members.get(req.ids[0]!)!.state().positionMs;
      const g = new ReplayGroup(members, req.align ?? 'start');
      this.group = g;
      await g.seek(g.timelineOf(req.ids[0]!, first));
      return g.state();
    }
    const g = this.group;
    if (!g) return null;
    switch (req.action) {
      case 'state':
        break;
      case 'unsync':
        this.dissolve();
        return null;
      case 'play':
        g.play();
        break;
      case 'pause':
        g.pause();
        break;
      case 'speed':
        g.setSpeed(req.value);
        break;
      case 'seek':
        await g.seek(req.value);
        break;
      case 'align':
        await g.realignTo(req.align);
        break;
      case 'offset':
        if (!g.has(req.id)) throw new Error(`recording ${req.id} is not on the synced timeline`);
        await g.setOffset(req.id, req.value);
        break;
    }
    return g.state();
  }

  /** A single recording's control when that recording is synced: done on the group, true; else false (the core does it on the recording). */
  async route(req: ReplayAction): Promise<boolean> {
    const g = this.group;
    if (!g?.has(req.id)) return false;
    switch (req.action) {
      case 'play':
        g.play();
        return true;
      case 'pause':
        g.pause();
        return true;
      case 'speed':
        g.setSpeed(req.value);
        return true;
      case 'seek':
        await g.seek(g.timelineOf(req.id, req.value));
        return true;
      case 'step':
        g.pause();
        return false;
      case 'close':
        g.remove(req.id);
        if (g.size < 2) this.dissolve();
        return false;
    }
  }

  /** A replayed plane's moment (an alert's firedAt): its recording (and its group) sought to `beforeMs` (10 s) before it, paused. */
  async moment(req: ReplayMoment): Promise<ReplayMomentResult> {
    const found = [...this.replays].find(([, r]) => Object.values(r.state().planes).includes(req.plane));
    if (!found) return null;
    const [id, r] = found;
    const momentMs = r.recordingTimeAt(req.at);
    if (momentMs === null) return null;
    const to = momentMs - (req.beforeMs ?? 10_000);
    const g = this.group;
    if (g?.has(id)) {
      g.pause();
      await g.seek(g.timelineOf(id, to));
    } else {
      r.pause();
      await r.seek(to);
    }
    return { id, positionMs: r.state().positionMs, momentMs };
  }

  /** Every recording back on its own clock, paused. */
  dissolve(): void {
    this.group?.dissolve();
    this.group = null;
  }
}
