// The typed views of the event payloads the product uses, and their one
// reader. An event's payload is whatever JSON object a plane sent (json.ts
// checked the wire shape); readEvent() reads the fields the console shows or
// acts on into one typed value, once per event object (cached), so the core's
// session state, the CLI and the page never read payload fields themselves.
// Liberal: only the fields a view needs are required; a payload that does not
// have them reads as `other` (it is still logged).

import { z } from 'zod';
import type { JsonObject, JsonValue, PlaneEvent } from './events.js';

const ref = z.object({ id: z.string().min(1), namespace: z.string().optional() });
export type AgentRefView = z.infer<typeof ref>;
const finite = z.number().finite();
const optNum = finite.optional().catch(undefined);
const optStr = z.string().optional().catch(undefined);

const MessageSchema = z.object({
  from: ref,
  to: z.array(ref.nullable().catch(null)).catch([]),
  messageType: optStr,
  priority: optStr,
  status: optStr,
  success: z.boolean().optional().catch(undefined),
  error: z.unknown().optional(),
});

/** message.flow.stats `statistics`: every figure may be missing; one that is not a finite number reads as missing. */
export interface FlowStatsView {
  messageCount?: number;
  averageLatency?: number;
  maxLatency?: number;
  minLatency?: number;
  successRate?: number;
  bandwidth?: number;
  lastActivity?: string;
}
const FLOW_FIGURES = ['messageCount', 'averageLatency', 'maxLatency', 'minLatency', 'successRate', 'bandwidth'] as const;

