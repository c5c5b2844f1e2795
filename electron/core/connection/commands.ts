// Command lifecycle of one plane: control.execute, control.multi-agent.configure
// and the control-plane `command`, each with a unique request id, sent on the
// control endpoint. The matching `response` / `error` resolves it; its own
// timeout resolves it as `timeout`. An outgoing token bucket refuses locally
// (RATE_LIMIT_EXCEEDED); a server RATE_LIMIT_EXCEEDED starts a cooldown
// (the server's retryAfterMs, else exponential backoff) during which commands
// are refused locally too. docs/PROTOCOL.md, "Commands", pins the shapes.
// Direction: plane.ts → commands.ts → CommandsHost (declared here).

import { randomUUID } from 'node:crypto';
import { type CommandRequest, type CommandResult, commandName, type ConnectionState, type JsonObject } from '../../../shared/index.js';
import { Backoff } from './backoff.js';
import { isRecoverable, suggestedAction } from './errors.js';
import { TokenBucket } from './token-bucket.js';

// The request and result types are the IPC contract's: one definition, validated where it crosses.
export type { CommandRequest, CommandResult };

/** The control endpoint as a command sees it (its state machine). */
export interface ControlGate {
  readonly state: ConnectionState;
  readonly reason: string | undefined;
}

/** The wire message for a request (docs/PROTOCOL.md, "Commands"). */
export function buildCommandMessage(req: CommandRequest, requestId: string, timeoutMs: number): Record<string, unknown> {
  const timestamp = new Date().toISOString();
  switch (req.kind) {
    case 'command': {
      const payload: Record<string, unknown> = { command: req.command };
      if (req.parameters !== undefined) payload.parameters = req.parameters;
      const m: Record<string, unknown> = { type: 'command', request_id: requestId, timestamp, payload };
      if (req.agentId !== undefined) m.agent_id = req.agentId;
      return m;
    }
    case 'execute': {
      const payload: Record<string, unknown> = { targetAgent: req.targetAgent, command: req.command, timeout: timeoutMs };
      if (req.parameters !== undefined) payload.parameters = req.parameters;
      if (req.callback !== undefined) payload.callback = req.callback;
      return { id: requestId, type: 'control.execute', timestamp, payload };
    }
    case 'configure':
      return { id: requestId, type: 'control.multi-agent.configure', timestamp, payload: { 'multi-agentId': req.multiAgentId, configuration: req.configuration } };
  }
}

export interface CommandsHost {
  readonly planeId: string;
  /** Sends on the control endpoint; false when it is not live. */
  send(message: Record<string, unknown>): boolean;
  /** Whether the control endpoint is LIVE. */
  live(): boolean;
}

interface Pending {
  requestId: string;
  req: CommandRequest;
  message: Record<string, unknown>;
  timeoutMs: number;
  timer: NodeJS.Timeout;
  sentAt: number;
  sent: boolean;
  resolve: (r: CommandResult) => void;
}

export interface CommandOptions {
  defaultTimeoutMs?: number;
  /** Outgoing limit; false for none. Default 10/s, burst 20. */
  rateLimit?: { perSecond: number; burst?: number } | false;
}

export class Commands {
  readonly counters = { sent: 0, succeeded: 0, failed: 0, errors: 0, timedOut: 0, refused: 0 };
  private readonly pending = new Map<string, Pending>();
  private readonly bucket: TokenBucket | null;
  private readonly serverBackoff = new Backoff(1000, 30_000);
  private cooldownUntil = 0;
  private readonly defaultTimeoutMs: number;

  constructor(
    private readonly host: CommandsHost,
    opts: CommandOptions = {},
  ) {
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 30_000;
    const rl = opts.rateLimit === undefined ? { perSecond: 10, burst: 20 } : opts.rateLimit;
    this.bucket = rl === false ? null : new TokenBucket(rl.perSecond, rl.burst ?? Math.max(1, Math.ceil(rl.perSecond)));
  }

  get size(): number {
    return this.pending.size;
  }

  refuse(req: CommandRequest, code: string, message: string, retryAfterMs?: number): CommandResult {
    this.counters.refused++;
    const r: CommandResult = { status: 'refused', plane: this.host.planeId, command: commandName(req), code, message };
    if (retryAfterMs !== undefined) r.retryAfterMs = retryAfterMs;
    return r;
  }

  /**
   * A command for the plane: refused at once when it cannot go (plane closed,
   * control endpoint disabled, AUTH_REQUIRED, FAILED, no name), else submitted.
   */
  request(req: CommandRequest, closed: boolean, control: ControlGate | undefined): Promise<CommandResult> {
    if (closed) return Promise.resolve(this.refuse(req, 'CLOSED', 'the plane is not connected'));
    if (!control) return Promise.resolve(this.refuse(req, 'ENDPOINT_DISABLED', 'the control endpoint is disabled in this profile'));
    if (control.state === 'AUTH_REQUIRED') return Promise.resolve(this.refuse(req, 'AUTH_REQUIRED', control.reason ?? 'a new token is needed'));
    if (control.state === 'FAILED') return Promise.resolve(this.refuse(req, 'CONNECTION_FAILED', control.reason ?? 'the control connection failed'));
    if (req.kind !== 'configure' && req.command.length === 0) return Promise.resolve(this.refuse(req, 'INVALID_COMMAND', 'empty command name'));
    return this.submit(req);
  }

