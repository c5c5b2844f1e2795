// The simulator's command responder: control-plane `command` (restart,
// update, fetch_logs), visualisation `control.execute` and
// `control.multi-agent.configure`, answered in the shape of the seed each came
// from, with the command faults (delay, no answer, rate limit, fail) applied.
// docs/PROTOCOL.md, "Simulator".

import { agentLabel, agentNumber } from '../../../shared/index.js';
import type { Scenario } from './scenario.js';
import type { SimOutput, SimSession } from './session.js';

type Answer = { ok: boolean; message?: string; result?: Record<string, unknown> } | { error: [code: string, message: string, details?: Record<string, unknown>] };

const CONTROL_EXECUTE_COMMANDS = new Set(['execute_tool', 'pause', 'resume', 'reset', 'ping']);
const TOPOLOGIES = new Set(['HIERARCHICAL', 'MESH', 'STAR', 'RING', 'FLAT']);

export class CommandResponder {
  constructor(
    private readonly sim: SimOutput,
    private readonly scenario: Pick<Scenario, 'broadcastState'>,
  ) {}

  onCommand(s: SimSession, m: Record<string, unknown>): void {
    this.sim.stats.commands++;
    const cp = m.type === 'command';
    const requestId = cp ? (typeof m.request_id === 'string' ? m.request_id : undefined) : typeof m.id === 'string' ? m.id : undefined;
    if (requestId === undefined) return this.sim.sendJson(s, this.sim.visError('INVALID_MESSAGE', cp ? 'command needs a request_id' : `${String(m.type)} needs an id`));
    const payload = (typeof m.payload === 'object' && m.payload !== null ? m.payload : {}) as Record<string, unknown>;
    if (this.sim.faults.commandRateLimit > 0 && !this.takeCommandToken(s)) {
      this.sim.stats.rateLimited++;
      const retryAfterMs = Math.ceil(1000 / this.sim.faults.commandRateLimit);
      return this.reply(s, cp, requestId, { error: ['RATE_LIMIT_EXCEEDED', `more than ${this.sim.faults.commandRateLimit} commands per second`, { retryAfterMs }] }, 0);
    }
    if (this.sim.faults.commandNoAnswer) return;
    const answer = cp ? this.runCommand(payload, m.agent_id ?? payload.agent_id) : m.type === 'control.execute' ? this.runExecute(payload) : this.runConfigure(payload);
    if (this.sim.faults.failCommands && 'ok' in answer && answer.ok) this.reply(s, cp, requestId, { ok: false, message: 'simulated failure (fault fail-commands)' }, this.sim.faults.commandDelayMs);
    else this.reply(s, cp, requestId, answer, this.sim.faults.commandDelayMs);
  }

  private takeCommandToken(s: SimSession): boolean {
    const rate = this.sim.faults.commandRateLimit;
    const now = performance.now();
    s.commandTokens = Math.min(rate, s.commandTokens + ((now - s.commandTokensAt) / 1000) * rate);
    s.commandTokensAt = now;
    if (s.commandTokens < 1) return false;
    s.commandTokens -= 1;
    return true;
  }

  private agentIndex(id: unknown): number {
    const n = typeof id === 'string' ? agentNumber(id) : typeof id === 'number' ? id : null;
    return n === null ? -1 : this.sim.world.indexOf(n);
  }

