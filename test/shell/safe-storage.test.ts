// The desktop app's token store with Electron's safeStorage stood in by a
// fake (Electron cannot run here): 'basic_text' on Linux is refused as no
// secret store, and with real encryption the token file holds only ciphertext.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { confJsonFile } from '../../electron/core/profiles/conf-file.js';
import { NoSecretStoreError, ProfileStore } from '../../electron/core/profiles/store.js';
import { filesContaining, tempDir } from '../helpers/profiles.js';

const fake = vi.hoisted(() => ({ backend: 'gnome_libsecret', available: true }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => fake.available,
    getSelectedStorageBackend: () => fake.backend,
    // A stand-in cipher: the bytes reversed and xored, so the plain token is nowhere in the output.
    encryptString: (s: string) => Buffer.from([...Buffer.from(s)].reverse().map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a).reverse()).toString(),
  },
}));
const { SafeStorageSecretBackend } = await import('../../electron/shell/safe-storage.js');

const TOKEN = 'safe-4a1b2c3d-secret';
let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
  fake.backend = 'gnome_libsecret';
  fake.available = true;
});
afterEach(() => t.cleanup());
const open = (): Promise<ProfileStore> => ProfileStore.open({ dir: t.dir, secrets: new SafeStorageSecretBackend(t.dir, confJsonFile), files: confJsonFile });

describe('safeStorage secret backend', () => {
  it('keeps the token encrypted beside the profile file and reads it back', async () => {
    const s = await open();
    const p = await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456' }, TOKEN);
    expect(p.auth).toEqual({ type: 'token', store: 'safe-storage' });
    expect(await s.token(p.id)).toBe(TOKEN);
    expect(Object.keys(JSON.parse(readFileSync(join(t.dir, 'tokens-safe-storage.json'), 'utf8')) as object)).toEqual([p.id]);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
    await s.remove(p.id);
    expect(JSON.parse(readFileSync(join(t.dir, 'tokens-safe-storage.json'), 'utf8'))).toEqual({});
  });

  it.runIf(process.platform === 'linux')("refuses 'basic_text' (no OS secret store) and keeps nothing", async () => {
    fake.backend = 'basic_text';
    const s = await open();
    const p = await s.add({ name: 'Prod', url: 'wss://prod:443', color: '#123456' });
    const err = await s.setToken(p.id, TOKEN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSecretStoreError);
    expect((err as Error).message).toMatch(/no OS secret store is running \(safeStorage reports 'basic_text'.*token command.*SWARMDECK_TOKEN/);
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
  });

  it('refuses when safeStorage cannot encrypt at all', async () => {
    fake.available = false;
    expect(await new SafeStorageSecretBackend(t.dir, confJsonFile).unavailableReason()).toMatch(/cannot encrypt/);
  });
});
