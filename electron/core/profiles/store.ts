// The profile store: profiles.json in the config directory, and tokens in a
// secret backend (never in the file). Plain Node with an injected directory,
// file writer and secret backend, so both hosts and the CLI share it and the
// tests run it here.
//
// Durability: every write is atomic (JsonFile) and validated first; after it,
// profiles.last-good.json holds the same valid document. On open, a file that
// is not JSON, not a profile document, or holds invalid entries is moved aside
// (profiles.corrupt-<time>.json) and reported, and nothing valid is lost: its
// valid profiles are kept, an invalid one is replaced by its last-good
// version, and when nothing in it is valid the last-good copy is used. Older
// schema versions migrate forward (migrations.ts), keeping a copy of the old
// file; a file from a newer version is read and never written. The first
// launch creates the "Local simulator" profile. Each change re-reads the file
// first, so the CLI and a running app editing the same file lose nothing.

import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeIssues,
  exportProfiles,
  localSimulatorProfile,
  MAX_CORRUPT_COPIES,
  MAX_PROFILE_FILE_BYTES,
  MAX_PROFILES,
  MAX_TOKEN_BYTES,
  migrate,
  nameKey,
  newProfileId,
  parseImport,
  type Profile,
  PROFILE_SCHEMA_VERSION,
  type ProfileDocument,
  ProfileDocumentSchema,
  type ProfileExport,
  type ProfileInput,
  ProfileSchema,
  ProfileSettingsSchema,
  type SecretStoreKind,
  uniqueName,
  versionOf,
} from '../../../shared/index.js';
import { FileTooLargeError, type JsonFile, type JsonFileFactory, readTextBounded } from './json-file.js';
import { PlaintextSecretBackend } from './secret-file.js';
import type { SecretBackend } from './secrets.js';

export const PROFILE_FILE = 'profiles';
export const LAST_GOOD_FILE = 'profiles.last-good';

export interface ProfileStoreOptions {
  dir: string;
  /** The host's secret store: the OS keychain (browser mode, CLI) or safeStorage (Electron); null where there is none. */
  secrets: SecretBackend | null;
  /** How JSON files are written: conf (default, loaded on first open) or electron-store. */
  files?: JsonFileFactory;
  now?: () => Date;
}

/** What opening (or re-reading) the file found and did; the hosts show it, the CLI prints it. */
export interface LoadReport {
  /** First launch: the file was created with the "Local simulator" profile. */
  created: boolean;
  /** The file was missing and the last-good copy was restored. */
  restoredFromLastGood: boolean;
  /** Set when the file had an older schema version (a copy of it is kept at `migrationBackup`). */
  migratedFrom?: number;
  migrationBackup?: string;
  /** Set when the file was corrupt and moved aside. */
  corrupt?: {
    reason: string;
    movedTo: string;
    /** Invalid entries, with the fields that are wrong. */
    invalid: { index: number; name?: string; error: string }[];
    /** Profiles taken from the last-good copy instead. */
    fromLastGood: string[];
  };
  /** Tokens found inline in an old file and moved into the secret store, by profile name. */
  tokensMoved: string[];
  /** Tokens found inline that could not be kept (no secret store): the profile is there, its token is not. */
  tokensDropped: string[];
  /** Set when the file is from a newer Swarmdeck: profiles are readable, changes are refused. */
  readOnly?: string;
}

export class ProfileError extends Error {}
/** No secret store: the token was not kept. The message offers the alternatives. */
export class NoSecretStoreError extends ProfileError {}

const emptyDoc = (): ProfileDocument => ({ version: PROFILE_SCHEMA_VERSION, profiles: [], settings: {} });

