// JSON normalisation: both envelopes (visualisation {id,type,timestamp,payload,
// metadata} and control-plane {type,request_id,timestamp,payload}), the bare
// session messages (handshake_ack, version.negotiate, ...) and channel
// messages {channel, sequence, message} become one PlaneEvent shape. Every
// message is validated by the zod schema of its type (lenient on extra
// fields, strict on the ones the product uses). Invalid input becomes an
// INVALID_MESSAGE event naming the field: never a throw, never a silent drop.
// Strings are carried as data; nothing here interprets them as markup. A
// string (or key) longer than MAX_EVENT_STRING_CHARS is cut, with a marker,
// and the event says how many were (`truncated`).

import { z } from 'zod';
import { type JsonObject, MAX_EVENT_STRING_CHARS, MAX_JSON_DEPTH, type PlaneEvent, PRIORITIES, type Priority, PrioritySchema } from '../../../shared/index.js';

export { MAX_JSON_DEPTH };

export type NormalisedEvent = Omit<PlaneEvent, 'seq' | 'plane' | 'at'>;
/** Characters of the offending text kept on an INVALID_MESSAGE event. */
const EXCERPT_CHARS = 120;

// ---------------------------------------------------------------- field types

const str = z.string();
const nonEmpty = z.string().min(1);
const nonneg = z.number().nonnegative();
const count = z.number().int().nonnegative();
const unit = z.number().min(0).max(1);
const openObject = z.record(z.string(), z.unknown());
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const Timestamp = z.string().regex(ISO_DATE_TIME, 'expected an ISO 8601 date-time');
/** An agent id on the wire: a string, or a non-negative integer (kept as its decimal string). */
const AgentIdValue = z.union([nonEmpty, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);
const AgentRef = z.looseObject({ id: nonEmpty, namespace: str.optional() });

// ------------------------------------------------------- visualisation payloads

const AgentStateChanged = z.looseObject({
  agentId: nonEmpty,
  previousState: str.optional(),
  newState: nonEmpty,
  reason: str.optional(),
  metadata: openObject.optional(),
});

const AgentPerformanceUpdate = z.looseObject({
  agentId: nonEmpty,
  metrics: z.looseObject({
    tasksCompleted: count.optional(),
    successRate: unit.optional(),
    averageResponseTime: nonneg.optional(),
    resourceUtilization: nonneg.optional(),
    communicationEfficiency: nonneg.optional(),
    uptime: nonneg.optional(),
    messageQueueSize: count.optional(),
    connectionCount: count.optional(),
    memoryUsage: nonneg.optional(),
  }),
  trends: z
    .looseObject({ successRateTrend: str.optional(), responseTrend: str.optional(), loadTrend: str.optional() })
    .optional(),
});

const AgentCapabilityUpdate = z.looseObject({
  agentId: nonEmpty,
  action: z.enum(['add', 'remove', 'update']),
  capability: z.looseObject({
    name: nonEmpty,
    category: str.optional(),
    level: z.number().optional(),
    description: str.optional(),
  }),
});

const MessageSent = z.looseObject({
  messageId: str.optional(),
  from: AgentRef,
  to: z.array(AgentRef),
  messageType: str.optional(),
  priority: str.optional(),
  content: z.unknown().optional(),
  expiry: str.optional(),
});

const MessageFlowStats = z.looseObject({
  flowId: nonEmpty,
  statistics: z.looseObject({
    messageCount: count.optional(),
    averageLatency: nonneg.optional(),
    maxLatency: nonneg.optional(),
    minLatency: nonneg.optional(),
    successRate: unit.optional(),
    bandwidth: nonneg.optional(),
    lastActivity: str.optional(),
  }),
});

const CoordinationInitiated = z.looseObject({
  coordinationId: nonEmpty,
  pattern: nonEmpty,
  initiator: AgentRef,
  participants: z.array(z.looseObject({ id: nonEmpty, role: str.optional() })),
  parameters: openObject.optional(),
});

const CoordinationProgress = z.looseObject({
  coordinationId: nonEmpty,
  pattern: str.optional(),
  progress: unit,
  status: nonEmpty,
  votes: z.record(z.string(), z.looseObject({ vote: str, timestamp: str.optional() })).optional(),
  estimatedCompletion: str.optional(),
});

const SystemMetrics = z.looseObject({
  activeAgents: count,
  totalAgents: count,
  systemLoad: z.looseObject({ cpu: nonneg.optional(), memory: nonneg.optional(), gpu: nonneg.optional() }).optional(),
  messageMetrics: z
    .looseObject({
      rate: nonneg.optional(),
      queueDepth: count.optional(),
      averageLatency: nonneg.optional(),
      errorRate: nonneg.optional(),
    })
    .optional(),
  networkHealth: nonneg.optional(),
  coordinationEfficiency: nonneg.optional(),
  alerts: z
    .array(z.looseObject({ level: nonEmpty, message: str, component: str.optional(), timestamp: str.optional() }))
    .optional(),
});

const ControlExecute = z.looseObject({
  targetAgent: nonEmpty,
  command: nonEmpty,
  parameters: openObject.optional(),
  timeout: nonneg.optional(),
  callback: z.looseObject({ type: nonEmpty, url: str }).optional(),
});

const MultiAgentConfigure = z.looseObject({
  'multi-agentId': nonEmpty,
  configuration: z.looseObject({
    topology: str.optional(),
    coordinationStrategy: str.optional(),
    faultTolerance: z
      .looseObject({ enabled: z.boolean().optional(), redundancy: count.optional(), heartbeatInterval: nonneg.optional() })
      .optional(),
    performanceTargets: z
      .looseObject({ maxLatency: nonneg.optional(), minThroughput: nonneg.optional(), targetSuccessRate: unit.optional() })
      .optional(),
  }),
});

/** `error` of both seeds: the visualisation one adds details/recoverable/suggestedAction. */
const ErrorPayload = z.looseObject({
  code: nonEmpty,
  message: str,
  details: openObject.optional(),
  recoverable: z.boolean().optional(),
  suggestedAction: str.optional(),
});

// ------------------------------------------- session messages (bare or enveloped)

const Handshake = z.looseObject({
  version: nonEmpty,
  capabilities: z.array(str),
  clientId: nonEmpty,
  timestamp: Timestamp.optional(),
});

const HandshakeAck = z.looseObject({
  sessionId: nonEmpty,
  protocols: z.array(str),
  heartbeatInterval: z.number().positive(),
  compression: z.union([str, z.null()]).optional(),
  serverTime: str.optional(),
});

const CompressionNegotiate = z.looseObject({
  algorithms: z.array(str).min(1),
  preferredLevel: z.number().int().min(0).max(11).optional(),
});

const ChannelCreate = z.looseObject({
  channelId: nonEmpty,
  priority: PrioritySchema.optional(),
  dedicated: z.boolean().optional(),
  bufferSize: z.number().int().positive().optional(),
});

const VersionNegotiate = z.looseObject({
  supported: z.array(nonEmpty).min(1),
  preferred: str.optional(),
  features: z.record(z.string(), z.array(str)).optional(),
});

// ------------------------------------------------------- control-plane payloads

const Command = z.looseObject({ command: nonEmpty, parameters: openObject.optional() });
const Percent = z.union([str, z.number()]);
const StatusUpdate = z.looseObject({
  cpu_usage: Percent,
  memory_usage: Percent,
  agent_id: AgentIdValue.optional(),
});
const Heartbeat = z.looseObject({ agent_id: AgentIdValue.optional() });
const Response = z.looseObject({ status: z.enum(['success', 'failed']), message: str.optional() });

/** One schema per message type; the table docs/PROTOCOL.md lists. */
export const PAYLOAD_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'agent.state.changed': AgentStateChanged,
  'agent.performance.update': AgentPerformanceUpdate,
  'agent.capability.update': AgentCapabilityUpdate,
  'message.sent': MessageSent,
  'message.flow.stats': MessageFlowStats,
  'coordination.initiated': CoordinationInitiated,
  'coordination.progress': CoordinationProgress,
  'system.metrics': SystemMetrics,
  'control.execute': ControlExecute,
  'control.multi-agent.configure': MultiAgentConfigure,
  error: ErrorPayload,
  handshake: Handshake,
  handshake_ack: HandshakeAck,
  'compression.negotiate': CompressionNegotiate,
  'channel.create': ChannelCreate,
  'version.negotiate': VersionNegotiate,
  command: Command,
  status_update: StatusUpdate,
  heartbeat: Heartbeat,
  response: Response,
};

