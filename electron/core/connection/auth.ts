// Authentication of one plane: the token its sockets open with, the token's
// generation (every new token bumps it), and the token command, run at
// connect when there is no token and again when the server refuses one.
// Concurrent refusals share one run; a token the command produced that was
// never accepted is not refreshed again (no loop on dead credentials).
// docs/PROTOCOL.md, "Authentication and tokens".
//
// Direction: plane.ts → auth.ts → AuthPort (declared here). Auth never
// touches a session: it says what a refusal means (AuthDecision) and reports
// the end of a run; the plane acts on its sessions.

import type { PlaneCounters } from './counters.js';
import { describeTokenCommand, runTokenCommand, type TokenCommand } from './token-command.js';

export type AuthDecision =
  /** The token changed since that socket opened: try the new one at once. */
  | { kind: 'retry' }
  /** Wait for the token command's token: the run in flight, or one the caller starts (refresh()). */
  | { kind: 'refresh' }
  /** Nothing more to try: AUTH_REQUIRED until a new token. */
  | { kind: 'required'; reason: string };

export interface AuthPort {
  /** The plane was closed meanwhile: a run's outcome is dropped. */
  readonly closed: boolean;
  /** A fresh token from the command (already current). */
  refreshed(generation: number, command: string): void;
  refreshFailed(message: string): void;
}

export class Auth {
  private current: string | undefined;
  private gen = 0;
  private fromCommand = false;
  /** The newest generation a session went LIVE with. */
  private verifiedGen = -1;
  private refreshing: Promise<boolean> | null = null;

  constructor(
    token: string | undefined,
    private readonly command: TokenCommand | undefined,
    private readonly counters: Pick<PlaneCounters, 'authFailures' | 'tokenRefreshes'>,
    private readonly port: AuthPort,
    private readonly run: (tc: TokenCommand) => Promise<string> = runTokenCommand,
  ) {
    this.current = token;
  }

  get token(): string | undefined {
    return this.current;
  }

  get generation(): number {
    return this.gen;
  }

  /** connect() has no token yet but a command to get one: run it before opening. */
  get refreshFirst(): boolean {
    return this.command !== undefined && this.current === undefined;
  }

  /** A token from the operator (or none). */
  set(token: string | undefined): void {
    this.current = token;
    this.gen++;
    this.fromCommand = false;
  }

  /** A session opened with generation `gen` went LIVE: that token works. */
  accepted(gen: number): void {
    this.verifiedGen = Math.max(this.verifiedGen, gen);
  }

  /** A socket opened with generation `gen` was refused (401/403 or AUTH_FAILED) for `reason`. */
  rejected(gen: number, reason: string): AuthDecision {
    this.counters.authFailures++;
    if (this.gen > gen) return { kind: 'retry' };
    const tc = this.command;
    if (tc && (this.refreshing !== null || !this.fromCommand || this.verifiedGen === gen)) return { kind: 'refresh' };
    return { kind: 'required', reason: tc ? `${reason}; the token command's token was refused too: a new token is needed` : `${reason}; a new token is needed` };
  }

  /** Runs the token command, or joins the run in flight; true when a fresh token became current. */
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const tc = this.command;
    if (!tc) return Promise.resolve(false);
    this.counters.tokenRefreshes++;
    this.refreshing = this.run(tc).then(
      (token) => {
        this.refreshing = null;
        if (this.port.closed) return false;
        this.current = token;
        this.gen++;
        this.fromCommand = true;
        this.port.refreshed(this.gen, describeTokenCommand(tc));
        return true;
      },
      (e: unknown) => {
        this.refreshing = null;
        if (this.port.closed) return false;
        this.port.refreshFailed(e instanceof Error ? e.message : String(e));
        return false;
      },
    );
    return this.refreshing;
  }
}
