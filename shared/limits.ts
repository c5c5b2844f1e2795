// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- ipc (contract)

/** Agents one search request may return (the rest are counted in `total`). */
export const MAX_SEARCH_RESULTS = 500;
/** Agents per plane whose namespace (from message.sent) the core remembers for search; beyond it new ones are not learned. */
export const SEARCH_NAMESPACES_PER_PLANE = 1 << 20;
/** A bridge request with no reply by then rejects: the longest command timeout (10 min) plus a margin. */
export const IPC_REQUEST_TIMEOUT_MS = 10 * 60_000 + 30_000;
/** Browser-mode requests a page may have unanswered at once; beyond it the page's requests reject at once. */
export const IPC_MAX_PENDING_REQUESTS = 1000;

// ---------------------------------------------------------------- session state (core, electron/core/monitor)
// One instance per plane; each structure counts what it evicts (MonitorCounts).

/** Events the core keeps per plane (the log views backfill and page from); the oldest go first. */
export const MONITOR_EVENT_LOG_ENTRIES = 20_000;
/** The same log by estimated JSON bytes. */
export const MONITOR_EVENT_LOG_BYTES = 8 * 1024 * 1024;
/** Alerts kept per plane (firing and resolved); beyond it the oldest resolved go, then the least recently raised. */
export const MONITOR_ALERTS = 500;
/** Characters an alert's message, code or action keeps (copied, not sliced). */
export const MONITOR_TEXT_CHARS = 300;
/** An error alert (an error frame or event) not repeated for this long resolves: its condition has cleared. */
export const MONITOR_ERROR_QUIET_MS = 5 * 60_000;
/** The longest an alert may be silenced for at once. */
export const MONITOR_SILENCE_MAX_MS = 24 * 60 * 60_000;
/** Coordination rounds kept per plane; the oldest finished go first. */
export const MONITOR_ROUNDS = 200;
/** Participants (and votes) kept per round; further ones are not kept. */
export const MONITOR_ROUND_PARTICIPANTS = 256;
/** Commands kept per plane with their responses; the oldest settled go first (pending ones settle by their own timeout). */
export const MONITOR_COMMANDS = 200;
/** The same log by estimated JSON bytes (a fetch_logs answer can be large). */
export const MONITOR_COMMAND_BYTES = 8 * 1024 * 1024;
/** system.metrics samples kept as they came (per plane), for at most MONITOR_METRIC_RECENT_MS. */
export const MONITOR_METRIC_RECENT_SAMPLES = 600;
export const MONITOR_METRIC_RECENT_MS = 5 * 60_000;
/** Older samples are averaged into buckets this long… */
export const MONITOR_METRIC_BUCKET_MS = 30_000;
/** …of which this many are kept per plane (2 h); the oldest go first. */
export const MONITOR_METRIC_BUCKETS = 240;
/** Connection history notes per plane (state changes, conformance notes, errors); the oldest go first. */
export const MONITOR_CONNECTION_NOTES = 500;
/** Removed planes whose next event sequence number the core remembers (a plane re-added under its id continues it). */
export const MONITOR_RETIRED_PLANES = 1024;
/** A view's hello is answered with at most this many of each plane's newest events… */
export const HISTORY_BACKFILL_EVENTS = 1000;
/** …and at most this many estimated bytes of events, all planes of the hello together. */
export const HISTORY_BACKFILL_BYTES = 4 * 1024 * 1024;
/** Events one history page request may return (`swarmdeck:history`, `limit`). */
export const HISTORY_PAGE_EVENTS = 2000;
/** Estimated bytes of events one history page returns at most (at least one event). */
export const HISTORY_PAGE_BYTES = 2 * 1024 * 1024;

// ---------------------------------------------------------------- console (renderer store)

