// Each event type rendered readably: a one-line summary, and for figures
// (flow stats, metrics, errors) label/value pairs the row shows as columns.
// Plain strings only; the row renders them as text nodes.

import type { JsonObject, JsonValue, PlaneEvent } from '@shared';
import { fmt, pct } from '../../ui/format.js';

export type EventLevel = 'error' | 'warn' | 'info' | 'debug';
export const LEVELS: readonly EventLevel[] = ['error', 'warn', 'info', 'debug'];

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: JsonValue | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});
const idOf = (v: JsonValue | undefined): string => str(obj(v).id) || '?';

export function isErrorEvent(ev: PlaneEvent): boolean {
  return ev.type === 'error' || ev.type === 'client.error' || ev.type.startsWith('protocol.') || ev.type === 'client.auth_required' || (ev.type === 'agent.state.changed' && str(ev.payload.newState).toUpperCase() === 'ERROR');
}

export function eventLevel(ev: PlaneEvent): EventLevel {
  if (isErrorEvent(ev)) return 'error';
  if (ev.type === 'heartbeat' || ev.type === 'status_update') return 'debug';
  if (ev.priority === 'critical' || ev.priority === 'high' || ev.type === 'client.stale' || ev.type === 'client.agent_lost') return 'warn';
  return 'info';
}

/** The agent an event is about, for the agent filter and click-to-select. */
export function eventAgent(ev: PlaneEvent): string | undefined {
  if (ev.agentId !== undefined) return ev.agentId;
  if (ev.type === 'message.sent') return idOf(ev.payload.from);
  return undefined;
}

export interface EventView {
  summary: string;
  figures?: [label: string, value: string][];
}

export function eventView(ev: PlaneEvent): EventView {
  const p = ev.payload;
  switch (ev.type) {
    case 'agent.state.changed':
      return { summary: `${str(p.agentId)} ${str(p.previousState) || '?'} → ${str(p.newState)}${p.reason ? ` (${str(p.reason)})` : ''}` };
    case 'message.sent': {
      const to = Array.isArray(p.to) ? p.to.map(idOf).join(', ') : '?';
      const extra = [str(p.messageType), str(p.priority)].filter(Boolean).join(' · ');
      return { summary: `${idOf(p.from)} → ${to}${extra ? ` · ${extra}` : ''}` };
    }
    case 'message.flow.stats': {
      const s = obj(p.statistics);
      return {
        summary: `flow ${str(p.flowId)}`,
        figures: [
          ['count', fmt(num(s.messageCount), 0)],
          ['avg', `${fmt(num(s.averageLatency))} ms`],
          ['min', `${fmt(num(s.minLatency), 0)} ms`],
          ['max', `${fmt(num(s.maxLatency), 0)} ms`],
          ['success', pct(num(s.successRate), 1)],
          ['bandwidth', fmt(num(s.bandwidth), 2)],
        ],
      };
    }
    case 'system.metrics': {
      const load = obj(p.systemLoad);
      const m = obj(p.messageMetrics);
      const alerts = Array.isArray(p.alerts) ? p.alerts.length : 0;
      return {
        summary: `${fmt(num(p.activeAgents), 0)}/${fmt(num(p.totalAgents), 0)} agents active${alerts ? ` · ${alerts} alert${alerts > 1 ? 's' : ''}` : ''}`,
        figures: [
          ['cpu', pct(num(load.cpu))],
          ['mem', pct(num(load.memory))],
          ['gpu', pct(num(load.gpu))],
          ['rate', `${fmt(num(m.rate), 0)}/s`],
          ['queue', fmt(num(m.queueDepth), 0)],
          ['latency', `${fmt(num(m.averageLatency))} ms`],
          ['errors', pct(num(m.errorRate), 2)],
          ['health', pct(num(p.networkHealth))],
        ],
      };
    }
    case 'error':
    case 'client.error':
    case 'protocol.invalid_message': {
      const figures: [string, string][] = [['code', str(p.code) || '?']];
      if (typeof p.recoverable === 'boolean') figures.push(['recoverable', p.recoverable ? 'yes' : 'no']);
      if (p.suggestedAction) figures.push(['action', str(p.suggestedAction)]);
      return { summary: `${str(p.message) || str(p.reason)}${p.field ? ` (field ${str(p.field)})` : ''}`, figures };
    }
    case 'protocol.error':
      return { summary: `${str(p.frameType)} @${str(p.offset)}: ${str(p.reason)}` };
    case 'agent.performance.update': {
      const m = obj(p.metrics);
      return {
        summary: str(p.agentId),
        figures: [
          ['tasks', fmt(num(m.tasksCompleted), 0)],
          ['ok', pct(num(m.successRate), 1)],
          ['resp', `${fmt(num(m.averageResponseTime), 0)} ms`],
          ['cpu', pct(num(m.resourceUtilization))],
          ['queue', fmt(num(m.messageQueueSize), 0)],
        ],
      };
    }
    case 'agent.capability.update': {
      const c = obj(p.capability);
      return { summary: `${str(p.agentId)} ${str(p.action) || 'update'} ${str(c.name)}${c.level !== undefined ? ` (level ${str(c.level)})` : ''}` };
    }
    case 'coordination.initiated': {
      const n = Array.isArray(p.participants) ? p.participants.length : 0;
      return { summary: `${str(p.coordinationId)} ${str(p.pattern)} by ${idOf(p.initiator)} · ${n} participants` };
    }
    case 'coordination.progress': {
      const votes = Object.values(obj(p.votes)).map((v) => str(obj(v).vote));
      const yes = votes.filter((v) => v === 'approve').length;
      const no = votes.filter((v) => v === 'reject').length;
      return { summary: `${str(p.coordinationId)} ${str(p.status)} ${pct(num(p.progress))} · ${yes} approve, ${no} reject${p.result ? ` → ${str(p.result)}` : ''}` };
    }
    case 'client.connection':
      return { summary: `${str(p.state)}${p.reason ? `: ${str(p.reason)}` : ''}` };
    case 'response':
      return { summary: `${str(p.status)}${p.message ? `: ${str(p.message)}` : ''}` };
    case 'heartbeat':
    case 'status_update':
      return { summary: str(p.agent_id) || str(ev.agentId) || 'server' };
    default: {
      const s = JSON.stringify(p);
      return { summary: s.length > 200 ? `${s.slice(0, 197)}...` : s };
    }
  }
}

/** One line of text: summary then figures (the free-text filter matches this). */
export function eventText(ev: PlaneEvent): string {
  const v = eventView(ev);
  return v.figures ? `${v.summary} ${v.figures.map(([k, x]) => `${k} ${x}`).join(' ')}` : v.summary;
}
