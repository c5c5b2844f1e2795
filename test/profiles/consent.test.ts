// Programs and tokens need the trusted side's consent (docs/SECURITY.md,
// "Trust boundaries"). Fed from the contract as a page would (serveContract
// with the ProfileService of browser mode: REFUSE_FROM_PAGE) and from an
// import file: a profile whose auth.command would create a marker file never
// runs it, and a saved token never reaches a TestPlane on another origin (it
// records every Authorization header it is sent). With a consent port that
// says yes (Electron's dialog), the same changes go through.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import type { ConsentPort, ConsentRequest } from '../../electron/core/profiles/consent.js';
import { ProfileService } from '../../electron/core/profiles/service.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { IPC_CHANNELS, type ProfilesState } from '../../shared/contract/index.js';
import { ProfileSchema } from '../../shared/profiles/schema.js';
import { MemorySecrets, tempDir } from '../helpers/profiles.js';
import { TestPlane } from '../helpers/test-plane.js';
import { sleep } from '../helpers/harness.js';

const TOKEN = 'tok-consent-7c1d9e';
const view = {} as View;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { consent?: ConsentPort; env?: NodeJS.ProcessEnv } = {}) {
  const t = tempDir();
  const secrets = new MemorySecrets();
  const store = await ProfileStore.open({ dir: t.dir, secrets });
  const core = new SwarmCore([]);
  core.start();
  const service = new ProfileService(store, core, opts.env ?? {}, opts.consent);
  const good = new TestPlane({ agents: 2, token: TOKEN });
  const evil = new TestPlane({ agents: 2 });
  await good.start();
  await evil.start();
  cleanups.push(t.cleanup, () => core.stop(), () => service.stop(), () => good.stop(), () => evil.stop());
  const server = serveContract(core, 'web', { profiles: service });
  const req = (name: keyof typeof IPC_CHANNELS, payload: unknown) => server.request(view, IPC_CHANNELS[name], payload);
  return { dir: t.dir, store, core, service, good, evil, secrets, req };
}

