// The one IPC contract between the core (Electron main or the browser-mode
// host) and the renderer: the channel table. Channel names, payload types and
// their runtime validation live here and in this folder's files (one per
// feature), nowhere else; the preload, the browser-mode WebSocket bridge and
// the renderer all use it. No Node or Electron imports: the renderer bundles it.

import { z } from 'zod';
import { MAX_ACTIVE_RECORDINGS } from '../limits.js';
import { CommandResultSchema, ReplayStateSchema } from '../model.js';
import { AckSchema, FrameMessageSchema, type FrameMessage } from './frames.js';
import { AlertActionSchema, AlertSchema, HistoryPageSchema, HistoryRequestSchema } from './history.js';
import { AgentDetailSchema, InspectRequestSchema, PlaneActionResultSchema, PlaneActionSchema, PlaneCommandSchema, PlaneTokenResultSchema, PlaneTokenSchema, SearchRequestSchema, SearchResultSchema } from './planes.js';
import { ProfileConnectResultSchema, ProfileConnectSchema, ProfileActionSchema, ProfileRefSchema, ProfilesStateSchema, ProfileTestResultSchema } from './profiles.js';
import { RecordingFileRefSchema, RecordingFilesSchema, RecordingStatusSchema, RecordRequestSchema } from './recording.js';
import { ReplayActionSchema, ReplayEntrySchema, ReplayGroupActionSchema, ReplayGroupStateSchema, ReplayMarkersSchema, ReplayMomentResultSchema, ReplayMomentSchema, ReplayRefSchema, ReplaySeriesSchema } from './replay.js';
import { FlightSettingsSchema, FlightStatusSchema, RewindActionSchema, RewindResultSchema } from './rewind.js';
import { type AppInfo, AppInfoSchema, ViewScopeSchema, WindowRequestSchema, WindowResultSchema } from './views.js';

export * from './frames.js';
export * from './history.js';
export * from './planes.js';
export * from './profiles.js';
export * from './recording.js';
export * from './replay.js';
export * from './rewind.js';
export * from './views.js';

export const IPC_CHANNELS = {
  /** core → renderer, one per displayed frame: FrameMessage. */
  frame: 'swarmdeck:frame',
  /** renderer → core: the renderer has drawn frame `seq` (frees the in-flight slot). */
  ack: 'swarmdeck:ack',
  /** renderer → core, request/response: the app's identity and planes (ViewScope? → AppInfo). Also says the view has subscribed and may be sent frames, and which planes it shows. */
  hello: 'swarmdeck:hello',
  /** renderer → core, request/response: a new window, of every plane or of some (WindowRequest → WindowResult). Browser mode opens a tab itself. */
  openWindow: 'swarmdeck:open-window',
  /** renderer → core, request/response: one agent's details (InspectRequest → AgentDetail | null). */
  inspect: 'swarmdeck:inspect',
  /** renderer → core, request/response: a command to a plane, tracked to its result (PlaneCommand → CommandResult). */
  command: 'swarmdeck:command',
  /** renderer → core, request/response: connect, disconnect or reconnect a plane (PlaneAction → PlaneActionResult). */
  connection: 'swarmdeck:connection',
  /** renderer → core, request/response: a token for a plane that refused one; kept in the profile's secret store or for the session (PlaneToken → PlaneTokenResult). */
  planeToken: 'swarmdeck:plane-token',
  /** renderer → core, request/response: agents matching a query across the stores (SearchRequest → SearchResult). */
  search: 'swarmdeck:search',
  /** renderer → core, request/response: the open recordings and their playback state (→ ReplayEntry[]). */
  replays: 'swarmdeck:replays',
  /** renderer → core, request/response: play, pause, speed, seek or step one recording (ReplayAction → ReplayState). */
  replay: 'swarmdeck:replay',
  /** renderer → core, request/response: a recording's timeline markers (ReplayRef → ReplayMarkers). */
  replayMarkers: 'swarmdeck:replay-markers',
  /** renderer → core, request/response: the synced timeline: several recordings on one clock (ReplayGroupAction → ReplayGroupState | null). */
  replayGroup: 'swarmdeck:replay-group',
  /** renderer → core, request/response: a recording's agents per state over time, from its snapshots (ReplayRef → ReplaySeries | null). */
  replaySeries: 'swarmdeck:replay-series',
  /** renderer → core, request/response: a replayed plane's moment (an alert's firedAt): its recording sought to before it, paused (ReplayMoment → ReplayMomentResult). */
  replayMoment: 'swarmdeck:replay-moment',
  /** renderer → core, request/response: the saved profiles and where a token saved now goes (→ ProfilesState). */
  profiles: 'swarmdeck:profiles',
  /** renderer → core, request/response: save, delete (keeping its token for undo), restore, purge, allow plain text (ProfileAction → ProfilesState). */
  profile: 'swarmdeck:profile',
  /** renderer → core, request/response: open saved profiles as planes (ProfileConnect → ProfileConnectResult). */
  profileConnect: 'swarmdeck:profile-connect',
  /** renderer → core, request/response: run `probe` against a profile (ProfileRef → ProfileTestResult). */
  profileTest: 'swarmdeck:profile-test',
  /** renderer → core, request/response: start recording some or all live planes, or stop a recording (RecordRequest → RecordingStatus | null). */
  record: 'swarmdeck:record',
  /** renderer → core, request/response: the recordings running now, with elapsed time and size (→ RecordingStatus[]). */
  recordings: 'swarmdeck:recordings',
  /** renderer → core, request/response: the recording files in the recordings folder, newest first (→ RecordingFiles). */
  recordingFiles: 'swarmdeck:recording-files',
  /** renderer → core, request/response: open a file of the recordings folder for replay (RecordingFileRef → ReplayEntry). */
  openRecording: 'swarmdeck:open-recording',
  /** renderer → core, request/response: the flight recorder's settings and buffers, optionally changing the settings (FlightSettings? → FlightStatus). */
  flight: 'swarmdeck:flight',
  /** renderer → core, request/response: rewind a live plane, return it to LIVE, or save its buffer (RewindAction → RewindResult). */
  rewind: 'swarmdeck:rewind',
  /** renderer → core, request/response: older events of a plane, or each plane's newest (HistoryRequest → HistoryPage). */
  history: 'swarmdeck:history',
  /** renderer → core, request/response: acknowledge or silence an alert, kept in the core for every view (AlertAction → Alert | null). */
  alert: 'swarmdeck:alert',
  /** Browser-mode transport only: the host refused request `r` on channel `c` (the page's promise rejects). */
  replyError: 'swarmdeck:reply-error',
} as const;
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/**
 * The channel table: every channel once, with its direction and schemas.
 * `push` is core → renderer, `send` renderer → core with no reply, `request`
 * renderer → core with one reply. Both hosts serve it with serveContract()
 * (electron/core/app/serve-contract.ts) and both bridges speak it with createBridge()
 * (bridge.ts): adding a request is one entry here and one handler there.
 */
