// JSON normalisation: both envelopes (visualisation {id,type,timestamp,payload,
// metadata} and control-plane {type,request_id,timestamp,payload}), the bare
// session messages (handshake_ack, version.negotiate, ...) and channel
// messages {channel, sequence, message} become one PlaneEvent shape. Every
// message is validated by the zod schema of its type (lenient on extra
// fields, strict on the ones the product uses). Invalid input becomes an
// INVALID_MESSAGE event naming the field: never a throw, never a silent drop.
// Strings are carried as data; nothing here interprets them as markup. A
// string (or key) longer than MAX_EVENT_STRING_CHARS is cut, with a marker,
// and the event says how many were (`truncated`). The parts: json-schemas.ts
// (shapes), json-shape.ts (depth), string-bounds.ts (cutting),
// invalid-message.ts (reports), units.ts (status_update's values).

import { type JsonObject, MAX_JSON_DEPTH, PRIORITIES, type Priority } from '../../../shared/index.js';
import { idsOf, invalidFromZod, invalidMessage } from './invalid-message.js';
import {
  AgentIdValue,
  BARE_TYPES,
  ChannelEnvelope,
  CP_NEEDS_REQUEST_ID,
  CpEnvelope,
  type NormalisedEvent,
  PAYLOAD_SCHEMAS,
  VIS_TYPES,
  VisEnvelope,
} from './json-schemas.js';
import { jsonProblem, textNestsDeeperThan } from './json-shape.js';
import { excerpt, mayHaveLongStrings, truncateStrings } from './string-bounds.js';
import { parseBytes, parsePercent } from './units.js';

export { MAX_JSON_DEPTH };
export type { NormalisedEvent };

function agentIdString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ------------------------------------------------------------------ normalise

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
      const field = excerpt(problem, Math.max(0, problem.indexOf(':')));
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