/** Read by hand, not by a schema: the hottest event type (thousands a second), and every field is optional. */
function readFlowStats(s: JsonObject): FlowStatsView {
  const out: FlowStatsView = {};
  for (const k of FLOW_FIGURES) {
    const v = s[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  if (typeof s.lastActivity === 'string') out.lastActivity = s.lastActivity;
  return out;
}
/** message.flow.stats as the product reads it. */
export interface FlowStatsPayload {
  flowId: string;
  statistics: FlowStatsView;
}

const vote = z.union([z.object({ vote: z.string(), timestamp: optStr }), z.string()]);
const CoordinationSchema = z.object({
  coordinationId: z.string().min(1),
  pattern: optStr,
  initiator: z.union([ref, z.string()]).optional().catch(undefined),
  participants: z
    .array(z.union([z.object({ id: z.string().min(1), role: optStr }), z.string().min(1)]).nullable().catch(null))
    .optional()
    .catch(undefined),
  parameters: z.object({ consensusThreshold: optNum, timeout: optNum }).optional().catch(undefined),
  consensusThreshold: optNum,
  threshold: optNum,
  timeout: optNum,
  progress: optNum,
  status: optStr,
  result: optStr,
  outcome: optStr,
  votes: z.record(z.string(), vote.nullable().catch(null)).optional().catch(undefined),
});

const ErrorSchema = z.object({
  code: optStr,
  message: optStr,
  reason: optStr,
  field: optStr,
  recoverable: z.boolean().optional().catch(undefined),
  suggestedAction: optStr,
  endpoint: optStr,
});

const MetricsAlertSchema = z.object({ level: z.string().catch('warning'), message: z.string().catch('alert'), component: optStr });
const MetricsSchema = z.object({ alerts: z.array(MetricsAlertSchema.nullable().catch(null)).optional().catch(undefined) });

/** The series a system.metrics payload gives, in this order (the Metrics panel's charts, the core's series). */
export const METRIC_FIELDS = [
  { key: 'activeAgents', label: 'active agents', unit: '' },
  { key: 'totalAgents', label: 'total agents', unit: '' },
  { key: 'cpu', label: 'cpu load', unit: '%' },
  { key: 'memory', label: 'memory load', unit: '%' },
  { key: 'gpu', label: 'gpu load', unit: '%' },
  { key: 'messageRate', label: 'message rate', unit: '/s' },
  { key: 'queueDepth', label: 'queue depth', unit: '' },
  { key: 'latency', label: 'latency', unit: 'ms' },
  { key: 'errorRate', label: 'error rate', unit: '%' },
  { key: 'networkHealth', label: 'network health', unit: '%' },
  { key: 'coordinationEfficiency', label: 'coordination efficiency', unit: '%' },
] as const;
export type MetricKey = (typeof METRIC_FIELDS)[number]['key'];

const num = (v: JsonValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
/** Fractions 0..1 on the wire, shown as percentages. */
const pct = (v: JsonValue | undefined): number => num(v) * 100;
const obj = (v: JsonValue | undefined): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

/** A system.metrics payload's values in METRIC_FIELDS order (NaN for a missing one). */
function metricValues(p: JsonObject): number[] {
  const load = obj(p.systemLoad);
  const m = obj(p.messageMetrics);
  return [
    num(p.activeAgents),
    num(p.totalAgents),
    pct(load.cpu),
    pct(load.memory),
    pct(load.gpu),
    num(m.rate),
    num(m.queueDepth),
    num(m.averageLatency),
    pct(m.errorRate),
    pct(p.networkHealth),
    pct(p.coordinationEfficiency),
  ];
}

export interface CoordinationView {
  kind: 'coordination';
  /** initiated, progress, or the round's end (coordination.completed / .failed / .timeout / …). */
  phase: 'initiated' | 'progress' | 'end';
  /** The type's suffix (`completed`, `failed`, …). */
  suffix: string;
  coordinationId: string;
  pattern?: string;
  initiator?: string;
  participants?: { id: string; role: string }[];
  votes?: { voter: string; vote: string; at?: string }[];
  threshold?: number;
  timeoutMs?: number;
  progress?: number;
  status?: string;
  result?: string;
}

/** What an event says, for the parts of the product that act on it. */
export type EventView =
  | { kind: 'state'; agentId: string; previousState?: string; newState: string; reason?: string }
  | { kind: 'message'; from: AgentRefView; to: AgentRefView[]; messageType?: string; priority?: string; failed: boolean }
  | ({ kind: 'flow' } & FlowStatsPayload)
  | CoordinationView
  | { kind: 'metrics'; values: number[]; alerts: { level: string; message: string; component?: string }[] }
  | { kind: 'error'; code?: string; message: string; field?: string; recoverable?: boolean; suggestedAction?: string; endpoint?: string }
  | { kind: 'agent_lost' | 'agent_recovered'; agentId: string }
  | { kind: 'connection'; state: string; previous?: string; reason?: string; byUser: boolean }
  | { kind: 'stale'; endpoint?: string }
  | { kind: 'note'; code?: string; message: string }
  | { kind: 'capability'; agentId: string; action: string; name: string }
  | { kind: 'other' };

/** An agent and the namespace an event names it in (registration, metadata): the graph groups by it. */
export interface NamespaceHint {
  agentId: string;
  namespace: string;
}

/** Types that are errors: the plane's, the client's own, and bad input. */
export const ERROR_TYPES: ReadonlySet<string> = new Set(['error', 'client.error', 'protocol.error', 'protocol.invalid_message']);
const MESSAGE_TYPES = new Set(['message.sent', 'message.failed', 'message.dropped', 'message.expired']);
const FAILED_STATUS = /fail|error|drop|timeout|reject|expired/i;

function withoutUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function readCoordination(ev: PlaneEvent, p: JsonObject): EventView {
  const r = CoordinationSchema.safeParse(p);
  if (!r.success) return { kind: 'other' };
  const d = r.data;
  const suffix = ev.type.slice('coordination.'.length);
  const phase = suffix === 'initiated' ? 'initiated' : suffix === 'progress' ? 'progress' : 'end';
  const v: CoordinationView = { kind: 'coordination', phase, suffix, coordinationId: d.coordinationId };
  if (d.pattern !== undefined) v.pattern = d.pattern;
  const initiator = typeof d.initiator === 'string' ? d.initiator : d.initiator?.id;
  if (initiator !== undefined) v.initiator = initiator;
  if (d.participants) v.participants = d.participants.flatMap((x) => (x === null ? [] : typeof x === 'string' ? [{ id: x, role: 'participant' }] : [{ id: x.id, role: x.role ?? 'participant' }]));
  if (d.votes) {
    v.votes = Object.entries(d.votes).flatMap(([voter, x]) => {
      if (x === null) return [];
      if (typeof x === 'string') return [{ voter, vote: x }];
      return [x.timestamp === undefined ? { voter, vote: x.vote } : { voter, vote: x.vote, at: x.timestamp }];
    });
  }
  const threshold = d.parameters?.consensusThreshold ?? d.consensusThreshold ?? d.threshold;
  if (threshold !== undefined) v.threshold = threshold;
  const timeout = d.parameters?.timeout ?? d.timeout;
  if (timeout !== undefined) v.timeoutMs = timeout;
  if (d.progress !== undefined) v.progress = d.progress;
  if (d.status !== undefined) v.status = d.status;
  const result = d.result ?? d.outcome;
  if (result !== undefined) v.result = result;
  return v;
}

function read(ev: PlaneEvent): EventView {
  const p = ev.payload;
  const t = ev.type;
  if (t === 'agent.state.changed') {
    const agentId = typeof p.agentId === 'string' ? p.agentId : ev.agentId;
    if (agentId === undefined || typeof p.newState !== 'string') return { kind: 'other' };
    return withoutUndefined({ kind: 'state', agentId, newState: p.newState, previousState: typeof p.previousState === 'string' ? p.previousState : undefined, reason: typeof p.reason === 'string' ? p.reason : undefined });
  }
  if (MESSAGE_TYPES.has(t)) {
    const r = MessageSchema.safeParse(p);
    if (!r.success) return { kind: 'other' };
    const m = r.data;
    const failed = t !== 'message.sent' || m.success === false || m.error !== undefined || (m.status !== undefined && FAILED_STATUS.test(m.status));
    return withoutUndefined({ kind: 'message', from: m.from, to: m.to.filter((x): x is AgentRefView => x !== null), messageType: m.messageType, priority: m.priority, failed });
  }
  if (t === 'message.flow.stats') {
    if (typeof p.flowId !== 'string' || p.flowId === '') return { kind: 'other' };
    return { kind: 'flow', flowId: p.flowId, statistics: readFlowStats(obj(p.statistics)) };
  }
  if (t.startsWith('coordination.')) return readCoordination(ev, p);
  if (t === 'system.metrics') {
    const m = MetricsSchema.safeParse(p);
    const alerts = m.success ? (m.data.alerts ?? []).filter((a) => a !== null).map((a) => withoutUndefined({ ...a })) : [];
    return { kind: 'metrics', values: metricValues(p), alerts };
  }
  if (ERROR_TYPES.has(t)) {
    const e = ErrorSchema.safeParse(p);
    const d = e.success ? e.data : {};
    return withoutUndefined({ kind: 'error', code: d.code, message: d.message ?? d.reason ?? 'error', field: d.field, recoverable: d.recoverable, suggestedAction: d.suggestedAction, endpoint: d.endpoint });
  }
  if (t === 'client.agent_lost' || t === 'client.agent_recovered') {
    if (typeof p.agentId !== 'string') return { kind: 'other' };
    return { kind: t === 'client.agent_lost' ? 'agent_lost' : 'agent_recovered', agentId: p.agentId };
  }
  if (t === 'client.connection') {
    if (typeof p.state !== 'string') return { kind: 'other' };
    return withoutUndefined({
      kind: 'connection',
      state: p.state,
      previous: typeof p.previous === 'string' ? p.previous : undefined,
      reason: typeof p.reason === 'string' ? p.reason : undefined,
      byUser: p.byUser === true,
    });
  }
  if (t === 'client.stale') return withoutUndefined({ kind: 'stale', endpoint: typeof p.endpoint === 'string' ? p.endpoint : undefined });
  if (t === 'client.conformance' || t === 'client.warning' || t === 'client.auth_required') {
    const code = typeof p.code === 'string' ? p.code : undefined;
    const message = typeof p.message === 'string' ? p.message : typeof p.reason === 'string' ? p.reason : t.slice('client.'.length);
    return withoutUndefined({ kind: 'note', code, message });
  }
  if (t === 'agent.capability.update' && ev.agentId !== undefined) {
    return { kind: 'capability', agentId: ev.agentId, action: typeof p.action === 'string' ? p.action : 'update', name: typeof obj(p.capability).name === 'string' ? (obj(p.capability).name as string) : '?' };
  }
  return { kind: 'other' };
}

const views = new WeakMap<PlaneEvent, EventView>();

/** What `ev` says, read once per event object (later calls return the same value). */
export function readEvent(ev: PlaneEvent): EventView {
  let v = views.get(ev);
  if (v === undefined) {
    v = read(ev);
    views.set(ev, v);
  }
  return v;
}

/** The agent and namespace an event names (`namespace` or `metadata.namespace` beside `agentId`), if any. */
export function namespaceHint(ev: PlaneEvent): NamespaceHint | null {
  const p = ev.payload;
  if (typeof p.agentId !== 'string') return null;
  const ns = typeof p.namespace === 'string' ? p.namespace : obj(p.metadata).namespace;
  return typeof ns === 'string' ? { agentId: p.agentId, namespace: ns } : null;
}

/** The agent an event is about: its agentId, else a message's sender. */
export function eventAgent(ev: PlaneEvent): string | undefined {
  if (ev.agentId !== undefined) return ev.agentId;
  const v = readEvent(ev);
  return v.kind === 'message' ? v.from.id : undefined;
}
