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

// ---------------------------------------------------------------- console (renderer store)

/** Events the Events panel holds across planes; the oldest are evicted (and counted) beyond it. */
export const CONSOLE_EVENT_LOG = 20_000;
/** system.metrics samples kept per plane: 60 minutes at the protocol's 2 s period. */
export const CONSOLE_METRIC_SAMPLES = 1800;
/** Commands the Commands list keeps; the oldest settled ones are evicted beyond it. */
export const CONSOLE_COMMANDS = 500;
/** Coordination rounds kept (active and finished); the oldest finished are evicted beyond it. */
export const CONSOLE_ROUNDS = 200;
/** Distinct alert groups kept; the least recently seen are evicted beyond it. */
export const CONSOLE_ALERT_GROUPS = 500;
/** message.flow.stats flows kept across planes; the least recently active are evicted beyond it. */
export const CONSOLE_FLOWS = 2000;
/** Messages in and out kept per agent for the inspector, for the agents most recently active. */
export const CONSOLE_AGENT_MESSAGES = 50;
/** Agents whose recent messages are kept for the inspector. */
export const CONSOLE_AGENTS_TRACKED = 2000;
/** Performance samples per agent for the inspector's trend plots. */
export const CONSOLE_AGENT_SAMPLES = 120;
/** Desktop notifications shown per minute at most; the rest are grouped into one summary. */
export const CONSOLE_NOTIFICATIONS_PER_MINUTE = 6;

// ---------------------------------------------------------------- connection

// ---------------------------------------------------------------- protocol

// ---------------------------------------------------------------- store

// ---------------------------------------------------------------- pipeline

// ---------------------------------------------------------------- hosts