export class ProfileStore {
  readonly dir: string;
  private readonly file: JsonFile;
  private readonly lastGood: JsonFile;
  private readonly plaintext: PlaintextSecretBackend;
  private readonly now: () => Date;
  private readonly files: JsonFileFactory;
  private doc: ProfileDocument = emptyDoc();
  private pendingTokens = new Map<string, string>();
  private readOnlyReason: string | undefined;
  /** What opening found (and any later re-read that had to recover or migrate). */
  report!: LoadReport;

  private constructor(
    private readonly opts: ProfileStoreOptions,
    files: JsonFileFactory,
  ) {
    this.dir = opts.dir;
    this.files = files;
    this.file = files(opts.dir, PROFILE_FILE);
    this.lastGood = files(opts.dir, LAST_GOOD_FILE);
    this.plaintext = new PlaintextSecretBackend(opts.dir, files);
    this.now = opts.now ?? (() => new Date());
  }

  /** Opens (and if need be creates, migrates or recovers) the store in `opts.dir`. */
  static async open(opts: ProfileStoreOptions): Promise<ProfileStore> {
    const s = new ProfileStore(opts, opts.files ?? (await import('./conf-file.js')).confJsonFile);
    s.report = await s.sync();
    return s;
  }

  get path(): string {
    return this.file.path;
  }

  list(): Profile[] {
    return this.doc.profiles.map((p) => structuredClone(p));
  }

  /** By id, else by name (case-insensitive). */
  get(nameOrId: string): Profile | undefined {
    const p = this.doc.profiles.find((x) => x.id === nameOrId) ?? this.doc.profiles.find((x) => nameKey(x.name) === nameKey(nameOrId));
    return p ? structuredClone(p) : undefined;
  }

  /** The recorded choice to keep tokens in plain text, if made. */
  plaintextAllowed(): boolean {
    return this.doc.settings.plaintextSecrets !== undefined;
  }

  /** What happens to a token saved now: where it goes, or why it cannot be kept. */
  async secretStatus(): Promise<{ store: SecretStoreKind | null; label: string; reason?: string }> {
    const why = this.opts.secrets ? await this.opts.secrets.unavailableReason() : 'no secret store is configured';
    if (this.opts.secrets && why === null) return { store: this.opts.secrets.kind, label: this.opts.secrets.label };
    if (this.plaintextAllowed()) return { store: 'plaintext', label: this.plaintext.label, reason: why ?? undefined };
    return { store: null, label: 'none', reason: why ?? undefined };
  }

  /** Records the operator's explicit choice to keep tokens in plain text where no secret store exists. */
  async allowPlaintext(by: string): Promise<void> {
    await this.mutate((doc) => {
      doc.settings.plaintextSecrets = { allowedAt: this.now().toISOString(), by: by.slice(0, 64) };
    });
  }

  /** Adds a profile; an id is made when none is given; a taken name is refused. */
  async add(input: Omit<ProfileInput, 'id'> & { id?: string }, token?: string): Promise<Profile> {
    let added!: Profile;
    await this.mutate((doc) => {
      if (doc.profiles.length >= MAX_PROFILES) throw new ProfileError(`there are already ${MAX_PROFILES} profiles`);
      const id = input.id ?? newProfileId(String(input.name ?? ''), new Set(doc.profiles.map((p) => p.id)));
      const r = ProfileSchema.safeParse({ ...input, id, auth: token !== undefined ? { type: 'none' } : input.auth });
      if (!r.success) throw new ProfileError(describeIssues(r.error));
      if (doc.profiles.some((p) => p.id === r.data.id)) throw new ProfileError(`id: a profile with id "${r.data.id}" exists`);
      if (doc.profiles.some((p) => nameKey(p.name) === nameKey(r.data.name))) throw new ProfileError(`name: a profile named "${r.data.name}" exists`);
      added = r.data;
      doc.profiles.push(added);
    });
    if (token !== undefined) added = await this.setToken(added.id, token);
    return added;
  }

