// The command forms' validation: what the operator typed becomes a
// CommandRequest, or a message naming what is wrong. Nothing is sent until
// this says ok (and the operator confirms).

import { type CommandRequest, CommandRequestSchema, type JsonObject } from '@shared';
import { parseParams } from './params.js';

export type Built = { ok: true; request: CommandRequest } | { ok: false; error: string };

export const CP_COMMANDS = ['restart', 'update', 'fetch_logs'] as const;
export const EXECUTE_COMMANDS = ['execute_tool', 'pause', 'resume', 'reset', 'ping'] as const;
export const TOPOLOGIES = ['HIERARCHICAL', 'MESH', 'STAR', 'RING', 'FLAT'] as const;
export const STRATEGIES = ['consensus', 'leader', 'voting', 'auction', 'round_robin'] as const;

export interface CommonFields {
  /** Seconds, as typed. */
  timeoutS: string;
}
export interface CommandFields extends CommonFields {
  kind: 'command';
  command: string;
  agent: string;
  params: string;
}
export interface ExecuteFields extends CommonFields {
  kind: 'execute';
  target: string;
  command: string;
  params: string;
}
export interface ConfigureFields extends CommonFields {
  kind: 'configure';
  multiAgentId: string;
  topology: string;
  strategy: string;
  faultTolerance: boolean;
  redundancy: string;
  heartbeatMs: string;
  maxLatencyMs: string;
  minThroughput: string;
  targetSuccessRate: string;
}
export type CommandForm = CommandFields | ExecuteFields | ConfigureFields;

function timeoutMs(s: string): number | string {
  const t = Number(s);
  if (s.trim() === '' || !Number.isFinite(t) || t <= 0 || t > 600) return 'timeout must be between 0 and 600 seconds';
  return Math.round(t * 1000);
}

function optionalNumber(label: string, s: string, check: (n: number) => boolean, rule: string): number | undefined | string {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && check(n) ? n : `${label} must be ${rule}`;
}

/** Per-command parameter rules of the control-plane standard (restart, update, fetch_logs). */
function checkCommandParams(command: string, p: JsonObject): string | null {
  if (command === 'restart' && p.delay_seconds !== undefined && (typeof p.delay_seconds !== 'number' || p.delay_seconds < 0)) return 'restart: delay_seconds must be a number >= 0';
  if (command === 'update' && (typeof p.version !== 'string' || p.version === '')) return 'update: a version parameter is needed (version=1.2.3)';
  if (command === 'fetch_logs' && p.lines !== undefined && (typeof p.lines !== 'number' || !Number.isInteger(p.lines) || p.lines <= 0)) return 'fetch_logs: lines must be a positive integer';
  return null;
}

export function buildRequest(f: CommandForm): Built {
  const t = timeoutMs(f.timeoutS);
  if (typeof t === 'string') return { ok: false, error: t };
  let request: CommandRequest;
  if (f.kind === 'command' || f.kind === 'execute') {
    const name = f.command.trim();
    if (!name) return { ok: false, error: 'a command name is needed' };
    const p = parseParams(f.params);
    if (!p.ok) return { ok: false, error: p.error };
    if (f.kind === 'command') {
      const bad = checkCommandParams(name, p.value);
      if (bad) return { ok: false, error: bad };
      request = { kind: 'command', command: name, parameters: p.value, timeoutMs: t };
      if (f.agent.trim()) request.agentId = f.agent.trim();
    } else {
      if (!f.target.trim()) return { ok: false, error: 'a target agent is needed' };
      request = { kind: 'execute', targetAgent: f.target.trim(), command: name, parameters: p.value, timeoutMs: t };
    }
  } else {
    if (!f.multiAgentId.trim()) return { ok: false, error: 'a multi-agent id is needed' };
    if (!(TOPOLOGIES as readonly string[]).includes(f.topology)) return { ok: false, error: `topology must be one of ${TOPOLOGIES.join(', ')}` };
    const redundancy = optionalNumber('redundancy', f.redundancy, (n) => Number.isInteger(n) && n >= 0 && n <= 100, 'an integer from 0 to 100');
    const heartbeat = optionalNumber('heartbeat interval', f.heartbeatMs, (n) => n >= 100 && n <= 600_000, 'between 100 and 600000 ms');
    const maxLatency = optionalNumber('max latency', f.maxLatencyMs, (n) => n > 0, 'a positive number of ms');
    const minThroughput = optionalNumber('min throughput', f.minThroughput, (n) => n >= 0, 'a number >= 0');
    const success = optionalNumber('target success rate', f.targetSuccessRate, (n) => n >= 0 && n <= 1, 'between 0 and 1');
    for (const v of [redundancy, heartbeat, maxLatency, minThroughput, success]) if (typeof v === 'string') return { ok: false, error: v };
    const faultTolerance: JsonObject = { enabled: f.faultTolerance };
    if (typeof redundancy === 'number') faultTolerance.redundancy = redundancy;
    if (typeof heartbeat === 'number') faultTolerance.heartbeatInterval = heartbeat;
    const targets: JsonObject = {};
    if (typeof maxLatency === 'number') targets.maxLatency = maxLatency;
    if (typeof minThroughput === 'number') targets.minThroughput = minThroughput;
    if (typeof success === 'number') targets.targetSuccessRate = success;
    const configuration: JsonObject = { topology: f.topology, faultTolerance, performanceTargets: targets };
    if (f.strategy.trim()) configuration.coordinationStrategy = f.strategy.trim();
    request = { kind: 'configure', multiAgentId: f.multiAgentId.trim(), configuration, timeoutMs: t };
  }
  // The contract's own schema has the last word (lengths, shapes).
  const checked = CommandRequestSchema.safeParse(request);
  if (!checked.success) return { ok: false, error: `${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, request: checked.data };
}

/** What the confirmation asks, in words. */
export function describeRequest(plane: string, r: CommandRequest): string {
  if (r.kind === 'command') return `${r.command} ${r.agentId ? `to ${r.agentId}` : 'to the control plane'} on ${plane}`;
  if (r.kind === 'execute') return `control.execute ${r.command} on ${r.targetAgent} (${plane})`;
  return `control.multi-agent.configure ${r.multiAgentId} on ${plane}`;
}

/** fetch_logs output: the lines of a result payload, if it carries any. */
export function logLines(payload: JsonObject): string[] | null {
  const inner = payload.result;
  const logs = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner.logs : payload.logs;
  if (Array.isArray(logs)) return logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
  if (typeof logs === 'string') return logs.split('\n');
  return null;
}
