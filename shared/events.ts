// The one internal event type. Every JSON message (either envelope), every
// non-position binary frame, and the client's own session events become a
// PlaneEvent; this is what the store applies and what crosses IPC.

import { z } from 'zod';
import { PRIORITIES } from './protocol-names.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);
export type JsonObject = z.infer<typeof JsonObjectSchema>;

export const PrioritySchema = z.enum(PRIORITIES);

/**
 * `type` is the wire type for protocol messages (`agent.state.changed`,
 * `status_update`, ...) and a `client.*` / `protocol.*` name for events the
 * client makes itself (`protocol.error`, `client.connection`).
 */
export const PlaneEventSchema = z.object({
  /** Per-plane sequence number assigned on receipt: total order of events. */
  seq: z.number().int().nonnegative(),
  plane: z.string(),
  /** Local receive time, ms since epoch. */
  at: z.number(),
  /** Which envelope it came in: visualisation JSON, control-plane JSON, a binary frame, or the client itself. */
  origin: z.enum(['vis', 'cp', 'binary', 'client']),
  type: z.string(),
  /** Message id (visualisation `id`) or control-plane `request_id`. */
  id: z.string().optional(),
  correlationId: z.string().optional(),
  priority: PrioritySchema,
  agentId: z.string().optional(),
  timestamp: z.string().optional(),
  /** metadata.ttl of the visualisation envelope: ms the message stays relevant after `timestamp`. */
  ttl: z.number().nonnegative().optional(),
  /** Multiplexed channel message `{channel, sequence, message}`: the channel and its sequence number. */
  channel: z.string().optional(),
  sequence: z.number().int().nonnegative().optional(),
  /** Strings of this message cut to MAX_EVENT_STRING_CHARS (shared/limits.ts). */
  truncated: z.number().int().positive().optional(),
  payload: JsonObjectSchema,
});
export type PlaneEvent = z.infer<typeof PlaneEventSchema>;

/**
 * JSON agent id to the binary u32 id: the decimal N, or "agent-" then N
 * (leading zeros allowed) name binary agent N, so "agent-007", "agent-7" and
 * "7" are all binary agent 7. Others ("agent-x", "-1", > 2^32-1) have no binary twin.
 */
export function agentNumber(id: string): number | null {
  const m = /^(?:agent-)?0*(\d{1,10})$/.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 0xffffffff ? n : null;
}

/** The JSON id the simulator uses for binary agent N. */
export function agentLabel(n: number): string {
  return `agent-${String(n).padStart(3, '0')}`;
}
