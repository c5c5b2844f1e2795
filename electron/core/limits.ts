// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

/** Node's timers hold a signed 32-bit ms delay: anything above fires after 1 ms. Every timer is clamped to it. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** handshake_ack.heartbeatInterval is clamped to this range (a conformance note says so). */
export const HEARTBEAT_INTERVAL_MIN_MS = 1000;
export const HEARTBEAT_INTERVAL_MAX_MS = 10 * 60_000;
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

// ---------------------------------------------------------------- store

// ---------------------------------------------------------------- pipeline

// ---------------------------------------------------------------- hosts

// ---------------------------------------------------------------- recording

/** Finished chunks waiting for the disk, in bytes: past it a chunk is not written (counted and reported), the live path never waits. */
export const RECORDING_WRITE_QUEUE_BYTES = 64 * 1024 * 1024;
/** Uncompressed bytes per MCAP chunk: closed at this size or at the flush interval, whichever is first. Small enough that compressing one (zstd, on the main thread) stays around a frame (~15 ms per MiB of incompressible data). */
export const RECORDING_CHUNK_BYTES = 1024 * 1024;
/** The open chunk is closed and queued for the disk at least this often: a crash loses at most this much. */
export const RECORDING_FLUSH_MS = 1000;
/** A store snapshot of every plane this often (and on demand): seeking replays at most this much. */
export const RECORDING_SNAPSHOT_MS = 5000;
/** Largest uncompressed chunk a recording may claim when read back (a hostile file cannot make us allocate more). */
export const REPLAY_MAX_CHUNK_BYTES = 256 * 1024 * 1024;
/** Chunks a replay keeps read (each at most RECORDING_CHUNK_BYTES when we wrote it): a seek reads back to a snapshot and forward again. */
export const REPLAY_CACHED_CHUNKS = 32;
/** Largest JSON part of a snapshot read back. */
export const REPLAY_MAX_SNAPSHOT_JSON_BYTES = 64 * 1024 * 1024;
/** Replay speeds the controller accepts (1 = as recorded). */
export const REPLAY_MIN_SPEED = 0.25;
export const REPLAY_MAX_SPEED = 16;
/** Messages one replay tick ingests at most before yielding to the event loop (the live planes beside it keep running). */
export const REPLAY_TICK_MESSAGES = 2000;
/** Timeline markers kept per recording (the first ones; the rest are counted, not kept). */
export const REPLAY_MAX_MARKERS = 20_000;
