import { describe, expect, it, vi } from 'vitest';
import { type Profile, PROFILE_UNDO_DEPTH, ProfileSchema } from '@shared';
import { UNGROUPED, UndoBuffer, duplicateProfile, emptyForm, exportText, formOf, groupProfiles, importText, profileFlags, validateForm } from '../../../../renderer/src/panels/Profiles/logic.js';

const TOKEN = 'panel-9e8d7c6b-secret';
const p = (over: Record<string, unknown>): Profile => ProfileSchema.parse({ id: String(over.name).toLowerCase().replace(/\W+/g, '-'), url: 'wss://x.example:443', color: '#112233', ...over });

describe('profile form', () => {
  it('a valid form becomes a profile; a typed token comes back separately, never inside the profile', () => {
    const r = validateForm({ ...emptyForm(), name: 'Prod', url: 'wss://prod:443', auth: 'token', token: TOKEN, tags: 'eu, prod', group: 'Ops' }, []);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.token).toBe(TOKEN);
    expect(r.profile).toMatchObject({ name: 'Prod', url: 'wss://prod:443', tags: ['eu', 'prod'], group: 'Ops', auth: { type: 'none' } });
    expect(JSON.stringify(r.profile)).not.toContain(TOKEN);
  });

  it('puts each message on the field it names', () => {
    const r = validateForm(
      { ...emptyForm(), name: '', url: 'http://x', color: 'red', handshakeTimeoutMs: 'soon', backoffMinMs: '9000', backoffMaxMs: '10', endpointGraph: 'graph', auth: 'token', token: '' },
      [],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      name: 'name: must not be empty',
      url: expect.stringMatching(/^url: must be a ws/),
      color: expect.stringMatching(/^color: /),
      'timing.handshakeTimeoutMs': expect.stringMatching(/^timing.handshakeTimeoutMs: must be a number/),
      'endpoints.graph': expect.stringMatching(/^endpoints.graph: /),
      token: expect.stringMatching(/^token: type the token/),
    });
  });

  it('refuses a name another profile has (case-insensitive), not the profile itself when editing', () => {
    const prod = p({ name: 'Prod' });
    expect(validateForm({ ...emptyForm(), name: 'PROD', url: 'ws://a:1' }, [prod])).toMatchObject({ ok: false, errors: { name: 'name: a profile named "PROD" exists' } });
    expect(validateForm({ ...formOf(prod), url: 'ws://a:1' }, [prod], prod).ok).toBe(true);
  });

  it('round-trips a saved profile through the form, keeping where its token is without ever showing it', () => {
    const saved = p({ name: 'Prod', auth: { type: 'token', store: 'keychain' }, tls: { caFile: '/ca.pem', insecureSkipVerify: true }, timing: { backoffMinMs: 100 }, endpoints: { graph: false }, pinned: true });
    const f = formOf(saved);
    expect(f).toMatchObject({ auth: 'keep', token: '', endpointGraph: 'off', backoffMinMs: '100', insecure: true });
    const r = validateForm(f, [saved], saved);
    expect(r).toEqual({ ok: true, profile: saved });
  });

  it('simulator profiles have no URL', () => {
    const r = validateForm({ ...emptyForm(), name: 'Sim', kind: 'simulator', url: 'ignored', agents: '50', rate: '10' }, []);
    expect(r.ok && r.profile).toMatchObject({ simulator: { dialect: 'swarmdeck', agents: 50, rate: 10 } });
    expect(r.ok && r.profile.url).toBeUndefined();
  });
});

