// Multiplexed channels of one session (protocol 2.0): channel messages
// `{channel, sequence, message}` are checked by sequence per channel.
//
// * In order (sequence = next expected): queued for delivery.
// * Ahead (sequence > next): held, waiting `reorderWindowMs` for the missing
//   ones (a reordered stream heals here). When the window passes, or more than
//   `bufferSize` are held, the missing sequences are declared a gap: reported
//   (channel, expected, received, missed) and skipped.
// * Behind (sequence < next) or already held: a duplicate — dropped and
//   counted. Exception: a sequence declared missing that turns up late is
//   delivered (counted late), never taken for a duplicate; so is one below
//   the channel's first sequence (seen once).
//
// The first sequence: the one the server's channel.create reply names
// (`sequence`, pinned in docs/PROTOCOL.md), else the first one received.
//
// Delivery: a high or critical channel (or a critical message) is delivered at
// once; normal and low channels queue and are drained on the next turn of the
// event loop, highest channel priority first. A channel's queue never exceeds
// its bufferSize: reaching it drains everything queued at once. So priority
// orders a burst, bufferSize bounds memory, and nothing is dropped but
// duplicates.
// Direction: intake.ts → channels.ts → the callbacks of ChannelMuxOptions (declared here).

import { MAX_CHANNELS_PER_SESSION, type Priority } from '../../../shared/index.js';
import type { ChannelSpec, NormalisedEvent } from '../protocol/index.js';

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, critical: 3 };
/** Sequences remembered as missing per channel (so a late one is not taken for a duplicate). */
const MAX_MISSING = 4096;

export interface ChannelGap {
  channel: string;
  /** The sequence that was expected next. */
  expected: number;
  /** The sequence delivery resumes at. */
  received: number;
  missed: number;
}

export interface ChannelStats {
  delivered: number;
  duplicates: number;
  gaps: number;
  missed: number;
  late: number;
  /** Queue drains forced by a full bufferSize. */
  overflowDrains: number;
  /** Messages on a channel past maxChannels, delivered unordered. */
  channelsRefused: number;
}

interface Channel {
  id: string;
  priority: Priority;
  bufferSize: number;
  next: number | undefined;
  /** The first sequence of the channel (as announced, or as first received). */
  start: number | undefined;
  /** Sequences below `start` already delivered (late arrivals). */
  belowStart: Set<number>;
  held: Map<number, NormalisedEvent>;
  queue: NormalisedEvent[];
  missing: Set<number>;
  timer: NodeJS.Timeout | null;
}

export interface ChannelMuxOptions {
  deliver: (ev: NormalisedEvent) => void;
  onGap: (gap: ChannelGap) => void;
  onDuplicate?: (channel: string, sequence: number) => void;
  reorderWindowMs?: number;
  /** Channels ordered at once (default MAX_CHANNELS_PER_SESSION); a further channel's messages are delivered unordered. */
  maxChannels?: number;
  /** How a deferred drain is scheduled (tests pass their own). Default setImmediate. */
  schedule?: (fn: () => void) => { cancel(): void };
}

const immediate = (fn: () => void): { cancel(): void } => {
  const h = setImmediate(fn);
  return { cancel: () => clearImmediate(h) };
};

export class ChannelMux {
  readonly stats: ChannelStats = { delivered: 0, duplicates: 0, gaps: 0, missed: 0, late: 0, overflowDrains: 0, channelsRefused: 0 };
  private readonly channels = new Map<string, Channel>();
  private drainHandle: { cancel(): void } | null = null;
  private disposed = false;
  private readonly reorderWindowMs: number;
  private readonly schedule: (fn: () => void) => { cancel(): void };

  constructor(private readonly opts: ChannelMuxOptions) {
    this.reorderWindowMs = opts.reorderWindowMs ?? 200;
    this.schedule = opts.schedule ?? immediate;
  }

  define(spec: ChannelSpec): void {
    const c = this.channel(spec.channelId);
    if (!c) return;
    c.priority = spec.priority ?? 'normal';
    c.bufferSize = Math.max(1, spec.bufferSize ?? 1000);
  }

  /** The server announced the channel's first sequence (channel.create reply): before any message, it is the next expected. */
  startAt(id: string, sequence: number): void {
    const c = this.channel(id);
    if (!c) return;
    if (c.next === undefined) {
      c.next = sequence;
      c.start = sequence;
    }
  }

  has(id: string): boolean {
    return this.channels.has(id);
  }

  /** Messages held for a gap or queued for delivery, over all channels. */
  get buffered(): number {
    let n = 0;
    for (const c of this.channels.values()) n += c.held.size + c.queue.length;
    return n;
  }

  /** Running reorder timers plus a pending drain. */
  get timers(): number {
    let n = this.drainHandle ? 1 : 0;
    for (const c of this.channels.values()) if (c.timer) n++;
    return n;
  }

