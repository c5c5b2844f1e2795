// A recording opened as plane(s): one offline Plane per recorded plane, fed
// through Plane.ingest at the recorded pace (times speed). Seeking builds
// fresh planes from the nearest snapshot at or before the target, replays
// forward to it, then swaps them in under the same ids (AgentStore.succeed
// keeps the views following). Play, pause, speed 0.25-16x, seek, step.

import { Plane, type PlaneConfig, type PlaneListener } from '../connection/index.js';
import { type PlaneEvent, REPLAY_MAX_SPEED, REPLAY_MIN_SPEED, REPLAY_TICK_BYTES, REPLAY_TICK_MESSAGES, type ReplaySeries, type ReplayState, type TimelineMarker } from '../../../shared/index.js';
import type { EndpointName } from '../protocol/index.js';
import { decodeSnapshot, restoreSnapshot, type RecordedPlane } from './format.js';
import { PlaneFeed, TurnGate, nextTurn } from './feed.js';
import { type RecMessage, Recording } from './reader.js';
import { recordingSeries } from './series.js';
import { WallMap } from './wall-map.js';
import { recordingMarkers } from './tail.js';

/** Where replay planes go (SwarmCore has these). */
export interface ReplayHost {
  listenerFor(id: string): PlaneListener;
  putPlane(plane: Plane): void;
  removePlane(id: string): boolean;
  plane(id: string): Plane | undefined;
}

export type { ReplayState } from '../../../shared/index.js';

export interface ReplayOptions {
  /** Replay plane id for a recorded one; default "rec:<id>" (made unique against the host). */
  idFor?: (recorded: RecordedPlane) => string;
  /** Playback tick; default 16 ms. */
  tickMs?: number;
  /** The replay planes' label after the recorded one's; default "(recording)". */
  labelSuffix?: string;
  /** Where it opens (default the start of the recording). */
  at?: number;
}

/** Planes (recorded id → feed) built at a point of the recording. */
interface Built {
  feeds: Map<string, PlaneFeed>;
  /** Next chunk and message index to play. */
  chunk: number;
  index: number;
  messages: RecMessage[];
}

export class Replay {
  private readonly configs = new Map<string, PlaneConfig>();
  private feeds = new Map<string, PlaneFeed>();
  private readonly forwarding = new Map<string, boolean>();
  private chunk = 0;
  private index = 0;
  private messages: RecMessage[] = [];
  private positionMs: number;
  private playing = false;
  private speed = 1;
  private anchorWall = 0;
  private anchorRec = 0;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private busy: Promise<void> = Promise.resolve();
  private error: string | null = null;
  private closed = false;
  private readonly listeners = new Set<(s: ReplayState) => void>();
  private readonly tickMs: number;
  private markersP: Promise<{ markers: TimelineMarker[]; dropped: number }> | null = null;
  private seriesP: Promise<ReplaySeries> | null = null;
  private readonly abort = new AbortController();
  private gate = new TurnGate();
  /** A group's shared clock (recording/group.ts): when set, the recording time to play to, instead of this replay's own. */
  private source: (() => number) | null = null;
  /** This console's clock → the recording time shown then (an alert's moment; recording/wall-map.ts). */
  private readonly wallMap = new WallMap();

  private constructor(
    readonly recording: Recording,
    private readonly host: ReplayHost,
    planes: readonly RecordedPlane[],
    opts: ReplayOptions,
  ) {
    this.tickMs = opts.tickMs ?? 16;
    this.positionMs = recording.startMs;
    for (const p of planes) {
      let id = opts.idFor?.(p) ?? `rec:${p.id}`;
      for (let n = 2; host.plane(id) && !opts.idFor; n++) id = `rec:${p.id}-${n}`;
      const endpoints: PlaneConfig['endpoints'] = {};
      for (const e of ['agents', 'graph', 'control'] as EndpointName[]) if (!p.endpoints.includes(e)) endpoints[e] = false;
      this.configs.set(p.id, { id, label: `${p.label} ${opts.labelSuffix ?? '(recording)'}`, url: p.url || 'mcap:', color: p.color, endpoints, replay: true });
    }
  }

  /** Opens `path` and adds its planes to `host`, at the start of the recording, paused. */
  static async open(path: string, host: ReplayHost, opts: ReplayOptions = {}): Promise<Replay> {
    const rec = await Recording.open(path);
    try {
      const planes = rec.meta?.planes ?? planesFromChannels(rec);
      if (planes.length === 0) throw new Error(`${path}: no Swarmdeck planes in this recording${rec.problem ? ` (${rec.problem.message})` : ''}`);
      const r = new Replay(rec, host, planes, opts);
      await r.seek(opts.at ?? rec.startMs);
      return r;
    } catch (e) {
      await rec.close();
      throw e;
    }
  }

  state(): ReplayState {
    const planes: Record<string, string> = {};
    for (const [rid, c] of this.configs) planes[rid] = c.id;
    return {
      path: this.recording.path,
      playing: this.playing,
      speed: this.speed,
      startMs: this.recording.startMs,
      endMs: this.recording.endMs,
      positionMs: this.positionMs,
      planes,
      complete: this.recording.complete,
      problem: this.recording.problem,
      error: this.error,
    };
  }

