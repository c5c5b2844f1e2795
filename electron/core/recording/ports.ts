// What recording needs of the running core, as narrow interfaces (ports):
// app/ passes its SwarmCore in, so recording never imports app/ (imports
// point down only). SwarmCore implements all of them.

import type { PlaneEvent, ReplayMarkers, ReplaySeries, ReplayState } from '../../../shared/index.js';
import type { Plane } from '../connection/index.js';
import type { EndpointName } from '../protocol/index.js';
import type { ReplayHost } from './replay.js';

/** Every inbound message of every plane, before decoding. `data` is valid during the call only. */
export type InboundListener = (plane: string, endpoint: EndpointName, data: Buffer, isBinary: boolean, receivedAt: number) => void;

/** The planes to record and their taps (recordCore). */
export interface RecordableCore {
  readonly planes: readonly Plane[];
  plane(id: string): Plane | undefined;
  /** Returns the unsubscribe function. */
  onInbound(listener: InboundListener): () => void;
  /** Returns the unsubscribe function. */
  onEvent(listener: (ev: PlaneEvent) => void): () => void;
}

/** A timeline entry: an opened recording (Replay) or a rewound plane (RewindSession); what the core's timeline serves. */
export interface TimelineEntry {
  state(): ReplayState;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  seek(ms: number): Promise<void>;
  step(): Promise<boolean>;
  markers(): Promise<ReplayMarkers>;
  series(): Promise<ReplaySeries>;
  /** The recording time shown at a moment of this console's clock (null: outside what the entry holds). */
  recordingTimeAt(wallMs: number): number | null;
  /** Plays to a synced group's clock (null: its own again). Absent where the entry cannot join a synced timeline (a rewound plane follows its live buffer). */
  follow?(source: (() => number) | null): void;
  close(): Promise<void>;
}

/** A timeline entry that can join a synced timeline. */
export type SyncableEntry = TimelineEntry & Required<Pick<TimelineEntry, 'follow'>>;

export function isSyncable(e: TimelineEntry): e is SyncableEntry {
  return typeof e.follow === 'function';
}

/** Where an opened recording goes: its planes beside the live ones, and the timeline's list. */
export interface ReplayingCore extends ReplayHost {
  replayList(): readonly unknown[];
  /** Registers an opened recording for the timeline; returns its id. */
  addReplay(replay: TimelineEntry): number;
}

/** The record buttons' and the recordings folder's core (RecordingService). */
export type RecordingCore = RecordableCore & ReplayingCore;
