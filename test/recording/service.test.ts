// The recordings folder over the contract (RecordingService behind
// serveContract): listing newest first, opening a file by name for replay,
// refusing paths and what is not a plain .mcap file, the bound on open
// replays, and closing one.

import { copyFileSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwarmCore, type View } from '../../electron/core/app/core.js';
import { IPC_CHANNELS, type RecordingFiles, type ReplayEntry } from '../../shared/contract/index.js';
import { serveContract } from '../../electron/core/app/serve-contract.js';
import { MAX_OPEN_REPLAYS } from '../../shared/limits.js';
import { RecordingService } from '../../electron/core/recording/service.js';
import { Simulator } from '../../electron/core/sim/simulator.js';
import { recordSession, sleep, tempDir } from '../helpers/recording.js';

const tmp = tempDir();
const source = tmp.file('source.mcap');
const view = {} as View;

beforeAll(async () => {
  const sim = new Simulator({ port: 0, agents: 5, rate: 10, seed: 9 });
  await sim.start();
  const s = await recordSession(source, sim);
  await sleep(800);
  await s.stop();
  await sim.stop();
}, 30_000);
afterAll(() => tmp.remove());

function setup(dir: string) {
  const core = new SwarmCore([]);
  const service = new RecordingService(core, dir);
  const server = serveContract(core, 'web', { recordings: service });
  const req = (name: keyof typeof IPC_CHANNELS, payload: unknown) => server.request(view, IPC_CHANNELS[name], payload);
  return { core, service, req };
}

describe('the recordings folder', () => {
  it('says when nothing was recorded yet', async () => {
    const { core, req } = setup(join(tmp.dir, 'none'));
    const r = (await req('recordingFiles', undefined)) as RecordingFiles;
    expect(r).toMatchObject({ files: [], more: 0, problem: expect.stringMatching(/nothing recorded yet/) });
    core.stop();
  });

  it('lists plain .mcap files newest first, opens one by name beside the live planes, and closes it', async () => {
    const dir = join(tmp.dir, 'folder');
    mkdirSync(dir);
    copyFileSync(source, join(dir, 'old.mcap'));
    copyFileSync(source, join(dir, 'new.mcap'));
    utimesSync(join(dir, 'old.mcap'), new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    writeFileSync(join(dir, 'notes.txt'), 'not a recording');
    writeFileSync(join(dir, '.hidden.mcap'), 'hidden');
    symlinkSync(source, join(dir, 'link.mcap'));
    mkdirSync(join(dir, 'folder.mcap'));
    const { core, req } = setup(dir);
    try {
      const r = (await req('recordingFiles', undefined)) as RecordingFiles;
      expect(r.problem).toBeNull();
      expect(r.files.map((f) => f.name)).toEqual(['new.mcap', 'old.mcap']);
      expect(r.files[0]).toMatchObject({ recording: false, bytes: expect.any(Number) });

      const opened = (await req('openRecording', { name: 'new.mcap' })) as ReplayEntry;
      expect(opened.state.path).toBe(join(dir, 'new.mcap'));
      expect(core.planes.map((p) => p.config.id)).toEqual(['rec:p1']);
      expect(core.replayList().map((e) => e.id)).toEqual([opened.id]);

      // A name is a name: no paths, no links, nothing but .mcap, the field named.
      for (const name of ['../source.mcap', 'sub/new.mcap', '..\\\\x.mcap', 'notes.txt', '.hidden.mcap', '', 'x'.repeat(300) + '.mcap']) {
        await expect(req('openRecording', { name }), name).rejects.toThrow(/invalid swarmdeck:open-recording message at name/);
      }
      await expect(req('openRecording', { name: 'link.mcap' })).rejects.toThrow(/no recording "link.mcap"/);
      await expect(req('openRecording', { name: 'folder.mcap' })).rejects.toThrow(/no recording "folder.mcap"/);
      await expect(req('openRecording', { name: 'gone.mcap' })).rejects.toThrow(/no recording "gone.mcap"/);
      writeFileSync(join(dir, 'bad.mcap'), 'not an MCAP file at all');
      await expect(req('openRecording', { name: 'bad.mcap' })).rejects.toThrow(/bad\.mcap/);
      expect(core.replayList()).toHaveLength(1);

      // Closed: its planes leave the core and the timeline no longer lists it.
      const closed = await req('replay', { id: opened.id, action: 'close' });
      expect(closed).toMatchObject({ playing: false, path: join(dir, 'new.mcap') });
      expect(core.planes).toEqual([]);
      expect(core.replayList()).toEqual([]);
      expect(await req('replay', { id: opened.id, action: 'play' })).toBeNull();
    } finally {
      core.stop();
    }
  });

  it(`keeps at most ${MAX_OPEN_REPLAYS} recordings open, and says how to open another`, async () => {
    const dir = join(tmp.dir, 'many');
    mkdirSync(dir);
    copyFileSync(source, join(dir, 'a.mcap'));
    const { core, req } = setup(dir);
    try {
      for (let i = 0; i < MAX_OPEN_REPLAYS; i++) await req('openRecording', { name: 'a.mcap' });
      expect(core.replayList()).toHaveLength(MAX_OPEN_REPLAYS);
      const planes = core.planes.length;
      await expect(req('openRecording', { name: 'a.mcap' })).rejects.toThrow(new RegExp(`${MAX_OPEN_REPLAYS} recordings are already open: close one`));
      expect(core.planes.length).toBe(planes);
    } finally {
      core.stop();
    }
  }, 30_000);
});