  /** Checks the limits and queues or sends. The caller has already refused for connection state (request()). */
  submit(req: CommandRequest): Promise<CommandResult> {
    const now = Date.now();
    if (now < this.cooldownUntil) {
      const wait = this.cooldownUntil - now;
      return Promise.resolve(this.refuse(req, 'RATE_LIMIT_EXCEEDED', `the control plane rate-limited this client; backing off for ${wait} ms`, wait));
    }
    if (this.bucket && !this.bucket.take()) {
      const wait = this.bucket.msUntilNext();
      return Promise.resolve(
        this.refuse(req, 'RATE_LIMIT_EXCEEDED', `local command rate limit (${this.bucket.perSecond}/s, burst ${this.bucket.burst}) reached; retry in ${wait} ms`, wait),
      );
    }
    const requestId = randomUUID();
    const timeoutMs = req.timeoutMs ?? this.defaultTimeoutMs;
    const message = buildCommandMessage(req, requestId, timeoutMs);
    return new Promise<CommandResult>((resolve) => {
      const p: Pending = {
        requestId,
        req,
        message,
        timeoutMs,
        sentAt: 0,
        sent: false,
        resolve,
        timer: setTimeout(() => {
          this.pending.delete(requestId);
          this.counters.timedOut++;
          resolve({ status: 'timeout', plane: this.host.planeId, command: commandName(req), requestId, timeoutMs, sent: p.sent });
        }, timeoutMs),
      };
      this.pending.set(requestId, p);
      if (this.host.live()) this.sendOne(p);
    });
  }

  /** The control endpoint became LIVE: send what waited for it. */
  flushWaiting(): void {
    for (const p of this.pending.values()) if (!p.sent) this.sendOne(p);
  }

  private sendOne(p: Pending): void {
    if (!this.host.send(p.message)) return;
    p.sent = true;
    p.sentAt = Date.now();
    this.counters.sent++;
  }

  /** A `response`; true when it answered a pending command. */
  resolveResponse(requestId: string, payload: JsonObject): boolean {
    const p = this.take(requestId);
    if (!p) return false;
    const latencyMs = Date.now() - p.sentAt;
    const message = typeof payload.message === 'string' ? payload.message : undefined;
    const ok = payload.status === 'success';
    if (ok) {
      this.counters.succeeded++;
      this.serverBackoff.reset();
    } else {
      this.counters.failed++;
    }
    p.resolve({
      status: ok ? 'success' : 'failed',
      plane: this.host.planeId,
      command: commandName(p.req),
      requestId,
      ...(message !== undefined ? { message } : {}),
      payload,
      latencyMs,
    });
    return true;
  }

  /** An `error` that names a request; true when it answered a pending command. */
  resolveError(requestId: string, payload: JsonObject, retryAfterMs?: number): boolean {
    const p = this.take(requestId);
    if (!p) return false;
    this.counters.errors++;
    const code = typeof payload.code === 'string' ? payload.code : 'UNKNOWN';
    const r: CommandResult = {
      status: 'error',
      plane: this.host.planeId,
      command: commandName(p.req),
      requestId,
      code,
      message: typeof payload.message === 'string' ? payload.message : '',
      recoverable: isRecoverable(code, payload.recoverable),
      suggestedAction: suggestedAction(code, payload.suggestedAction),
      latencyMs: Date.now() - p.sentAt,
    };
    if (retryAfterMs !== undefined) r.retryAfterMs = retryAfterMs;
    p.resolve(r);
    return true;
  }

  /** The server said RATE_LIMIT_EXCEEDED: hold commands back for its retryAfterMs, else a growing backoff. */
  serverRateLimited(retryAfterMs: number | undefined): number {
    const wait = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : this.serverBackoff.next();
    this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + wait);
    return wait;
  }

  /** The control session ended: sent commands can no longer be answered; unsent ones wait for the next session. */
  sessionLost(reason: string): void {
    for (const p of [...this.pending.values()]) {
      if (!p.sent) continue;
      this.take(p.requestId);
      this.counters.errors++;
      p.resolve(this.lost(p, 'CONNECTION_LOST', `the control connection was lost before a response (${reason})`, true));
    }
  }

  /** The plane cannot send any more (AUTH_REQUIRED, FAILED, closed): everything pending ends now. */
  abortAll(code: string, message: string): void {
    for (const p of [...this.pending.values()]) {
      this.take(p.requestId);
      if (p.sent) {
        this.counters.errors++;
        p.resolve(this.lost(p, code, message, code !== 'CLOSED'));
      } else {
        p.resolve(this.refuse(p.req, code, message));
      }
    }
  }

  /** The result of a sent command whose answer can no longer come. */
  private lost(p: Pending, code: string, message: string, recoverable: boolean): CommandResult {
    return {
      status: 'error',
      plane: this.host.planeId,
      command: commandName(p.req),
      requestId: p.requestId,
      code,
      message,
      recoverable,
      suggestedAction: suggestedAction(code),
    };
  }

  private take(requestId: string): Pending | undefined {
    const p = this.pending.get(requestId);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(requestId);
    return p;
  }
}