  onState(listener: (s: ReplayState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  play(): void {
    if (this.closed || this.playing) return;
    if (this.positionMs >= this.recording.endMs) return;
    this.playing = true;
    this.anchor();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.changed();
  }

  pause(): void {
    if (!this.playing) return;
    this.advanceClock();
    // Paused where the data shown is: never past the first message not yet applied (a tick may be behind).
    const head = this.messages[this.index];
    if (head && head.timeMs < this.positionMs) this.positionMs = Math.max(this.recording.startMs, head.timeMs);
    this.anchor();
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.changed();
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed)) return;
    this.advanceClock();
    this.speed = Math.min(REPLAY_MAX_SPEED, Math.max(REPLAY_MIN_SPEED, speed));
    this.anchor();
    this.changed();
  }

  /** Rebuilds every replay plane at `ms` (clamped to the recording): snapshot at or before it, then forward. */
  seek(ms: number): Promise<void> {
    const run = async (): Promise<void> => {
      const t = Math.min(this.recording.endMs, Math.max(this.recording.startMs, ms));
      const b = await this.build(t);
      if (this.closed) return;
      for (const [rid, feed] of b.feeds) {
        const id = this.configs.get(rid)!.id;
        const old = this.host.plane(id);
        if (old) feed.plane.store.succeed(old.store);
        this.host.putPlane(feed.plane);
        this.forwarding.set(id, true);
      }
      this.feeds = b.feeds;
      this.chunk = b.chunk;
      this.index = b.index;
      this.messages = b.messages;
      this.positionMs = t;
      this.anchor();
      this.changed();
    };
    this.busy = this.busy.then(run, run);
    return this.busy;
  }