/** Events the page holds across planes (the core's log is the truth; older ones page in again). */
export const CONSOLE_EVENT_LOG = 20_000;
/** Messages in and out kept per agent for the inspector, for the agents most recently active. */
export const CONSOLE_AGENT_MESSAGES = 50;
/** Agents whose recent messages are kept for the inspector. */
export const CONSOLE_AGENTS_TRACKED = 2000;
/** Performance samples per agent for the inspector's trend plots. */
export const CONSOLE_AGENT_SAMPLES = 120;
/** Desktop notifications shown per minute at most; the rest are grouped into one summary. */
export const CONSOLE_NOTIFICATIONS_PER_MINUTE = 6;

// ---------------------------------------------------------------- connection

/** Node's timers hold a signed 32-bit ms delay: anything above fires after 1 ms. Every timer is clamped to it. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** handshake_ack.heartbeatInterval is clamped to this range (a conformance note says so). */
export const HEARTBEAT_INTERVAL_MIN_MS = 1000;
/** A server's retryAfterMs (RATE_LIMIT_EXCEEDED) is clamped to this (a conformance note says so): a plane cannot hold commands back for days (issue 18). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;
/**
 * Flap guard (issue 23): a connection that was LIVE at least QUICK_RETRY_AFTER_LIVE_MS and delivered
 * data is retried after QUICK_RETRY_MIN_MS .. QUICK_RETRY_MAX_MS (jittered), not after the backoff;
 * one that delivered data at all resets the backoff; the delay grows only while connections fail before LIVE.
 */
export const QUICK_RETRY_AFTER_LIVE_MS = 1000;
export const QUICK_RETRY_MIN_MS = 100;
export const QUICK_RETRY_MAX_MS = 300;
export const HEARTBEAT_INTERVAL_MAX_MS = 10 * 60_000;
/**
 * An endpoint with no inbound traffic (messages, pings, pongs) for STALE_FACTOR × its heartbeat
 * interval, and at least STALE_MIN_MS, is STALE. A ping then probes the socket; nothing heard
 * within max(the interval, STALE_MIN_MS) after it, the socket is closed and reconnected.
 */
export const STALE_FACTOR = 3;
export const STALE_MIN_MS = 3000;
/** The heartbeat interval when handshake_ack has none (the seed's example value). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
/** How long an optional negotiation reply (handshake_ack, version, compression, channel) is waited for before assuming. */
export const DEFAULT_NEGOTIATION_WAIT_MS = 2000;
/** An endpoint that sends more than this many invalid messages within the window is disconnected (with backoff). */
export const ABUSE_MAX_PROTOCOL_ERRORS = 500;
export const ABUSE_WINDOW_MS = 10_000;
/** Bytes a plane's compressed frames may inflate to per second, all endpoints together; past it frames are dropped uninflated. */
export const INFLATE_BUDGET_BYTES_PER_SEC = 64 * 1024 * 1024;
/** Distinct conformance notes kept per plane (status) and per session. */
export const MAX_CONFORMANCE_NOTES = 32;
/** Characters a conformance note keeps (it may quote the plane's lists). */
export const MAX_CONFORMANCE_NOTE_CHARS = 300;
/** Characters of a server-provided string quoted in a conformance note. */
export const CONFORMANCE_QUOTE_CHARS = 80;

// ---------------------------------------------------------------- protocol

/** Deeper JSON is refused (JSON messages, STATE_BATCH metadata): it would only serve to overflow a recursive consumer (IPC packer, validation, renderer). */
export const MAX_JSON_DEPTH = 64;
/** Longer strings in a JSON message (any envelope, any field) are cut to this many UTF-16 units plus a marker; counted as `stringsTruncated`. */
export const MAX_EVENT_STRING_CHARS = 64 * 1024;

// ---------------------------------------------------------------- store

