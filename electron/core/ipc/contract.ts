// The one IPC contract between the core (Electron main or the browser-mode
// host) and the renderer. Channel names, payload types and their runtime
// validation live here and nowhere else; the preload, the browser-mode
// WebSocket bridge and the renderer all import this file. It must stay free of
// Node and Electron imports: the renderer bundles it.

import { z } from 'zod';
import { JsonObjectSchema, PlaneEventSchema } from '../protocol/events.js';
import { CommandRequestSchema, CommandResultSchema, ConnectionStateSchema, MAX_SLOTS, PlaneStatusSchema, ReplayStateSchema, TimelineMarkerSchema } from '../model.js';
import { MAX_ACTIVE_RECORDINGS, MAX_PROFILE_CONNECT, MAX_PROFILE_PROBE_REPORT_CHARS, MAX_PROFILES, MAX_RECORDING_FILES, MAX_SEARCH_RESULTS, MAX_TOKEN_BYTES, MAX_VIEW_PLANES, REPLAY_MAX_MARKERS, REPLAY_MAX_SPEED, REPLAY_MIN_SPEED } from '../limits.js';
import { ProfileSchema, SECRET_STORES } from '../profiles/schema.js';

export * from '../model.js';

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
  /** renderer → core, request/response: agents matching a query across the stores (SearchRequest → SearchResult). */
  search: 'swarmdeck:search',
  /** renderer → core, request/response: the open recordings and their playback state (→ ReplayEntry[]). */
  replays: 'swarmdeck:replays',
  /** renderer → core, request/response: play, pause, speed, seek or step one recording (ReplayAction → ReplayState). */
  replay: 'swarmdeck:replay',
  /** renderer → core, request/response: a recording's timeline markers (ReplayRef → ReplayMarkers). */
  replayMarkers: 'swarmdeck:replay-markers',
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
  /** Browser-mode transport only: the host refused request `r` on channel `c` (the page's promise rejects). */
  replyError: 'swarmdeck:reply-error',
} as const;
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

// Views over any buffer (the store's, or a received WebSocket message's).
const u32 = z.custom<Uint32Array<ArrayBufferLike>>((v) => v instanceof Uint32Array, 'expected a Uint32Array');
const f32 = z.custom<Float32Array<ArrayBufferLike>>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u16 = z.custom<Uint16Array<ArrayBufferLike>>((v) => v instanceof Uint16Array, 'expected a Uint16Array');
const u8 = z.custom<Uint8Array<ArrayBufferLike>>((v) => v instanceof Uint8Array, 'expected a Uint8Array');


/**
 * Positions of one plane's store, by slot. Entry k is slot slots[k] (or slot
 * k when `slots` is absent, and then the arrays cover slots 0..slotCount-1):
 * agent ids[k] at (xy[2k], xy[2k+1]) in state states[k]; SLOT_EMPTY marks a
 * free slot. With `slots`, only the slots changed since the view's last frame.
 */
export const PlaneFrameSchema = z
  .object({
    plane: z.string(),
    /** Bounded so a bad frame cannot make the renderer allocate without limit. */
    slotCount: z.number().int().nonnegative().max(MAX_SLOTS),
    /** High-resolution epoch ms (timeOrigin + now) when the newest positions here arrived on the socket; 0 when the frame brings no new positions (a state or metrics change only). */
    receivedAt: z.number().nonnegative(),
    slots: u32.optional(),
    ids: u32,
    xy: f32,
    states: u16,
    /** Velocity (vx[2k], vy[2k+1]) in the plane's units per second: the view dead-reckons between updates. */
    vxy: f32.optional(),
    /** Load per entry: CPU percent 0..100 (node size). */
    load: u8.optional(),
    /** The plane has sent positions at all; when false the view lays the plane out itself. */
    positioned: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    const n = f.slots ? f.slots.length : f.slotCount;
    if (f.ids.length !== n || f.states.length !== n || f.xy.length !== 2 * n || (f.vxy && f.vxy.length !== 2 * n) || (f.load && f.load.length !== n)) {
      ctx.addIssue({ code: 'custom', message: `array lengths disagree with ${n} slots` });
    }
    // A slot index past slotCount would make the renderer grow without bound.
    if (f.slots) {
      for (let i = 0; i < f.slots.length; i++) {
        if (f.slots[i]! >= f.slotCount) {
          ctx.addIssue({ code: 'custom', path: ['slots', i], message: `slot ${f.slots[i]} >= slotCount ${f.slotCount}` });
          break;
        }
      }
    }
  });
