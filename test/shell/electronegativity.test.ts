// Electronegativity in `npm test`: offline, over electron/ and the page it
// loads, failing on any finding not justified in build/electronegativity-allowlist.json.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../profiles/helpers.js';

const run = (args: string[] = []) => spawnSync(process.execPath, ['scripts/electronegativity.mjs', ...args], { encoding: 'utf8', timeout: 180_000 });

describe('Electronegativity', () => {
  it('finds nothing in the app that the allowlist does not justify, and no stale allowlist entry', () => {
    const r = run();
    expect(r.stdout, r.stderr).toMatch(/electronegativity \(Electron 45\.5\.0\): \d+ findings, \d+ justified in build\/electronegativity-allowlist\.json, 0 not, 0 stale entries/);
    expect(r.stdout).not.toMatch(/^FINDING/m);
    expect(r.status).toBe(0);
  }, 180_000);

  it('fails on an insecure window it has no justification for', () => {
    const t = tempDir('swarmdeck-en-');
    try {
      writeFileSync(join(t.dir, 'main.js'), "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n");
      const r = run(['--input', t.dir]);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^FINDING +SANDBOX_JS_CHECK .* main\.js/m);
      expect(r.stdout).toMatch(/^FINDING +LIMIT_NAVIGATION_GLOBAL_CHECK/m);
      expect(r.stdout).toMatch(/^FINDING +CONTEXT_ISOLATION_JS_CHECK/m);
    } finally {
      t.cleanup();
    }
  }, 180_000);
});