  /** Replaces a profile's fields (not its id); the result is validated as a whole. */
  async update(id: string, patch: Partial<Omit<ProfileInput, 'id'>>): Promise<Profile> {
    let updated!: Profile;
    await this.mutate((doc) => {
      const i = doc.profiles.findIndex((p) => p.id === id);
      if (i < 0) throw new ProfileError(`no profile with id "${id}"`);
      const r = ProfileSchema.safeParse({ ...doc.profiles[i], ...patch, id });
      if (!r.success) throw new ProfileError(describeIssues(r.error));
      if (doc.profiles.some((p, j) => j !== i && nameKey(p.name) === nameKey(r.data.name))) throw new ProfileError(`name: a profile named "${r.data.name}" exists`);
      updated = r.data;
      doc.profiles[i] = updated;
    });
    return updated;
  }

  /**
   * Removes a profile. Its token is deleted too, unless `keepSecret` (the
   * manager's undo: `restore` brings both back, `purgeSecret` ends it).
   */
  async remove(nameOrId: string, opts: { keepSecret?: boolean } = {}): Promise<Profile> {
    await this.sync();
    const found = this.get(nameOrId);
    if (!found) throw new ProfileError(`no profile "${nameOrId}"`);
    await this.mutate((doc) => {
      doc.profiles = doc.profiles.filter((p) => p.id !== found.id);
    });
    if (!opts.keepSecret) await this.purgeSecret(found);
    return found;
  }

  /** Puts back a removed profile as it was (undo). */
  async restore(profile: Profile): Promise<Profile> {
    const p = ProfileSchema.parse(profile);
    await this.mutate((doc) => {
      if (doc.profiles.some((x) => x.id === p.id)) throw new ProfileError(`id: a profile with id "${p.id}" exists`);
      doc.profiles.push({ ...p, name: uniqueName(p.name, doc.profiles.map((x) => x.name)) });
    });
    return this.get(p.id)!;
  }

  /** Deletes a removed profile's token from its store. */
  async purgeSecret(profile: Profile): Promise<void> {
    if (profile.auth.type !== 'token') return;
    const b = this.backend(profile.auth.store);
    if (b) await b.delete(profile.id);
  }

  /**
   * Saves a profile's token: in the secret store; where there is none, in the
   * plain-text file only after the recorded choice; otherwise refuses with
   * NoSecretStoreError and keeps nothing.
   */
  async setToken(id: string, token: string): Promise<Profile> {
    if (token.length === 0 || Buffer.byteLength(token) > MAX_TOKEN_BYTES) throw new ProfileError(`token: must be 1 to ${MAX_TOKEN_BYTES} bytes`);
    if (/[\s\x00-\x1f\x7f]/.test(token)) throw new ProfileError('token: must not contain whitespace or control characters');
    const p = this.get(id);
    if (!p) throw new ProfileError(`no profile with id "${id}"`);
    const status = await this.secretStatus();
    if (status.store === null) {
      throw new NoSecretStoreError(
        `the token of "${p.name}" was not saved: ${status.reason ?? 'there is no secret store'}. ` +
          'Use a token command (--token-command "CMD ARGS") or set SWARMDECK_TOKEN when connecting, ' +
          'or explicitly allow plain-text token storage (profiles add ... --allow-plaintext-token).',
      );
    }
    const backend = this.backend(status.store)!;
    await backend.set(p.id, token);
    // A token in another store (the store changed) is removed from there.
    if (p.auth.type === 'token' && p.auth.store !== status.store) await this.backend(p.auth.store)?.delete(p.id).catch(() => false);
    return this.update(p.id, { auth: { type: 'token', store: status.store } });
  }

  /** The profile's stored token; null when it has none. Throws (without the token) when its store cannot be read. */
  async token(id: string): Promise<string | null> {
    const p = this.get(id);
    if (!p || p.auth.type !== 'token') return null;
    const b = this.backend(p.auth.store);
    if (!b) throw new ProfileError(`the token of "${p.name}" is kept in ${p.auth.store}, which this host cannot read; give SWARMDECK_TOKEN or a token command`);
    const why = await b.unavailableReason();
    if (why) throw new ProfileError(`the token of "${p.name}" cannot be read: ${why}`);
    return b.get(p.id);
  }

