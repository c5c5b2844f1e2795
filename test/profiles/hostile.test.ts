// Hostile and damaged profile files: whatever is on disk, opening the store
// never throws, never grows without bound, and keeps every valid profile.

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PROFILE_FILE_BYTES } from '../../shared/limits.js';
import { PROFILE_SCHEMA_VERSION, ProfileSchema } from '../../shared/profiles/schema.js';
import { ProfileStore } from '../../electron/core/profiles/store.js';
import { MemorySecrets, tempDir } from '../helpers/profiles.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());
const file = (): string => join(t.dir, 'profiles.json');
const open = (): Promise<ProfileStore> => ProfileStore.open({ dir: t.dir, secrets: new MemorySecrets() });

describe('hostile profile files', () => {
  it('a file over the size limit is moved aside unread', async () => {
    writeFileSync(file(), Buffer.alloc(MAX_PROFILE_FILE_BYTES + 1, 0x20));
    const s = await open();
    expect(s.report.corrupt?.reason).toMatch(/more than the 4194304 a profile file may have/);
    expect(s.list()).toEqual([]);
  });

  it('deeply nested JSON is a corrupt file, not a crash', async () => {
    writeFileSync(file(), `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    const s = await open();
    expect(s.report.corrupt).toBeDefined();
  });

  it('prototype keys in an entry are refused by field, never merged', async () => {
    writeFileSync(file(), `{"version":${PROFILE_SCHEMA_VERSION},"profiles":[{"id":"a","name":"A","url":"ws://a:1","color":"#000000","__proto__":{"polluted":true}}]}`);
    const s = await open();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(s.report.corrupt?.invalid[0]?.error).toMatch(/^profile: unknown field __proto__/);
  });

  it('property: valid profiles mixed with arbitrary junk entries are all kept, the junk reported, and a second open is clean', async () => {
    const valid = fc.record({
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\w .-]+$/.test(s) && s.trim().length > 0),
      port: fc.integer({ min: 1, max: 65535 }),
      pinned: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(valid, { maxLength: 6 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), async (goods, junk, order) => {
        const d = tempDir();
        try {
          const profiles = goods.map((g, i) => ({ id: `p${i}`, name: `${g.name.trim()} ${i}`, url: `ws://h:${g.port}`, color: '#123456', pinned: g.pinned }));
          const entries: unknown[] = [...profiles];
          for (const [i, j] of junk.entries()) entries.splice((order[i] ?? 0) % (entries.length + 1), 0, j);
          writeFileSync(join(d.dir, 'profiles.json'), JSON.stringify({ version: PROFILE_SCHEMA_VERSION, profiles: entries }));
          const s = await ProfileStore.open({ dir: d.dir, secrets: null });
          const junkValid = junk.filter((j) => ProfileSchema.safeParse(j).success).length;
          expect(s.list().filter((p) => /^p\d+$/.test(p.id)).map((p) => p.id).sort()).toEqual(expect.arrayContaining(profiles.map((p) => p.id).sort()));
          expect(s.list().length).toBe(profiles.length + junkValid);
          const again = await ProfileStore.open({ dir: d.dir, secrets: null });
          expect(again.report.corrupt).toBeUndefined();
          expect(again.list()).toEqual(s.list());
          expect(readdirSync(d.dir).filter((f) => f.startsWith('profiles.corrupt-')).length).toBeLessThanOrEqual(1);
        } finally {
          d.cleanup();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
