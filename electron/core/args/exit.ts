// The exit codes of the commands (docs/PROTOCOL.md, "Headless CLI"); probe's
// verdict is one of them too, wherever it runs (the CLI, a profile's Test).

export const EXIT = {
  OK: 0,
  /** The command ran and failed (response "failed", or a server error other than rate limit / auth). */
  FAILED: 1,
  USAGE: 2,
  /** The command timed out (including: never got a LIVE control connection in time). */
  TIMEOUT: 3,
  /** Refused: local or server rate limit, authentication required or refused. */
  REFUSED: 4,
  /** The connection failed for good: no common protocol version, TLS verification, bad endpoint (FAILED). */
  CONNECTION_FAILED: 5,
} as const;
