// What raises an alert and what clears it (docs/ARCHITECTURE.md, "Alerts").
// Each rule reads the event's typed view (shared/payloads.ts) and acts on the
// plane's AlertBook:
//   agent_error    agent.state.changed to ERROR; cleared by any other state
//   agent_lost     client.agent_lost; cleared by client.agent_recovered
//   command_failed a command failed, errored or timed out; cleared by its next success
//   error          an error frame or event (the plane's, the client's, bad input);
//                  a connection's is cleared when the plane is LIVE, an agent's with its
//                  health, and any other when none came for MONITOR_ERROR_QUIET_MS
//   plane_stale    the plane (or an endpoint) went STALE; cleared when LIVE
//   plane_down     DOWN, RECONNECTING, FAILED, AUTH_REQUIRED, or CLOSED not by the
//                  operator; cleared when LIVE (or closed by the operator)
//   plane_alert    an alert system.metrics lists; cleared by a system.metrics without it

import { type AlertLevel, commandName, commandTarget, type CommandRequest, type CommandResult, type EventView, type PlaneEvent } from '../../../shared/index.js';
import type { AlertBook } from './alert-book.js';

/** Plane states that mean down (the connection engine's and the liveness rework's names). */
const DOWN_STATES = new Set(['DOWN', 'RECONNECTING', 'FAILED', 'AUTH_REQUIRED']);
const ERROR_STATE = 'ERROR';

function metricsLevel(v: string): AlertLevel {
  const l = v.toLowerCase();
  if (l === 'critical' || l === 'fatal') return 'critical';
  if (l === 'error' || l === 'high') return 'error';
  if (l === 'info' || l === 'low' || l === 'normal') return 'info';
  return 'warning';
}

export class AlertRules {
  /** The operator closed the plane: the CLOSED that follows is no outage. */
  private closedByUser = false;

  constructor(
    private readonly book: AlertBook,
    private readonly quietMs: number,
  ) {}

  userClosed(now: number): void {
    this.closedByUser = true;
    this.book.resolveWhere((a) => a.kind === 'plane_down' || a.kind === 'plane_stale', now);
  }

  event(ev: PlaneEvent, v: EventView, now: number): void {
    const b = this.book;
    switch (v.kind) {
      case 'state':
        if (v.newState.toUpperCase() === ERROR_STATE) {
          b.raise({ kind: 'agent_error', subject: v.agentId, agent: v.agentId, level: 'error', message: `${v.agentId} is in ERROR${v.reason ? `: ${v.reason}` : ''}`, repeats: true }, now);
        } else {
          b.resolve('agent_error', v.agentId, now);
          b.resolveWhere((a, _live, subject) => a.kind === 'error' && subject === v.agentId, now);
        }
        return;
      case 'agent_lost':
        b.raise({ kind: 'agent_lost', subject: v.agentId, agent: v.agentId, level: 'warning', message: `${v.agentId} stopped heartbeating`, repeats: true }, now);
        return;
      case 'agent_recovered':
        b.resolve('agent_lost', v.agentId, now);
        return;
      case 'error': {
        const agent = ev.agentId;
        const code = v.code;
        const subject = agent ?? code ?? ev.type;
        const level: AlertLevel = ev.priority === 'critical' || v.recoverable === false ? 'critical' : 'error';
        const r: Parameters<AlertBook['raise']>[0] = { kind: 'error', subject, level, message: v.message, repeats: true, clearsOnLive: ev.origin === 'client' && v.endpoint !== undefined };
        if (agent !== undefined) r.agent = agent;
        if (code !== undefined) r.code = code;
        if (v.suggestedAction !== undefined) r.suggestedAction = v.suggestedAction;
        b.raise(r, now);
        return;
      }
      case 'stale':
        b.raise({ kind: 'plane_stale', subject: '', level: 'warning', message: `no traffic${v.endpoint ? ` on ${v.endpoint}` : ''}: the plane is stale`, repeats: false }, now);
        return;
      case 'connection':
        this.connection(v.state, v.reason, v.byUser, now);
        return;
      case 'metrics': {
        const seen = new Set<string>();
        for (const a of v.alerts) {
          const subject = a.component ?? a.message;
          seen.add(subject);
          b.raise({ kind: 'plane_alert', subject, level: metricsLevel(a.level), message: a.component ? `${a.component}: ${a.message}` : a.message, repeats: true }, now);
        }
        b.resolveWhere((a, _live, subject) => a.kind === 'plane_alert' && !seen.has(subject), now);
        return;
      }
      default:
        return;
    }
  }

  private connection(state: string, reason: string | undefined, byUser: boolean, now: number): void {
    const b = this.book;
    if (state === 'LIVE') {
      this.closedByUser = false;
      b.resolveWhere((a, clearsOnLive) => a.kind === 'plane_down' || a.kind === 'plane_stale' || (a.kind === 'error' && clearsOnLive), now);
      return;
    }
    if (state === 'STALE') {
      // A stall is said twice (client.stale, then the state): one occurrence, counted once per episode.
      b.raise({ kind: 'plane_stale', subject: '', level: 'warning', message: `stale${reason ? `: ${reason}` : ''}`, repeats: false }, now);
      return;
    }
    if (state === 'CLOSED' && (byUser || this.closedByUser)) {
      b.resolveWhere((a) => a.kind === 'plane_down' || a.kind === 'plane_stale', now);
      return;
    }
    if (DOWN_STATES.has(state) || state === 'CLOSED') {
      this.closedByUser = false;
      b.raise({ kind: 'plane_down', subject: '', level: 'critical', message: `${state}${reason ? `: ${reason}` : ''}`, repeats: true }, now);
    }
  }

  /** A command's result: a failure raises (keyed by its target, else its name), a success clears. */
  command(req: CommandRequest, result: CommandResult, now: number): void {
    const target = commandTarget(req);
    const name = commandName(req);
    const subject = target ?? name;
    if (result.status === 'success') {
      this.book.resolve('command_failed', subject, now);
      return;
    }
    if (result.status === 'refused') return;
    const why = result.status === 'timeout' ? `timed out after ${Math.round(result.timeoutMs / 1000)} s` : result.status === 'error' ? `error ${result.code}: ${result.message}` : `failed${result.message ? `: ${result.message}` : ''}`;
    const r: Parameters<AlertBook['raise']>[0] = { kind: 'command_failed', subject, level: 'error', message: `${name}${target ? ` to ${target}` : ''} ${why}`, repeats: true };
    if (target !== undefined) r.agent = target;
    if (result.status === 'error') r.code = result.code;
    this.book.raise(r, now);
  }

  /** Errors not repeated for the quiet period have cleared. */
  tick(now: number): void {
    this.book.resolveWhere((a, clearsOnLive) => a.kind === 'error' && !clearsOnLive && now - a.lastAt >= this.quietMs, now);
  }
}
