// The token path against a real keychain: GNOME Keyring's Secret Service in a
// private DBus session (scripts/with-keychain.sh), read back both through the
// store and by libsecret's own secret-tool. Where the tools are missing (a dev
// machine) the round trip skips and says why; CI sets
// SWARMDECK_REQUIRE_KEYCHAIN=1, which makes the missing tools a failure.
// The refusal path (no Secret Service at all) runs everywhere.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/profiles.js';

const TOKEN = 'kc-7d1e0f5a9b3c4e21-secret';
const TSX = 'node_modules/.bin/tsx';
const CHILD = 'test/profiles/keychain.child.ts';
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].filter((c) => !has(c));
const required = process.env.SWARMDECK_REQUIRE_KEYCHAIN === '1';
const SKIP_MESSAGE = `keychain round trip skipped: ${missing.join(', ')} not installed (apt-get install gnome-keyring dbus dbus-x11 libsecret-tools; CI sets SWARMDECK_REQUIRE_KEYCHAIN=1 and fails instead)`;

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir('swarmdeck-keychain-');
});
afterEach(() => t.cleanup());

function child(cmd: string, args: string[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('OS keychain (Secret Service)', () => {
  if (missing.length > 0 && !required) console.warn(`swarmdeck: ${SKIP_MESSAGE}`);

  it.skipIf(missing.length > 0 && !required)('round trip: saved in the keychain, read back by the store and by secret-tool, never in a file, deleted with its profile', () => {
    expect(missing, SKIP_MESSAGE).toEqual([]);
    const out = child('dbus-run-session', ['--', 'bash', 'scripts/with-keychain.sh', TSX, CHILD, t.dir, TOKEN], { ...process.env });
    expect(out).toEqual({ unavailable: null, auth: { type: 'token', store: 'keychain' }, readBack: true, secretTool: true, filesWithToken: [], afterRemove: null });
  });

  it.skipIf(process.platform !== 'linux')('with no Secret Service it says so and keeps the token nowhere', () => {
    const out = child(TSX, [CHILD, t.dir, TOKEN], { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/swarmdeck-no-bus' });
    expect(out.unavailable).toMatch(/^the OS keychain \(Secret Service\) is not available: /);
    expect(out.refused).toBe(true);
    expect(out.message).toMatch(/was not saved.*token command.*SWARMDECK_TOKEN/);
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(out.auth).toEqual({ type: 'none' });
    expect(out.filesWithToken).toEqual([]);
  });
});