/** Types of visualisation-protocol.md that need the visualisation envelope (an `id`) unless bare. */
const VIS_TYPES = new Set([
  'agent.state.changed',
  'agent.performance.update',
  'agent.capability.update',
  'message.sent',
  'message.flow.stats',
  'coordination.initiated',
  'coordination.progress',
  'system.metrics',
  'control.execute',
  'control.multi-agent.configure',
]);

/** Session messages that the seed sends without an envelope: their fields sit at top level. */
const BARE_TYPES = new Set(['handshake', 'handshake_ack', 'compression.negotiate', 'channel.create', 'version.negotiate']);

/** Control-plane types that need a request_id (the seed: all but heartbeat; its status_update example has none). */
const CP_NEEDS_REQUEST_ID = new Set(['command', 'response', 'error']);

const VisEnvelope = z.looseObject({
  id: nonEmpty,
  type: nonEmpty,
  timestamp: Timestamp,
  payload: openObject,
  metadata: z
    .looseObject({
      correlationId: str.optional(),
      priority: PrioritySchema.optional(),
      ttl: nonneg.optional(),
    })
    .optional(),
  agent_id: AgentIdValue.optional(),
});

const CpEnvelope = z.looseObject({
  type: nonEmpty,
  request_id: nonEmpty.optional(),
  timestamp: Timestamp,
  payload: openObject,
  agent_id: AgentIdValue.optional(),
});

