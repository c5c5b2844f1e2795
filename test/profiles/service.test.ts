// The profile manager's requests over the contract (serveContract with a
// ProfileService): a ProfileStore in a temp SWARMDECK_CONFIG_DIR with an
// in-memory keychain, a SwarmCore, and a token-protected simulator. Proves a
// saved token reaches the plane and never a reply or the file; delete keeps
// the token for undo and purge ends it; bad requests name their field.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { startWeb } from '../../electron/core/cli/web.js';
import { IPC_CHANNELS, type ProfilesState } from '../../shared/contract/index.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { ProfileSchema } from '../../shared/profiles/schema.js';
import { ProfileService } from '../../electron/core/profiles/service.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { waitFor } from '../helpers/wait.js';
import { filesContaining, MemorySecrets, tempDir } from '../helpers/profiles.js';

const TOKEN = 'tok-Zq81vXe-contract';
const view = {} as View;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(secrets = new MemorySecrets(), consent?: ConstructorParameters<typeof ProfileService>[3]) {
  const t = tempDir();
  const store = await ProfileStore.open({ dir: t.dir, secrets });
  const core = new SwarmCore([]);
  core.start();
  const service = new ProfileService(store, core, {}, consent);
  const sim = new Simulator({ agents: 12, rate: 20, seed: 3, token: TOKEN });
  await sim.start();
  cleanups.push(t.cleanup, () => core.stop(), () => service.stop(), () => sim.stop());
  const server = serveContract(core, 'web', { profiles: service });
  const req = (name: keyof typeof IPC_CHANNELS, payload: unknown) => server.request(view, IPC_CHANNELS[name], payload);
  return { dir: t.dir, store, core, service, sim, secrets, req };
}

const remote = (over: Record<string, unknown> = {}) => ProfileSchema.parse({ id: 'lab', name: 'Lab', url: 'ws://127.0.0.1:1', color: '#336699', ...over });