describe('grouping, sorting, flags, duplicate', () => {
  const list = [p({ name: 'b-dev', group: 'Dev' }), p({ name: 'Zeta' }), p({ name: 'alpha', group: 'Ops' }), p({ name: 'Omega', group: 'Ops', pinned: true }), p({ name: 'Local', tags: ['lab'] })];
  it('groups by name with ungrouped last, pinned first then by name', () => {
    expect(groupProfiles(list).map((g) => [g.group, g.profiles.map((x) => x.name)])).toEqual([
      ['Dev', ['b-dev']],
      ['Ops', ['Omega', 'alpha']],
      [UNGROUPED, ['Local', 'Zeta']],
    ]);
  });
  it('search matches name, group and tags', () => {
    expect(groupProfiles(list, 'ops').flatMap((g) => g.profiles.map((x) => x.name))).toEqual(['Omega', 'alpha']);
    expect(groupProfiles(list, 'LAB').flatMap((g) => g.profiles.map((x) => x.name))).toEqual(['Local']);
  });
  it('flags a plain-text token and skipped TLS verification', () => {
    expect(profileFlags(p({ name: 'x', auth: { type: 'token', store: 'plaintext' }, tls: { insecureSkipVerify: true } })).map((f) => [f.id, f.danger])).toEqual([
      ['plaintext-token', true],
      ['insecure-tls', true],
    ]);
    expect(profileFlags(p({ name: 'y', auth: { type: 'token', store: 'keychain' } }))).toEqual([]);
  });
  it('duplicate: new id and name, no token carried over, not pinned', () => {
    const src = p({ name: 'Omega', auth: { type: 'token', store: 'keychain' }, pinned: true });
    const d = duplicateProfile(src, [...list, src]);
    expect(d).toMatchObject({ name: 'Omega (2)', auth: { type: 'none' }, pinned: false, url: src.url });
    expect(d.id).not.toBe(src.id);
    expect(ProfileSchema.safeParse(d).success).toBe(true);
  });
});

describe('undo buffer', () => {
  it('brings back deletions newest first', () => {
    const u = new UndoBuffer();
    u.push(p({ name: 'A' }));
    u.push(p({ name: 'B' }));
    expect([u.undo()?.name, u.undo()?.name, u.undo()]).toEqual(['B', 'A', undefined]);
  });
  it('is bounded: the oldest past the depth expires (its token is then purged)', () => {
    const expired = vi.fn();
    const u = new UndoBuffer(expired);
    for (let i = 0; i <= PROFILE_UNDO_DEPTH; i++) u.push(p({ name: `P${i}` }));
    expect(u.size).toBe(PROFILE_UNDO_DEPTH);
    expect(expired).toHaveBeenCalledOnce();
    expect(expired.mock.calls[0]![0].name).toBe('P0');
    u.flush();
    expect(expired).toHaveBeenCalledTimes(PROFILE_UNDO_DEPTH + 1);
  });
  it('keeps its own copy: editing the profile after deleting it does not change what undo restores', () => {
    const u = new UndoBuffer();
    const a = p({ name: 'A', tags: ['x'] });
    u.push(a);
    a.tags.push('mutated');
    expect(u.undo()!.tags).toEqual(['x']);
  });
});

describe('import and export', () => {
  it('export never carries a token; import renames clashes and drops tokens', () => {
    const saved = [p({ name: 'Prod', auth: { type: 'token', store: 'keychain' } }), p({ name: 'Dev', auth: { type: 'command', command: 'tok', args: [] } })];
    const text = exportText(saved, new Date('2026-01-01T00:00:00Z'));
    expect(JSON.parse(text)).toMatchObject({ format: 'swarmdeck.profiles', exportedAt: '2026-01-01T00:00:00.000Z', tokensOmitted: ['Prod'] });
    const r = importText(text, saved);
    expect('error' in r).toBe(false);
    if ('error' in r) return;
    expect(r.profiles.map((x) => [x.name, x.auth.type])).toEqual([
      ['Prod (2)', 'none'],
      ['Dev (2)', 'command'],
    ]);
    expect(new Set([...saved, ...r.profiles].map((x) => x.id)).size).toBe(4);
    const withToken = importText(JSON.stringify([{ id: 'q', name: 'Q', url: 'ws://q:1', color: '#000000', token: TOKEN }]), []);
    expect(JSON.stringify(withToken)).not.toContain(TOKEN);
    expect(withToken).toMatchObject({ tokensDropped: ['Q'], profiles: [{ name: 'Q' }] });
    expect(importText('nope', [])).toMatchObject({ error: expect.stringMatching(/not JSON/) });
  });
});
