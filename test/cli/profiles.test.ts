// `npm run -s swarmdeck -- profiles ...` as a user runs it: spawned, with
// SWARMDECK_CONFIG_DIR pointing at a temporary directory and no Secret
// Service (so the refusal path and the recorded plain-text choice are seen).
// The token goes in on stdin and never comes out on stdout or stderr.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesContaining, tempDir } from '../helpers/profiles.js';

const TOKEN = 'cli-0b9f4c2a7e-secret';
const t = tempDir();
afterAll(() => t.cleanup());

function cli(args: string[], input = ''): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/core/cli/main.ts', 'profiles', ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SWARMDECK_CONFIG_DIR: t.dir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/swarmdeck-no-bus', SWARMDECK_TOKEN: '' },
  });
  expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(process.platform !== 'linux')('profiles CLI', () => {
  it('lists the first-launch profile', () => {
    const r = cli(['list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Local simulator\tsimulator \(swarmdeck, 200 agents at 30 Hz\)\tno token/);
    expect(r.err).toMatch(/created .*profiles\.json with the "Local simulator" profile/);
  });

  it('refuses --token on the command line, and a stdin token when there is no keychain, adding nothing', { timeout: 90_000 }, () => {
    const flag = cli(['add', 'Prod', '--url', 'wss://prod:443', '--token', 'in-argv']);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/does not take --token .*ps and shell history.*--token-stdin/);
    const r = cli(['add', 'Prod', '--url', 'wss://prod:443', '--token-stdin'], `${TOKEN}\n`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/token was not saved and the profile was not added: the OS keychain .*not available.*--token-command.*SWARMDECK_TOKEN.*--allow-plaintext-token/);
    expect(cli(['list']).out).not.toContain('Prod');
  });

  it('add with the recorded plain-text choice, show, list (flagged), export without the token, remove', { timeout: 180_000 }, () => {
    const add = cli(['add', 'Prod', '--url', 'wss://prod:443', '--token-stdin', '--allow-plaintext-token', '--tag', 'eu', '--group', 'Ops', '--pin'], `${TOKEN}\n`);
    expect(add.code).toBe(0);
    expect(add.out).toContain('added "Prod" (token in PLAIN TEXT (flagged))');
    expect(add.err).toMatch(/WARNING: the token of "Prod" is kept in PLAIN TEXT/);
    expect(cli(['add', 'Dev', '--url', 'ws://dev:1', '--token-command', 'get-token --env dev']).code).toBe(0);
    expect(cli(['add', 'Bad', '--url', 'http://bad']).err).toMatch(/url: must be a ws:\/\/ or wss:\/\/ URL/);

    const list = cli(['list']).out.trim().split('\n');
    expect(list[0]).toBe('Prod\twss://prod:443\ttoken in PLAIN TEXT (flagged)\tpinned · group Ops · tags eu');
    expect(list).toContain('Dev\tws://dev:1\ttoken command: get-token --env dev');
    const show = JSON.parse(cli(['show', 'prod']).out) as Record<string, unknown>;
    expect(show).toMatchObject({ name: 'Prod', auth: { type: 'token', store: 'plaintext' }, group: 'Ops' });

    const exported = cli(['export', 'Prod', 'Dev']);
    expect(exported.code).toBe(0);
    const doc = JSON.parse(exported.out) as { profiles: { name: string; auth: unknown }[]; tokensOmitted: string[] };
    expect(doc.profiles.map((p) => [p.name, p.auth])).toEqual([
      ['Prod', { type: 'none' }],
      ['Dev', { type: 'command', command: 'get-token', args: ['--env', 'dev'] }],
    ]);
    expect(doc.tokensOmitted).toEqual(['Prod']);
    writeFileSync(join(t.dir, 'export.json'), exported.out);

    const removed = cli(['remove', 'Prod']);
    expect(removed.out).toContain('removed "Prod" and its token');
    expect(filesContaining(t.dir, TOKEN)).toEqual([]);

    const imported = cli(['import', join(t.dir, 'export.json')]);
    expect(imported.code).toBe(0);
    // One line per profile; the dropped program is said on the profile's own line, under the name it was imported as.
    expect(imported.out.split('\n')).toEqual(['imported "Prod"', expect.stringMatching(/^imported "Dev \(2\)" without auth\.command "get-token" \(imported profiles never run a program/), '']);
    expect(readFileSync(join(t.dir, 'profiles.json'), 'utf8')).not.toContain(TOKEN);
    expect(cli(['show', 'nope']).err).toMatch(/no profile "nope"/);
  });
});
