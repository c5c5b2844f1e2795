// Frames for one view (an Electron window or a browser tab). As soon as the
// view is free after a store change, and never faster than the display rate,
// it sends one FrameMessage holding, for each plane whose store changed, the
// slot arrays, plus every event since the last frame. At most one frame is in
// flight: until the view acknowledges it, newer positions overwrite older ones
// in the store (latest wins, each superseded position message counted) and
// events queue; events are never dropped. High and critical events flush at
// once instead of waiting for the next tick (still one frame in flight).
// Nothing is sent before the view says it is ready (it has subscribed), and
// a frame's events are held until acknowledged: if the ack times out they are
// sent again (the renderer drops repeats by per-plane seq), so no event is
// lost to a view that reloaded or stalled.

import type { FrameMessage, PipelineStats, PlaneFrame } from '../ipc/contract.js';
import type { PlaneEvent } from '../protocol/events.js';
import type { Plane } from '../connection/plane.js';
import { grownCapacity, resized, type TypedArray } from '../util/typed.js';

/** Called synchronously; the frame's typed arrays are only valid during the call (they view live buffers). */
export type FrameSink = (frame: FrameMessage) => void;

export interface PipelineOptions {
  /** The most frames per second (the display rate). */
  rateHz?: number;
  /** The safety-net tick; defaults to 1/rateHz. */
  tickMs?: number;
  /** An unacknowledged frame older than this is presumed lost and the slot freed. */
  ackTimeoutMs?: number;
}

/** Per plane and view: what the view has, and scratch reused frame to frame. */
interface PlaneCursor {
  version: number;
  positionVersion: number;
  xy: Float32Array;
  vxy: Float32Array;
  load: Uint8Array;
  scratch: { slots: Uint32Array };
  ids: Uint32Array;
  states: Uint16Array;
}

/** `a` when it holds `n`, else a new array of the same kind, at least doubled (contents not kept: scratch). */
function grown<T extends TypedArray>(a: T, n: number): T {
  return a.length >= n ? a : resized(a, grownCapacity(a.length, n, 0), 0);
}

/** CPU percent as the frame's u8 load, clamped to 0..100 (a Uint8Array store would wrap, and NaN becomes 0). */
function loadPercent(cpu: number): number {
  return cpu > 100 ? 100 : cpu > 0 ? cpu : 0;
}

export class FramePipeline {
  private readonly rateMs: number;
  private readonly tickMs: number;
  private readonly ackTimeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private flushScheduled = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastSentAt = -Infinity;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly subscribed = new Set<string>();
  private seq = 0;
  private inFlight: { seq: number; since: number; events: PlaneEvent[] } | null = null;
  private events: PlaneEvent[] = [];
  private ready = false;
  private readonly cursors = new Map<string, PlaneCursor>();
  private statusKey = '';
  readonly stats: PipelineStats = { framesSent: 0, supersededPositions: 0, eventsQueued: 0, eventsSent: 0, framesTimedOut: 0 };

  constructor(
    private readonly planes: () => readonly Plane[],
    private readonly sink: FrameSink,
    opts: PipelineOptions = {},
  ) {
    this.rateMs = 1000 / (opts.rateHz ?? 60);
    this.tickMs = opts.tickMs ?? this.rateMs;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 2000;
  }

