// Records live planes into one MCAP file: every inbound message with its
// arrival time (the plane's `inbound` tap), the client's own events on a
// connection channel, plane status and store snapshots every few seconds.
// The tap only copies into the open chunk; compression and disk writes never
// block it (mcap-writer.ts bounds the queue and counts what it drops).

import type { PlaneConfig } from '../connection/index.js';
import {
  MAX_TIMER_DELAY_MS,
  type PlaneEvent,
  type PlaneStatus,
  RECORDING_FLUSH_MS,
  RECORDING_MAX_BYTES,
  RECORDING_MAX_DURATION_MS,
  RECORDING_SNAPSHOT_MS,
  type RecordingStopLimit,
} from '../../../shared/index.js';
import { CLIENT_VERSION, type EndpointName, ENDPOINTS } from '../protocol/index.js';
import type { AgentStore } from '../store/index.js';
import {
  type ChannelKind,
  type RecordedPlane,
  JSON_SCHEMA_TEXT,
  METADATA_NAME,
  RECORDING_PROFILE,
  SCHEMA_NAMES,
  channelMetadata,
  channelSpec,
  encodeSnapshot,
  jsonBytes,
  metaToRecord,
  sanitiseUrl,
  takeSnapshot,
} from './format.js';
import { type ByteSink, type WriterOptions, LiveMcapWriter, compressionReady } from './mcap-writer.js';

/** What the recorder needs of a plane (a Plane has all of it). */
export interface RecordablePlane {
  readonly config: PlaneConfig;
  readonly store: AgentStore;
  status(): PlaneStatus;
}

export interface RecorderOptions extends WriterOptions {
  snapshotEveryMs?: number;
  flushEveryMs?: number;
  /** Clock for arrival-less records (snapshots, status); default Date.now. */
  now?: () => number;
  /** The file stops at this many bytes (default RECORDING_MAX_BYTES), and after this long (default RECORDING_MAX_DURATION_MS). */
  maxBytes?: number;
  maxDurationMs?: number;
  /** Called once when the recording stops at one of those limits (the file is being finished). */
  onLimit?: (limit: RecordingStopLimit) => void;
}

export interface RecorderStats {
  startedAt: number;
  elapsedMs: number;
  /** Bytes of the file so far (written or queued). */
  bytes: number;
  bytesWritten: number;
  messages: number;
  snapshots: number;
  /** Not written because the disk could not keep up. */
  messagesDropped: number;
  bytesDropped: number;
  error: string | null;
  /** The limit it stopped at by itself; null while running or when stopped by hand. */
  stoppedAt: RecordingStopLimit | null;
}

function endpointsOf(c: PlaneConfig): EndpointName[] {
  return (Object.keys(ENDPOINTS) as EndpointName[]).filter((e) => c.endpoints?.[e] !== false);
}

export function recordedPlane(c: PlaneConfig): RecordedPlane {
  return { id: c.id, label: c.label, url: sanitiseUrl(c.url), color: c.color, endpoints: endpointsOf(c) };
}

export class Recorder {
  private readonly writer: LiveMcapWriter;
  private readonly channels = new Map<string, number>();
  private readonly planes = new Map<string, RecordablePlane>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly startedAt: number;
  private snapshots = 0;
  /** Log time of the first message of the current event-loop turn (null between turns). */
  private turnStart: bigint | null = null;
  private stopped: Promise<void> | null = null;
  private stoppedAt: RecordingStopLimit | null = null;
  /** When stop() began (elapsed time stops there); null while recording. */
  private endedAt: number | null = null;
  private readonly maxBytes: number;
  private readonly onLimit: ((limit: RecordingStopLimit) => void) | undefined;

  private constructor(sink: ByteSink, planes: readonly RecordablePlane[], opts: RecorderOptions) {
    this.now = opts.now ?? Date.now;
    this.maxBytes = opts.maxBytes ?? RECORDING_MAX_BYTES;
    this.onLimit = opts.onLimit;
    this.startedAt = this.now();
    this.writer = new LiveMcapWriter(sink, opts);
    const w = this.writer;
    w.start(RECORDING_PROFILE, `swarmdeck ${CLIENT_VERSION}`);
    w.addMetadata(
      METADATA_NAME,
      metaToRecord({ app: 'swarmdeck', appVersion: CLIENT_VERSION, formatVersion: 1, createdAt: new Date(this.startedAt).toISOString(), planes: planes.map((p) => recordedPlane(p.config)) }),
    );
    const schemaIds = new Map<string, number>();
    const schemaOf = (kind: ChannelKind): number => {
      if (kind !== 'json' && kind !== 'connection' && kind !== 'status') return 0;
      let id = schemaIds.get(kind);
      if (id === undefined) {
        id = w.registerSchema({ name: SCHEMA_NAMES[kind], encoding: 'jsonschema', data: new TextEncoder().encode(JSON_SCHEMA_TEXT) });
        schemaIds.set(kind, id);
      }
      return id;
    };
    for (const p of planes) {
      this.planes.set(p.config.id, p);
      const add = (kind: ChannelKind, endpoint?: EndpointName): void => {
        const spec = channelSpec(p.config.id, kind, endpoint);
        const id = w.registerChannel({ topic: spec.topic, messageEncoding: spec.encoding, schemaId: schemaOf(kind), metadata: channelMetadata(spec) });
        this.channels.set(key(p.config.id, kind, endpoint), id);
      };
      for (const e of endpointsOf(p.config)) {
        add('json', e);
        add('agnt', e);
      }
      add('connection');
      add('status');
      add('snapshot');
    }
    this.snapshot();
    const flushMs = opts.flushEveryMs ?? RECORDING_FLUSH_MS;
    const snapMs = opts.snapshotEveryMs ?? RECORDING_SNAPSHOT_MS;
    this.timers.push(
      setInterval(() => {
        this.writer.flush();
        this.checkBytes();
      }, flushMs).unref(),
    );
    if (snapMs > 0) this.timers.push(setInterval(() => this.snapshot(), snapMs).unref());
    const maxMs = Math.min(opts.maxDurationMs ?? RECORDING_MAX_DURATION_MS, MAX_TIMER_DELAY_MS);
    this.timers.push(setTimeout(() => this.stopAt('RECORDING_MAX_DURATION_MS'), maxMs).unref());
  }