const ChannelEnvelope = z.looseObject({
  channel: nonEmpty,
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  message: openObject,
});

// ------------------------------------------------------------ status_update units

const PERCENT_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/;
const BYTES_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?i?b)\s*$/i;
const UNIT_POWER: Readonly<Record<string, number>> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/** "30%", "30 %", "30" or 30 → 30 (percent; above 100 allowed for multi-core). Null when not a non-negative number. */
export function parsePercent(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  const m = PERCENT_RE.exec(v);
  return m ? Number(m[1]) : null;
}

/**
 * "1.5GB" → 1610612736, "512MB" → 536870912: bytes, binary multiples
 * (1 KB = 1 KiB = 1024 B, as OS tools report memory). A number is already
 * bytes. A string needs a unit. Null when unparsable or negative.
 */
export function parseBytes(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : null;
  const m = BYTES_RE.exec(v);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const power = unit === 'b' ? 0 : UNIT_POWER[unit[0]!];
  if (power === undefined) return null;
  return Math.round(Number(m[1]) * 1024 ** power);
}

// --------------------------------------------------------------------- helpers

interface Issue {
  field: string;
  message: string;
}

/** The INVALID_MESSAGE event. `field` is a dotted path ("payload.agentId", "(json)", "(root)"). */
export function invalidMessage(
  field: string,
  detail: string,
  raw?: string,
  extra: { messageType?: string; id?: string; issues?: Issue[] } = {},
): NormalisedEvent {
  const payload: JsonObject = { code: 'INVALID_MESSAGE', field, message: detail, recoverable: true };
  if (extra.messageType !== undefined) payload.messageType = extra.messageType;
  if (extra.issues && extra.issues.length > 1) {
    payload.issues = extra.issues.slice(0, 8).map((i) => ({ field: i.field, message: i.message }));
  }
  if (raw !== undefined) payload.excerpt = raw.slice(0, EXCERPT_CHARS);
  const ev: NormalisedEvent = { origin: 'client', type: 'protocol.invalid_message', priority: 'normal', payload };
  if (extra.id !== undefined) ev.id = extra.id;
  return ev;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const tail = path.map((p) => String(p)).join('.');
  if (prefix === '') return tail === '' ? '(root)' : tail;
  return tail === '' ? prefix : `${prefix}.${tail}`;
}