/** Distinct agents one plane's store holds; records for further new ids are refused (counted `agentsRefused`, one protocol error per message), known agents keep updating. */
export const MAX_AGENTS_PER_PLANE = 1_000_000;
/** State changes kept per agent for the inspector (oldest dropped first). */
export const HISTORY_LENGTH = 20;
/** Characters kept of each history string (states, reason). */
export const MAX_HISTORY_STRING_CHARS = 256;
/** Channels (channel ids) one endpoint session orders; a message on a further channel is delivered unordered and counted (limits.channelsRefused). */
export const MAX_CHANNELS_PER_SESSION = 256;
/** Characters of agent ids one plane's agent-liveness table holds (heartbeat/status_update ids, up to MAX_EVENT_STRING_CHARS each): past it a new id is not tracked (counted limits.livenessRefused), known ones keep beating. 1,000,000 ids of 64 KB would otherwise hold 128 GB. */
export const MAX_LIVENESS_ID_CHARS = 16 * 1024 * 1024;
/** Message ids remembered for duplicate suppression per plane. */
export const DEDUPE_ENTRIES = 4096;
/** A dedupe key longer than this is kept as its SHA-256 (limits.dedupeKeysHashed): 4,096 ids of 64 KB would hold 256 MB. */
export const MAX_DEDUPE_KEY_CHARS = 200;
/** Embedded simulators running at once for simulator profiles connected from the profile manager. */
export const MAX_RUNNING_SIMULATORS = 8;
/** A plane's own words (an `error` message) quoted in a status reason: the rest is cut (a flat copy, protocol/string-bounds.ts). */
export const MAX_STATUS_REASON_CHARS = 1000;
/** JSON text characters of one agent's metadata; larger metadata is not kept (counted `metadataRefused`). */
export const MAX_METADATA_CHARS = 16 * 1024;
/** Capabilities kept per agent; further new names are not kept (counted `sideDataRefused`). */
export const MAX_CAPABILITIES_PER_AGENT = 64;
/** Characters of metadata, capabilities and history together per plane; past it new side data is not kept (counted `sideDataRefused`). */
export const MAX_SIDE_DATA_CHARS = 64 * 1024 * 1024;

// ---------------------------------------------------------------- pipeline

/** Events queued for one view; past it low-priority events coalesce, then drop, before normal, high and critical ones (each counted). */
export const MAX_QUEUED_EVENTS_PER_VIEW = 20_000;
/** Estimated JSON bytes of events queued for one view; past it events drop in the same order. */
export const MAX_QUEUED_EVENT_BYTES_PER_VIEW = 32 * 1024 * 1024;
/** Estimated JSON bytes of the events in one frame; the rest wait for the next frame. */
export const MAX_FRAME_EVENT_BYTES = 2 * 1024 * 1024;
/**
 * A view that falls behind gets fewer events per frame, down to this (the budget halves while the view's
 * acknowledgements come later than FRAME_ACK_TARGET_MS or twice its fastest recent one, and grows back when they
 * do not): positions and states go in every frame and never wait behind events; what waits coalesces, then drops, counted.
 */
export const MIN_FRAME_EVENT_BYTES = 128 * 1024;
/** A frame acknowledged later than this (or twice the view's fastest recent acknowledgement, when that is slower) shrinks the event budget. */
export const FRAME_ACK_TARGET_MS = 250;
/** One event larger than this (estimated JSON bytes) reaches a view as a stub naming its size (counted `eventsOversized`). */
export const MAX_EVENT_BYTES = 512 * 1024;
/** First wait for a frame's acknowledgement before it is presumed lost and its events re-sent. */
export const ACK_TIMEOUT_MS = 2000;
/** Each further unacknowledged re-send waits twice as long, up to this. */
export const MAX_RESEND_BACKOFF_MS = 30_000;
/** Planes one view may be scoped to (a window showing only some planes); more is refused with the field named. */
export const MAX_VIEW_PLANES = 64;

// ---------------------------------------------------------------- hosts (browser mode)

