// The profile manager's requests. A token travels only renderer → core (in
// `save`); no reply carries one.

import { z } from 'zod';
import { MAX_PROFILE_CONNECT, MAX_PROFILE_PROBE_REPORT_CHARS, MAX_PROFILES, MAX_TOKEN_BYTES } from '../limits.js';
import { ProfileSchema, SECRET_STORES } from '../profiles/schema.js';

/** A saved profile by id. */
export const ProfileRefSchema = z.object({ id: ProfileSchema.shape.id });
export type ProfileRef = z.infer<typeof ProfileRefSchema>;
/** Where a token saved now is kept; store null: nowhere (reason says why). */
export const SecretStatusSchema = z.object({ store: z.enum(SECRET_STORES).nullable(), label: z.string(), reason: z.string().optional() });
export const ProfilesStateSchema = z.object({
  profiles: z.array(ProfileSchema).max(MAX_PROFILES),
  secretStore: SecretStatusSchema,
  /** What opening the profile file found (corrupt file moved aside, migration, read-only), to show the operator. */
  notices: z.array(z.string()).max(64),
  /** Simulators started by profiles and running, against MAX_RUNNING_SIMULATORS (a further one is refused). */
  simulators: z.object({ running: z.number().int().nonnegative(), max: z.number().int().positive() }),
});
export type ProfilesState = z.infer<typeof ProfilesStateSchema>;
/**
 * One change to the saved profiles. A token travels only renderer → core, in
 * `save`; no reply carries one. `purge` ends an undo: the token of a deleted
 * profile is removed (refused while a profile with that id exists).
 */
export const ProfileActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('save'), profile: ProfileSchema, token: z.string().min(1).max(MAX_TOKEN_BYTES).optional() }),
  z.object({ action: z.literal('delete'), id: ProfileSchema.shape.id }),
  z.object({ action: z.literal('restore'), profile: ProfileSchema }),
  z.object({ action: z.literal('purge'), profile: ProfileSchema }),
  z.object({ action: z.literal('import'), profiles: z.array(ProfileSchema).max(MAX_PROFILES) }),
  z.object({ action: z.literal('allowPlaintext') }),
]);
export type ProfileAction = z.input<typeof ProfileActionSchema>;
export const ProfileConnectSchema = z.object({ ids: z.array(ProfileSchema.shape.id).min(1).max(MAX_PROFILE_CONNECT) });
export type ProfileConnect = z.infer<typeof ProfileConnectSchema>;
export const ProfileConnectResultSchema = z.object({
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().optional() })).max(MAX_PROFILE_CONNECT),
});
export type ProfileConnectResult = z.infer<typeof ProfileConnectResultSchema>;
export const ProfileTestResultSchema = z.object({ id: z.string(), exitCode: z.number().int(), report: z.string().max(MAX_PROFILE_PROBE_REPORT_CHARS) });
export type ProfileTestResult = z.infer<typeof ProfileTestResultSchema>;