function issuesOf(err: z.ZodError, prefix: string): Issue[] {
  return err.issues.map((i) => ({ field: joinPath(prefix, i.path), message: i.message }));
}

function invalidFromZod(err: z.ZodError, prefix: string, what: string, raw: string | undefined, obj: Record<string, unknown>): NormalisedEvent {
  const issues = issuesOf(err, prefix);
  const first = issues[0] ?? { field: prefix || '(root)', message: 'invalid' };
  return invalidMessage(first.field, `${what}: ${first.message}`, raw, { ...idsOf(obj), issues });
}

/** The message's type and id, when readable, so an INVALID_MESSAGE can say which message failed. */
function idsOf(obj: Record<string, unknown>): { messageType?: string; id?: string } {
  const r: { messageType?: string; id?: string } = {};
  if (typeof obj.type === 'string') r.messageType = obj.type.slice(0, EXCERPT_CHARS);
  const id = typeof obj.id === 'string' ? obj.id : typeof obj.request_id === 'string' ? obj.request_id : undefined;
  if (id !== undefined) r.id = id.slice(0, EXCERPT_CHARS);
  return r;
}

/**
 * Null when `v` is plain JSON no deeper than `maxDepth`, else the path of the
 * first offending value. Iterative: arbitrarily deep input cannot overflow the stack.
 */
export function jsonProblem(v: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: [unknown, string, number][] = [[v, '', 0]];
  while (stack.length > 0) {
    const [x, path, depth] = stack.pop()!;
    switch (typeof x) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(x)) return `${path || '(root)'}: not a finite number`;
        continue;
      case 'object': {
        if (x === null) continue;
        if (depth >= maxDepth) return `${path || '(root)'}: nested deeper than ${maxDepth}`;
        if (Array.isArray(x)) {
          for (let i = 0; i < x.length; i++) stack.push([x[i], path ? `${path}.${i}` : String(i), depth + 1]);
          continue;
        }
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) return `${path || '(root)'}: not a plain object`;
        for (const k of Object.keys(x)) stack.push([(x as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1]);
        continue;
      }
      default:
        return `${path || '(root)'}: not a JSON value (${typeof x})`;
    }
  }
  return null;
}

/** What replaces the cut part of a long string. */
export function truncationMarker(cutChars: number): string {
  return `…[${cutChars} more characters not kept]`;
}

function cutString(v: string, max: number): string {
  // Never split a surrogate pair: the result must stay valid UTF-16.
  let end = max;
  const c = v.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return v.slice(0, end) + truncationMarker(v.length - end);
}

/**
 * Cuts every string and key in plain JSON `v` longer than `max` (in place)
 * and returns how many it cut. Iterative, like jsonProblem; `v` must have passed it.
 */
export function truncateStrings(v: unknown, max = MAX_EVENT_STRING_CHARS): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const e: unknown = x[i];
        if (typeof e === 'string') {
          if (e.length > max) {
            x[i] = cutString(e, max);
            n++;
          }
        } else if (typeof e === 'object' && e !== null) stack.push(e);
      }
      continue;
    }
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      let key = k;
      if (k.length > max) {
        key = cutString(k, max);
        Object.defineProperty(o, key, { value: o[k], enumerable: true, writable: true, configurable: true });
        delete o[k];
        n++;
      }
      const e = o[key];
      if (typeof e === 'string') {
        if (e.length > max) {
          o[key] = cutString(e, max);
          n++;
        }
      } else if (typeof e === 'object' && e !== null) stack.push(e);
    }
  }
  return n;
}

/** A quick upper bound: no string in `text` can be longer than the text. */
const mayHaveLongStrings = (text: string | undefined): boolean => text === undefined || text.length > MAX_EVENT_STRING_CHARS;

function agentIdString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ------------------------------------------------------------------ normalise

/**
 * True when JSON `text` nests containers deeper than `max`, judged from the
 * text alone (brackets outside strings), in one pass: JSON.parse of deep
 * nesting is slow (about 9 ms for 20,000 levels) or overflows, so deep input
 * is refused before parsing. Malformed text is left to JSON.parse to reject.
 */