  start(): void {
    if (this.timer) return;
    // The tick is the safety net (status-only changes, ack timeouts); store changes send sooner.
    this.timer = setInterval(() => {
      this.subscribe();
      this.flush();
    }, this.tickMs);
    this.subscribe();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const u of this.unsubscribe.splice(0)) u();
    this.subscribed.clear();
  }

  /** Listens to every plane's store (planes may be added later: called on each tick). */
  private subscribe(): void {
    for (const p of this.planes()) {
      if (this.subscribed.has(p.config.id)) continue;
      this.subscribed.add(p.config.id);
      this.unsubscribe.push(p.store.onChange(() => this.requestFlush()));
    }
  }

  /** A frame as soon as the view is free, but never more often than the display rate. */
  private requestFlush(): void {
    if (!this.ready || this.inFlight || this.flushScheduled || this.flushTimer) return;
    const wait = this.lastSentAt + this.rateMs - performance.now();
    if (wait <= 0) this.scheduleFlush();
    else
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, wait);
  }

  /** The view has subscribed: from now on frames are sent, the first one complete. */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.scheduleFlush();
  }

  /** Queues an event for this view; high and critical ones are sent at once, the rest at the display rate. */
  push(ev: PlaneEvent): void {
    this.events.push(ev);
    this.stats.eventsQueued = this.events.length;
    if (ev.priority === 'high' || ev.priority === 'critical') this.scheduleFlush();
    else this.requestFlush();
  }

  ack(seq: number): void {
    if (this.inFlight && seq >= this.inFlight.seq) {
      this.inFlight = null;
      // The view is free: send what waits as soon as the rate allows (acks drive the rate too).
      this.requestFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Builds and sends a frame if the view is free and anything changed. Returns whether one was sent. */
  flush(now = Date.now()): boolean {
    if (!this.ready) return false;
    if (this.inFlight) {
      if (now - this.inFlight.since < this.ackTimeoutMs) return false;
      // Presumed lost (view reloaded or hung): free the slot and send its events again.
      this.events = this.inFlight.events.concat(this.events);
      this.inFlight = null;
      this.stats.framesTimedOut++;
    }
    const positions: PlaneFrame[] = [];
    for (const p of this.planes()) {
      const frame = this.planeFrame(p);
      if (frame) positions.push(frame);
    }
    const statuses = this.planes().map((p) => p.status());
    const key = JSON.stringify(statuses.map((s) => [s.state, s.reason, s.agents]));
    if (positions.length === 0 && this.events.length === 0 && key === this.statusKey) return false;
    this.statusKey = key;
    const events = this.events;
    this.events = [];
    const seq = this.seq++;
    this.stats.framesSent++;
    this.stats.eventsSent += events.length;
    this.stats.eventsQueued = 0;
    this.inFlight = { seq, since: now, events };
    this.lastSentAt = performance.now();
    this.sink({ seq, builtAt: now, planes: statuses, positions, events, stats: { ...this.stats } });
    return true;
  }

  /**
   * The slots of `p` this view has not seen: only the changed ones when at
   * most half changed (index + data costs less than all), else every slot.
   * Arrays view the store or this view's scratch: valid until the next flush.
   */
  private planeFrame(p: Plane): PlaneFrame | null {
    const store = p.store;
    let c = this.cursors.get(p.config.id);
    if (!c) {
      c = { version: -1, positionVersion: 0, xy: new Float32Array(0), vxy: new Float32Array(0), load: new Uint8Array(0), scratch: { slots: new Uint32Array(0) }, ids: new Uint32Array(0), states: new Uint16Array(0) };
      this.cursors.set(p.config.id, c);
    }
    if (c.version === store.version) return null;
    const skipped = store.positionVersion - c.positionVersion - 1;
    if (skipped > 0) this.stats.supersededPositions += skipped;
    // Arrival time only when this frame brings positions the view has not had (not for a metrics-only change).
    const receivedAt = store.positionVersion !== c.positionVersion ? store.positionsReceivedAt : 0;
    const slotCount = store.slotCount;
    const changed = c.version < 0 ? -1 : store.changedSlots(c.version, c.scratch, slotCount >> 1);
    c.version = store.version;
    c.positionVersion = store.positionVersion;
    const pos = store.pos;
    const vel = store.vel;
    const cpu = store.cpu;
    const positioned = store.positionVersion > 0;
    if (changed < 0) {
      const xy = (c.xy = grown(c.xy, 2 * slotCount));
      const vxy = (c.vxy = grown(c.vxy, 2 * slotCount));
      const load = (c.load = grown(c.load, slotCount));
      for (let i = 0; i < slotCount; i++) {
        xy[2 * i] = pos[3 * i]!;
        xy[2 * i + 1] = pos[3 * i + 1]!;
        vxy[2 * i] = vel[3 * i]!;
        vxy[2 * i + 1] = vel[3 * i + 1]!;
        load[i] = loadPercent(cpu[i]!);
      }
      return {
        plane: p.config.id,
        slotCount,
        receivedAt,
        ids: store.ids.subarray(0, slotCount),
        xy: xy.subarray(0, 2 * slotCount),
        states: store.state.subarray(0, slotCount),
        vxy: vxy.subarray(0, 2 * slotCount),
        load: load.subarray(0, slotCount),
        positioned,
      };
    }
    const slots = c.scratch.slots;
    const ids = (c.ids = grown(c.ids, changed));
    const states = (c.states = grown(c.states, changed));
    const xy = (c.xy = grown(c.xy, 2 * changed));
    const vxy = (c.vxy = grown(c.vxy, 2 * changed));
    const load = (c.load = grown(c.load, changed));
    for (let k = 0; k < changed; k++) {
      const slot = slots[k]!;
      ids[k] = store.ids[slot]!;
      states[k] = store.state[slot]!;
      xy[2 * k] = pos[3 * slot]!;
      xy[2 * k + 1] = pos[3 * slot + 1]!;
      vxy[2 * k] = vel[3 * slot]!;
      vxy[2 * k + 1] = vel[3 * slot + 1]!;
      load[k] = loadPercent(cpu[slot]!);
    }
    return {
      plane: p.config.id,
      slotCount,
      receivedAt,
      slots: slots.subarray(0, changed),
      ids: ids.subarray(0, changed),
      xy: xy.subarray(0, 2 * changed),
      states: states.subarray(0, changed),
      vxy: vxy.subarray(0, 2 * changed),
      load: load.subarray(0, changed),
      positioned,
    };
  }
}