export const CONTRACT = {
  frame: { name: IPC_CHANNELS.frame, kind: 'push', payload: FrameMessageSchema },
  ack: { name: IPC_CHANNELS.ack, kind: 'send', payload: AckSchema },
  hello: { name: IPC_CHANNELS.hello, kind: 'request', request: ViewScopeSchema.optional(), reply: AppInfoSchema },
  openWindow: { name: IPC_CHANNELS.openWindow, kind: 'request', request: WindowRequestSchema, reply: WindowResultSchema },
  inspect: { name: IPC_CHANNELS.inspect, kind: 'request', request: InspectRequestSchema, reply: AgentDetailSchema.nullable() },
  command: { name: IPC_CHANNELS.command, kind: 'request', request: PlaneCommandSchema, reply: CommandResultSchema },
  connection: { name: IPC_CHANNELS.connection, kind: 'request', request: PlaneActionSchema, reply: PlaneActionResultSchema },
  planeToken: { name: IPC_CHANNELS.planeToken, kind: 'request', request: PlaneTokenSchema, reply: PlaneTokenResultSchema },
  search: { name: IPC_CHANNELS.search, kind: 'request', request: SearchRequestSchema, reply: SearchResultSchema },
  record: { name: IPC_CHANNELS.record, kind: 'request', request: RecordRequestSchema, reply: RecordingStatusSchema.nullable() },
  recordings: { name: IPC_CHANNELS.recordings, kind: 'request', request: z.undefined(), reply: z.array(RecordingStatusSchema).max(MAX_ACTIVE_RECORDINGS) },
  recordingFiles: { name: IPC_CHANNELS.recordingFiles, kind: 'request', request: z.undefined(), reply: RecordingFilesSchema },
  openRecording: { name: IPC_CHANNELS.openRecording, kind: 'request', request: RecordingFileRefSchema, reply: ReplayEntrySchema },
  replays: { name: IPC_CHANNELS.replays, kind: 'request', request: z.undefined(), reply: z.array(ReplayEntrySchema) },
  replay: { name: IPC_CHANNELS.replay, kind: 'request', request: ReplayActionSchema, reply: ReplayStateSchema.nullable() },
  replayMarkers: { name: IPC_CHANNELS.replayMarkers, kind: 'request', request: ReplayRefSchema, reply: ReplayMarkersSchema.nullable() },
  replayGroup: { name: IPC_CHANNELS.replayGroup, kind: 'request', request: ReplayGroupActionSchema, reply: ReplayGroupStateSchema.nullable() },
  replaySeries: { name: IPC_CHANNELS.replaySeries, kind: 'request', request: ReplayRefSchema, reply: ReplaySeriesSchema.nullable() },
  replayMoment: { name: IPC_CHANNELS.replayMoment, kind: 'request', request: ReplayMomentSchema, reply: ReplayMomentResultSchema },
  profiles: { name: IPC_CHANNELS.profiles, kind: 'request', request: z.undefined(), reply: ProfilesStateSchema },
  profile: { name: IPC_CHANNELS.profile, kind: 'request', request: ProfileActionSchema, reply: ProfilesStateSchema },
  profileConnect: { name: IPC_CHANNELS.profileConnect, kind: 'request', request: ProfileConnectSchema, reply: ProfileConnectResultSchema },
  profileTest: { name: IPC_CHANNELS.profileTest, kind: 'request', request: ProfileRefSchema, reply: ProfileTestResultSchema },
  history: { name: IPC_CHANNELS.history, kind: 'request', request: HistoryRequestSchema, reply: HistoryPageSchema },
  alert: { name: IPC_CHANNELS.alert, kind: 'request', request: AlertActionSchema, reply: AlertSchema.nullable() },
  flight: { name: IPC_CHANNELS.flight, kind: 'request', request: FlightSettingsSchema.optional(), reply: FlightStatusSchema },
  rewind: { name: IPC_CHANNELS.rewind, kind: 'request', request: RewindActionSchema, reply: RewindResultSchema },
} as const satisfies Record<string, ChannelSpec>;