export type PlaneFrame = z.infer<typeof PlaneFrameSchema>;

export const PipelineStatsSchema = z.object({
  framesSent: z.number().nonnegative(),
  /** Position updates replaced by newer ones before delivery (latest wins). */
  supersededPositions: z.number().nonnegative(),
  /** Events waiting for the next frame (bounded: see eventsDropped). */
  eventsQueued: z.number().nonnegative(),
  eventsSent: z.number().nonnegative(),
  /** Frames not acknowledged in time; their events were sent again. */
  framesTimedOut: z.number().nonnegative(),
  // Bounds of the view (electron/core/limits.ts, docs/ARCHITECTURE.md "Limits"); every drop counted.
  /** Older low/normal-priority updates replaced by a newer one of the same kind and agent while the queue was full. */
  eventsCoalesced: z.number().nonnegative().optional(),
  /** Events dropped because the view's queue was full (low first, critical last). */
  eventsDropped: z.number().nonnegative().optional(),
  /** Of eventsDropped, those of high or critical priority. */
  eventsDroppedHigh: z.number().nonnegative().optional(),
  /** Events too large to send whole: sent as a stub naming their size. */
  eventsOversized: z.number().nonnegative().optional(),
  /** Estimated JSON bytes of the events waiting. */
  eventBytesQueued: z.number().nonnegative().optional(),
  /** Current wait for an acknowledgement before events are re-sent (doubles per unacknowledged frame). */
  resendWaitMs: z.number().nonnegative().optional(),
  /** Messages from this view the host refused (invalid, unknown channel, socket protocol errors). */
  rejectedMessages: z.number().nonnegative().optional(),
});
export type PipelineStats = z.infer<typeof PipelineStatsSchema>;

export const FrameMessageSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** Core clock (ms since epoch) when the frame was built. */
  builtAt: z.number(),
  planes: z.array(PlaneStatusSchema),
  positions: z.array(PlaneFrameSchema),
  events: z.array(PlaneEventSchema),
  stats: PipelineStatsSchema,
});
export type FrameMessage = z.infer<typeof FrameMessageSchema>;

export const AckSchema = z.object({ seq: z.number().int().nonnegative() });
export type Ack = z.infer<typeof AckSchema>;

const PlaneIdsSchema = z.array(z.string().min(1).max(200)).min(1).max(MAX_VIEW_PLANES);

