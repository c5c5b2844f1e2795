// What both hosts connect at launch (app/startup.ts launchPlanes): with no
// plane flag the auto-connect profiles, on a first launch the "Local
// simulator"; any plane flag, or an unusable profile, falls back as documented.

import { afterEach, describe, expect, it } from 'vitest';
import { launchPlanes, parseStartupArgs, type Startup } from '../../electron/core/app/startup.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { MemorySecrets, tempDir } from '../helpers/profiles.js';

const dirs: { cleanup: () => void }[] = [];
const started: Startup[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).flatMap((s) => s.simulators.map((x) => x.stop())));
  dirs.splice(0).forEach((d) => d.cleanup());
});

async function store(): Promise<ProfileStore> {
  const d = tempDir();
  dirs.push(d);
  return ProfileStore.open({ dir: d.dir, secrets: new MemorySecrets() });
}

async function launch(argv: string[], s: ProfileStore | null, warn: (l: string) => void = () => undefined): Promise<Startup> {
  const r = await launchPlanes(argv, parseStartupArgs(argv), s, warn);
  started.push(r);
  return r;
}

describe('launch planes', () => {
  it('a first launch with no flags connects the "Local simulator" profile, its simulator started', async () => {
    const s = await store();
    expect(s.report.created).toBe(true);
    const r = await launch([], s);
    expect(r.planes.map((p) => [p.id, p.label])).toEqual([['local-simulator', 'Local simulator']]);
    expect(r.simulators).toHaveLength(1);
    expect(r.planes[0]!.url).toBe(r.simulators[0]!.url);
  });

  it('connects every auto-connect profile and no other; a plane flag turns auto-connect off', async () => {
    const s = await store();
    await s.add({ name: 'Remote', url: 'ws://127.0.0.1:9', color: '#90be6d', autoConnect: true });
    await s.add({ name: 'Manual', url: 'ws://127.0.0.1:8', color: '#90be6d' });
    const auto = await launch([], s);
    expect(auto.planes.map((p) => p.label)).toEqual(['Local simulator', 'Remote']);
    for (const flags of [['--agents', '3'], ['--url', 'ws://127.0.0.1:7'], ['--planes=2']]) {
      const r = await launch(flags, s);
      expect(r.planes.map((p) => p.label)).not.toContain('Remote');
    }
    const named = await launch(['--profile', 'Manual'], s);
    expect(named.planes.map((p) => p.label)).toEqual(['Manual']);
  });

  it('an auto-connect profile that cannot be resolved is reported and skipped; with none left, the embedded simulator', async () => {
    const s = await store();
    const local = s.get('Local simulator')!;
    await s.update(local.id, { autoConnect: false });
    await s.add({ name: 'Locked', url: 'ws://127.0.0.1:9', color: '#90be6d', autoConnect: true, auth: { type: 'token', store: 'keychain' } });
    const warnings: string[] = [];
    const r = await launch([], s, (l) => warnings.push(l));
    expect(warnings).toEqual([expect.stringMatching(/^profile "Locked" not connected: .*no token/)]);
    expect(r.planes.map((p) => p.id)).toEqual(['sim']);
    // No profile store at all (it could not be opened): the embedded simulator.
    expect((await launch([], null)).planes.map((p) => p.id)).toEqual(['sim']);
  });
});

describe('SWARMDECK_TOKEN at launch', () => {
  it('is for planes named on the command line (--profile), never for an auto-connect profile', async () => {
    const s = await store();
    await s.add({ name: 'Auto', url: 'ws://auto.example:1', color: '#123456', autoConnect: true });
    await s.add({ name: 'Named', url: 'ws://named.example:1', color: '#654321' });
    const before = process.env.SWARMDECK_TOKEN;
    process.env.SWARMDECK_TOKEN = 'tok-env-launch';
    try {
      const auto = await launch([], s);
      expect(auto.planes.map((p) => [p.label, p.token])).toEqual([['Local simulator', undefined], ['Auto', undefined]]);
      const named = await launch(['--profile', 'Named'], s);
      expect(named.planes.map((p) => [p.label, p.token])).toEqual([['Named', 'tok-env-launch']]);
    } finally {
      if (before === undefined) delete process.env.SWARMDECK_TOKEN;
      else process.env.SWARMDECK_TOKEN = before;
    }
  });
});