describe('profile requests', () => {
  it('lists the store, saves with a token kept only in the keychain, connects with it, and never replies with it', async () => {
    const s = await setup();
    const first = (await s.req('profiles', undefined)) as ProfilesState;
    expect(first.profiles.map((p) => p.name)).toEqual(['Local simulator']);
    expect(first.secretStore).toMatchObject({ store: 'keychain' });
    expect(first.notices.join('\n')).toMatch(/created .*"Local simulator"/);

    const saved = (await s.req('profile', { action: 'save', profile: remote({ url: s.sim.url }), token: TOKEN })) as ProfilesState;
    expect(saved.profiles.find((p) => p.id === 'lab')?.auth).toEqual({ type: 'token', store: 'keychain' });
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    expect(s.secrets.entries.get('lab')).toBe(TOKEN);
    expect(filesContaining(s.dir, TOKEN)).toEqual([]);

    const r = await s.req('profileConnect', { ids: ['lab', 'lab'] });
    expect(r).toEqual({ results: [{ id: 'lab', ok: true }, { id: 'lab', ok: true, message: 'already connected' }] });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    // The simulator refuses a wrong token: LIVE proves the keychain's token reached the plane.
    await waitFor('the profile plane live', () => s.core.plane('lab')?.status().state === 'LIVE');

    // Edit: the new name is saved, the token kept ("keep the saved token" sends its auth back).
    const connected = s.core.plane('lab')!;
    const edited = (await s.req('profile', { action: 'save', profile: { ...saved.profiles.find((p) => p.id === 'lab')!, name: 'Lab 2', color: '#aa5500' } })) as ProfilesState;
    expect(edited.profiles.find((p) => p.id === 'lab')).toMatchObject({ name: 'Lab 2', auth: { type: 'token', store: 'keychain' } });
    expect(s.secrets.entries.get('lab')).toBe(TOKEN);
    // A new name or colour shows on the open plane at once, without reconnecting it.
    expect(s.core.plane('lab')).toBe(connected);
    expect(connected.status()).toMatchObject({ label: 'Lab 2', color: 0xaa5500, state: 'LIVE' });

    // A new token reconnects the plane with it: a wrong one is refused by the plane...
    const lab = edited.profiles.find((p) => p.id === 'lab')!;
    await s.req('profile', { action: 'save', profile: lab, token: 'not-the-token' });
    const retried = s.core.plane('lab')!;
    expect(retried).not.toBe(connected);
    expect(connected.status().state).toBe('CLOSED');
    await waitFor('the wrong token refused', () => /AUTH/.test(retried.status().state));
    // ...and the right one is LIVE again, on a plane of the new settings.
    await s.req('profile', { action: 'save', profile: lab, token: TOKEN });
    await waitFor('the right token live', () => s.core.plane('lab')?.status().state === 'LIVE');
    expect(s.core.plane('lab')).not.toBe(retried);

    // New settings that cannot be resolved: saved, the plane keeps its old ones, and the error says so.
    const live = s.core.plane('lab')!;
    s.secrets.entries.delete('lab');
    await expect(s.req('profile', { action: 'save', profile: { ...lab, url: `${s.sim.url}/` } })).rejects.toThrow(/"Lab 2" is saved, but its plane keeps the old settings: .*no token/);
    expect(s.core.plane('lab')).toBe(live);
    expect(s.store.get('lab')?.url).toBe(`${s.sim.url}/`);
  });

  it('delete keeps the token for undo; restore brings the profile back; purge removes the token only of a deleted profile', async () => {
    const s = await setup();
    const saved = (await s.req('profile', { action: 'save', profile: remote(), token: TOKEN })) as ProfilesState;
    const lab = saved.profiles.find((p) => p.id === 'lab')!;
    const del = (await s.req('profile', { action: 'delete', id: 'lab' })) as ProfilesState;
    expect(del.profiles.some((p) => p.id === 'lab')).toBe(false);
    expect(s.secrets.entries.get('lab')).toBe(TOKEN);
    const back = (await s.req('profile', { action: 'restore', profile: lab })) as ProfilesState;
    expect(back.profiles.find((p) => p.id === 'lab')).toEqual(lab);
    // A page cannot wipe the token of a profile that is still saved.
    await expect(s.req('profile', { action: 'purge', profile: lab })).rejects.toThrow(/still saved/);
    expect(s.secrets.entries.get('lab')).toBe(TOKEN);
    await s.req('profile', { action: 'delete', id: 'lab' });
    await s.req('profile', { action: 'purge', profile: lab });
    expect(s.secrets.entries.has('lab')).toBe(false);
  });

  it('switching a profile away from its token removes the token from the keychain', async () => {
    // A program needs the trusted side's yes (test/profiles/consent.test.ts): here it says yes.
    const s = await setup(undefined, { confirm: async () => true });
    await s.req('profile', { action: 'save', profile: remote(), token: TOKEN });
    await s.req('profile', { action: 'save', profile: remote({ auth: { type: 'command', command: 'pass', args: ['plane'] } }) });
    expect(s.secrets.entries.has('lab')).toBe(false);
  });

  it('refuses a token where there is no secret store, keeping nothing, and says what to do instead', async () => {
    const s = await setup(new MemorySecrets('no Secret Service is running'));
    const st = (await s.req('profiles', undefined)) as ProfilesState;
    expect(st.secretStore).toEqual({ store: null, label: 'none', reason: 'no Secret Service is running' });
    const err = await s.req('profile', { action: 'save', profile: remote(), token: TOKEN }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/not saved: no Secret Service is running.*SWARMDECK_TOKEN/);
    expect(err?.message).not.toContain(TOKEN);
    expect(filesContaining(s.dir, TOKEN)).toEqual([]);
  });

  it('rejects bad requests naming the field, without echoing a token', async () => {
    const s = await setup();
    const bad = await s.req('profile', { action: 'save', profile: { ...remote(), url: 'http://x' }, token: TOKEN }).then(() => null, (e: Error) => e);
    expect(bad?.message).toMatch(/invalid swarmdeck:profile message at profile\.url: url: must be a ws/);
    expect(bad?.message).not.toContain(TOKEN);
    await expect(s.req('profile', { action: 'format-disk' })).rejects.toThrow(/at action/);
    await expect(s.req('profileConnect', { ids: [] })).rejects.toThrow(/at ids/);
    await expect(s.req('profileTest', { id: '../../etc' })).rejects.toThrow(/at id/);
    await expect(s.req('profileConnect', { ids: ['nope'] })).resolves.toEqual({ results: [{ id: 'nope', ok: false, message: 'no profile with id "nope"' }] });
    // Imported entries with a token claim come in without it.
    const imp = (await s.req('profile', { action: 'import', profiles: [remote({ id: 'x1', name: 'Imported', auth: { type: 'token', store: 'keychain' } })] })) as ProfilesState;
    expect(imp.profiles.find((p) => p.name === 'Imported')?.auth).toEqual({ type: 'none' });
  });

  it('browser mode whose config directory cannot be used still starts, without the profile manager', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'file'), 'x');
    const prev = process.env.SWARMDECK_CONFIG_DIR;
    process.env.SWARMDECK_CONFIG_DIR = join(t.dir, 'file', 'sub');
    cleanups.push(() => void (prev === undefined ? delete process.env.SWARMDECK_CONFIG_DIR : (process.env.SWARMDECK_CONFIG_DIR = prev)));
    const lines: string[] = [];
    const app = await startWeb(['--agents', '2'], (l) => lines.push(l));
    cleanups.push(() => app.stop());
    expect(lines.join('\n')).toMatch(/profiles unavailable: .*(ENOTDIR|EEXIST|not a directory)/i);
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('a host without a profile store refuses the profile requests', async () => {
    const core = new SwarmCore([]);
    const server = serveContract(core, 'web');
    await expect(server.request(view, IPC_CHANNELS.profiles, undefined)).rejects.toThrow(/no profile store/);
  });

  it('connects a simulator profile by starting its simulator; a simulator serving no plane is stopped; the service stops the rest', async () => {
    const s = await setup();
    const starts = vi.spyOn(Simulator.prototype, 'start');
    const stops = vi.spyOn(Simulator.prototype, 'stop');
    cleanups.push(() => void vi.restoreAllMocks());
    const local = s.store.list().find((p) => p.simulator)!;
    await s.req('profile', { action: 'save', profile: { ...local, simulator: { ...local.simulator!, agents: 7 } } });
    expect(await s.req('profileConnect', { ids: [local.id] })).toEqual({ results: [{ id: local.id, ok: true }] });
    const plane = await waitFor('the simulator profile live', () => (s.core.plane(local.id)?.status().state === 'LIVE' ? s.core.plane(local.id) : undefined));
    await waitFor('its 7 agents', () => s.core.plane(local.id)?.status().agents === 7);
    const firstUrl = plane.config.url;
    // Closed from elsewhere, then two connects at once: one plane; the loser's simulator and the first one are stopped.
    s.core.removePlane(local.id);
    const both = await Promise.all([s.req('profileConnect', { ids: [local.id] }), s.req('profileConnect', { ids: [local.id] })]);
    expect(both.flatMap((r) => (r as { results: { ok: boolean }[] }).results.map((x) => x.ok)).sort()).toEqual([false, true]);
    expect(starts).toHaveBeenCalledTimes(3);
    expect(stops).toHaveBeenCalledTimes(2);
    await s.service.stop();
    expect(stops).toHaveBeenCalledTimes(3);
    // The first simulator is really gone: a probe of its URL finds nothing there.
    const { probePlane } = await import('../../electron/core/probe/index.js');
    expect((await probePlane({ id: 'x', label: 'x', url: firstUrl, color: 0, backoff: { minMs: 5000, maxMs: 5000 } }, { forMs: 600 })).exitCode).not.toBe(0);
  });

  it('Test runs probe against the profile and returns its report', async () => {
    const s = await setup();
    await s.req('profile', { action: 'save', profile: remote({ url: s.sim.url }), token: TOKEN });
    const r = (await s.req('profileTest', { id: 'lab' })) as { exitCode: number; report: string };
    expect(r.exitCode).toBe(0);
    expect(r.report).toMatch(/^probe ws:\/\/127\.0\.0\.1:\d+ for \d+ ms: usable \(exit 0\)/);
    expect(r.report).toMatch(/\[agents\]/);
    expect(r.report).not.toContain(TOKEN);
    // Without the token the simulator refuses: the report says so.
    await s.req('profile', { action: 'save', profile: remote({ id: 'bare', name: 'Bare', url: s.sim.url }) });
    const refused = (await s.req('profileTest', { id: 'bare' })) as { exitCode: number; report: string };
    expect(refused.exitCode).not.toBe(0);
    expect(refused.report).toMatch(/refused|unusable/);
  });
});
