// Forward migrations of the profile file, one step per schema version. Each
// step takes the parsed JSON of version n and returns version n + 1; it is
// liberal (a malformed entry passes through unchanged, and validation after
// the last step reports it by field). Version history:
//   1  (no "version" field) {profiles: [{name, url, token?, tokenCommand?: "cmd args", color?: 0xRRGGBB, insecure?, ca?}]}
//   2  {version: 2, profiles: [{id, name, url, color: "#rrggbb", tls?, tokenCommand?: "cmd args", secret?: store, folder?}]}
//      tokens left the file: v1's inline tokens are handed to the secret store
//   3  {version: 3, profiles: [Profile], settings}: auth as a tagged union, group, tags, pinned, autoConnect
// Zod-free on purpose: it runs before validation, on anything.

import { PROFILE_SCHEMA_VERSION } from './schema.js';

type Json = Record<string, unknown>;

export interface MigrationOutcome {
  /** The document at the current version, not yet validated. */
  doc: unknown;
  /** The version the file had. */
  from: number;
  /** Tokens found inline in an old file, by profile id: the store moves them into a secret store and they never reach the file again. */
  extractedTokens: Map<string, string>;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapProfiles(doc: Json, f: (p: Json, i: number) => Json): unknown[] {
  const list = Array.isArray(doc.profiles) ? doc.profiles : [];
  return list.map((p: unknown, i) => (isObject(p) ? f(p, i) : p));
}

function slug(name: unknown, i: number): string {
  const base = typeof name === 'string' ? name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) : '';
  return `${base || 'profile'}-${i + 1}`;
}

function hexColor(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffff) return `#${v.toString(16).padStart(6, '0')}`;
  return v ?? '#4cc9f0';
}

/** MIGRATIONS[n] turns version n into version n + 1. */
export const MIGRATIONS: Readonly<Record<number, (doc: Json, extracted: Map<string, string>) => Json>> = {
  1: (doc, extracted) => ({
    version: 2,
    profiles: mapProfiles(doc, (p, i) => {
      const { token, color, insecure, ca, id, ...rest } = p;
      const out: Json = { ...rest, id: typeof id === 'string' ? id : slug(p.name, i), color: hexColor(color) };
      if (insecure === true || typeof ca === 'string') out.tls = { ...(typeof ca === 'string' ? { caFile: ca } : {}), ...(insecure === true ? { insecureSkipVerify: true } : {}) };
      if (typeof token === 'string' && token.length > 0) extracted.set(out.id as string, token);
      return out;
    }),
  }),
  2: (doc) => ({
    version: 3,
    settings: {},
    profiles: mapProfiles(doc, (p) => {
      const { secret, tokenCommand, folder, ...rest } = p;
      const out: Json = { ...rest, tags: [], pinned: false, autoConnect: false };
      if (typeof tokenCommand === 'string' && tokenCommand.trim()) {
        const [command, ...args] = tokenCommand.trim().split(/\s+/);
        out.auth = { type: 'command', command, args };
      } else if (typeof secret === 'string') out.auth = { type: 'token', store: secret };
      else out.auth = { type: 'none' };
      if (typeof folder === 'string' && folder.trim()) out.group = folder;
      return out;
    }),
  }),
};

/** The version a parsed file claims: no field is version 1. NaN when it is not a document at all. */
export function versionOf(raw: unknown): number {
  if (!isObject(raw)) return NaN;
  if (raw.version === undefined) return 1;
  return typeof raw.version === 'number' && Number.isInteger(raw.version) && raw.version >= 1 ? raw.version : NaN;
}

/**
 * Brings a parsed file to the current version. Returns null for a file from a
 * newer Swarmdeck (the store then leaves it untouched) or one that is not a
 * profile document.
 */
export function migrate(raw: unknown): MigrationOutcome | null {
  const from = versionOf(raw);
  if (!Number.isFinite(from) || from > PROFILE_SCHEMA_VERSION) return null;
  const extractedTokens = new Map<string, string>();
  let doc = raw as Json;
  for (let v = from; v < PROFILE_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`profile file: no migration from version ${v}`);
    doc = step(doc, extractedTokens);
  }
  return { doc, from, extractedTokens };
}
