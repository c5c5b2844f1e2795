// Payloads of the events the graph draws, validated where the scene reads
// them (an event's payload is any JSON object a plane sent). Liberal: only the
// fields drawn are required, numbers may be missing.

import { z } from 'zod';

const num = z.number().finite();
const ref = z.object({ id: z.string().max(256), namespace: z.string().max(256).optional() });

export const FlowStatsPayloadSchema = z.object({
  flowId: z.string().min(3).max(1024),
  statistics: z
    .object({
      messageCount: num.nonnegative().optional(),
      averageLatency: num.optional(),
      maxLatency: num.optional(),
      minLatency: num.optional(),
      successRate: num.optional(),
      bandwidth: num.optional(),
      lastActivity: z.string().optional(),
    })
    .default({}),
});
export type FlowStatsPayload = z.infer<typeof FlowStatsPayloadSchema>;

/** message.sent (and message.failed / message.dropped): who to whom, and how it looks. */
export const MessagePayloadSchema = z.object({
  from: ref,
  to: z.array(ref).max(4096),
  messageType: z.string().max(64).optional(),
  priority: z.string().max(32).optional(),
  status: z.string().max(64).optional(),
  success: z.boolean().optional(),
  error: z.unknown().optional(),
});
export type MessagePayload = z.infer<typeof MessagePayloadSchema>;

export const CoordinationInitiatedSchema = z.object({
  coordinationId: z.string().max(256),
  pattern: z.string().max(64).optional(),
  initiator: ref.optional(),
  participants: z.array(z.object({ id: z.string().max(256), role: z.string().max(64).optional() })).default([]),
});

const vote = z.union([z.object({ vote: z.string().max(64) }).passthrough(), z.string().max(64)]);
export const CoordinationProgressSchema = z.object({
  coordinationId: z.string().max(256),
  status: z.string().max(64).optional(),
  progress: num.optional(),
  result: z.string().max(256).optional(),
  votes: z.record(z.string().max(256), vote).optional(),
});

/** coordination.completed / .failed / .timeout, should a plane send one. */
export const CoordinationEndSchema = z.object({
  coordinationId: z.string().max(256),
  result: z.string().max(256).optional(),
  status: z.string().max(64).optional(),
});

export const AgentRefPayloadSchema = z.object({ agentId: z.string().max(256) });

/** Any event naming an agent and its namespace (registration, metadata): the namespace groups it. */
export const NamespaceHintSchema = z.object({
  agentId: z.string().max(256),
  namespace: z.string().max(256).optional(),
  metadata: z.object({ namespace: z.string().max(256).optional() }).passthrough().optional(),
});

/** A failed message: the plane said so, by event type or by the payload. */
export function messageFailed(type: string, m: MessagePayload): boolean {
  if (type === 'message.failed' || type === 'message.dropped' || type === 'message.expired') return true;
  if (m.success === false || m.error !== undefined) return true;
  return m.status !== undefined && /fail|error|drop|timeout|reject|expired/i.test(m.status);
}
