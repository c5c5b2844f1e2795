// The token file both file backends share (profiles/secret-file.ts): what a
// damaged or oversized file yields, what a seal that cannot be used leaves
// behind (nothing), and that the file holds only what the seal made of a token.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confJsonFile } from '../../electron/core/profiles/conf-file.js';
import { FileSecretBackend, PlaintextSecretBackend, type TokenSeal } from '../../electron/core/profiles/secret-file.js';
import { MAX_PROFILE_FILE_BYTES } from '../../shared/limits.js';
import { filesContaining, tempDir } from '../helpers/profiles.js';

const TOKEN = 'file-3e9a1c7b-secret';
let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

/** Reverses the token; refuses while `why` is set; cannot open what it did not seal. */
function seal(state: { why: string | null }): TokenSeal {
  return {
    unavailableReason: async () => state.why,
    seal: (token) => `R:${[...token].reverse().join('')}`,
    open: (sealed, id) => {
      if (!sealed.startsWith('R:')) throw new Error(`could not open the token of profile ${id}`);
      return [...sealed.slice(2)].reverse().join('');
    },
  };
}

const backend = (state = { why: null as string | null }): FileSecretBackend =>
  new FileSecretBackend('safe-storage', 'the test seal', { dir: t.dir, fileName: 'tokens-test', files: confJsonFile, seal: seal(state) });
const file = (): string => join(t.dir, 'tokens-test.json');

describe('token file', () => {
  it('keeps only the sealed token, reads it back, deletes it', async () => {
    const b = backend();
    await b.set('p1', TOKEN);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ p1: `R:${[...TOKEN].reverse().join('')}` });
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
    expect(await b.get('p1')).toBe(TOKEN);
    expect([await b.delete('p1'), await b.delete('p1'), await b.get('p1')]).toEqual([true, false, null]);
  });

  it('a seal that cannot be used refuses with its reason and writes nothing', async () => {
    const b = backend({ why: 'no secret store here' });
    await expect(b.set('p1', TOKEN)).rejects.toThrow('no secret store here');
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);
    expect(await b.get('p1')).toBeNull();
  });

  it('a damaged, non-object or oversized file holds no tokens, and the next write replaces it whole', async () => {
    for (const bad of ['{"p1": "R:x', '["R:x"]', 'null', `{"p1":"R:${'x'.repeat(MAX_PROFILE_FILE_BYTES)}"}`]) {
      writeFileSync(file(), bad);
      expect(await backend().get('p1'), bad.slice(0, 20)).toBeNull();
    }
    await backend().set('p2', 'tok');
    expect(Object.keys(JSON.parse(readFileSync(file(), 'utf8')) as object)).toEqual(['p2']);
  });

  it('entries that are not strings are left out; one the seal cannot open fails naming the profile, not the token', async () => {
    writeFileSync(file(), JSON.stringify({ p1: 42, p2: 'plain', p3: 'R:ab' }));
    const b = backend();
    expect(await b.get('p1')).toBeNull();
    await expect(b.get('p2')).rejects.toThrow('could not open the token of profile p2');
    expect(await b.get('p3')).toBe('ba');
  });

  it('the plain-text backend is the same file with no seal', async () => {
    const b = new PlaintextSecretBackend(t.dir, confJsonFile);
    expect([b.kind, await b.unavailableReason()]).toEqual(['plaintext', null]);
    await b.set('p1', TOKEN);
    expect(JSON.parse(readFileSync(join(t.dir, 'tokens-plaintext.json'), 'utf8'))).toEqual({ p1: TOKEN });
    expect(await b.get('p1')).toBe(TOKEN);
  });
});
