// The profile manager's logic as plain functions (tested beside it): the edit
// form to a validated profile with a message per field, grouping and sorting,
// duplicate, the undo buffer of deletions, import/export sanitising, and the
// flags a profile must show. The schema and the exchange format are the
// core's (electron/core/profiles), so the panel and the store agree.

import {
  describeIssues,
  exportProfiles,
  type ImportResult,
  nameKey,
  newProfileId,
  parseImport,
  type Profile,
  PROFILE_UNDO_DEPTH,
  type ProfileExport,
  type ProfileInput,
  ProfileSchema,
  uniqueName,
} from '@shared';

/** The edit form: every field as the inputs hold it. */
export interface ProfileForm {
  id?: string;
  name: string;
  kind: 'remote' | 'simulator';
  url: string;
  endpointAgents: string;
  endpointGraph: string;
  endpointControl: string;
  /** How the token is given: keep the saved one, a new token (write-only), a token command, or none. */
  auth: 'keep' | 'token' | 'command' | 'none';
  /** A new token typed in; never filled from a saved profile. */
  token: string;
  tokenCommand: string;
  caFile: string;
  insecure: boolean;
  protocolVersion: string;
  compression: string;
  heartbeatTimeoutMs: string;
  handshakeTimeoutMs: string;
  backoffMinMs: string;
  backoffMaxMs: string;
  dialect: string;
  agents: string;
  rate: string;
  color: string;
  group: string;
  tags: string;
  pinned: boolean;
  autoConnect: boolean;
}

export const FORM_FIELDS = [
  'name',
  'url',
  'endpoints.agents',
  'endpoints.graph',
  'endpoints.control',
  'auth.command',
  'token',
  'tls.caFile',
  'tls.insecureSkipVerify',
  'protocolVersion',
  'compression',
  'timing.heartbeatTimeoutMs',
  'timing.handshakeTimeoutMs',
  'timing.backoffMinMs',
  'timing.backoffMaxMs',
  'simulator.dialect',
  'simulator.agents',
  'simulator.rate',
  'color',
  'group',
  'tags',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export function emptyForm(color = '#4cc9f0'): ProfileForm {
  return {
    name: '',
    kind: 'remote',
    url: '',
    endpointAgents: '',
    endpointGraph: '',
    endpointControl: '',
    auth: 'none',
    token: '',
    tokenCommand: '',
    caFile: '',
    insecure: false,
    protocolVersion: '',
    compression: 'auto',
    heartbeatTimeoutMs: '',
    handshakeTimeoutMs: '',
    backoffMinMs: '',
    backoffMaxMs: '',
    dialect: 'swarmdeck',
    agents: '200',
    rate: '30',
    color,
    group: '',
    tags: '',
    pinned: false,
    autoConnect: false,
  };
}

const endpointText = (v: string | false | undefined): string => (v === false ? 'off' : (v ?? ''));

/** A saved profile in the form (the token field stays empty: tokens are write-only). */
export function formOf(p: Profile): ProfileForm {
  return {
    id: p.id,
    name: p.name,
    kind: p.simulator ? 'simulator' : 'remote',
    url: p.url ?? '',
    endpointAgents: endpointText(p.endpoints?.agents),
    endpointGraph: endpointText(p.endpoints?.graph),
    endpointControl: endpointText(p.endpoints?.control),
    auth: p.auth.type === 'token' ? 'keep' : p.auth.type,
    token: '',
    tokenCommand: p.auth.type === 'command' ? [p.auth.command, ...p.auth.args].join(' ') : '',
    caFile: p.tls?.caFile ?? '',
    insecure: p.tls?.insecureSkipVerify === true,
    protocolVersion: p.protocolVersion ?? '',
    compression: p.compression,
    heartbeatTimeoutMs: p.timing?.heartbeatTimeoutMs?.toString() ?? '',
    handshakeTimeoutMs: p.timing?.handshakeTimeoutMs?.toString() ?? '',
    backoffMinMs: p.timing?.backoffMinMs?.toString() ?? '',
    backoffMaxMs: p.timing?.backoffMaxMs?.toString() ?? '',
    dialect: p.simulator?.dialect ?? 'swarmdeck',
    agents: String(p.simulator?.agents ?? 200),
    rate: String(p.simulator?.rate ?? 30),
    color: p.color,
    group: p.group ?? '',
    tags: p.tags.join(', '),
    pinned: p.pinned,
    autoConnect: p.autoConnect,
  };
}

/** "" → undefined; a number when it is one, else the text (so the schema names the field). */
function num(s: string): number | string | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function endpoint(s: string): string | false | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  return t.toLowerCase() === 'off' ? false : t;
}