/** HTTP connections browser mode serves at once (page sockets included); further ones are dropped (counted). */
export const MAX_HTTP_CONNECTIONS = 128;
/** Requests one connection may have unanswered at once (HTTP pipelining); past it the connection is closed (counted). */
export const MAX_PIPELINED_REQUESTS = 8;
/** Page sockets (/ipc views) open at once; a further upgrade is answered 503 (counted). */
export const MAX_PAGE_VIEWS = 32;
/** Bytes waiting to be written to all page sockets together; past it the view with the most waiting is closed (1008, with the reason). */
export const MAX_PAGE_QUEUED_BYTES = 128 * 1024 * 1024;
/** A view closed for not reading is cut off this long after its close frame, if it has not closed by then. */
export const PAGE_CLOSE_GRACE_MS = 2000;

// ---------------------------------------------------------------- recording

/** Finished chunks waiting for the disk, in bytes: past it a chunk is not written (counted and reported), the live path never waits. */
export const RECORDING_WRITE_QUEUE_BYTES = 64 * 1024 * 1024;
/** Uncompressed bytes per MCAP chunk: closed at this size or at the flush interval, whichever is first. Small enough that compressing one (zstd, on the main thread) stays around a frame (~15 ms per MiB of incompressible data). */
export const RECORDING_CHUNK_BYTES = 1024 * 1024;
/** The open chunk is closed and queued for the disk at least this often: a crash loses at most this much. */
export const RECORDING_FLUSH_MS = 1000;
/** A store snapshot of every plane this often (and on demand): seeking replays at most this much. */
export const RECORDING_SNAPSHOT_MS = 5000;
/** Largest uncompressed chunk read back (a hostile file cannot make us allocate more); a larger one is refused, naming this limit. */
export const REPLAY_MAX_CHUNK_BYTES = 32 * 1024 * 1024;
/** Messages in one chunk read back: each becomes an object on the host's main thread, so this bounds that work per chunk. */
export const REPLAY_MAX_CHUNK_MESSAGES = 32_768;
/** Chunks read back and kept in memory, all open recordings together, in bytes (data plus an estimate per message); the least recently used go first. */
export const REPLAY_CHUNK_CACHE_BYTES = 128 * 1024 * 1024;
/** A recording's summary section (its indexes), read whole at open; a larger one is refused. */
export const REPLAY_MAX_SUMMARY_BYTES = 64 * 1024 * 1024;
/** Chunks one recording may have (chunk index entries, or chunks a scan finds): about 30 h of Swarmdeck recording. */
export const REPLAY_MAX_CHUNKS = 131_072;
/** Channels one recording may declare; and, separately, schemas. */
export const REPLAY_MAX_CHANNELS = 4096;
export const REPLAY_MAX_SCHEMAS = 4096;
/** Metadata and attachment records (or their index entries) one recording may have. */
export const REPLAY_MAX_METADATA_RECORDS = 1024;
/** One record outside the chunks that is read (header, channel, metadata): larger is refused unread. */
export const REPLAY_MAX_RECORD_BYTES = 4 * 1024 * 1024;
/** Records a scan (a file without a valid summary) walks before it stops: bounds the work a sparse or zero-filled file costs. */
export const REPLAY_MAX_SCAN_RECORDS = 4_000_000;
/** Opening a recording (reading its indexes, or scanning a damaged one) in the decode worker: past it the worker is stopped and the file refused. */
export const REPLAY_OPEN_TIMEOUT_MS = 60_000;
/** Decoding one chunk in the decode worker: past it the worker is stopped and that chunk is an error of its file. */
export const REPLAY_CHUNK_TIMEOUT_MS = 10_000;
/** Old-generation heap of each decode worker thread (MB); a worker past it dies, which is an error of the file it was reading. */
export const REPLAY_WORKER_HEAP_MB = 512;
/** A decode worker idle this long exits (its WebAssembly memory, grown to the largest chunk, goes with it). */
export const REPLAY_WORKER_IDLE_MS = 15_000;
/** Largest JSON part of a snapshot read back. */
export const REPLAY_MAX_SNAPSHOT_JSON_BYTES = 64 * 1024 * 1024;
/** Replay speeds the controller accepts (1 = as recorded). */
export const REPLAY_MIN_SPEED = 0.25;
export const REPLAY_MAX_SPEED = 16;
/** Messages one replay tick ingests at most before yielding to the event loop (the live planes beside it keep running). */
export const REPLAY_TICK_MESSAGES = 2000;
/** Message bytes one replay tick ingests at most before yielding (a file of large messages must not stall the host per tick either). */
export const REPLAY_TICK_BYTES = 4 * 1024 * 1024;
/** Recordings the console may run at once (each is a file and a write queue of RECORDING_WRITE_QUEUE_BYTES). */
export const MAX_ACTIVE_RECORDINGS = 8;
/** Timeline markers kept per recording (the first ones; the rest are counted, not kept). */
export const REPLAY_MAX_MARKERS = 20_000;
/** Recordings open for replay at once (opening ones included); close one to open another. */
export const MAX_OPEN_REPLAYS = 8;
/** A synced timeline's offset of one recording, either way (31 days: last month's run beside today's). */
export const REPLAY_MAX_OFFSET_MS = 31 * 24 * 3600 * 1000;
/** Points of a recording's agents-per-state series (one per snapshot; past it every other point goes, and then every other snapshot is read). */
export const REPLAY_MAX_SERIES_POINTS = 2048;
/** Per replay, the pieces of "this console's clock → recording time" kept to open an alert of a replayed plane at its moment (the oldest goes). */
export const REPLAY_WALL_SEGMENTS = 4096;
/** A recording stops at this many bytes of file (at the first chunk that reaches it; the summary follows) and says so. */
export const RECORDING_MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** A recording stops after this long and says so. */
export const RECORDING_MAX_DURATION_MS = 24 * 60 * 60_000;
/** Files the recordings folder lists (newest first); the rest are counted. */
export const MAX_RECORDING_FILES = 500;
/** The flight recorder (rewind) keeps this much of every live plane by default (`--rewind`); 0 turns it off. */
export const REWIND_DEFAULT_MS = 15 * 60_000;
/** Its disk budget across all planes by default (`--rewind-bytes`): the oldest segment goes first past it. */
export const REWIND_DEFAULT_BYTES = 2 * 1024 ** 3;
/** Longest window the settings accept (segments per plane stay near window / REWIND_SEGMENT_MAX_MS). */
export const REWIND_MAX_MS = 24 * 60 * 60_000;
/** Smallest and largest disk budget the settings accept. */
export const REWIND_MIN_BYTES = 1024 * 1024;
export const REWIND_MAX_BYTES = 1024 ** 4;
/** A segment file is closed and a new one begun after min(window / 10, this) or (budget / 8 / planes) bytes. */
export const REWIND_SEGMENT_MAX_MS = 60_000;
/** Shortest segment (a tiny window still rolls at most once a second). */
export const REWIND_SEGMENT_MIN_MS = 1000;
// ---------------------------------------------------------------- profiles