/** The planes a view shows (a plane in its own window); a hello without one shows every plane. */
export const ViewScopeSchema = z.object({ planes: PlaneIdsSchema });
export type ViewScope = z.infer<typeof ViewScopeSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  planes: z.array(z.object({ plane: z.string(), label: z.string(), url: z.string(), color: z.number().int() })),
  /** The view's scope as the core applied it; null: every plane. */
  scope: z.array(z.string()).nullable(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** New Window (no planes), or a window of only these planes. */
export const WindowRequestSchema = z.object({ planes: PlaneIdsSchema.optional() });
export type WindowRequest = z.infer<typeof WindowRequestSchema>;
export const WindowResultSchema = z.object({ opened: z.boolean(), message: z.string().optional() });
export type WindowResult = z.infer<typeof WindowResultSchema>;

/** The page URL's query parameter naming a plane of the view's scope (repeated for several). */
export const SCOPE_PARAM = 'plane';

/** The scope a page URL's query names (`?plane=a&plane=b`); null when it names none. Extra or bad values are the schema's to refuse. */
export function scopeFromQuery(search: string): string[] | null {
  const planes = new URLSearchParams(search).getAll(SCOPE_PARAM);
  return planes.length === 0 ? null : planes;
}

/** The query (with its "?") of a page showing only these planes; "" for every plane. */
export function scopeQuery(planes: readonly string[] | null | undefined): string {
  if (!planes || planes.length === 0) return '';
  const q = new URLSearchParams();
  for (const p of planes) q.append(SCOPE_PARAM, p);
  return `?${q.toString()}`;
}

export const InspectRequestSchema = z.object({
  plane: z.string().max(200),
  id: z.number().int().min(0).max(0xffffffff),
});
export type InspectRequest = z.infer<typeof InspectRequestSchema>;

/** Everything the core knows about one agent: the store's arrays at its slot plus the maps beside them. */
export const AgentDetailSchema = z.object({
  plane: z.string(),
  id: z.number().int().nonnegative(),
  /** Wire state code, or 256 (STATE_UNKNOWN). */
  state: z.number().int().nonnegative(),
  stateName: z.string(),
  pos: z.tuple([z.number(), z.number(), z.number()]),
  vel: z.tuple([z.number(), z.number(), z.number()]),
  metrics: z.object({ cpu: z.number(), mem: z.number(), tasks: z.number(), successRate: z.number(), avgMs: z.number() }),
  /** ms since the last update that named the agent. */
  lastSeenAgoMs: z.number(),
  meta: JsonObjectSchema.nullable(),
  capabilities: z.array(JsonObjectSchema),
  history: z.array(z.object({ at: z.number(), from: z.string(), to: z.string(), reason: z.string().optional() })),
});
export type AgentDetail = z.infer<typeof AgentDetailSchema>;


/** A command addressed to one plane: what crosses IPC. */
export const PlaneCommandSchema = z.object({ plane: z.string().max(200), request: CommandRequestSchema });
export type PlaneCommand = z.infer<typeof PlaneCommandSchema>;


/** Connection control of one plane from the Connections panel. */
export const PlaneActionSchema = z.object({ plane: z.string().max(200), action: z.enum(['connect', 'disconnect', 'reconnect']) });
export type PlaneAction = z.infer<typeof PlaneActionSchema>;
export const PlaneActionResultSchema = z.object({
  plane: z.string(),
  ok: z.boolean(),
  /** The plane's state right after the action (it then moves on as frames show). */
  state: ConnectionStateSchema.optional(),
  message: z.string().optional(),
});
export type PlaneActionResult = z.infer<typeof PlaneActionResultSchema>;

/** Agent search: every given field must match (case-insensitive substrings; `state` exact). */
export const SearchRequestSchema = z.object({
  /** Matches the agent's id (e.g. "agent-007", "7") or its metadata name. */
  text: z.string().max(200).optional(),
  namespace: z.string().max(200).optional(),
  state: z.string().max(40).optional(),
  capability: z.string().max(200).optional(),
  plane: z.string().max(200).optional(),
  limit: z.number().int().positive().max(MAX_SEARCH_RESULTS).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;
export const SearchMatchSchema = z.object({
  plane: z.string(),
  id: z.number().int().nonnegative(),
  label: z.string(),
  stateName: z.string(),
  namespace: z.string().optional(),
  name: z.string().optional(),
});
export type SearchMatch = z.infer<typeof SearchMatchSchema>;
export const SearchResultSchema = z.object({
  matches: z.array(SearchMatchSchema).max(MAX_SEARCH_RESULTS),
  /** Agents that matched, including those past the limit. */
  total: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

/**
 * The channel table: every channel once, with its direction and schemas.
 * `push` is core → renderer, `send` renderer → core with no reply, `request`
 * renderer → core with one reply. Both hosts serve it with serveContract()
 * (serve-contract.ts) and both bridges speak it with createBridge()
 * (bridge.ts): adding a request is one entry here and one handler there.
 */
/** An open recording, by the id the core gave it when it was opened. */
export const ReplayRefSchema = z.object({ id: z.number().int().nonnegative().max(1_000_000) });
export type ReplayRef = z.infer<typeof ReplayRefSchema>;
export const ReplayEntrySchema = z.object({ id: z.number().int().nonnegative(), state: ReplayStateSchema });
export type ReplayEntry = z.infer<typeof ReplayEntrySchema>;
/** One timeline control: `value` is the speed (speed) or the recording time in ms (seek). */
export const ReplayActionSchema = z.discriminatedUnion('action', [
  z.object({ id: ReplayRefSchema.shape.id, action: z.enum(['play', 'pause', 'step', 'close']) }),
  z.object({ id: ReplayRefSchema.shape.id, action: z.literal('speed'), value: z.number().min(REPLAY_MIN_SPEED).max(REPLAY_MAX_SPEED) }),
  z.object({ id: ReplayRefSchema.shape.id, action: z.literal('seek'), value: z.number().finite() }),
]);
export type ReplayAction = z.infer<typeof ReplayActionSchema>;
export const ReplayMarkersSchema = z.object({ markers: z.array(TimelineMarkerSchema).max(REPLAY_MAX_MARKERS), dropped: z.number().int().nonnegative() });
export type ReplayMarkers = z.infer<typeof ReplayMarkersSchema>;

/** A saved profile by id. */
export const ProfileRefSchema = z.object({ id: ProfileSchema.shape.id });
export type ProfileRef = z.infer<typeof ProfileRefSchema>;
/** Where a token saved now is kept; store null: nowhere (reason says why). */
export const SecretStatusSchema = z.object({ store: z.enum(SECRET_STORES).nullable(), label: z.string(), reason: z.string().optional() });
export const ProfilesStateSchema = z.object({
  profiles: z.array(ProfileSchema).max(MAX_PROFILES),
  secretStore: SecretStatusSchema,
  /** What opening the profile file found (corrupt file moved aside, migration, read-only), to show the operator. */
  notices: z.array(z.string()).max(64),
});
export type ProfilesState = z.infer<typeof ProfilesStateSchema>;
/**
 * One change to the saved profiles. A token travels only renderer → core, in
 * `save`; no reply carries one. `purge` ends an undo: the token of a deleted
 * profile is removed (refused while a profile with that id exists).
 */
export const ProfileActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('save'), profile: ProfileSchema, token: z.string().min(1).max(MAX_TOKEN_BYTES).optional() }),
  z.object({ action: z.literal('delete'), id: ProfileSchema.shape.id }),
  z.object({ action: z.literal('restore'), profile: ProfileSchema }),
  z.object({ action: z.literal('purge'), profile: ProfileSchema }),
  z.object({ action: z.literal('import'), profiles: z.array(ProfileSchema).max(MAX_PROFILES) }),
  z.object({ action: z.literal('allowPlaintext') }),
]);
export type ProfileAction = z.input<typeof ProfileActionSchema>;
export const ProfileConnectSchema = z.object({ ids: z.array(ProfileSchema.shape.id).min(1).max(MAX_PROFILE_CONNECT) });
export type ProfileConnect = z.infer<typeof ProfileConnectSchema>;
export const ProfileConnectResultSchema = z.object({
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().optional() })).max(MAX_PROFILE_CONNECT),
});
export type ProfileConnectResult = z.infer<typeof ProfileConnectResultSchema>;
export const ProfileTestResultSchema = z.object({ id: z.string(), exitCode: z.number().int(), report: z.string().max(MAX_PROFILE_PROBE_REPORT_CHARS) });
export type ProfileTestResult = z.infer<typeof ProfileTestResultSchema>;