function defined<T extends Record<string, unknown>>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

export type FormResult =
  | { ok: true; profile: Profile; /** A new token to save (write-only), if one was typed. */ token?: string }
  | { ok: false; errors: Partial<Record<FormField | 'form', string>> };

/**
 * The form as a profile, validated by the core's schema. `existing` is the
 * saved profile being edited (its id and token location are kept); `taken`
 * are the other profiles (names must be unique).
 */
export function validateForm(f: ProfileForm, taken: readonly Profile[], existing?: Profile): FormResult {
  const errors: Partial<Record<FormField | 'form', string>> = {};
  const input: Record<string, unknown> = {
    id: existing?.id ?? f.id ?? newProfileId(f.name, new Set(taken.map((p) => p.id))),
    name: f.name,
    color: f.color,
    compression: f.compression,
    pinned: f.pinned,
    autoConnect: f.autoConnect,
    tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean),
  };
  if (f.group.trim()) input.group = f.group;
  if (f.kind === 'simulator') input.simulator = { dialect: f.dialect.trim(), agents: num(f.agents), rate: num(f.rate) };
  else {
    input.url = f.url.trim();
    const endpoints = defined({ agents: endpoint(f.endpointAgents), graph: endpoint(f.endpointGraph), control: endpoint(f.endpointControl) });
    if (endpoints) input.endpoints = endpoints;
    const tls = defined({ caFile: f.caFile.trim() || undefined, insecureSkipVerify: f.insecure || undefined });
    if (tls) input.tls = tls;
    if (f.protocolVersion) input.protocolVersion = f.protocolVersion;
    const timing = defined({ heartbeatTimeoutMs: num(f.heartbeatTimeoutMs), handshakeTimeoutMs: num(f.handshakeTimeoutMs), backoffMinMs: num(f.backoffMinMs), backoffMaxMs: num(f.backoffMaxMs) });
    if (timing) input.timing = timing;
  }
  let token: string | undefined;
  if (f.auth === 'command') {
    const [command, ...args] = f.tokenCommand.trim().split(/\s+/).filter(Boolean);
    input.auth = { type: 'command', command: command ?? '', args };
  } else if (f.auth === 'keep' && existing?.auth.type === 'token') input.auth = existing.auth;
  else input.auth = { type: 'none' };
  if (f.auth === 'token') {
    token = f.token.trim();
    if (!token) errors.token = 'token: type the token, or choose another way to authenticate';
    else if (/\s/.test(token)) errors.token = 'token: must not contain spaces';
  }
  const r = ProfileSchema.safeParse(input);
  if (!r.success) {
    for (const message of describeIssues(r.error).split('; ')) {
      const field = FORM_FIELDS.find((x) => message.startsWith(`${x}:`)) ?? (message.startsWith('auth') ? 'auth.command' : 'form');
      errors[field] ??= message;
    }
  } else if (taken.some((p) => p.id !== r.data.id && nameKey(p.name) === nameKey(r.data.name))) {
    errors.name = `name: a profile named "${r.data.name}" exists`;
  }
  if (Object.keys(errors).length > 0 || !r.success) return { ok: false, errors };
  return token !== undefined ? { ok: true, profile: r.data, token } : { ok: true, profile: r.data };
}

/** A copy to edit: a new id, "Name (2)", the token not carried over. */
export function duplicateProfile(p: Profile, taken: readonly Profile[]): Profile {
  return {
    ...structuredClone(p),
    id: newProfileId(p.name, new Set(taken.map((x) => x.id))),
    name: uniqueName(`${p.name.replace(/ \(\d+\)$/, '')} (2)`, taken.map((x) => x.name)),
    auth: p.auth.type === 'token' ? { type: 'none' } : structuredClone(p.auth),
    pinned: false,
  };
}

