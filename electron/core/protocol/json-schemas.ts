// The JSON messages' shapes: a zod schema per message type of both seeds
// (lenient on extra fields, strict on the ones the product uses), the three
// envelopes (visualisation, control plane, channel), which types go in which,
// and the shape every message is normalised into (json.ts).
//
// The schemas give a verdict; json.ts keeps the message as sent, never zod's
// copy. So objects are z.object, which accepts fields it does not name (it
// leaves them out of its copy) as z.looseObject does, but on zod's compiled
// fast path: a looseObject also copies every field it does not name, which
// made validation a third of the JSON path's cost at 10,000 messages a second.

import { z } from 'zod';
import { type PlaneEvent, PrioritySchema } from '../../../shared/index.js';

/** A message as json.ts normalises it; the plane adds seq, plane and arrival time. */
export type NormalisedEvent = Omit<PlaneEvent, 'seq' | 'plane' | 'at'>;

// ---------------------------------------------------------------- field types

const str = z.string();
const nonEmpty = z.string().min(1);
const nonneg = z.number().nonnegative();
const count = z.number().int().nonnegative();
const unit = z.number().min(0).max(1);
/** Any JSON object (not an array); its fields are not looked at. */
const openObject = z.object({});
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const Timestamp = z.string().regex(ISO_DATE_TIME, 'expected an ISO 8601 date-time');
/** An agent id on the wire: a string, or a non-negative integer (kept as its decimal string). */
export const AgentIdValue = z.union([nonEmpty, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);
const AgentRef = z.object({ id: nonEmpty, namespace: str.optional() });

// ------------------------------------------------------- visualisation payloads

const AgentStateChanged = z.object({
  agentId: nonEmpty,
  previousState: str.optional(),
  newState: nonEmpty,
  reason: str.optional(),
  metadata: openObject.optional(),
});

const AgentPerformanceUpdate = z.object({
  agentId: nonEmpty,
  metrics: z.object({
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

const AgentCapabilityUpdate = z.object({
  agentId: nonEmpty,
  action: z.enum(['add', 'remove', 'update']),
  capability: z.object({
    name: nonEmpty,
    category: str.optional(),
    level: z.number().optional(),
    description: str.optional(),
  }),
});

const MessageSent = z.object({
  messageId: str.optional(),
  from: AgentRef,
  to: z.array(AgentRef),
  messageType: str.optional(),
  priority: str.optional(),
  content: z.unknown().optional(),
  expiry: str.optional(),
});

const MessageFlowStats = z.object({
  flowId: nonEmpty,
  statistics: z.object({
    messageCount: count.optional(),
    averageLatency: nonneg.optional(),
    maxLatency: nonneg.optional(),
    minLatency: nonneg.optional(),
    successRate: unit.optional(),
    bandwidth: nonneg.optional(),
    lastActivity: str.optional(),
  }),
});

const CoordinationInitiated = z.object({
  coordinationId: nonEmpty,
  pattern: nonEmpty,
  initiator: AgentRef,
  participants: z.array(z.object({ id: nonEmpty, role: str.optional() })),
  parameters: openObject.optional(),
});

const CoordinationProgress = z.object({
  coordinationId: nonEmpty,
  pattern: str.optional(),
  progress: unit,
  status: nonEmpty,
  votes: z.record(z.string(), z.object({ vote: str, timestamp: str.optional() })).optional(),
  estimatedCompletion: str.optional(),
});

const SystemMetrics = z.object({
  activeAgents: count,
  totalAgents: count,
  systemLoad: z.object({ cpu: nonneg.optional(), memory: nonneg.optional(), gpu: nonneg.optional() }).optional(),
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
    .array(z.object({ level: nonEmpty, message: str, component: str.optional(), timestamp: str.optional() }))
    .optional(),
});

const ControlExecute = z.object({
  targetAgent: nonEmpty,
  command: nonEmpty,
  parameters: openObject.optional(),
  timeout: nonneg.optional(),
  callback: z.object({ type: nonEmpty, url: str }).optional(),
});

const MultiAgentConfigure = z.object({
  'multi-agentId': nonEmpty,
  configuration: z.object({
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
const ErrorPayload = z.object({
  code: nonEmpty,
  message: str,
  details: openObject.optional(),
  recoverable: z.boolean().optional(),
  suggestedAction: str.optional(),
});

// ------------------------------------------- session messages (bare or enveloped)

const Handshake = z.object({
  version: nonEmpty,
  capabilities: z.array(str),
  clientId: nonEmpty,
  timestamp: Timestamp.optional(),
});

const HandshakeAck = z.object({
  sessionId: nonEmpty,
  protocols: z.array(str),
  heartbeatInterval: z.number().positive(),
  compression: z.union([str, z.null()]).optional(),
  serverTime: str.optional(),
});

const CompressionNegotiate = z.object({
  algorithms: z.array(str).min(1),
  preferredLevel: z.number().int().min(0).max(11).optional(),
});

const ChannelCreate = z.object({
  channelId: nonEmpty,
  priority: PrioritySchema.optional(),
  dedicated: z.boolean().optional(),
  bufferSize: z.number().int().positive().optional(),
});

const VersionNegotiate = z.object({
  supported: z.array(nonEmpty).min(1),
  preferred: str.optional(),
  features: z.record(z.string(), z.array(str)).optional(),
});

// ------------------------------------------------------- control-plane payloads

const Command = z.object({ command: nonEmpty, parameters: openObject.optional() });
const Percent = z.union([str, z.number()]);
const StatusUpdate = z.object({
  cpu_usage: Percent,
  memory_usage: Percent,
  agent_id: AgentIdValue.optional(),
});
const Heartbeat = z.object({ agent_id: AgentIdValue.optional() });
const Response = z.object({ status: z.enum(['success', 'failed']), message: str.optional() });

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
export const VIS_TYPES = new Set([
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
export const BARE_TYPES = new Set(['handshake', 'handshake_ack', 'compression.negotiate', 'channel.create', 'version.negotiate']);

/** Control-plane types that need a request_id (the seed: all but heartbeat; its status_update example has none). */
export const CP_NEEDS_REQUEST_ID = new Set(['command', 'response', 'error']);

export const VisEnvelope = z.object({
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

export const CpEnvelope = z.object({
  type: nonEmpty,
  request_id: nonEmpty.optional(),
  timestamp: Timestamp,
  payload: openObject,
  agent_id: AgentIdValue.optional(),
});

export const ChannelEnvelope = z.object({
  channel: nonEmpty,
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  message: openObject,
});
