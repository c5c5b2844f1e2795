// Requests about the open planes: inspect an agent, send a command, connect
// or disconnect a plane, search the agents.

import { z } from 'zod';
import { JsonObjectSchema } from '../events.js';
import { MAX_SEARCH_RESULTS, MAX_TOKEN_BYTES } from '../limits.js';
import { CommandRequestSchema, ConnectionStateSchema } from '../model.js';

export const InspectRequestSchema = z.object({
  plane: z.string().max(200),
  id: z.number().int().min(0).max(0xffffffff),
});
export type InspectRequest = z.infer<typeof InspectRequestSchema>;

/** Everything the core knows about one agent: the store's arrays at its slot plus the maps beside them. */
export const AgentDetailSchema = z.object({
  plane: z.string(),
  id: z.number().int().nonnegative(),
  /** Wire state code, or 256 (STATE_UNKNOWN). */
  state: z.number().int().nonnegative(),
  stateName: z.string(),
  pos: z.tuple([z.number(), z.number(), z.number()]),
  vel: z.tuple([z.number(), z.number(), z.number()]),
  metrics: z.object({ cpu: z.number(), mem: z.number(), tasks: z.number(), successRate: z.number(), avgMs: z.number() }),
  /** ms since the last update that named the agent. */
  lastSeenAgoMs: z.number(),
  meta: JsonObjectSchema.nullable(),
  capabilities: z.array(JsonObjectSchema),
  history: z.array(z.object({ at: z.number(), from: z.string(), to: z.string(), reason: z.string().optional() })),
});
export type AgentDetail = z.infer<typeof AgentDetailSchema>;


/** A command addressed to one plane: what crosses IPC. */
export const PlaneCommandSchema = z.object({ plane: z.string().max(200), request: CommandRequestSchema });
export type PlaneCommand = z.infer<typeof PlaneCommandSchema>;


/** Connection control of one plane from the Connections panel. */
export const PlaneActionSchema = z.object({ plane: z.string().max(200), action: z.enum(['connect', 'disconnect', 'reconnect']) });
export type PlaneAction = z.infer<typeof PlaneActionSchema>;
export const PlaneActionResultSchema = z.object({
  plane: z.string(),
  ok: z.boolean(),
  /** The plane's state right after the action (it then moves on as frames show). */
  state: ConnectionStateSchema.optional(),
  message: z.string().optional(),
});
export type PlaneActionResult = z.infer<typeof PlaneActionResultSchema>;

/**
 * A token typed for a plane that refused one (401 / AUTH_FAILED), for the plane's own URL only.
 * Kept in the OS keychain when the plane is a saved profile, else for this session; the plane
 * reconnects with it. No reply carries a token.
 */
export const PlaneTokenSchema = z.object({ plane: z.string().max(200), token: z.string().min(1).max(MAX_TOKEN_BYTES) });
export type PlaneToken = z.infer<typeof PlaneTokenSchema>;
export const PlaneTokenResultSchema = PlaneActionResultSchema.extend({
  /** Where the token is kept: the profile's secret store, or this session only. */
  kept: z.enum(['profile', 'session']).optional(),
});
export type PlaneTokenResult = z.infer<typeof PlaneTokenResultSchema>;

/** Agent search: every given field must match (case-insensitive substrings; `state` exact). */
export const SearchRequestSchema = z.object({
  /** Matches the agent's id (e.g. "agent-007", "7") or its metadata name. */
  text: z.string().max(200).optional(),
  namespace: z.string().max(200).optional(),
  state: z.string().max(40).optional(),
  capability: z.string().max(200).optional(),
  /** The plane's id, or a prefix of its id or shown name (case-insensitive). */
  plane: z.string().max(200).optional(),
  limit: z.number().int().positive().max(MAX_SEARCH_RESULTS).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;
export const SearchMatchSchema = z.object({
  plane: z.string(),
  id: z.number().int().nonnegative(),
  label: z.string(),
  stateName: z.string(),
  namespace: z.string().optional(),
  name: z.string().optional(),
});
export type SearchMatch = z.infer<typeof SearchMatchSchema>;
export const SearchResultSchema = z.object({
  matches: z.array(SearchMatchSchema).max(MAX_SEARCH_RESULTS),
  /** Agents that matched, including those past the limit. */
  total: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;