  /** At the byte cap: stop (the chunk that reached it is the last). */
  private checkBytes(): void {
    if (this.endedAt === null && this.writer.stats.bytes >= this.maxBytes) this.stopAt('RECORDING_MAX_BYTES');
  }

  /** Stops at a limit: the file is finished and the limit is said (stats, onLimit). */
  private stopAt(limit: RecordingStopLimit): void {
    if (this.endedAt !== null) return;
    this.stoppedAt = limit;
    void this.stop();
    this.onLimit?.(limit);
  }

  /** Starts a recording of `planes` into `sink` (header, metadata, channels, a first status and snapshot of each plane). */
  static async start(sink: ByteSink, planes: readonly RecordablePlane[], opts: RecorderOptions = {}): Promise<Recorder> {
    if ((opts.compression ?? 'zstd') === 'zstd') await compressionReady;
    return new Recorder(sink, planes, opts);
  }

  /** The plane's inbound tap: one message exactly as received. */
  inbound(plane: string, endpoint: EndpointName, data: Uint8Array, isBinary: boolean, receivedAt: number): void {
    const id = this.channels.get(key(plane, isBinary ? 'agnt' : 'json', endpoint));
    if (id === undefined || this.stopped) return;
    this.write(id, receivedAt, data);
  }

  /**
   * publish_time is the log time of the first message handled in the same
   * event-loop turn: live, channel messages of normal priority are delivered
   * after the turn, and replay reproduces that order from it (feed.ts).
   */
  private write(channel: number, timeMs: number, data: Uint8Array): void {
    const first = this.turnStart === null;
    const t = this.writer.addMessage(channel, timeMs, data, this.turnStart ?? undefined);
    this.checkBytes();
    if (first) {
      this.turnStart = t;
      setImmediate(() => {
        this.turnStart = null;
      });
    }
  }

  /** The plane's events: the client's own (connection changes, conformance notes, errors) go on the connection channel. */
  event(ev: PlaneEvent): void {
    if (ev.origin !== 'client' || this.stopped) return;
    const id = this.channels.get(key(ev.plane, 'connection'));
    if (id !== undefined) this.write(id, ev.at, jsonBytes(ev));
  }

  /** A status and a store snapshot of every plane, now. Seeking starts from these. */
  snapshot(): void {
    if (this.stopped) return;
    // Its own chunk: a seek reads from the snapshot on, not the half chunk before it.
    this.writer.flush();
    const t = this.now();
    for (const [planeId, p] of this.planes) {
      this.write(this.channels.get(key(planeId, 'status'))!, t, jsonBytes(p.status()));
      this.write(this.channels.get(key(planeId, 'snapshot'))!, t, encodeSnapshot(takeSnapshot(p.store)));
    }
    this.snapshots++;
  }

  stats(): RecorderStats {
    const s = this.writer.stats;
    return {
      startedAt: this.startedAt,
      elapsedMs: (this.endedAt ?? this.now()) - this.startedAt,
      bytes: s.bytes,
      bytesWritten: s.bytesWritten,
      messages: s.messages,
      snapshots: this.snapshots,
      messagesDropped: s.messagesDropped,
      bytesDropped: s.bytesDropped,
      error: s.error,
      stoppedAt: this.stoppedAt,
    };
  }

  /** Ends the file (summary and indexes) and resolves when it is on disk. */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.endedAt = this.now();
      for (const t of this.timers) clearInterval(t);
      this.snapshot();
      this.stopped = this.writer.end();
    }
    return this.stopped;
  }
}

function key(plane: string, kind: ChannelKind, endpoint?: EndpointName): string {
  return `${plane}\u0000${kind}\u0000${endpoint ?? ''}`;
}