export type ChannelSpec =
  | { name: IpcChannel; kind: 'push' | 'send'; payload: z.ZodType }
  | { name: IpcChannel; kind: 'request'; request: z.ZodType; reply: z.ZodType };
type Contract = typeof CONTRACT;
export type RequestName = { [K in keyof Contract]: Contract[K]['kind'] extends 'request' ? K : never }[keyof Contract];
type RequestSpec<K extends RequestName> = Extract<Contract[K], { kind: 'request' }>;
/** What the renderer passes for request K. */
export type RequestOf<K extends RequestName> = z.input<RequestSpec<K>['request']>;
/** What the core's handler of request K receives (validated). */
export type ParsedRequestOf<K extends RequestName> = z.output<RequestSpec<K>['request']>;
/** What request K resolves with. */
export type ReplyOf<K extends RequestName> = z.output<RequestSpec<K>['reply']>;

/** The table entry of a channel name, or undefined for a name the contract does not have. */
export function channelSpec(name: unknown): (ChannelSpec & { key: keyof Contract }) | undefined {
  for (const [key, spec] of Object.entries(CONTRACT) as [keyof Contract, ChannelSpec][]) if (spec.name === name) return { ...spec, key };
  return undefined;
}

/** What the renderer sees: the preload exposes exactly this as `window.swarmdeck`. */
export interface SwarmdeckBridge {
  /** Subscribes to frames; returns the unsubscribe function. */
  onFrame(listener: (frame: FrameMessage) => void): () => void;
  ack(seq: number): void;
  /**
   * One request of the table. The payload is validated before it is sent and
   * the reply before it resolves; it rejects when the host refuses the
   * request, the connection to the host is lost, or no reply comes in time.
   * `hello` must follow onFrame: the core starts sending frames only then.
   */
  request<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ReplyOf<K>>;
  /**
   * Answers to a hello the transport said again by itself (browser mode's
   * socket reconnected: a fresh view in the core), validated; absent where the
   * transport never reconnects (the Electron preload).
   */
  onRehello?(listener: (info: AppInfo) => void): () => void;
}

/** Runtime validation on the receiving side; throws an IpcValidationError naming the field. */
export class IpcValidationError extends Error {
  constructor(
    readonly channel: string,
    readonly field: string,
    detail: string,
  ) {
    super(`invalid ${channel} message at ${field || '(root)'}: ${detail}`);
    this.name = 'IpcValidationError';
  }
}

export function parseOrThrow<T>(channel: IpcChannel, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new IpcValidationError(channel, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
}

/**
 * Sender check: only pages of the app's own origin may speak on the contract.
 * `appOrigin` is e.g. "app://swarmdeck" (Electron) or "http://127.0.0.1:5173" (browser mode).
 */
export function isAllowedSender(senderUrl: string | undefined | null, appOrigin: string): boolean {
  if (!senderUrl) return false;
  const a = originOf(senderUrl);
  return a !== null && a === originOf(appOrigin);
}

// URL.origin is "null" for custom schemes such as app://, so build it from protocol and host.
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}
