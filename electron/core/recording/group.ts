// Synced timelines: two or more open recordings played on one clock. Each
// recording keeps its own planes and its own Replay; the group owns the
// timeline time (ms from its 0), play/pause and speed, and each member follows
// it (Replay.follow) through its offset: recording time = its start + timeline
// time - its offset. Aligned by start, every offset is 0 (yesterday's run
// beside today's, both from their starts); aligned by time, the offsets are
// the recordings' start times apart (as recorded on the clock); or an offset
// chosen per recording. Offsets are kept so the smallest is 0.

import { REPLAY_MAX_SPEED, REPLAY_MIN_SPEED, type ReplayAlign, type ReplayGroupState } from '../../../shared/index.js';
import type { SyncableEntry } from './ports.js';

/** What the group needs of a replay (recording/replay.ts's Replay has it). */
export type GroupMember = Pick<SyncableEntry, 'state' | 'play' | 'pause' | 'setSpeed' | 'seek' | 'follow'>;

export class ReplayGroup {
  private readonly members = new Map<number, { r: GroupMember; offsetMs: number; startMs: number; endMs: number }>();
  private align: ReplayAlign;
  private playing = false;
  private speed = 1;
  private positionMs = 0;
  private anchorWall = 0;

  /** Members by their timeline id; they are paused, at timeline 0, and follow the group from here. */
  constructor(
    members: ReadonlyMap<number, GroupMember>,
    align: 'start' | 'time' = 'start',
    private readonly now: () => number = () => performance.now(),
  ) {
    if (members.size < 2) throw new Error('a synced timeline needs two or more recordings');
    this.align = align;
    for (const [id, r] of members) {
      r.pause();
      const { startMs, endMs } = r.state();
      this.members.set(id, { r, offsetMs: 0, startMs, endMs });
    }
    this.realign(align);
    for (const [id, m] of this.members) m.r.follow(() => this.timeOf(id, this.clock()));
  }

  has(id: number): boolean {
    return this.members.has(id);
  }

  get size(): number {
    return this.members.size;
  }

  /** Timeline time now (moves while playing; stops at the end). */
  clock(): number {
    if (!this.playing) return this.positionMs;
    return Math.min(this.endMs(), this.positionMs + (this.now() - this.anchorWall) * this.speed);
  }

  /** The timeline's length: the latest end of a member. */
  endMs(): number {
    let end = 0;
    for (const m of this.members.values()) end = Math.max(end, m.offsetMs + (m.endMs - m.startMs));
    return end;
  }

  /** Member `id`'s recording time at timeline time `t`, within its recording (its start before its offset, its end after). */
  timeOf(id: number, t: number): number {
    const m = this.members.get(id);
    if (!m) return Number.NaN;
    return Math.min(m.endMs, Math.max(m.startMs, m.startMs + t - m.offsetMs));
  }

  /** Timeline time of member `id`'s recording time `ms`. */
  timelineOf(id: number, ms: number): number {
    const m = this.members.get(id);
    if (!m) return Number.NaN;
    return ms - m.startMs + m.offsetMs;
  }

  state(): ReplayGroupState {
    const end = this.endMs();
    // Reached the end while playing: paused there.
    if (this.playing && this.clock() >= end) this.pause();
    return {
      align: this.align,
      playing: this.playing,
      speed: this.speed,
      positionMs: this.clock(),
      endMs: end,
      members: [...this.members].map(([id, m]) => ({ id, offsetMs: m.offsetMs, state: m.r.state() })),
    };
  }

  play(): void {
    if (this.playing || this.positionMs >= this.endMs()) return;
    this.anchorWall = this.now();
    this.playing = true;
    for (const m of this.members.values()) m.r.play();
  }

  pause(): void {
    if (!this.playing) return;
    this.positionMs = this.clock();
    this.playing = false;
    for (const m of this.members.values()) m.r.pause();
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed)) return;
    this.positionMs = this.clock();
    this.anchorWall = this.now();
    this.speed = Math.min(REPLAY_MAX_SPEED, Math.max(REPLAY_MIN_SPEED, speed));
    for (const m of this.members.values()) m.r.setSpeed(this.speed);
  }

  /** Moves every member to timeline time `t` (clamped to the timeline); playing goes on from there. */
  async seek(t: number): Promise<void> {
    const to = Math.min(this.endMs(), Math.max(0, t));
    this.positionMs = to;
    this.anchorWall = this.now();
    await Promise.all([...this.members].map(([id, m]) => m.r.seek(this.timeOf(id, to))));
    // A member that had played to its end paused itself: it plays again from here.
    if (this.playing) for (const m of this.members.values()) m.r.play();
  }

  /** Lines the members up by start (every offset 0) or by time (their recorded start times apart); then seeks to where the timeline is. */
  async realignTo(align: 'start' | 'time'): Promise<void> {
    this.realign(align);
    await this.seek(this.clock());
  }

  /** Sets where member `id`'s start sits on the timeline (offsets are then shifted so the smallest is 0). */
  async setOffset(id: number, offsetMs: number): Promise<void> {
    const m = this.members.get(id);
    if (!m || !Number.isFinite(offsetMs)) return;
    m.offsetMs = offsetMs;
    this.align = 'offset';
    this.normalise();
    await this.seek(this.clock());
  }

  /** Takes member `id` out (it plays by its own clock again, paused). */
  remove(id: number): void {
    const m = this.members.get(id);
    if (!m) return;
    this.members.delete(id);
    m.r.pause();
    m.r.follow(null);
  }

  /** Every member back on its own clock, paused where it is. */
  dissolve(): void {
    this.pause();
    for (const id of [...this.members.keys()]) this.remove(id);
  }

  private realign(align: 'start' | 'time'): void {
    this.align = align;
    for (const m of this.members.values()) m.offsetMs = align === 'start' ? 0 : m.startMs;
    this.normalise();
  }

  private normalise(): void {
    const min = Math.min(...[...this.members.values()].map((m) => m.offsetMs));
    for (const m of this.members.values()) m.offsetMs -= min;
  }
}