  async clearToken(id: string): Promise<Profile> {
    const p = this.get(id);
    if (!p) throw new ProfileError(`no profile with id "${id}"`);
    await this.purgeSecret(p);
    return this.update(id, { auth: { type: 'none' } });
  }

  /** Export of the named profiles (all by default): never a token. */
  export(ids?: readonly string[]): ProfileExport {
    const chosen = ids ? this.doc.profiles.filter((p) => ids.includes(p.id)) : this.doc.profiles;
    return exportProfiles(chosen, this.now());
  }

  /** Imports profiles; a taken name gets " (2)", a taken id a new one. Tokens in the import are dropped. */
  async import(text: string): Promise<{ added: Profile[]; errors: { index: number; name?: string; error: string }[]; tokensDropped: string[]; dropped: { id: string; name: string; what: string }[] }> {
    const parsed = parseImport(text);
    const added: Profile[] = [];
    // An imported file is someone else's words: it never makes this app run a program or connect at launch.
    const dropped: { id: string; name: string; what: string }[] = [];
    const drops: (string | null)[] = [];
    for (const p of parsed.profiles) {
      const what: string[] = [];
      if (p.auth.type === 'command') {
        what.push(`auth.command ${JSON.stringify(p.auth.command)} (imported profiles never run a program; add one with profiles add --token-command)`);
        p.auth = { type: 'none' };
      }
      if (p.autoConnect) {
        what.push('autoConnect (turn it on in the profile manager)');
        p.autoConnect = false;
      }
      drops.push(what.length ? what.join(' and ') : null);
    }
    await this.mutate((doc) => {
      if (doc.profiles.length + parsed.profiles.length > MAX_PROFILES) throw new ProfileError(`the import would make more than ${MAX_PROFILES} profiles`);
      parsed.profiles.forEach((p, i) => {
        const ids = new Set(doc.profiles.map((x) => x.id));
        const q: Profile = { ...p, id: ids.has(p.id) ? newProfileId(p.name, ids) : p.id, name: uniqueName(p.name, doc.profiles.map((x) => x.name)) };
        doc.profiles.push(q);
        added.push(structuredClone(q));
        // Named as imported (a taken name became "Name (2)"), so the line names the profile the operator will see.
        const what = drops[i];
        if (what) dropped.push({ id: q.id, name: q.name, what });
      });
    });
    return { added, errors: parsed.errors, tokensDropped: parsed.tokensDropped, dropped };
  }

  private backend(kind: SecretStoreKind): SecretBackend | null {
    if (kind === 'plaintext') return this.plaintext;
    return this.opts.secrets?.kind === kind ? this.opts.secrets : null;
  }

  /** Re-reads the file, then applies `f` to a copy and writes it (validated) if `f` returns normally. */
  private async mutate(f: (doc: ProfileDocument) => void): Promise<void> {
    await this.sync();
    if (this.readOnlyReason) throw new ProfileError(`profiles are read-only: ${this.readOnlyReason}`);
    const next = structuredClone(this.doc);
    f(next);
    this.persist(next);
  }

