// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

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
/** One event larger than this (estimated JSON bytes) reaches a view as a stub naming its size (counted `eventsOversized`). */
export const MAX_EVENT_BYTES = 512 * 1024;
/** First wait for a frame's acknowledgement before it is presumed lost and its events re-sent. */
export const ACK_TIMEOUT_MS = 2000;
/** Each further unacknowledged re-send waits twice as long, up to this. */
export const MAX_RESEND_BACKOFF_MS = 30_000;

// ---------------------------------------------------------------- hosts

/** Largest contract message a page may send on /ipc (ws closes the socket with 1009 past it). */
export const MAX_CONTRACT_MESSAGE_BYTES = 1024 * 1024;
/** Distinct rejection reasons kept per host (each with a count); further ones are counted under "(other reasons)". */
export const MAX_REJECTION_REASONS = 64;
/** Characters kept of one rejection reason. */
export const MAX_REJECTION_REASON_CHARS = 200;
/** Bytes a page's socket may have waiting to be written; frames past it are skipped (their events come again after the ack timeout). */
export const MAX_PAGE_BUFFERED_BYTES = 64 * 1024 * 1024;