/** Profiles in one file (and in one import). */
export const MAX_PROFILES = 1000;
/** A profile's name or group. */
export const MAX_PROFILE_NAME_CHARS = 100;
/** A path, URL, endpoint override, token-command program or argument. */
export const MAX_PROFILE_PATH_CHARS = 4096;
export const MAX_PROFILE_ARGS = 64;
export const MAX_PROFILE_TAGS = 32;
export const MAX_PROFILE_TAG_CHARS = 40;
/** Agents a simulator profile may ask for (the embedded simulator runs in the app's process). */
export const MAX_SIM_AGENTS = 100_000;
/** The profile file, an import, or a token read from stdin: larger is refused unread. */
export const MAX_PROFILE_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_TOKEN_BYTES = 16 * 1024;
/** A profile's tls.caFile: a regular file of at most this many bytes (a CA bundle is well under), read within CA_FILE_TIMEOUT_MS. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;
export const CA_FILE_TIMEOUT_MS = 5_000;
/** A keychain call (it can block on an unlock prompt) fails after this long rather than waiting forever. */
export const KEYCHAIN_TIMEOUT_MS = 10_000;
/** Deleted profiles the manager can bring back with undo. */
export const PROFILE_UNDO_DEPTH = 50;
/** Corrupt files kept beside the profile file; older ones are removed. */
export const MAX_CORRUPT_COPIES = 10;
/** How long the profile manager's Test button probes a plane (well inside the IPC request timeout). */
export const PROFILE_PROBE_MS = 3000;
/** The probe report a Test reply carries; longer is cut (and says so). */
export const MAX_PROFILE_PROBE_REPORT_CHARS = 64 * 1024;
/** Profiles one Connect request may open at once. */
export const MAX_PROFILE_CONNECT = 64;

