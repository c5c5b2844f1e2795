// The connection state machine of one endpoint socket, as a transition table.
// Every state change goes through `fire(event, reason)`: an event a state has
// no row for is refused (returns false, nothing changes), so an impossible
// transition (LIVE → HANDSHAKING, AUTH_REQUIRED → LIVE, ...) cannot happen by
// accident. The plane's state is the least advanced of its endpoints'
// (`aggregateState`). docs/PROTOCOL.md, "Session", pins the table.
// Direction: a leaf; endpoint-session.ts runs one per socket, plane.ts aggregates them.

import type { ConnectionState } from '../../../shared/index.js';

export type ConnectionEvent =
  /** connect() / a new token / an explicit reconnect: start a socket. */
  | 'connect'
  /** The WebSocket upgrade succeeded: the handshake starts. */
  | 'opened'
  /** handshake_ack and the version (and compression) negotiation are done. */
  | 'negotiated'
  /** No inbound traffic for 3 heartbeat intervals (at least 3 s): STALE while a ping probes. */
  | 'silent'
  /** Heard again while STALE. */
  | 'revived'
  /** The socket closed, errored, timed out, or the session was closed on purpose: retry after a backoff. */
  | 'lost'
  /** The backoff delay elapsed: open a socket again. */
  | 'retry'
  /** 401/403 on upgrade or an AUTH_FAILED error: stop until a new token. */
  | 'auth_failed'
  /** Retrying cannot help (no common version, bad URL, TLS verification, 4xx): stop. */
  | 'fatal'
  /** close(): stop for good. */
  | 'close';

export const TRANSITIONS: Readonly<Record<ConnectionState, Readonly<Partial<Record<ConnectionEvent, ConnectionState>>>>> = {
  CLOSED: { connect: 'CONNECTING', close: 'CLOSED' },
  CONNECTING: { opened: 'HANDSHAKING', lost: 'RECONNECTING', auth_failed: 'AUTH_REQUIRED', fatal: 'FAILED', close: 'CLOSED' },
  HANDSHAKING: { negotiated: 'LIVE', lost: 'RECONNECTING', auth_failed: 'AUTH_REQUIRED', fatal: 'FAILED', close: 'CLOSED' },
  LIVE: { silent: 'STALE', lost: 'RECONNECTING', auth_failed: 'AUTH_REQUIRED', fatal: 'FAILED', close: 'CLOSED' },
  STALE: { revived: 'LIVE', lost: 'RECONNECTING', auth_failed: 'AUTH_REQUIRED', fatal: 'FAILED', close: 'CLOSED' },
  RECONNECTING: { retry: 'CONNECTING', auth_failed: 'AUTH_REQUIRED', fatal: 'FAILED', close: 'CLOSED' },
  AUTH_REQUIRED: { connect: 'CONNECTING', close: 'CLOSED' },
  FAILED: { connect: 'CONNECTING', close: 'CLOSED' },
};

export interface Transition {
  from: ConnectionState;
  to: ConnectionState;
  /** 'explain': the reason changed, the state did not. */
  event: ConnectionEvent | 'explain';
  reason: string | undefined;
}

export class ConnectionMachine {
  private current: ConnectionState;
  private why: string | undefined;

  constructor(
    initial: ConnectionState = 'CLOSED',
    private readonly onChange: (t: Transition) => void = () => undefined,
  ) {
    this.current = initial;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Why the machine is in its state (absent when LIVE). */
  get reason(): string | undefined {
    return this.why;
  }

  can(event: ConnectionEvent): boolean {
    return TRANSITIONS[this.current][event] !== undefined;
  }

  /** Applies `event`; false (and no change) when the current state has no transition for it. */
  fire(event: ConnectionEvent, reason?: string): boolean {
    const to = TRANSITIONS[this.current][event];
    if (to === undefined) return false;
    const from = this.current;
    const why = to === 'LIVE' ? undefined : reason;
    if (from === to && why === this.why) return true;
    this.current = to;
    this.why = why;
    this.onChange({ from, to, event, reason: why });
    return true;
  }

  /** Updates the reason without a transition (e.g. "retrying in 800 ms"). */
  explain(reason: string): void {
    if (this.current === 'LIVE' || reason === this.why) return;
    const from = this.current;
    this.why = reason;
    this.onChange({ from, to: from, event: 'explain', reason });
  }
}

/** Lower rank = less advanced; the plane shows its least advanced endpoint. */
export const STATE_RANK: Readonly<Record<ConnectionState, number>> = {
  FAILED: 0,
  AUTH_REQUIRED: 1,
  CLOSED: 2,
  RECONNECTING: 3,
  CONNECTING: 4,
  STALE: 5,
  HANDSHAKING: 6,
  LIVE: 7,
};

/** The least advanced of `states` (CLOSED for none), and its index. */
export function aggregateState(states: readonly ConnectionState[]): { state: ConnectionState; index: number } {
  let index = -1;
  for (let i = 0; i < states.length; i++) {
    if (index < 0 || STATE_RANK[states[i]!] < STATE_RANK[states[index]!]) index = i;
  }
  return { state: index < 0 ? 'CLOSED' : states[index]!, index };
}
