// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

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