// ---------------------------------------------------------------- shell

/** Windows open at once (New Window, a plane in its own window); each is a view with its own pipeline. */
export const MAX_WINDOWS = 16;
// ---------------------------------------------------------------- renderer (scene)
// What the graph keeps of what planes send: each bound caps renderer memory
// however fast flows, messages or rounds arrive. What exceeds one is counted
// (scene stats) and shown in the legend, never dropped silently.

/** Persistent flows drawn (message.flow.stats); a new flowId beyond this is refused and counted. */
export const SCENE_MAX_FLOWS = 250_000;
/** message.sent particles in flight; beyond this the oldest is replaced (counted). */
export const SCENE_MAX_PARTICLES = 8_192;
/** Labels drawn at once, whatever the screen could hold. */
export const SCENE_MAX_LABELS = 400;
/** Coordination rounds tracked at once; the oldest is forgotten beyond this (counted). */
export const SCENE_MAX_ROUNDS = 64;
/** Participants drawn per round. */
export const SCENE_MAX_ROUND_PARTICIPANTS = 256;
/** Agents per plane laid out by the force simulation; more are placed on a stable spiral per group. */
export const SCENE_LAYOUT_MAX_AGENTS = 20_000;
/** Distinct groups (namespaces) per plane; further names share the last group. */
export const SCENE_MAX_GROUPS = 1_024;
/** Longest a node is extrapolated past its last update (ms): a plane gone quiet does not drift away. */
export const SCENE_MAX_EXTRAPOLATION_MS = 1_000;
/** Largest contract message a page may send on /ipc (ws closes the socket with 1009 past it). */
export const MAX_CONTRACT_MESSAGE_BYTES = 1024 * 1024;
/** Distinct rejection reasons kept per host (each with a count); further ones are counted under "(other reasons)". */
export const MAX_REJECTION_REASONS = 64;
/** Characters kept of one rejection reason. */
export const MAX_REJECTION_REASON_CHARS = 200;
/** Bytes one page's socket may have waiting to be written; past it the view is closed (1008, with the reason): a page that does not read is never buffered without bound. */
export const MAX_PAGE_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Bytes `tail`/`probe` may have waiting for a slow reader of stdout; lines past it are dropped and counted in a `client.output_dropped` line. */
export const CLI_STDOUT_MAX_BYTES = 32 * 1024 * 1024;

/** Flows kept per plane in the core's flow table (issue 22); the least recently updated flow is evicted and counted. */
export const MAX_FLOWS_PER_PLANE = 20_000;
/** Characters kept of a flow id (message.flow.stats flowId, or "<from>-<to>" of a message.sent); longer ones are cut (copied). */
export const MAX_FLOW_ID_CHARS = 256;
/** Flow updates (message.flow.stats, message.sent) fold into the flow table; the event log keeps at most one per flow per this many ms ... */
export const FLOW_LOG_SAMPLE_MS = 10_000;
/** ... and at most this many per plane per second (the rest are counted as folded). Logged ones also reach the views as events. */
export const FLOW_LOG_PER_SEC = 20;
/** A flow's message.sent rate is measured over windows of at least this long. */
export const FLOW_RATE_WINDOW_MS = 1_000;
/** Particles the page starts per display frame from flow rates, across planes; further ones wait (counted as capped). */
export const SCENE_PARTICLES_PER_FRAME = 64;
