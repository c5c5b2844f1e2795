// Each event type rendered readably: a one-line summary, and for figures
// (flow stats, metrics, errors) label/value pairs the row shows as columns.
// What the product reads of a payload comes from its one reader (readEvent);
// the rest of a payload is only shown. Plain strings only; the row renders
// them as text nodes.

import { ERROR_TYPES, type JsonObject, type JsonValue, METRIC_FIELDS, type PlaneEvent, readEvent } from '@shared';
import { fmt, pct } from '../../ui/format.js';
import { clientSentence } from './client-text.js';

export type EventLevel = 'error' | 'warn' | 'info' | 'debug';
export const LEVELS: readonly EventLevel[] = ['error', 'warn', 'info', 'debug'];

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: JsonValue | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

export function isErrorEvent(ev: PlaneEvent): boolean {
  if (ERROR_TYPES.has(ev.type) || ev.type.startsWith('protocol.') || ev.type === 'client.auth_required') return true;
  const v = readEvent(ev);
  return v.kind === 'state' && v.newState.toUpperCase() === 'ERROR';
}

export function eventLevel(ev: PlaneEvent): EventLevel {
  if (isErrorEvent(ev)) return 'error';
  if (ev.type === 'heartbeat' || ev.type === 'status_update') return 'debug';
  if (ev.priority === 'critical' || ev.priority === 'high' || ev.type === 'client.stale' || ev.type === 'client.agent_lost') return 'warn';
  return 'info';
}

export interface EventView {
  summary: string;
  figures?: [label: string, value: string][];
}

const metric = (v: readonly number[], key: (typeof METRIC_FIELDS)[number]['key']): number | undefined => {
  const x = v[METRIC_FIELDS.findIndex((f) => f.key === key)];
  return x !== undefined && Number.isFinite(x) ? x : undefined;
};
/** A percentage (0..100) as pct() shows a fraction. */
const fraction = (x: number | undefined): number | undefined => (x === undefined ? undefined : x / 100);

export function eventView(ev: PlaneEvent): EventView {
  const p = ev.payload;
  const v = readEvent(ev);
  switch (v.kind) {
    case 'state':
      return { summary: `${v.agentId} ${v.previousState || '?'} → ${v.newState}${v.reason ? ` (${v.reason})` : ''}` };
    case 'message': {
      const extra = [v.messageType, v.priority].filter(Boolean).join(' · ');
      return { summary: `${v.from.id} → ${v.to.map((t) => t.id).join(', ') || '?'}${extra ? ` · ${extra}` : ''}` };
    }
    case 'flow': {
      const s = v.statistics;
      return {
        summary: `flow ${v.flowId}`,
        figures: [
          ['count', fmt(s.messageCount, 0)],
          ['avg', `${fmt(s.averageLatency)} ms`],
          ['min', `${fmt(s.minLatency, 0)} ms`],
          ['max', `${fmt(s.maxLatency, 0)} ms`],
          ['success', pct(s.successRate, 1)],
          ['bandwidth', fmt(s.bandwidth, 2)],
        ],
      };
    }
    case 'metrics': {
      const alerts = v.alerts.length;
      const m = v.values;
      return {
        summary: `${fmt(metric(m, 'activeAgents'), 0)}/${fmt(metric(m, 'totalAgents'), 0)} agents active${alerts ? ` · ${alerts} alert${alerts > 1 ? 's' : ''}` : ''}`,
        figures: [
          ['cpu', pct(fraction(metric(m, 'cpu')))],
          ['mem', pct(fraction(metric(m, 'memory')))],
          ['gpu', pct(fraction(metric(m, 'gpu')))],
          ['rate', `${fmt(metric(m, 'messageRate'), 0)}/s`],
          ['queue', fmt(metric(m, 'queueDepth'), 0)],
          ['latency', `${fmt(metric(m, 'latency'))} ms`],
          ['errors', pct(fraction(metric(m, 'errorRate')), 2)],
          ['health', pct(fraction(metric(m, 'networkHealth')))],
        ],
      };
    }
    case 'coordination': {
      if (v.phase === 'initiated') return { summary: `${v.coordinationId} ${v.pattern ?? ''} by ${v.initiator ?? '?'} · ${v.participants?.length ?? 0} participants` };
      const votes = v.votes ?? [];
      const yes = votes.filter((x) => x.vote === 'approve').length;
      const no = votes.filter((x) => x.vote === 'reject').length;
      return { summary: `${v.coordinationId} ${v.status ?? v.suffix} ${pct(v.progress)} · ${yes} approve, ${no} reject${v.result ? ` → ${v.result}` : ''}` };
    }
    case 'connection':
      return { summary: `${v.state}${v.reason ? `: ${v.reason}` : ''}` };
    case 'error':
      if (ev.type !== 'protocol.error') {
        const figures: [string, string][] = [['code', v.code ?? '?']];
        if (v.recoverable !== undefined) figures.push(['recoverable', v.recoverable ? 'yes' : 'no']);
        if (v.suggestedAction) figures.push(['action', v.suggestedAction]);
        return { summary: `${v.message}${v.field ? ` (field ${v.field})` : ''}`, figures };
      }
      break;
    case 'capability':
      return { summary: `${v.agentId} ${v.action} ${v.name}${obj(p.capability).level !== undefined ? ` (level ${str(obj(p.capability).level)})` : ''}` };
    default:
      break;
  }
  switch (ev.type) {
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
    case 'response':
      return { summary: `${str(p.status)}${p.message ? `: ${str(p.message)}` : ''}` };
    case 'heartbeat':
    case 'status_update':
      return { summary: str(p.agent_id) || str(ev.agentId) || 'server' };
    default: {
      const sentence = ev.type.startsWith('client.') ? clientSentence(ev.type, p) : null;
      if (sentence !== null) return { summary: sentence };
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