  private persist(doc: ProfileDocument): void {
    // Strict in what we write: the whole document is valid, or nothing is written.
    const valid = ProfileDocumentSchema.parse(doc);
    // Never write a file the store would refuse to read back (readTextBounded): the file and its last-good copy stay as they were.
    // Measured as conf writes it (tab-indented JSON), the larger of the two forms.
    const bytes = Buffer.byteLength(JSON.stringify(valid, undefined, '\t'), 'utf8');
    if (bytes > MAX_PROFILE_FILE_BYTES) {
      throw new ProfileError(`not saved: the profile file would be ${bytes} bytes, more than the ${MAX_PROFILE_FILE_BYTES} (MAX_PROFILE_FILE_BYTES) it may have; the file is unchanged (remove or shorten profiles)`);
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.file.write(valid as unknown as Record<string, unknown>);
    this.lastGood.write(valid as unknown as Record<string, unknown>);
    this.doc = valid;
  }

  /** Reads the file (recovering, migrating or creating it), then moves any inline tokens of an old file into the secret store. */
  private async sync(): Promise<LoadReport> {
    const report = this.load();
    if (this.report && (report.corrupt || report.migratedFrom !== undefined || report.restoredFromLastGood)) this.report = report;
    const pending = this.pendingTokens;
    this.pendingTokens = new Map();
    for (const [id, token] of pending) {
      const p = this.get(id);
      if (!p) continue;
      try {
        await this.setToken(id, token);
        report.tokensMoved.push(p.name);
      } catch {
        report.tokensDropped.push(p.name);
      }
    }
    return report;
  }

  private readLastGood(): ProfileDocument | null {
    try {
      const text = readTextBounded(join(this.dir, `${LAST_GOOD_FILE}.json`), MAX_PROFILE_FILE_BYTES);
      if (text === null) return null;
      const r = ProfileDocumentSchema.safeParse(withoutBookkeeping(JSON.parse(text)));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  private stamp(): string {
    return this.now().toISOString().replace(/[:.]/g, '-');
  }

  /** Moves the bad file aside (keeping the newest MAX_CORRUPT_COPIES); returns where it went. */
  private moveAside(): string {
    const to = join(this.dir, `profiles.corrupt-${this.stamp()}.json`);
    renameSync(this.file.path, to);
    const copies = readdirSync(this.dir).filter((f) => f.startsWith('profiles.corrupt-')).sort();
    for (const old of copies.slice(0, Math.max(0, copies.length - MAX_CORRUPT_COPIES))) rmSync(join(this.dir, old), { force: true });
    return to;
  }

  private load(): LoadReport {
    const report: LoadReport = { created: false, restoredFromLastGood: false, tokensMoved: [], tokensDropped: [] };
    this.readOnlyReason = undefined;
    let text: string | null;
    let tooLarge: string | undefined;
    try {
      text = readTextBounded(this.file.path, MAX_PROFILE_FILE_BYTES);
    } catch (e) {
      if (!(e instanceof FileTooLargeError)) throw e;
      text = '';
      tooLarge = e.message;
    }
    if (text === null) {
      const lg = this.readLastGood();
      if (lg) report.restoredFromLastGood = true;
      else report.created = true;
      this.persist(lg ?? { ...emptyDoc(), profiles: [localSimulatorProfile()] });
      return report;
    }
    const corrupt = (reason: string, invalid: NonNullable<LoadReport['corrupt']>['invalid'] = [], keep: Profile[] = [], settings = {}): LoadReport => {
      const movedTo = this.moveAside();
      const lg = this.readLastGood();
      const fromLastGood: string[] = [];
      const profiles = [...keep];
      // Every last-good profile the file no longer holds validly comes back (an invalid entry as its last-good version).
      for (const p of lg?.profiles ?? []) {
        if (profiles.some((k) => k.id === p.id)) continue;
        profiles.push({ ...p, name: uniqueName(p.name, profiles.map((k) => k.name)) });
        fromLastGood.push(p.name);
      }
      this.persist({ version: PROFILE_SCHEMA_VERSION, profiles, settings: keep.length > 0 || !lg ? settings : lg.settings });
      report.corrupt = { reason, movedTo, invalid, fromLastGood };
      return report;
    };
    if (tooLarge) return corrupt(tooLarge);
    let raw: unknown;
    try {
      raw = withoutBookkeeping(JSON.parse(text));
    } catch (e) {
      return corrupt(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const version = versionOf(raw);
    if (version > PROFILE_SCHEMA_VERSION) {
      // Never overwrite a newer Swarmdeck's file: read what this version understands, change nothing.
      this.readOnlyReason = `${this.file.path} is schema version ${version}, newer than this Swarmdeck's ${PROFILE_SCHEMA_VERSION}`;
      report.readOnly = this.readOnlyReason;
      const list = (raw as { profiles?: unknown }).profiles;
      this.doc = { ...emptyDoc(), profiles: Array.isArray(list) ? list.flatMap((p) => { const r = ProfileSchema.safeParse(p); return r.success ? [r.data] : []; }) : [] };
      return report;
    }
    const migrated = migrate(raw);
    if (!migrated) return corrupt('not a profile document');
    const doc = migrated.doc as { profiles?: unknown; settings?: unknown };
    if (!Array.isArray(doc.profiles)) return corrupt('it has no "profiles" list');
    const keep: Profile[] = [];
    const invalid: NonNullable<LoadReport['corrupt']>['invalid'] = [];
    doc.profiles.forEach((entry: unknown, index) => {
      const r = ProfileSchema.safeParse(entry);
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { name?: unknown; id?: unknown };
      if (!r.success) {
        invalid.push({ index, ...(typeof e.name === 'string' ? { name: e.name } : {}), error: describeIssues(r.error) });
        return;
      }
      // Duplicates are kept, renamed: both were valid.
      const p = r.data;
      if (keep.some((k) => k.id === p.id)) p.id = newProfileId(p.name, new Set(keep.map((k) => k.id)));
      p.name = uniqueName(p.name, keep.map((k) => k.name));
      keep.push(p);
    });
    if (keep.length > MAX_PROFILES) keep.length = MAX_PROFILES;
    const settings = ProfileSettingsSchema.safeParse(doc.settings ?? {});
    const unknownTop = Object.keys(doc).filter((k) => !['version', 'profiles', 'settings'].includes(k));
    if (invalid.length > 0 || !settings.success) {
      const why = invalid.length > 0 ? `${invalid.length} invalid profile${invalid.length === 1 ? '' : 's'}` : `settings: ${describeIssues(settings.error!)}`;
      return corrupt(why, invalid, keep, settings.success ? settings.data : {});
    }
    this.pendingTokens = migrated.extractedTokens;
    const next: ProfileDocument = { version: PROFILE_SCHEMA_VERSION, profiles: keep, settings: settings.data };
    const same = migrated.from === PROFILE_SCHEMA_VERSION && unknownTop.length === 0 && JSON.stringify(next) === JSON.stringify(raw);
    if (migrated.from < PROFILE_SCHEMA_VERSION) {
      report.migratedFrom = migrated.from;
      report.migrationBackup = join(this.dir, `profiles.v${migrated.from}.json`);
      // The old file as it was, less any inline tokens (those go to the secret store, never to a file of ours).
      this.files(this.dir, `profiles.v${migrated.from}`).write(stripTokens(raw));
    }
    if (same) {
      this.doc = next;
      // The last-good copy follows a valid file that was edited by hand.
      if (JSON.stringify(this.readLastGood()) !== JSON.stringify(next)) this.lastGood.write(next as unknown as Record<string, unknown>);
    } else this.persist(next);
    return report;
  }
}

/** conf / electron-store may keep their own bookkeeping under a top-level `__internal__` key: not ours to validate. */
function withoutBookkeeping(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('__internal__' in raw)) return raw;
  const { __internal__: _ignored, ...rest } = raw as Record<string, unknown>;
  return rest;
}

function stripTokens(raw: unknown): Record<string, unknown> {
  const doc = { ...(raw as Record<string, unknown>) };
  if (Array.isArray(doc.profiles)) doc.profiles = doc.profiles.map((p: unknown) => (typeof p === 'object' && p !== null && !Array.isArray(p) ? Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'token')) : p));
  return doc;
}