/** Start recording (`planes` omitted: every live plane) or stop recording `id`. */
export const RecordRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), planes: z.array(z.string().min(1).max(200)).min(1).max(64).optional() }),
  z.object({ action: z.literal('stop'), id: z.number().int().nonnegative().max(1_000_000) }),
]);
export type RecordRequest = z.infer<typeof RecordRequestSchema>;
/** The limits a recording stops at by itself (limits.ts). */
export const RECORDING_STOP_LIMITS = ['RECORDING_MAX_BYTES', 'RECORDING_MAX_DURATION_MS'] as const;
export type RecordingStopLimit = (typeof RECORDING_STOP_LIMITS)[number];
/** One running (or just stopped) recording: what the record indicator shows. */
export const RecordingStatusSchema = z.object({
  id: z.number().int().nonnegative(),
  path: z.string(),
  planes: z.array(z.string()),
  elapsedMs: z.number().nonnegative(),
  /** Bytes of the file so far (written or queued). */
  bytes: z.number().nonnegative(),
  messages: z.number().nonnegative(),
  /** Not written because the disk could not keep up (the live view never waits). */
  messagesDropped: z.number().nonnegative(),
  bytesDropped: z.number().nonnegative(),
  error: z.string().nullable(),
  /** The limit it stopped at by itself (the file is finished); null while it runs or when stopped by hand. */
  stoppedAt: z.enum(RECORDING_STOP_LIMITS).nullable(),
});
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** A file of the recordings folder by name: a plain file name ending in .mcap, never a path. */
export const RecordingFileRefSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\u0000]+\.mcap$/i, 'a file name ending in .mcap, without a folder')
    // ".." cannot end in .mcap; a leading dot is a hidden file.
    .refine((n) => !n.startsWith('.'), 'not a hidden file'),
});
export type RecordingFileRef = z.infer<typeof RecordingFileRefSchema>;
export const RecordingFilesSchema = z.object({
  /** The recordings folder (SWARMDECK_RECORDINGS_DIR, else recordings/ in the config directory). */
  dir: z.string(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().nonnegative(), modifiedMs: z.number(), recording: z.boolean() })).max(MAX_RECORDING_FILES),
  /** Files past MAX_RECORDING_FILES, not listed. */
  more: z.number().int().nonnegative(),
  /** Why the folder could not be read (it may not exist yet); null when it was. */
  problem: z.string().nullable(),
});
export type RecordingFiles = z.infer<typeof RecordingFilesSchema>;

