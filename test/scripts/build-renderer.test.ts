// scripts/build-renderer.mjs: builds only when the renderer's sources changed,
// into a fresh folder swapped in whole, so two launches at once both end with a
// complete build and a current app starts without building.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = 'scripts/build-renderer.mjs';
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-build-'));
const out = join(dir, 'renderer');
const build = (): Promise<{ stdout: string; stderr: string }> => run(process.execPath, [SCRIPT, '--out', out], { timeout: 240_000 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build:renderer', () => {
  it('two launches at once each leave a whole build; a third, with nothing changed, builds nothing; a changed id builds again', { timeout: 300_000 }, async () => {
    await Promise.all([build(), build()]);
    const id = readFileSync(join(out, '.build-id'), 'utf8').trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<div id="root"');
    // Nothing of the two builds' temporary folders is left beside it.
    expect(readdirSync(dir)).toEqual(['renderer']);

    const before = statSync(join(out, 'index.html'));
    await build();
    const after = statSync(join(out, 'index.html'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);

    // An id that no longer matches the sources (a source changed) rebuilds and swaps.
    writeFileSync(join(out, '.build-id'), 'stale\n');
    await build();
    expect(readFileSync(join(out, '.build-id'), 'utf8').trim()).toBe(id);
    expect(statSync(join(out, 'index.html')).ino).not.toBe(before.ino);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });
});

