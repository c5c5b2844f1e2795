import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPRESSION_ALGORITHMS } from '../../electron/core/protocol/compression.js';
import { MIGRATIONS, migrate } from '../../shared/profiles/migrations.js';
import { PROFILE_COMPRESSION, PROFILE_SCHEMA_VERSION, parseProfile } from '../../shared/profiles/schema.js';
import { NoSecretStoreError, ProfileStore } from '../../electron/core/profiles/store.js';
import { MemorySecrets, filesContaining, tempDir } from '../helpers/profiles.js';

const TOKEN = 'tok-3f9a1c77e2b54d0d-secret';
let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const file = (): string => join(t.dir, 'profiles.json');
const onDisk = (): { version: number; profiles: { name: string; id: string }[] } => JSON.parse(readFileSync(file(), 'utf8'));
const open = (secrets = new MemorySecrets()): Promise<ProfileStore> => ProfileStore.open({ dir: t.dir, secrets, now: () => new Date('2026-01-02T03:04:05Z') });
const base = { id: 'p1', name: 'Prod', url: 'wss://plane.example:443', color: '#112233' };

describe('profile schema', () => {
  it.each([
    [{ url: 'http://x' }, /^url: must be a ws:\/\/ or wss:\/\/ URL/],
    [{ url: 'ws://user:pw@host' }, /^url: .*no user:password/],
    [{ name: '' }, /^name: must not be empty/],
    [{ name: 'a\u202eb' }, /^name: must not contain control or bidi/],
    [{ name: 'x'.repeat(101) }, /^name: must be at most 100/],
    [{ color: 'red' }, /^color: must be a colour/],
    [{ compression: 'zip' }, /^compression: must be one of auto, none, gzip/],
    [{ protocolVersion: '3.0' }, /^protocolVersion: must be one of 1.0, 1.1, 2.0/],
    [{ timing: { handshakeTimeoutMs: 5 } }, /^timing.handshakeTimeoutMs: must be at least 100 ms/],
    [{ timing: { backoffMinMs: 5000, backoffMaxMs: 100 } }, /timing.backoffMaxMs: must not be below/],
    [{ tls: { insecureSkipVerify: 'yes' } }, /^tls.insecureSkipVerify: must be true or false/],
    [{ url: 'ws://plain:1', tls: { caFile: '/ca.pem' } }, /^tls.caFile: only applies to a wss:\/\/ url/],
    [{ auth: { type: 'password' } }, /^auth.type: must be none, token or command/],
    [{ auth: { type: 'token', store: 'cloud' } }, /^auth.store: must be one of keychain, safe-storage, plaintext/],
    [{ auth: { type: 'command', command: '' } }, /^auth.command: must not be empty/],
    [{ endpoints: { agents: 'agents' } }, /^endpoints.agents: must be a path/],
    [{ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, /^tags: at most 32 tags/],
    [{ pinned: 1 }, /^pinned: must be true or false/],
    [{ autoConnect: 'no' }, /^autoConnect: must be true or false/],
    [{ id: 'has space' }, /^id: must be 1 to 64 letters/],
    [{ url: undefined }, /^url: is required/],
    [{ simulator: { agents: -1 } }, /simulator.agents: must be 0 or more/],
    [{ url: undefined, simulator: { dialect: 'Bad Dialect' } }, /^simulator.dialect: must be a lower-case name/],
    [{ token: TOKEN }, /^profile: unknown field token$/],
  ])('a bad value names its field: %j', (patch, message) => {
    const r = parseProfile({ ...base, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(message);
      expect(r.error).not.toContain(TOKEN);
    }
  });

  it('fills defaults and accepts a full profile', () => {
    const r = parseProfile({
      ...base,
      endpoints: { agents: '/v2/agents', graph: false, control: 'wss://other:1/control' },
      auth: { type: 'command', command: 'vault', args: ['read', 'x'] },
      tls: { caFile: '/etc/ca.pem', insecureSkipVerify: true },
      protocolVersion: '1.1',
      compression: 'gzip',
      timing: { heartbeatTimeoutMs: 20000, handshakeTimeoutMs: 5000, backoffMinMs: 500, backoffMaxMs: 10000 },
      group: 'Production',
      tags: ['eu'],
      pinned: true,
      autoConnect: true,
    });
    expect(r.ok).toBe(true);
    expect(parseProfile(base)).toMatchObject({ ok: true, profile: { auth: { type: 'none' }, compression: 'auto', tags: [], pinned: false, autoConnect: false } });
  });

  it("lists exactly the connection engine's compression algorithms besides auto and none", () => {
    expect(PROFILE_COMPRESSION.filter((c) => c !== 'auto' && c !== 'none')).toEqual([...COMPRESSION_ALGORITHMS]);
  });
});

describe('migrations', () => {
  it('has one step per version below the current one', () => {
    expect(Object.keys(MIGRATIONS).map(Number)).toEqual(Array.from({ length: PROFILE_SCHEMA_VERSION - 1 }, (_, i) => i + 1));
  });

  it('1 → 2: ids, hex colours, tls from insecure/ca, inline tokens taken out', () => {
    const extracted = new Map<string, string>();
    const v2 = MIGRATIONS[1]!({ profiles: [{ name: 'Prod EU', url: 'wss://a:1', token: TOKEN, color: 0x4cc9f0, insecure: true, ca: '/ca.pem' }, { name: 'B', url: 'ws://b:2' }, 7] }, extracted);
    expect(v2).toEqual({
      version: 2,
      profiles: [
        { id: 'prod-eu-1', name: 'Prod EU', url: 'wss://a:1', color: '#4cc9f0', tls: { caFile: '/ca.pem', insecureSkipVerify: true } },
        { id: 'b-2', name: 'B', url: 'ws://b:2', color: '#4cc9f0' },
        7,
      ],
    });
    expect([...extracted]).toEqual([['prod-eu-1', TOKEN]]);
    expect(JSON.stringify(v2)).not.toContain(TOKEN);
  });

  it('2 → 3: auth union from tokenCommand / secret, folder becomes group, new fields', () => {
    const v3 = MIGRATIONS[2]!(
      {
        version: 2,
        profiles: [
          { id: 'a', name: 'A', url: 'ws://a:1', color: '#000000', tokenCommand: 'vault read -field=token x', folder: 'Ops' },
          { id: 'b', name: 'B', url: 'ws://b:1', color: '#000000', secret: 'keychain' },
          { id: 'c', name: 'C', url: 'ws://c:1', color: '#000000' },
        ],
      },
      new Map(),
    );
    expect(v3).toEqual({
      version: 3,
      settings: {},
      profiles: [
        { id: 'a', name: 'A', url: 'ws://a:1', color: '#000000', auth: { type: 'command', command: 'vault', args: ['read', '-field=token', 'x'] }, group: 'Ops', tags: [], pinned: false, autoConnect: false },
        { id: 'b', name: 'B', url: 'ws://b:1', color: '#000000', auth: { type: 'token', store: 'keychain' }, tags: [], pinned: false, autoConnect: false },
        { id: 'c', name: 'C', url: 'ws://c:1', color: '#000000', auth: { type: 'none' }, tags: [], pinned: false, autoConnect: false },
      ],
    });
  });

  it('a file from a newer version is not migrated', () => {
    expect(migrate({ version: PROFILE_SCHEMA_VERSION + 1, profiles: [] })).toBeNull();
    expect(migrate('nope')).toBeNull();
  });

  it('opening a version-1 file migrates it, moves its token into the secret store, and keeps a token-free copy of the old file', async () => {
    writeFileSync(file(), JSON.stringify({ profiles: [{ name: 'Old', url: 'wss://old:443', token: TOKEN, tokenCommand: undefined, color: 0xff0000 }] }));
    const secrets = new MemorySecrets();
    const s = await open(secrets);
    expect(s.report).toMatchObject({ migratedFrom: 1, tokensMoved: ['Old'], tokensDropped: [] });
    expect(s.list()).toMatchObject([{ id: 'old-1', name: 'Old', color: '#ff0000', auth: { type: 'token', store: 'keychain' } }]);
    expect(await s.token('old-1')).toBe(TOKEN);
    expect(onDisk().version).toBe(PROFILE_SCHEMA_VERSION);
    expect(existsSync(join(t.dir, 'profiles.v1.json'))).toBe(true);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
  });

  it('a version-1 token with no secret store is dropped and reported, never written', async () => {
    writeFileSync(file(), JSON.stringify({ profiles: [{ name: 'Old', url: 'wss://old:443', token: TOKEN }] }));
    const s = await open(new MemorySecrets('no Secret Service running'));
    expect(s.report.tokensDropped).toEqual(['Old']);
    expect(s.list()[0]!.auth).toEqual({ type: 'none' });
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
  });
});

describe('profile store', () => {
  it('first launch creates the "Local simulator" profile in a file only its owner can read', async () => {
    const s = await open();
    expect(s.report.created).toBe(true);
    expect(s.list()).toMatchObject([{ name: 'Local simulator', simulator: { dialect: 'swarmdeck' }, autoConnect: true }]);
    expect(onDisk().profiles.map((p) => p.name)).toEqual(['Local simulator']);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o077).toBe(0);
    expect((await open()).report.created).toBe(false);
  });

  it('add, update, duplicate names refused, remove; every change reaches the file and the last-good copy', async () => {
    const s = await open();
    const p = await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456', tags: ['eu'] });
    await expect(s.add({ name: ' prod ', url: 'ws://x:1', color: '#000000' })).rejects.toThrow(/name: a profile named "prod" exists/);
    await expect(s.update(p.id, { url: 'ftp://x' })).rejects.toThrow(/^url: must be a ws/);
    await s.update(p.id, { pinned: true, group: 'Ops' });
    expect(onDisk().profiles.map((x) => x.name)).toEqual(['Local simulator', 'Prod']);
    expect(JSON.parse(readFileSync(join(t.dir, 'profiles.last-good.json'), 'utf8'))).toEqual(onDisk());
    expect(s.get('PROD')).toMatchObject({ pinned: true, group: 'Ops' });
    await s.remove('Prod');
    expect(onDisk().profiles.map((x) => x.name)).toEqual(['Local simulator']);
  });

  it('refuses to write a file it would not read back (MAX_PROFILE_FILE_BYTES): error names the limit, the file and last-good copy kept', async () => {
    const s = await open();
    const long = (i: number): string[] => Array.from({ length: 64 }, (_, j) => `${i}-${j}-`.padEnd(4000, 'x'));
    let refused: unknown = null;
    let added = 0;
    for (let i = 0; i < 40 && refused === null; i++) {
      const before = readFileSync(file());
      const lastGood = readFileSync(join(t.dir, 'profiles.last-good.json'));
      try {
        await s.add({ name: `Big ${i}`, url: 'wss://big:443', color: '#123456', auth: { type: 'command', command: '/bin/echo', args: long(i) } });
        added++;
      } catch (e) {
        refused = e;
        expect(readFileSync(file()).equals(before)).toBe(true);
        expect(readFileSync(join(t.dir, 'profiles.last-good.json')).equals(lastGood)).toBe(true);
      }
    }
    expect(added).toBeGreaterThan(0);
    expect(String(refused)).toMatch(/more than the 4194304 \(MAX_PROFILE_FILE_BYTES\)/);
    expect(statSync(file()).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    // What is on disk still opens, with every profile that was saved.
    const again = await open();
    expect(again.list().filter((p) => p.name.startsWith('Big '))).toHaveLength(added);
  });

  it('two stores on one directory (the CLI beside a running app) lose no change', async () => {
    const a = await open();
    const b = await open();
    await a.add({ name: 'A', url: 'ws://a:1', color: '#000000' });
    await b.add({ name: 'B', url: 'ws://b:1', color: '#000000' });
    await a.add({ name: 'C', url: 'ws://c:1', color: '#000000' });
    expect(onDisk().profiles.map((x) => x.name)).toEqual(['Local simulator', 'A', 'B', 'C']);
  });

  it('never writes a token into any file, and removing a profile deletes its token', async () => {
    const secrets = new MemorySecrets();
    const s = await open(secrets);
    const p = await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456' }, TOKEN);
    expect(p.auth).toEqual({ type: 'token', store: 'keychain' });
    expect(secrets.entries.get(p.id)).toBe(TOKEN);
    expect(readdirSync(t.dir).length).toBeGreaterThan(1);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
    expect(JSON.stringify(s.export())).not.toContain(TOKEN);
    await s.remove(p.id);
    expect(secrets.entries.size).toBe(0);
  });

  it('with no secret store it says so, keeps nothing and offers a token command or SWARMDECK_TOKEN', async () => {
    const s = await open(new MemorySecrets('the OS keychain (Secret Service) is not available: no DBus'));
    const p = await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456' });
    const err = await s.setToken(p.id, TOKEN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSecretStoreError);
    expect((err as Error).message).toMatch(/was not saved: the OS keychain .* not available.*--token-command.*SWARMDECK_TOKEN/);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(s.get(p.id)!.auth).toEqual({ type: 'none' });
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
  });

  it('keeps a token in plain text only after the recorded choice, and flags the profile', async () => {
    const s = await open(new MemorySecrets('no keychain'));
    const p = await s.add({ name: 'Lab', url: 'ws://lab:1', color: '#123456' });
    await s.allowPlaintext('test');
    expect(onDisk()).toMatchObject({ settings: { plaintextSecrets: { allowedAt: '2026-01-02T03:04:05.000Z', by: 'test' } } });
    const q = await s.setToken(p.id, TOKEN);
    expect(q.auth).toEqual({ type: 'token', store: 'plaintext' });
    expect(await s.token(p.id)).toBe(TOKEN);
    expect(filesContaining(t.dir, TOKEN)).toEqual(['tokens-plaintext.json']);
    await s.remove(p.id);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
  });

  it('export and import round trip without tokens; taken names and ids get new ones', async () => {
    const s = await open();
    await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456', group: 'Ops', tags: ['eu'] }, TOKEN);
    await s.add({ name: 'Dev', url: 'ws://dev:1', color: '#654321', auth: { type: 'command', command: 'get-token', args: ['dev'] } });
    const exported = JSON.stringify(s.export());
    expect(exported).not.toContain(TOKEN);
    expect(JSON.parse(exported)).toMatchObject({ format: 'swarmdeck.profiles', tokensOmitted: ['Prod'] });

    const other = tempDir();
    try {
      const s2 = await ProfileStore.open({ dir: other.dir, secrets: new MemorySecrets() });
      const r = await s2.import(exported);
      expect(r.errors).toEqual([]);
      expect(s2.list().map((p) => [p.name, p.auth.type, p.group])).toEqual([
        ['Local simulator', 'none', undefined],
        ['Local simulator (2)', 'none', undefined],
        ['Prod', 'none', 'Ops'],
        // An import never brings a program to run, nor auto-connect (docs/SECURITY.md, trust boundaries).
        ['Dev', 'none', undefined],
      ]);
      // Named as imported: the taken "Local simulator" came in as "Local simulator (2)".
      expect(r.dropped).toEqual([
        { id: expect.any(String), name: 'Local simulator (2)', what: 'autoConnect (turn it on in the profile manager)' },
        { id: expect.any(String), name: 'Dev', what: expect.stringMatching(/^auth\.command "get-token" \(imported profiles never run a program/) },
      ]);
      expect(new Set(s2.list().map((p) => p.id)).size).toBe(4);
      expect(filesContaining(other.dir, TOKEN)).toEqual([]);
    } finally {
      other.cleanup();
    }
  });

  it('an import reports bad entries by field and drops inline tokens', async () => {
    const s = await open();
    const r = await s.import(JSON.stringify([{ ...base, token: TOKEN }, { ...base, id: 'p2', name: 'Bad', color: 'blue' }]));
    expect(r.added.map((p) => p.name)).toEqual(['Prod']);
    expect(r.errors).toEqual([{ index: 1, name: 'Bad', error: 'color: must be a colour like #4cc9f0' }]);
    expect(r.tokensDropped).toEqual(['Prod']);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
    await expect(s.import('{"profiles": 1')).rejects.toThrow(/not JSON/);
  });
});

describe('corrupt-file recovery: nothing valid is lost', () => {
  async function seeded(): Promise<ProfileStore> {
    const s = await open();
    await s.add({ id: 'a', name: 'A', url: 'ws://a:1', color: '#000000' });
    await s.add({ id: 'b', name: 'B', url: 'ws://b:1', color: '#000000' });
    return s;
  }
  const asideFiles = (): string[] => readdirSync(t.dir).filter((f) => f.startsWith('profiles.corrupt-'));

  it.each([
    ['truncated by a crash', (text: string) => text.slice(0, text.length / 2)],
    ['zeroed by a full disk', (text: string) => '\0'.repeat(text.length)],
    ['empty', () => ''],
    ['not a profile document', () => '[1, 2, 3]'],
    ['without a profiles list', () => '{"version": 3, "profiles": "A, B"}'],
  ])('a file %s is moved aside, reported, and the last-good copy restored', async (_what, damage) => {
    await seeded();
    writeFileSync(file(), damage(readFileSync(file(), 'utf8')));
    const damaged = readFileSync(file());
    const s = await open();
    expect(s.report.corrupt).toBeDefined();
    expect(s.report.corrupt!.fromLastGood).toEqual(['Local simulator', 'A', 'B']);
    expect(s.list().map((p) => p.name)).toEqual(['Local simulator', 'A', 'B']);
    expect(asideFiles()).toHaveLength(1);
    expect(readFileSync(join(t.dir, asideFiles()[0]!))).toEqual(damaged);
    expect(onDisk().profiles.map((p) => p.name)).toEqual(['Local simulator', 'A', 'B']);
  });

  it('a bad hand edit keeps every valid profile, brings back the broken one as last saved, and names the bad field', async () => {
    await seeded();
    const doc = onDisk() as unknown as { profiles: Record<string, unknown>[] };
    doc.profiles[1]!.url = 'http://typo';
    doc.profiles.push({ id: 'c', name: 'C (hand-added)', url: 'ws://c:1', color: '#000000' });
    doc.profiles.push({ name: 'Half' });
    writeFileSync(file(), JSON.stringify(doc));
    const s = await open();
    expect(s.report.corrupt!.reason).toBe('2 invalid profiles');
    expect(s.report.corrupt!.invalid).toEqual([
      { index: 1, name: 'A', error: 'url: must be a ws:// or wss:// URL with a host and no user:password' },
      { index: 4, name: 'Half', error: expect.stringMatching(/^id: .*color: /) },
    ]);
    expect(s.report.corrupt!.fromLastGood).toEqual(['A']);
    expect(s.list().map((p) => [p.id, p.name, p.url])).toEqual([
      ['local-simulator', 'Local simulator', undefined],
      ['b', 'B', 'ws://b:1'],
      ['c', 'C (hand-added)', 'ws://c:1'],
      ['a', 'A', 'ws://a:1'],
    ]);
    expect(asideFiles()).toHaveLength(1);
  });

  it('a missing file with a last-good copy is restored, not re-created', async () => {
    await seeded();
    writeFileSync(file(), '');
    const { rmSync } = await import('node:fs');
    rmSync(file());
    const s = await open();
    expect(s.report).toMatchObject({ created: false, restoredFromLastGood: true });
    expect(s.list().map((p) => p.name)).toEqual(['Local simulator', 'A', 'B']);
  });

  it('a file from a newer Swarmdeck is read, never written', async () => {
    const newer = JSON.stringify({ version: PROFILE_SCHEMA_VERSION + 1, profiles: [{ ...base, auth: { type: 'none' } }], future: true });
    writeFileSync(file(), newer);
    const s = await open();
    expect(s.report.readOnly).toMatch(/newer than this Swarmdeck/);
    expect(s.list().map((p) => p.name)).toEqual(['Prod']);
    await expect(s.add({ name: 'X', url: 'ws://x:1', color: '#000000' })).rejects.toThrow(/read-only/);
    expect(readFileSync(file(), 'utf8')).toBe(newer);
  });
});

describe('file format shared with electron-store', () => {
  it("tolerates conf/electron-store bookkeeping (__internal__) beside the document, in the file and the last-good copy", async () => {
    const s = await open();
    await s.add({ id: 'a', name: 'A', url: 'ws://a:1', color: '#000000' });
    for (const f of ['profiles.json', 'profiles.last-good.json']) {
      const doc = JSON.parse(readFileSync(join(t.dir, f), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(t.dir, f), JSON.stringify({ ...doc, __internal__: { migrations: { version: '0.1.0' } } }));
    }
    const again = await open();
    expect(again.report.corrupt).toBeUndefined();
    expect(again.list().map((p) => p.name)).toEqual(['Local simulator', 'A']);
    writeFileSync(file(), '{');
    expect((await open()).report.corrupt?.fromLastGood).toEqual(['Local simulator', 'A']);
  });
});