export function textNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses and normalises one JSON text frame. */
export function normaliseJson(text: string): NormalisedEvent {
  if (textNestsDeeperThan(text)) return invalidMessage('(root)', `nested deeper than ${MAX_JSON_DEPTH}`, text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return invalidMessage('(json)', `not JSON: ${e instanceof Error ? e.message : String(e)}`, text);
  }
  return normaliseObject(raw, text);
}

/** Normalises an already-parsed message (any value: it is checked to be plain JSON first). */
export function normaliseObject(raw: unknown, text?: string): NormalisedEvent {
  try {
    if (!isObject(raw)) return invalidMessage('(root)', 'expected a JSON object', text);
    const problem = jsonProblem(raw);
    if (problem !== null) {
      const field = problem.slice(0, problem.indexOf(':'));
      return invalidMessage(field, problem, text, idsOf(raw));
    }
    const cut = mayHaveLongStrings(text) ? truncateStrings(raw) : 0;
    const ev = normaliseChecked(raw, text, false);
    if (cut > 0) ev.truncated = cut;
    return ev;
  } catch (e) {
    // Unreachable by design; the contract is "never throws", so keep it even for our own bugs.
    return invalidMessage('(root)', `internal error: ${e instanceof Error ? e.message : String(e)}`, text);
  }
}

/** `obj` is known to be plain JSON here. */
function normaliseChecked(obj: Record<string, unknown>, text: string | undefined, inChannel: boolean): NormalisedEvent {
  if (!('type' in obj) && 'channel' in obj && 'message' in obj) return normaliseChannel(obj, text, inChannel);

  const type = obj.type;
  if (typeof type !== 'string' || type.length === 0) {
    return invalidMessage('type', type === undefined ? 'missing' : 'must be a non-empty string', text, idsOf(obj));
  }

  if (BARE_TYPES.has(type) && !('payload' in obj)) return normaliseBare(obj, type, text);

  if ('id' in obj || 'metadata' in obj || VIS_TYPES.has(type)) {
    const env = VisEnvelope.safeParse(obj);
    if (!env.success) return invalidFromZod(env.error, '', `${type} envelope`, text, obj);
    const d = env.data;
    const m = d.metadata;
    const ev: NormalisedEvent = {
      origin: 'vis',
      type,
      id: d.id,
      priority: m?.priority ?? defaultPriority(type),
      timestamp: d.timestamp,
      // The original payload, not zod's copy (which would turn a "__proto__" key into a prototype).
      payload: obj.payload as JsonObject,
    };
    if (m?.correlationId !== undefined) ev.correlationId = m.correlationId;
    if (m?.ttl !== undefined) ev.ttl = m.ttl;
    return finish(ev, obj, d.agent_id, text);
  }

  const env = CpEnvelope.safeParse(obj);
  if (!env.success) return invalidFromZod(env.error, '', `${type} envelope`, text, obj);
  const d = env.data;
  if (CP_NEEDS_REQUEST_ID.has(type) && d.request_id === undefined) {
    return invalidMessage('request_id', `required for ${type}`, text, idsOf(obj));
  }
  const ev: NormalisedEvent = { origin: 'cp', type, priority: defaultPriority(type), timestamp: d.timestamp, payload: obj.payload as JsonObject };
  if (d.request_id !== undefined) ev.id = d.request_id;
  return finish(ev, obj, d.agent_id, text);
}

function defaultPriority(type: string): Priority {
  return type === 'error' ? 'high' : 'normal';
}

function normaliseBare(obj: Record<string, unknown>, type: string, text: string | undefined): NormalisedEvent {
  const { type: _type, ...fields } = obj;
  const schema = PAYLOAD_SCHEMAS[type]!;
  const r = schema.safeParse(fields);
  if (!r.success) return invalidFromZod(r.error, '', type, text, obj);
  const ev: NormalisedEvent = { origin: 'vis', type, priority: 'normal', payload: fields as JsonObject };
  if (typeof fields.timestamp === 'string') ev.timestamp = fields.timestamp;
  return ev;
}

