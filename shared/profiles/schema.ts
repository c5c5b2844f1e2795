// A connection profile and the profile file, as zod schemas. Every field has
// a message naming it, so a bad hand edit or a bad form value says which
// field is wrong. Zod only: the renderer's profile manager bundles this file.
// Tokens never appear here: `auth` says where the token lives, not what it is.

import { z } from 'zod';
import { SUPPORTED_VERSIONS } from '../protocol-names.js';
import {
  MAX_PROFILE_ARGS,
  MAX_PROFILE_NAME_CHARS,
  MAX_PROFILE_PATH_CHARS,
  MAX_PROFILE_TAG_CHARS,
  MAX_PROFILE_TAGS,
  MAX_PROFILES,
  MAX_SIM_AGENTS,
} from '../limits.js';

/** The profile file's current schema version (migrations.ts brings older files here). */
export const PROFILE_SCHEMA_VERSION = 3;

/** Where a profile's token is kept. Plain text only after an explicit, recorded choice, and flagged. */
export const SECRET_STORES = ['keychain', 'safe-storage', 'plaintext'] as const;
export type SecretStoreKind = (typeof SECRET_STORES)[number];

/** `auto` offers every algorithm the client has; `none` does not negotiate. The rest are COMPRESSION_ALGORITHMS (node-only there; a test keeps them equal). */
export const PROFILE_COMPRESSION = ['auto', 'none', 'gzip', 'deflate', 'brotli'] as const;

/** Simulator dialects a simulator profile may name (the embedded simulator's own is `swarmdeck`). */
export const SIM_DIALECT_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const msg = (field: string, what: string): { error: string } => ({ error: `${field}: ${what}` });

/** An object's own issues: not an object, or fields it does not have (named, never their values). */
const objMsg = (field: string) => ({
  error: (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' ? `${field}: unknown field${(iss.keys?.length ?? 0) === 1 ? '' : 's'} ${(iss.keys ?? []).join(', ')}` : `${field}: must be an object`,
});

const text = (field: string, max: number) =>
  z
    .string(msg(field, 'must be text'))
    .trim()
    .min(1, msg(field, 'must not be empty'))
    .max(max, msg(field, `must be at most ${max} characters`))
    .refine((s) => !CONTROL.test(s), msg(field, 'must not contain control or bidi characters'));

const wsUrl = (field: string) =>
  z.string(msg(field, 'must be a ws:// or wss:// URL')).refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.host.length > 0 && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, msg(field, 'must be a ws:// or wss:// URL with a host and no user:password'));

const ms = (field: string, min: number, max: number) =>
  z
    .number(msg(field, 'must be a number of milliseconds'))
    .int(msg(field, 'must be a whole number of milliseconds'))
    .min(min, msg(field, `must be at least ${min} ms`))
    .max(max, msg(field, `must be at most ${max} ms`));

/** An endpoint override: a path ("/v2/agents"), a full ws(s) URL, or false to disable it. */
const endpointOverride = (name: string) =>
  z
    .union([
      z.literal(false),
      z
        .string()
        .max(MAX_PROFILE_PATH_CHARS)
        .refine((s) => s.startsWith('/') || /^wss?:\/\/[^/]+/i.test(s), msg(`endpoints.${name}`, 'must be a path starting with / or a ws(s):// URL')),
    ], msg(`endpoints.${name}`, 'must be a path, a ws(s):// URL or false'))
    .optional();

export const ProfileAuthSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('none') }).strict(),
    /** The token is in a secret store under the profile's id. */
    z.object({ type: z.literal('token'), store: z.enum(SECRET_STORES, msg('auth.store', `must be one of ${SECRET_STORES.join(', ')}`)) }).strict(),
    /** A program printing a fresh token (no shell). */
    z
      .object({
        type: z.literal('command'),
        command: text('auth.command', MAX_PROFILE_PATH_CHARS),
        args: z.array(z.string(msg('auth.args', 'must be a list of text')).max(MAX_PROFILE_PATH_CHARS), msg('auth.args', 'must be a list of text')).max(MAX_PROFILE_ARGS, msg('auth.args', `at most ${MAX_PROFILE_ARGS} arguments`)).default([]),
      })
      .strict(),
  ],
  msg('auth.type', 'must be none, token or command'),
);
export type ProfileAuth = z.infer<typeof ProfileAuthSchema>;