  /** `ev` carries `channel` and `sequence`. */
  receive(ev: NormalisedEvent): void {
    if (this.disposed || ev.channel === undefined || ev.sequence === undefined) return;
    const c = this.channel(ev.channel);
    if (!c) {
      // Past the cap: no state for this channel, the message goes on unordered.
      this.stats.channelsRefused++;
      this.stats.delivered++;
      this.opts.deliver(ev);
      return;
    }
    const s = ev.sequence;
    if (c.next === undefined) {
      c.next = s;
      c.start = s;
    }
    if (s < c.next) {
      const unseenBelowStart = c.start !== undefined && s < c.start && c.belowStart.size < MAX_MISSING && !c.belowStart.has(s);
      if (unseenBelowStart) c.belowStart.add(s);
      if (unseenBelowStart || c.missing.delete(s)) {
        this.stats.late++;
        this.enqueue(c, ev);
      } else {
        this.duplicate(c, s);
      }
      return;
    }
    if (s === c.next) {
      this.enqueue(c, ev);
      c.next++;
      this.releaseHeld(c);
      return;
    }
    if (c.held.has(s)) return this.duplicate(c, s);
    c.held.set(s, ev);
    if (c.held.size > c.bufferSize) this.skipGap(c);
    else if (!c.timer) {
      c.timer = setTimeout(() => {
        c.timer = null;
        this.skipGap(c);
      }, this.reorderWindowMs);
    }
  }

  /** Declares every open gap and delivers everything held and queued now (session end, close). */
  flush(): void {
    for (const c of this.channels.values()) while (c.held.size > 0) this.skipGap(c);
    this.drain();
  }

  /** Flushes, then stops every timer; later input is ignored. */
  dispose(): void {
    this.flush();
    this.disposed = true;
    for (const c of this.channels.values()) {
      if (c.timer) clearTimeout(c.timer);
      c.timer = null;
    }
    this.drainHandle?.cancel();
    this.drainHandle = null;
  }

  /** The channel's state; null when it is new and maxChannels are kept already. */
  private channel(id: string): Channel | null {
    let c = this.channels.get(id);
    if (!c) {
      if (this.channels.size >= (this.opts.maxChannels ?? MAX_CHANNELS_PER_SESSION)) return null;
      c = { id, priority: 'normal', bufferSize: 1000, next: undefined, start: undefined, belowStart: new Set(), held: new Map(), queue: [], missing: new Set(), timer: null };
      this.channels.set(id, c);
    }
    return c;
  }

  private duplicate(c: Channel, s: number): void {
    this.stats.duplicates++;
    this.opts.onDuplicate?.(c.id, s);
  }

  private releaseHeld(c: Channel): void {
    while (c.next !== undefined && c.held.has(c.next)) {
      const ev = c.held.get(c.next)!;
      c.held.delete(c.next);
      this.enqueue(c, ev);
      c.next++;
    }
    if (c.held.size === 0 && c.timer) {
      clearTimeout(c.timer);
      c.timer = null;
    }
  }

  /** The lowest held sequence becomes the next: the ones before it are missed. */
  private skipGap(c: Channel): void {
    if (c.held.size === 0 || c.next === undefined) return;
    let lowest = Infinity;
    for (const s of c.held.keys()) if (s < lowest) lowest = s;
    const gap: ChannelGap = { channel: c.id, expected: c.next, received: lowest, missed: lowest - c.next };
    for (let s = c.next; s < lowest && c.missing.size < MAX_MISSING; s++) c.missing.add(s);
    this.stats.gaps++;
    this.stats.missed += gap.missed;
    c.next = lowest;
    this.opts.onGap(gap);
    this.releaseHeld(c);
    if (c.held.size > 0 && !c.timer && !this.disposed) {
      c.timer = setTimeout(() => {
        c.timer = null;
        this.skipGap(c);
      }, this.reorderWindowMs);
    }
  }

  private enqueue(c: Channel, ev: NormalisedEvent): void {
    if (PRIORITY_RANK[c.priority] >= PRIORITY_RANK.high || ev.priority === 'critical') {
      this.stats.delivered++;
      this.opts.deliver(ev);
      return;
    }
    c.queue.push(ev);
    if (c.queue.length >= c.bufferSize) {
      this.stats.overflowDrains++;
      this.drain();
    } else if (!this.drainHandle) {
      this.drainHandle = this.schedule(() => {
        this.drainHandle = null;
        this.drain();
      });
    }
  }

  /** Delivers every queued message, channels by priority (highest first), each channel in sequence order. */
  drain(): void {
    this.drainHandle?.cancel();
    this.drainHandle = null;
    const order = [...this.channels.values()].filter((c) => c.queue.length > 0).sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority]);
    for (const c of order) {
      const q = c.queue;
      c.queue = [];
      for (const ev of q) {
        this.stats.delivered++;
        this.opts.deliver(ev);
      }
    }
  }
}
