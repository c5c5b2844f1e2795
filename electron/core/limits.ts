// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

// ---------------------------------------------------------------- protocol

// ---------------------------------------------------------------- store

// ---------------------------------------------------------------- pipeline

// ---------------------------------------------------------------- hosts

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
/** A keychain call (it can block on an unlock prompt) fails after this long rather than waiting forever. */
export const KEYCHAIN_TIMEOUT_MS = 10_000;
/** Deleted profiles the manager can bring back with undo. */
export const PROFILE_UNDO_DEPTH = 50;
/** Corrupt files kept beside the profile file; older ones are removed. */
export const MAX_CORRUPT_COPIES = 10;

// ---------------------------------------------------------------- shell

/** Windows open at once (New Window, a plane in its own window); each is a view with its own pipeline. */
export const MAX_WINDOWS = 16;