  /** Plays exactly the next recorded message (paused afterwards). Resolves false at the end. */
  step(): Promise<boolean> {
    this.pause();
    const run = async (): Promise<boolean> => {
      for (;;) {
        if (!(await this.ensureMessages())) return false;
        const m = this.messages[this.index++]!;
        this.positionMs = Math.max(this.positionMs, m.timeMs);
        if (this.gate.before(m)) await nextTurn();
        this.apply(m);
        if (m.channel.kind !== 'snapshot' && m.channel.kind !== 'status') break;
      }
      this.changed();
      return true;
    };
    const p = this.busy.then(run, run);
    this.busy = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /** The recording's markers (computed once, in the background of the first call). */
  markers(): Promise<{ markers: TimelineMarker[]; dropped: number }> {
    this.markersP ??= recordingMarkers(this.recording, this.abort.signal);
    return this.markersP;
  }

  /** Agents per state over the recording, per plane, from its snapshots (computed once, like the markers). */
  series(): Promise<ReplaySeries> {
    this.seriesP ??= recordingSeries(this.recording, this.state().planes, this.abort.signal);
    return this.seriesP;
  }

  /** Stops playback and removes the replay planes from the host (`keepPlanes`: another replay has put its own under the same ids). */
  async close(opts: { keepPlanes?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.pause();
    this.closed = true;
    this.abort.abort();
    await this.busy.catch(() => undefined);
    if (!opts.keepPlanes) for (const c of this.configs.values()) this.host.removePlane(c.id);
    await this.recording.close();
  }

  /** The recording time this replay showed at `wallMs` (ms since the epoch, this console's clock: an alert's firedAt), or null before it opened. */
  recordingTimeAt(wallMs: number): number | null {
    return this.wallMap.recAt(wallMs);
  }

  /** Plays to the recording time `source` gives (a synced group's clock), or again by its own clock (null). */
  follow(source: (() => number) | null): void {
    this.advanceClock();
    this.source = source;
    this.anchor();
  }

  // ------------------------------------------------------------------ playback

  /** The recording time playback has reached by the clock (own or followed), within the recording. */
  private clockMs(): number {
    const t = this.source ? this.source() : this.anchorRec + (performance.now() - this.anchorWall) * this.speed;
    return Math.min(this.recording.endMs, Math.max(this.recording.startMs, t));
  }

  private anchor(): void {
    this.anchorWall = performance.now();
    this.anchorRec = this.positionMs;
  }

  private advanceClock(): void {
    if (this.playing) this.positionMs = this.clockMs();
    this.anchor();
  }

  private ticking = false;

  private async tick(): Promise<void> {
    if (this.ticking || !this.playing) return;
    this.ticking = true;
    try {
      await this.busy;
      const target = this.clockMs();
      let n = 0;
      let bytes = 0;
      while (n < REPLAY_TICK_MESSAGES && bytes < REPLAY_TICK_BYTES) {
        if (this.index >= this.messages.length) {
          if (!(await this.ensureMessages())) break;
        }
        const m = this.messages[this.index];
        if (!m || m.timeMs > target) break;
        if (this.gate.before(m)) await nextTurn();
        if (!this.playing) break;
        this.index++;
        this.apply(m);
        n++;
        bytes += m.data.byteLength;
      }
      // Paused during this tick: pause() has set the position; the tick's older target must not move it back.
      if (!this.playing) return;
      // Behind (a chunk was loading, or too many messages): the clock waits for the data, never skips it.
      const head = this.messages[this.index];
      this.positionMs = head && head.timeMs <= target ? head.timeMs : target;
      if (this.positionMs !== target) this.anchor();
      if (this.positionMs >= this.recording.endMs && this.index >= this.messages.length && this.chunk >= this.recording.chunks.length) this.pause();
      this.changed();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.pause();
    } finally {
      this.ticking = false;
    }
  }

  /** True when a message is available at `index` (loading the next chunk if needed). */
  private async ensureMessages(): Promise<boolean> {
    while (this.index >= this.messages.length) {
      if (this.chunk >= this.recording.chunks.length) return false;
      this.loading ??= this.recording.readChunk(this.chunk).then((msgs) => {
        this.messages = msgs;
        this.index = 0;
        this.chunk++;
        this.loading = null;
      });
      try {
        await this.loading;
      } catch (e) {
        this.loading = null;
        this.error = e instanceof Error ? e.message : String(e);
        this.chunk = this.recording.chunks.length; // a bad chunk ends the playable part
        return false;
      }
    }
    return true;
  }

  private apply(m: RecMessage): PlaneEvent | null {
    return this.feeds.get(m.channel.plane)?.apply(m) ?? null;
  }

  private changed(): void {
    this.wallMap.note(Date.now(), this.positionMs);
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  // ---------------------------------------------------------------- building

  /** Fresh planes with their stores as they were at `t`. */
  private async build(t: number): Promise<Built> {
    const rec = this.recording;
    const feeds = new Map<string, PlaneFeed>();
    /** Recorded plane id → log time of the snapshot restored (messages up to it are in it). */
    const from = new Map<string, bigint>();
    const end = Math.min(rec.chunkAt(t), rec.chunks.length - 1);
    let startChunk = end < 0 ? 0 : end;
    for (const [rid, config] of this.configs) {
      const id = config.id;
      this.forwarding.set(id, false);
      const l = (): PlaneListener => this.host.listenerFor(id);
      const plane: Plane = new Plane(config, {
        event: (ev) => {
          if (this.forwarding.get(id) && this.feeds.get(rid)?.plane === plane) l().event(feed.restore(ev));
        },
      });
      const feed: PlaneFeed = new PlaneFeed(plane);
      feeds.set(rid, feed);
      const snapChannel = rec.channelsOf('snapshot', rid)[0];
      const statusChannel = rec.channelsOf('status', rid)[0];
      if (!snapChannel) continue;
      for (let i = end; i >= 0; i--) {
        if (!rec.chunks.hasChannel(i, snapChannel.id)) continue;
        const msgs = await rec.readChunk(i);
        let snap: RecMessage | undefined;
        let status: RecMessage | undefined;
        for (const m of msgs) {
          if (m.timeMs > t) break;
          if (m.channel.id === snapChannel.id) snap = m;
          if (statusChannel && m.channel.id === statusChannel.id) status = m;
        }
        if (!snap) continue;
        restoreSnapshot(plane.store, decodeSnapshot(snap.data), Date.now());
        if (status) feed.noteStatus(status.data);
        from.set(rid, snap.logTime);
        startChunk = Math.min(startChunk, i);
        break;
      }
      if (!from.has(rid)) startChunk = 0;
    }
    // Forward from the earliest snapshot to t, each plane only past its own snapshot.
    let chunk = startChunk;
    let messages: RecMessage[] = [];
    let index = 0;
    const gate = new TurnGate();
    for (; chunk < rec.chunks.length; chunk++) {
      messages = await rec.readChunk(chunk);
      index = 0;
      for (; index < messages.length; index++) {
        const m = messages[index]!;
        if (m.timeMs > t) break;
        const after = from.get(m.channel.plane);
        if (after !== undefined && m.logTime <= after && m.channel.kind !== 'status') continue;
        if (gate.before(m)) await nextTurn();
        feeds.get(m.channel.plane)?.apply(m);
      }
      if (index < messages.length) break;
    }
    if (chunk >= rec.chunks.length) {
      messages = [];
      index = 0;
    } else chunk++; // `messages` is chunk `chunk - 1`; playback reads from `chunk` on.
    // Normal-priority channel messages are delivered on the next turn: let them land.
    await nextTurn();
    this.gate = new TurnGate();
    return { feeds, chunk, index, messages };
  }
}

/** Without the metadata record (a damaged file): the planes its channels name. */
function planesFromChannels(rec: Recording): RecordedPlane[] {
  const byId = new Map<string, RecordedPlane>();
  for (const c of rec.channels.values()) {
    let p = byId.get(c.plane);
    if (!p) byId.set(c.plane, (p = { id: c.plane, label: c.plane, url: '', color: 0xe5e5e5, endpoints: [] }));
    if (c.endpoint && !p.endpoints.includes(c.endpoint)) p.endpoints.push(c.endpoint);
  }
  return [...byId.values()];
}