export const ProfileSchema = z
  .object({
    id: z.string(msg('id', 'must be text')).regex(/^[A-Za-z0-9._-]{1,64}$/, msg('id', 'must be 1 to 64 letters, digits, dot, dash or underscore')),
    name: text('name', MAX_PROFILE_NAME_CHARS),
    /** Base URL of a remote plane; a simulator profile has none (the app starts the simulator and knows its URL). */
    url: wsUrl('url').optional(),
    endpoints: z
      .object({ agents: endpointOverride('agents'), graph: endpointOverride('graph'), control: endpointOverride('control') }, objMsg('endpoints'))
      .strict()
      .optional(),
    auth: ProfileAuthSchema.default({ type: 'none' }),
    tls: z
      .object(
        {
          caFile: text('tls.caFile', MAX_PROFILE_PATH_CHARS).optional(),
          /** Explicit and flagged: never a default. */
          insecureSkipVerify: z.boolean(msg('tls.insecureSkipVerify', 'must be true or false')).optional(),
        },
        objMsg('tls'),
      )
      .strict()
      .optional(),
    protocolVersion: z.enum(SUPPORTED_VERSIONS, msg('protocolVersion', `must be one of ${SUPPORTED_VERSIONS.join(', ')}`)).optional(),
    compression: z.enum(PROFILE_COMPRESSION, msg('compression', `must be one of ${PROFILE_COMPRESSION.join(', ')}`)).default('auto'),
    timing: z
      .object(
        {
          /** An agent whose heartbeats stop this long is lost. */
          heartbeatTimeoutMs: ms('timing.heartbeatTimeoutMs', 1000, 3_600_000).optional(),
          handshakeTimeoutMs: ms('timing.handshakeTimeoutMs', 100, 600_000).optional(),
          backoffMinMs: ms('timing.backoffMinMs', 10, 600_000).optional(),
          backoffMaxMs: ms('timing.backoffMaxMs', 10, 3_600_000).optional(),
        },
        objMsg('timing'),
      )
      .strict()
      .refine((t) => t.backoffMinMs === undefined || t.backoffMaxMs === undefined || t.backoffMinMs <= t.backoffMaxMs, msg('timing.backoffMaxMs', 'must not be below timing.backoffMinMs'))
      .optional(),
    simulator: z
      .object(
        {
          dialect: z.string(msg('simulator.dialect', 'must be text')).regex(SIM_DIALECT_PATTERN, msg('simulator.dialect', 'must be a lower-case name like "swarmdeck"')).default('swarmdeck'),
          agents: z.number(msg('simulator.agents', 'must be a number')).int(msg('simulator.agents', 'must be a whole number')).min(0, msg('simulator.agents', 'must be 0 or more')).max(MAX_SIM_AGENTS, msg('simulator.agents', `must be at most ${MAX_SIM_AGENTS}`)).default(200),
          rate: z.number(msg('simulator.rate', 'must be a number')).int(msg('simulator.rate', 'must be a whole number')).min(1, msg('simulator.rate', 'must be at least 1 Hz')).max(240, msg('simulator.rate', 'must be at most 240 Hz')).default(30),
          heartbeatMs: ms('simulator.heartbeatMs', 100, 3_600_000).optional(),
        },
        objMsg('simulator'),
      )
      .strict()
      .optional(),
    color: z.string(msg('color', 'must be a colour like #4cc9f0')).regex(/^#[0-9a-fA-F]{6}$/, msg('color', 'must be a colour like #4cc9f0')),
    group: text('group', MAX_PROFILE_NAME_CHARS).optional(),
    tags: z.array(text('tags', MAX_PROFILE_TAG_CHARS), msg('tags', 'must be a list of text')).max(MAX_PROFILE_TAGS, msg('tags', `at most ${MAX_PROFILE_TAGS} tags`)).default([]),
    pinned: z.boolean(msg('pinned', 'must be true or false')).default(false),
    autoConnect: z.boolean(msg('autoConnect', 'must be true or false')).default(false),
  }, objMsg('profile'))
  .strict()
  .superRefine((p, ctx) => {
    if (p.url === undefined && p.simulator === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url: is required (or make it a simulator profile)' });
    if (p.url !== undefined && p.simulator !== undefined) ctx.addIssue({ code: 'custom', path: ['simulator'], message: 'simulator: a simulator profile has no url' });
    if (p.tls?.caFile !== undefined && p.url !== undefined && !p.url.startsWith('wss:')) ctx.addIssue({ code: 'custom', path: ['tls', 'caFile'], message: 'tls.caFile: only applies to a wss:// url' });
  });
/** A profile as stored and shown (defaults filled in). */
export type Profile = z.infer<typeof ProfileSchema>;
/** A profile as given (defaults may be left out). */
export type ProfileInput = z.input<typeof ProfileSchema>;

export const ProfileSettingsSchema = z
  .object({
    /** The operator's explicit, recorded choice to keep tokens in a plain-text file where no secret store exists. */
    plaintextSecrets: z.object({ allowedAt: z.string(msg('settings.plaintextSecrets.allowedAt', 'must be a date')), by: z.string().max(64) }).strict().optional(),
  })
  .strict();
export type ProfileSettings = z.infer<typeof ProfileSettingsSchema>;

/** The whole profile file, current version. */
export const ProfileDocumentSchema = z
  .object({
    version: z.literal(PROFILE_SCHEMA_VERSION, msg('version', `must be ${PROFILE_SCHEMA_VERSION}`)),
    profiles: z.array(ProfileSchema, msg('profiles', 'must be a list')).max(MAX_PROFILES, msg('profiles', `at most ${MAX_PROFILES} profiles`)),
    settings: ProfileSettingsSchema.default({}),
  })
  .strict();
export type ProfileDocument = z.infer<typeof ProfileDocumentSchema>;

/** One line naming every bad field, e.g. `url: must be a ws:// or wss:// URL; color: must be a colour like #4cc9f0`. */
export function describeIssues(error: z.ZodError): string {
  const seen = new Set<string>();
  for (const i of error.issues) {
    const path = i.path.map(String).join('.');
    // Messages name their field; a nested or library message gets its path in front.
    const m = path && !i.message.startsWith(`${path}:`) && !/^[\w.]+: /.test(i.message) ? `${path}: ${i.message}` : i.message;
    seen.add(m);
  }
  return [...seen].join('; ');
}

/** Validates one profile; the error names every bad field. */
export function parseProfile(input: unknown): { ok: true; profile: Profile } | { ok: false; error: string } {
  const r = ProfileSchema.safeParse(input);
  return r.success ? { ok: true, profile: r.data } : { ok: false, error: describeIssues(r.error) };
}

/** Profile names compare case-insensitively and trimmed: "Prod" and "prod " are one name. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** The first-launch profile: the embedded simulator, connected on start. */
export function localSimulatorProfile(): Profile {
  return ProfileSchema.parse({
    id: 'local-simulator',
    name: 'Local simulator',
    simulator: { dialect: 'swarmdeck', agents: 200, rate: 30 },
    color: '#4cc9f0',
    tags: ['local'],
    autoConnect: true,
  });
}