export const CONTRACT = {
  frame: { name: IPC_CHANNELS.frame, kind: 'push', payload: FrameMessageSchema },
  ack: { name: IPC_CHANNELS.ack, kind: 'send', payload: AckSchema },
  hello: { name: IPC_CHANNELS.hello, kind: 'request', request: ViewScopeSchema.optional(), reply: AppInfoSchema },
  openWindow: { name: IPC_CHANNELS.openWindow, kind: 'request', request: WindowRequestSchema, reply: WindowResultSchema },
  inspect: { name: IPC_CHANNELS.inspect, kind: 'request', request: InspectRequestSchema, reply: AgentDetailSchema.nullable() },
  command: { name: IPC_CHANNELS.command, kind: 'request', request: PlaneCommandSchema, reply: CommandResultSchema },
  connection: { name: IPC_CHANNELS.connection, kind: 'request', request: PlaneActionSchema, reply: PlaneActionResultSchema },
  search: { name: IPC_CHANNELS.search, kind: 'request', request: SearchRequestSchema, reply: SearchResultSchema },
  record: { name: IPC_CHANNELS.record, kind: 'request', request: RecordRequestSchema, reply: RecordingStatusSchema.nullable() },
  recordings: { name: IPC_CHANNELS.recordings, kind: 'request', request: z.undefined(), reply: z.array(RecordingStatusSchema).max(MAX_ACTIVE_RECORDINGS) },
  recordingFiles: { name: IPC_CHANNELS.recordingFiles, kind: 'request', request: z.undefined(), reply: RecordingFilesSchema },
  openRecording: { name: IPC_CHANNELS.openRecording, kind: 'request', request: RecordingFileRefSchema, reply: ReplayEntrySchema },
  replays: { name: IPC_CHANNELS.replays, kind: 'request', request: z.undefined(), reply: z.array(ReplayEntrySchema) },
  replay: { name: IPC_CHANNELS.replay, kind: 'request', request: ReplayActionSchema, reply: ReplayStateSchema.nullable() },
  replayMarkers: { name: IPC_CHANNELS.replayMarkers, kind: 'request', request: ReplayRefSchema, reply: ReplayMarkersSchema.nullable() },
  profiles: { name: IPC_CHANNELS.profiles, kind: 'request', request: z.undefined(), reply: ProfilesStateSchema },
  profile: { name: IPC_CHANNELS.profile, kind: 'request', request: ProfileActionSchema, reply: ProfilesStateSchema },
  profileConnect: { name: IPC_CHANNELS.profileConnect, kind: 'request', request: ProfileConnectSchema, reply: ProfileConnectResultSchema },
  profileTest: { name: IPC_CHANNELS.profileTest, kind: 'request', request: ProfileRefSchema, reply: ProfileTestResultSchema },
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