function normaliseChannel(obj: Record<string, unknown>, text: string | undefined, inChannel: boolean): NormalisedEvent {
  // Reported as the outer message's `message` field once the caller prefixes it.
  if (inChannel) return invalidMessage('(root)', 'channel message nested in a channel message', text);
  const env = ChannelEnvelope.safeParse(obj);
  if (!env.success) return invalidFromZod(env.error, '', 'channel message', text, obj);
  const { channel, sequence } = env.data;
  // Zod's output is a copy (and drops "__proto__" keys): keep the original object.
  const inner = normaliseChecked(obj.message as Record<string, unknown>, text, true);
  if (inner.type === 'protocol.invalid_message' && typeof inner.payload.field === 'string') {
    // Name the field from the outer message's root: "message.payload.agentId".
    const prefix = (f: string): string => (f === '(root)' ? 'message' : `message.${f}`);
    inner.payload.field = prefix(inner.payload.field);
    const issues = inner.payload.issues;
    if (Array.isArray(issues)) {
      for (const i of issues) if (isObject(i) && typeof i.field === 'string') i.field = prefix(i.field);
    }
  }
  inner.channel = channel;
  inner.sequence = sequence;
  return inner;
}

/** Payload schema, agent id, status_update units. */
function finish(ev: NormalisedEvent, obj: Record<string, unknown>, envelopeAgent: unknown, text: string | undefined): NormalisedEvent {
  const schema = PAYLOAD_SCHEMAS[ev.type];
  if (schema) {
    const r = schema.safeParse(ev.payload);
    if (!r.success) return invalidFromZod(r.error, 'payload', ev.type, text, obj);
  }
  const p = ev.payload;
  if (p.agent_id !== undefined && AgentIdValue.safeParse(p.agent_id).success === false) {
    return invalidMessage('payload.agent_id', `${ev.type}: must be a non-empty string or a non-negative integer`, text, idsOf(obj));
  }
  const agentId =
    (typeof p.agentId === 'string' ? p.agentId : undefined) ??
    (ev.type === 'control.execute' && typeof p.targetAgent === 'string' ? p.targetAgent : undefined) ??
    agentIdString(p.agent_id) ??
    agentIdString(envelopeAgent);
  if (agentId !== undefined) ev.agentId = agentId;

  if (ev.type === 'status_update') {
    const cpu = parsePercent(p.cpu_usage as string | number);
    if (cpu === null) return invalidMessage('payload.cpu_usage', `status_update: expected a percentage like "30%", got ${JSON.stringify(p.cpu_usage)}`, text, idsOf(obj));
    const mem = parseBytes(p.memory_usage as string | number);
    if (mem === null) {
      return invalidMessage('payload.memory_usage', `status_update: expected a size like "1.5GB" or "512MB", got ${JSON.stringify(p.memory_usage)}`, text, idsOf(obj));
    }
    // Originals stay as sent; the numbers sit beside them.
    ev.payload = { ...p, cpuPercent: cpu, memoryBytes: mem };
  }
  return ev;
}

/** The coordination message types a COORDINATION_EVENT frame may carry. */
const COORDINATION_TYPES = new Set(['coordination.initiated', 'coordination.progress']);

/**
 * A COORDINATION_EVENT frame's UTF-8 JSON: the same message (and envelope) as
 * the JSON coordination.initiated / coordination.progress. Origin becomes
 * "binary"; priority is the higher of the frame flags' and the envelope's.
 */
export function normaliseCoordinationFrame(text: string, framePriority = 1): NormalisedEvent {
  const ev = normaliseJson(text);
  if (ev.type === 'protocol.invalid_message') return ev;
  if (!COORDINATION_TYPES.has(ev.type)) {
    return invalidMessage('type', `COORDINATION_EVENT frame carries ${JSON.stringify(ev.type)}, expected coordination.initiated or coordination.progress`, text, {
      messageType: ev.type,
    });
  }
  ev.origin = 'binary';
  const fp = PRIORITIES[framePriority & 3]!;
  if (PRIORITIES.indexOf(fp) > PRIORITIES.indexOf(ev.priority)) ev.priority = fp;
  return ev;
}
