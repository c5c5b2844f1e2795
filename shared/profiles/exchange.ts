// Import and export of profiles as JSON, shared by the store (CLI, hosts) and
// the profile manager panel. An export never carries a token: a profile whose
// token is in a secret store is exported with auth "none" and listed under
// `tokensOmitted`, so whoever imports it knows to add one. An import accepts
// an export, a profile file of any version, a list of profiles or one profile;
// tokens found in it are never imported. Zod only: the renderer bundles it.

import { MAX_PROFILE_FILE_BYTES, MAX_PROFILES } from '../limits.js';
import { migrate } from './migrations.js';
import { PROFILE_SCHEMA_VERSION, ProfileSchema, describeIssues, nameKey, type Profile } from './schema.js';

export const EXPORT_FORMAT = 'swarmdeck.profiles';

export interface ProfileExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  profiles: Profile[];
  /** Names of profiles whose token stayed behind in the secret store. */
  tokensOmitted: string[];
}

/** A profile with nothing secret or machine-bound: a stored token becomes auth "none". */
export function sanitiseForExport(p: Profile): Profile {
  const out: Profile = structuredClone(p);
  if (out.auth.type === 'token') out.auth = { type: 'none' };
  return out;
}

export function exportProfiles(profiles: readonly Profile[], now: Date = new Date()): ProfileExport {
  return {
    format: EXPORT_FORMAT,
    version: PROFILE_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    profiles: profiles.map(sanitiseForExport),
    tokensOmitted: profiles.filter((p) => p.auth.type === 'token').map((p) => p.name),
  };
}

export interface ImportResult {
  /** Valid profiles, sanitised (no token, auth "token" turned to "none"). */
  profiles: Profile[];
  /** Entries refused, each with the fields that are wrong. */
  errors: { index: number; name?: string; error: string }[];
  /** Tokens that were in the file and were dropped, by profile name. */
  tokensDropped: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses import text; throws only when it is not JSON or not profiles at all (with a plain message). */
export function parseImport(text: string): ImportResult {
  if (text.length > MAX_PROFILE_FILE_BYTES) throw new Error(`the import is larger than ${MAX_PROFILE_FILE_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`the import is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // An export or a profile file of any version, a bare list, or one profile.
  let doc: unknown = raw;
  if (Array.isArray(raw)) doc = { version: PROFILE_SCHEMA_VERSION, profiles: raw };
  else if (isObject(raw) && raw.format === EXPORT_FORMAT) doc = { version: raw.version, profiles: raw.profiles };
  else if (isObject(raw) && !('profiles' in raw) && 'name' in raw) doc = { version: PROFILE_SCHEMA_VERSION, profiles: [raw] };
  // Tokens (inline in a version-1 file, or hand-written) are dropped here, before anything else sees them.
  const tokensDropped: string[] = [];
  if (isObject(doc) && Array.isArray(doc.profiles)) {
    doc = {
      ...doc,
      profiles: doc.profiles.map((p: unknown) => {
        if (!isObject(p) || !('token' in p)) return p;
        const { token, ...rest } = p;
        if (typeof token === 'string' && token) tokensDropped.push(typeof p.name === 'string' ? p.name : '?');
        return rest;
      }),
    };
  }
  const migrated = migrate(doc);
  if (!migrated || !isObject(migrated.doc) || !Array.isArray(migrated.doc.profiles)) throw new Error('the import holds no profiles (expected an export, a profile file or a list of profiles)');
  const list: unknown[] = migrated.doc.profiles;
  if (list.length > MAX_PROFILES) throw new Error(`the import has ${list.length} profiles, more than ${MAX_PROFILES}`);
  const result: ImportResult = { profiles: [], errors: [], tokensDropped };
  list.forEach((entry, index) => {
    const r = ProfileSchema.safeParse(entry);
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    if (r.success) result.profiles.push(sanitiseForExport(r.data));
    else result.errors.push({ index, ...(name !== undefined ? { name } : {}), error: describeIssues(r.error) });
  });
  return result;
}

/** A name not yet taken: "Prod", then "Prod (2)", "Prod (3)", ... */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const keys = new Set([...taken].map(nameKey));
  if (!keys.has(nameKey(name))) return name;
  const base = name.replace(/ \(\d+\)$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})`;
    if (!keys.has(nameKey(candidate))) return candidate;
  }
}

/** An id for a new profile: its name as a slug plus a random suffix, not yet taken. */
export function newProfileId(name: string, taken: ReadonlySet<string>, random: () => string = () => Math.random().toString(16).slice(2, 8)): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'profile';
  for (;;) {
    const id = `${base}-${random()}`;
    if (!taken.has(id)) return id;
  }
}