export const UNGROUPED = 'Ungrouped';

export interface ProfileGroup {
  group: string;
  profiles: Profile[];
}

/** Profiles matching `search` (name, URL, group, tags), grouped: groups by name, ungrouped last; in each, pinned first, then by name. */
export function groupProfiles(profiles: readonly Profile[], search = ''): ProfileGroup[] {
  const q = search.trim().toLowerCase();
  const hit = (p: Profile): boolean => !q || [p.name, p.url ?? 'simulator', p.group ?? '', ...p.tags].some((s) => s.toLowerCase().includes(q));
  const by = new Map<string, Profile[]>();
  for (const p of profiles.filter(hit)) {
    const g = p.group ?? UNGROUPED;
    by.set(g, [...(by.get(g) ?? []), p]);
  }
  const order = (a: Profile, b: Profile): number => Number(b.pinned) - Number(a.pinned) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
  return [...by.entries()]
    .sort(([a], [b]) => (a === UNGROUPED ? 1 : b === UNGROUPED ? -1 : a.localeCompare(b, undefined, { sensitivity: 'base' })))
    .map(([group, list]) => ({ group, profiles: list.sort(order) }));
}

/** Flags a profile must show wherever it is listed. */
export function profileFlags(p: Profile): { id: 'plaintext-token' | 'insecure-tls' | 'auto-connect'; label: string; danger: boolean }[] {
  const flags: ReturnType<typeof profileFlags> = [];
  if (p.auth.type === 'token' && p.auth.store === 'plaintext') flags.push({ id: 'plaintext-token', label: 'token in plain text', danger: true });
  if (p.tls?.insecureSkipVerify) flags.push({ id: 'insecure-tls', label: 'TLS not verified', danger: true });
  if (p.autoConnect) flags.push({ id: 'auto-connect', label: 'auto-connect', danger: false });
  return flags;
}

/**
 * Deleted profiles the operator can bring back, newest first, at most
 * PROFILE_UNDO_DEPTH; one pushed out past the depth is handed to `onExpire`
 * (which purges its token for good).
 */
export class UndoBuffer {
  private readonly items: Profile[] = [];
  constructor(
    private readonly onExpire: (p: Profile) => void = () => undefined,
    private readonly depth: number = PROFILE_UNDO_DEPTH,
  ) {}
  push(p: Profile): void {
    this.items.unshift(structuredClone(p));
    while (this.items.length > this.depth) this.onExpire(this.items.pop()!);
  }
  /** The last deletion, removed from the buffer; undefined when there is none. */
  undo(): Profile | undefined {
    return this.items.shift();
  }
  peek(): Profile | undefined {
    return this.items[0];
  }
  get size(): number {
    return this.items.length;
  }
  /** Ends every pending undo (the panel closes): each goes to `onExpire`. */
  flush(): void {
    while (this.items.length) this.onExpire(this.items.pop()!);
  }
}

/** Export text of the chosen profiles: never a token. */
export function exportText(profiles: readonly Profile[], now = new Date()): string {
  return `${JSON.stringify(exportProfiles(profiles, now) satisfies ProfileExport, null, 2)}\n`;
}

/** Import text parsed and sanitised; names clashing with `taken` renamed "(2)". Errors are per entry, by field. */
export function importText(text: string, taken: readonly Profile[]): ImportResult | { error: string } {
  let r: ImportResult;
  try {
    r = parseImport(text);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  const names = taken.map((p) => p.name);
  const ids = new Set(taken.map((p) => p.id));
  const profiles = r.profiles.map((p) => {
    const q: Profile = { ...p, name: uniqueName(p.name, names), id: ids.has(p.id) ? newProfileId(p.name, ids) : p.id };
    names.push(q.name);
    ids.add(q.id);
    return q;
  });
  return { ...r, profiles };
}

export type { Profile, ProfileInput };