  /** restart / update / fetch_logs; unknown → INVALID_COMMAND (the control-plane seed). */
  private runCommand(p: Record<string, unknown>, agent: unknown): Answer {
    const params = (typeof p.parameters === 'object' && p.parameters !== null ? p.parameters : {}) as Record<string, unknown>;
    const command = typeof p.command === 'string' ? p.command : '';
    let i = -1;
    if (agent !== undefined) {
      i = this.agentIndex(agent);
      if (i < 0) return { error: ['AGENT_NOT_FOUND', `Agent with ID '${String(agent)}' not found`] };
    }
    const who = i >= 0 ? agentLabel(this.sim.world.ids[i]!) : 'the control plane';
    switch (command) {
      case 'restart': {
        const delay = params.delay_seconds;
        if (delay !== undefined && (typeof delay !== 'number' || delay < 0)) return { ok: false, message: 'restart: parameters.delay_seconds must be a number >= 0' };
        if (i >= 0) this.scenario.broadcastState([this.sim.world.setState(i, 1)], 'restart');
        return { ok: true, message: `restarting ${who}${typeof delay === 'number' ? ` in ${delay} s` : ''}` };
      }
      case 'update': {
        const version = params.version;
        if (typeof version !== 'string' || version.length === 0) return { ok: false, message: 'update: parameters.version (a string) is required' };
        return { ok: true, message: `updating ${who} to ${version}`, result: { version } };
      }
      case 'fetch_logs': {
        const lines = typeof params.lines === 'number' && params.lines > 0 ? Math.min(200, Math.floor(params.lines)) : 10;
        const logs: string[] = [];
        for (let k = 0; k < lines; k++) logs.push(`${this.sim.iso()} ${who} [info] simulated log line ${k + 1}`);
        return { ok: true, message: `${lines} log lines of ${who}`, result: { logs } };
      }
      default:
        return { error: ['INVALID_COMMAND', `The command '${command}' is not recognized.`] };
    }
  }

  private runExecute(p: Record<string, unknown>): Answer {
    const i = this.agentIndex(p.targetAgent);
    if (i < 0) return { error: ['AGENT_NOT_FOUND', `Agent with ID '${String(p.targetAgent)}' not found`] };
    const command = typeof p.command === 'string' ? p.command : '';
    if (!CONTROL_EXECUTE_COMMANDS.has(command)) return { error: ['INVALID_COMMAND', `The command '${command}' is not recognized.`] };
    if (command === 'pause') this.scenario.broadcastState([this.sim.world.setState(i, 3)], 'paused by operator');
    if (command === 'resume') this.scenario.broadcastState([this.sim.world.setState(i, 0)], 'resumed by operator');
    return { ok: true, message: `${command} on ${agentLabel(this.sim.world.ids[i]!)}`, result: { command } };
  }

  private runConfigure(p: Record<string, unknown>): Answer {
    const id = p['multi-agentId'];
    const conf = p.configuration;
    if (typeof id !== 'string' || typeof conf !== 'object' || conf === null) return { error: ['INVALID_MESSAGE', 'needs multi-agentId and configuration'] };
    const topology = (conf as Record<string, unknown>).topology;
    if (topology !== undefined && (typeof topology !== 'string' || !TOPOLOGIES.has(topology))) {
      return { ok: false, message: `unsupported topology ${JSON.stringify(topology)} (one of ${[...TOPOLOGIES].join(', ')})` };
    }
    return { ok: true, message: `configuration of ${id} applied`, result: { 'multi-agentId': id } };
  }

  /**
   * Control-plane `command` → control-plane `response`/`error` with request_id.
   * Visualisation control.* → visualisation `response`/`error` with
   * metadata.correlationId (and details.requestId on errors).
   */
  private reply(s: SimSession, cp: boolean, requestId: string, a: Answer, delayMs: number): void {
    let msg: object;
    if ('error' in a) {
      const [code, message, details] = a.error;
      if (cp) {
        msg = { type: 'error', request_id: requestId, timestamp: this.sim.iso(), payload: { code, message, ...(details ? { details } : {}) } };
      } else {
        msg = this.sim.visError(code, message, { requestId, ...(details ? { details } : {}) });
      }
    } else {
      const payload: Record<string, unknown> = { status: a.ok ? 'success' : 'failed' };
      if (a.message !== undefined) payload.message = a.message;
      if (a.result !== undefined) payload.result = a.result;
      msg = cp
        ? { type: 'response', request_id: requestId, timestamp: this.sim.iso(), payload }
        : { id: this.sim.nextId(), type: 'response', timestamp: this.sim.iso(), payload, metadata: { correlationId: requestId } };
    }
    if (delayMs > 0) this.sim.later(() => this.sim.sendJson(s, msg), delayMs);
    else this.sim.sendJson(s, msg);
  }
}
