// What `tail --recording FILE [--frames]` prints: a recording's events, one JSON line
// each, as `tail` printed them live. The recorded messages go through a
// never-connected plane per recorded plane (the same decoder and
// normaliser); the client's own events come from the connection channel as
// they were recorded (the replayed plane's own client events, e.g. decoder
// reports, are the same ones and are not printed twice). seq is renumbered
// per plane in output order, which is the live order; `at` is the recorded
// arrival time.

import { DEFAULT_CHANNELS, Plane } from '../connection/index.js';
import { DecodedMessage, decodeMessage, detectingInflater, frameLine as liveFrameLine, jsonLine } from '../protocol/index.js';
import { markerOf, type PlaneEvent, PlaneEventSchema, REPLAY_MAX_MARKERS, type TimelineMarker } from '../../../shared/index.js';
import { PlaneFeed, TurnGate, inflateForReplay, nextTurn } from './feed.js';
import { Recording, type RecMessage } from './reader.js';


export interface RecordingLinesOptions {
  /** Also a line per decoded binary frame, as live `tail --frames` prints it. */
  frames?: boolean;
  /** Only this recorded plane. */
  plane?: string;
}

/**
 * The `--frames` lines of one recorded binary message, in live `tail --frames`'s
 * format (protocol/frame-lines.ts): one line per decoded frame, with its records.
 * `inflated` is the message as the plane decoded it; batches inside it inflate
 * as they did live (the algorithm read from their header).
 */
export function recordedFrameLines(m: RecMessage, inflated: Uint8Array): string[] {
  const d = new DecodedMessage();
  const lines: string[] = [];
  const endpoint = m.channel.endpoint!;
  const at = Math.floor(m.timeMs);
  decodeMessage(inflated, d, { inflate: detectingInflater(), onFrame: (f, out) => lines.push(jsonLine(liveFrameLine(endpoint, f, out, at))) });
  return lines;
}

/** Channels delivered at once live (high and critical priority); a replayed plane never negotiated them, so it defers them all. */
const IMMEDIATE_CHANNELS = new Set(DEFAULT_CHANNELS.filter((c) => c.priority === 'high' || c.priority === 'critical').map((c) => c.channelId));

/** `{channel, sequence}` of a channel-wrapped JSON message, or null. */
function channelOf(data: Uint8Array): string | null {
  try {
    const o: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
    if (typeof o === 'object' && o !== null && 'channel' in o && 'sequence' in o && typeof o.channel === 'string' && typeof o.sequence === 'number') return `${o.channel}#${o.sequence}`;
  } catch {
    // not JSON: the plane reports it
  }
  return null;
}

/**
 * The lines of a recording, in order. The last line, when the file is not
 * complete, is a `recording.problem` line naming the offset. Events are
 * ordered per event-loop turn as live: in the order of the messages that
 * made them, channel messages of normal priority after the turn.
 */
export async function* recordingLines(file: string | Recording, opts: RecordingLinesOptions = {}): AsyncGenerator<string> {
  // An open recording (a replay's, for its markers) shares its chunks and stays open; a path is opened and closed here.
  const rec = typeof file === 'string' ? await Recording.open(file) : file;
  try {
    const feeds = new Map<string, PlaneFeed>();
    const seqs = new Map<string, number>();
    /** This turn's lines: [position in the turn, event or ready line]. */
    let turn: [number, PlaneEvent | string][] = [];
    /** Channel message → its position in this turn. */
    let channelPos = new Map<string, number>();
    let pos = 0;
    let now = 0;
    /** Arrival time of the message at each position of this turn. */
    let timeAt: number[] = [];
    let draining = false;
    const emitted = (plane: string, ev: PlaneEvent): void => {
      if (ev.origin === 'client') return; // recorded as they were live: from the connection channel
      let at = pos;
      if (draining) {
        const p = ev.channel !== undefined && ev.sequence !== undefined ? channelPos.get(`${plane}\u0000${ev.channel}#${ev.sequence}`) : undefined;
        const immediate = ev.priority === 'critical' || (ev.channel !== undefined && IMMEDIATE_CHANNELS.has(ev.channel));
        at = immediate && p !== undefined ? p : Infinity;
      }
      turn.push([at, { ...ev, at: Math.floor(Number.isFinite(at) ? (timeAt[at] ?? now) : now) }]);
    };
    const flush = function* (): Generator<string> {
      const sorted = turn.map((x, i) => [x[0], i, x[1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      turn = [];
      channelPos = new Map();
      pos = 0;
      timeAt = [];
      for (const [, , item] of sorted) {
        if (typeof item === 'string') {
          yield item;
          continue;
        }
        const seq = seqs.get(item.plane) ?? 0;
        seqs.set(item.plane, seq + 1);
        yield jsonLine({ ...item, seq });
      }
    };
    const endTurn = async function* (): AsyncGenerator<string> {
      draining = true;
      await nextTurn();
      draining = false;
      yield* flush();
    };
    const feedOf = (plane: string): PlaneFeed => {
      let f = feeds.get(plane);
      if (!f) {
        const p = new Plane({ id: plane, label: plane, url: 'mcap:', color: 0 }, { event: (ev) => emitted(plane, feeds.get(plane)!.restore(ev)) });
        feeds.set(plane, (f = new PlaneFeed(p)));
      }
      return f;
    };
    const gate = new TurnGate();
    for (let i = 0; i < rec.chunks.length; i++) {
      let msgs: RecMessage[];
      try {
        msgs = await rec.readChunk(i);
      } catch (e) {
        yield* endTurn();
        yield JSON.stringify({ recording: 'problem', message: e instanceof Error ? e.message : String(e) });
        return;
      }
      for (const m of msgs) {
        const plane = m.channel.plane;
        if (opts.plane !== undefined && plane !== opts.plane) continue;
        if (gate.before(m)) yield* endTurn();
        now = m.timeMs;
        timeAt[++pos] = now;
        if (m.channel.kind === 'json') {
          const c = channelOf(m.data);
          if (c !== null) channelPos.set(`${plane}\u0000${c}`, pos);
        }
        const feed = feedOf(plane);
        const recorded = feed.apply(m);
        if (recorded) turn.push([pos, recorded]);
        if (opts.frames && m.channel.kind === 'agnt') for (const line of recordedFrameLines(m, inflateForReplay(m.data, feed.inflaterFor(m.channel.endpoint!)))) turn.push([pos, line]);
      }
    }
    yield* endTurn();
    if (rec.problem) yield JSON.stringify({ recording: 'problem', offset: rec.problem.offset, message: rec.problem.message });
  } finally {
    if (typeof file === 'string') await rec.close();
  }
}

/** Every marker of a recording, in time order (at most REPLAY_MAX_MARKERS; `dropped` counts the rest). */
export async function recordingMarkers(file: string | Recording, signal?: AbortSignal): Promise<{ markers: TimelineMarker[]; dropped: number }> {
  const markers: TimelineMarker[] = [];
  let dropped = 0;
  try {
    for await (const line of recordingLines(file)) {
      if (signal?.aborted) break;
      const r = PlaneEventSchema.safeParse(JSON.parse(line));
      if (!r.success) continue;
      const m = markerOf(r.data);
      if (!m) continue;
      if (markers.length < REPLAY_MAX_MARKERS) markers.push(m);
      else dropped++;
    }
  } catch (e) {
    // The replay closed its recording under the walk: what was found stands.
    if (!signal?.aborted) throw e;
  }
  return { markers, dropped };
}