const profile = (over: Record<string, unknown>) => ProfileSchema.parse({ id: 'lab', name: 'Lab', url: 'ws://127.0.0.1:1', color: '#336699', ...over });
const marker = (dir: string) => join(dir, 'ran');
const touching = (dir: string) => ({ type: 'command', command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker(dir))}, 'x'); console.log('t')`] });

describe('from the page alone (browser mode)', () => {
  it('a profile with auth.command cannot be saved, restored, imported with it, connected or tested; nothing runs', async () => {
    const s = await setup();
    const p = profile({ auth: touching(s.dir) });
    await expect(s.req('profile', { action: 'save', profile: p })).rejects.toThrow(/refused from the page: profile "Lab" runs the program .*use `swarmdeck profiles add`/);
    await expect(s.req('profile', { action: 'restore', profile: p })).rejects.toThrow(/refused from the page/);
    // An import keeps the profile, without its program.
    await s.req('profile', { action: 'import', profiles: [{ ...p, autoConnect: true }] });
    const imported = s.store.list().find((x) => x.name === 'Lab')!;
    expect(imported.auth).toEqual({ type: 'none' });
    expect(imported.autoConnect).toBe(false);
    // A saved profile changed to a program is refused too.
    await expect(s.req('profile', { action: 'save', profile: { ...imported, auth: touching(s.dir) } })).rejects.toThrow(/refused from the page/);
    for (const x of s.store.list()) {
      await s.req('profileConnect', { ids: [x.id] });
      await s.req('profileTest', { id: x.id }).catch(() => undefined);
    }
    await sleep(300);
    expect(existsSync(marker(s.dir))).toBe(false);
    expect(s.store.list().some((x) => x.auth.type === 'command')).toBe(false);
  }, 30_000);

  it('a token saved for one origin is not sent to another: a new URL, or an endpoint override on another host, is refused unless the token is given again', async () => {
    const s = await setup();
    await s.req('profile', { action: 'save', profile: profile({ url: s.good.url }), token: TOKEN });
    const saved = s.store.get('lab')!;
    await expect(s.req('profile', { action: 'save', profile: { ...saved, url: s.evil.url } })).rejects.toThrow(/would send its saved token to ws:\/\/127\.0\.0\.1:\d+ .*use `swarmdeck profiles add`/);
    await expect(s.req('profile', { action: 'save', profile: { ...saved, endpoints: { control: `${s.evil.url}/api/control/ws` } } })).rejects.toThrow(/would send its saved token/);
    // Delete, then restore with another URL: the token kept for undo would go to the page's host.
    await s.req('profile', { action: 'delete', id: 'lab' });
    await expect(s.req('profile', { action: 'restore', profile: { ...saved, url: s.evil.url } })).rejects.toThrow(/would send its saved token/);
    // A new profile claiming the id's kept token (auth "token", no token given) is refused too.
    await expect(s.req('profile', { action: 'save', profile: { ...saved, name: 'Other', url: s.evil.url } })).rejects.toThrow(/would send its saved token to ws:\/\/127\.0\.0\.1:\d+ \(it was saved for \(no token was given here/);
    // The profile as deleted comes back without a question, and connects to its own plane with the token.
    await s.req('profile', { action: 'restore', profile: saved });
    await s.req('profileConnect', { ids: ['lab'] });
    await s.req('profileTest', { id: 'lab' });
    expect(s.store.get('lab')!.url).toBe(s.good.url);
    expect(s.evil.authorizations).toEqual([]);
    expect(s.good.authorizations).toContain(`Bearer ${TOKEN}`);
    // A new URL with a new token is the operator giving a token for that origin.
    await s.req('profile', { action: 'save', profile: { ...s.store.get('lab')!, url: s.evil.url }, token: 'tok-for-evil' });
    expect(s.store.get('lab')!.url).toBe(s.evil.url);
  }, 30_000);

  it('SWARMDECK_TOKEN is not sent for a profile connected from the page', async () => {
    const s = await setup({ env: { SWARMDECK_TOKEN: TOKEN } });
    await s.req('profile', { action: 'save', profile: profile({ url: s.evil.url }) });
    await s.req('profileConnect', { ids: ['lab'] });
    await s.req('profileTest', { id: 'lab' });
    await sleep(300);
    expect(s.evil.authorizations).toEqual([]);
  }, 30_000);
});

describe('with the trusted side saying yes (Electron: a native dialog)', () => {
  it('asks once per change, naming the program and args or the old and new origins; the change then goes through', async () => {
    const asked: ConsentRequest[] = [];
    const s = await setup({ consent: { confirm: async (r) => (asked.push(r), true) } });
    await s.req('profile', { action: 'save', profile: profile({ url: s.good.url }), token: TOKEN });
    expect(asked).toEqual([]);
    await s.req('profile', { action: 'save', profile: { ...s.store.get('lab')!, url: s.evil.url } });
    expect(asked).toEqual([{ kind: 'origin', profile: 'Lab', from: [s.good.url.replace('ws://', 'ws://') ], to: [s.evil.url] }]);
    const cmd = touching(s.dir);
    await s.req('profile', { action: 'save', profile: profile({ id: 'c', name: 'Cmd', auth: cmd }) });
    expect(asked[1]).toEqual({ kind: 'program', profile: 'Cmd', command: cmd.command, args: cmd.args });
  });

  it('a no keeps everything as it was', async () => {
    const s = await setup({ consent: { confirm: async () => false } });
    await expect(s.req('profile', { action: 'save', profile: profile({ auth: touching(s.dir) }) })).rejects.toThrow(/not confirmed: profile "Lab" runs the program/);
    expect(s.store.get('lab')).toBeUndefined();
  });
});

describe('swarmdeck profiles import', () => {
  it('drops auth.command and autoConnect, one line per profile saying so', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = await ProfileStore.open({ dir: t.dir, secrets: new MemorySecrets() });
    const file = join(t.dir, 'in.json');
    writeFileSync(file, JSON.stringify([profile({ auth: touching(t.dir), autoConnect: true }), profile({ id: 'b', name: 'B', autoConnect: true })]));
    const { runProfiles } = await import('../../electron/core/cli/profiles.js');
    const out: string[] = [];
    const code = await runProfiles(['import', file], { out: (l: string) => out.push(l), err: () => undefined, stdin: async () => '', env: {}, openStore: async () => store });
    expect(code).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^imported "Lab" without auth\.command ".*" \(imported profiles never run a program.*\) and autoConnect/),
      expect.stringMatching(/^imported "B" without autoConnect/),
    ]);
    expect(store.list().filter((p) => p.name !== 'Local simulator').map((p) => [p.auth.type, p.autoConnect])).toEqual([['none', false], ['none', false]]);
    expect(existsSync(marker(t.dir))).toBe(false);
  });
});

describe('simulators running for profiles', () => {
  it('at most MAX_RUNNING_SIMULATORS at once; a further one is refused naming the limit; closing a plane frees its simulator', async () => {
    const { MAX_RUNNING_SIMULATORS } = await import('../../shared/index.js');
    const s = await setup();
    const ids: string[] = [];
    for (let i = 0; i <= MAX_RUNNING_SIMULATORS; i++) {
      const p = ProfileSchema.parse({ id: `sim-${i}`, name: `Sim ${i}`, color: '#123456', simulator: { agents: 2, rate: 1 } });
      await s.req('profile', { action: 'save', profile: p });
      ids.push(p.id);
    }
    const r = (await s.req('profileConnect', { ids })) as { results: { id: string; ok: boolean; message?: string }[] };
    expect(r.results.filter((x) => x.ok)).toHaveLength(MAX_RUNNING_SIMULATORS);
    expect(r.results.at(-1)).toMatchObject({ ok: false, message: expect.stringMatching(/MAX_RUNNING_SIMULATORS/) });
    expect(s.service.runningSimulators).toBe(MAX_RUNNING_SIMULATORS);
    // The count the Profiles panel shows, from the profiles request.
    expect(((await s.req('profiles', undefined)) as { simulators: unknown }).simulators).toEqual({ running: MAX_RUNNING_SIMULATORS, max: MAX_RUNNING_SIMULATORS });
    s.core.removePlane(ids[0]!);
    const again = (await s.req('profileConnect', { ids: [ids.at(-1)] })) as { results: { ok: boolean }[] };
    expect(again.results[0]!.ok).toBe(true);
    expect(s.service.runningSimulators).toBe(MAX_RUNNING_SIMULATORS);
  }, 60_000);
});

describe("browser mode's /ipc socket, as its page sends", () => {
  it('refuses to save or restore a profile that runs a program; nothing runs; an import through it drops the program', async () => {
    const { startWeb } = await import('../../electron/core/cli/web.js');
    const { openPage } = await import('../hostile/page-client.js');
    const t = tempDir();
    const prev = process.env.SWARMDECK_CONFIG_DIR;
    process.env.SWARMDECK_CONFIG_DIR = t.dir;
    cleanups.push(t.cleanup, () => void (prev === undefined ? delete process.env.SWARMDECK_CONFIG_DIR : (process.env.SWARMDECK_CONFIG_DIR = prev)));
    const lines: string[] = [];
    const app = await startWeb(['--agents', '2'], (l) => lines.push(l));
    cleanups.push(() => app.stop());
    const open = lines.find((l) => l.includes('browser mode'))!.replace(/.*browser mode\): /, '');
    const page = await openPage(open);
    cleanups.push(() => page.close());
    const p = profile({ auth: touching(t.dir) });
    await expect(page.request(IPC_CHANNELS.profile, { action: 'save', profile: p })).rejects.toThrow(/refused from the page: profile "Lab" runs the program .*swarmdeck profiles add/);
    await expect(page.request(IPC_CHANNELS.profile, { action: 'restore', profile: p })).rejects.toThrow(/refused from the page/);
    const st = (await page.request(IPC_CHANNELS.profile, { action: 'import', profiles: [{ ...p, autoConnect: true }] })) as ProfilesState;
    const lab = st.profiles.find((x) => x.name === 'Lab')!;
    expect([lab.auth, lab.autoConnect]).toEqual([{ type: 'none' }, false]);
    await page.request(IPC_CHANNELS.profileConnect, { ids: [lab.id] });
    await sleep(300);
    expect(existsSync(marker(t.dir))).toBe(false);
  }, 60_000);
});
