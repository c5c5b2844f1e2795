// Run by keychain.test.ts in a child process: under a private keyring
// (dbus-run-session + scripts/with-keychain.sh), or with no Secret Service at
// all. Prints one JSON line of what it saw; the token itself is printed only
// as "does it match".

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYCHAIN_SERVICE, KeychainSecretBackend } from '../../electron/core/profiles/secrets.js';
import { NoSecretStoreError, ProfileStore } from '../../electron/core/profiles/store.js';

const [dir, token] = [process.argv[2]!, process.argv[3]!];
const keychain = new KeychainSecretBackend();
const out: Record<string, unknown> = { unavailable: await keychain.unavailableReason() };
const store = await ProfileStore.open({ dir, secrets: keychain });
const p = await store.add({ name: 'Prod', url: 'wss://prod.example:443', color: '#123456' });
try {
  const saved = await store.setToken(p.id, token);
  out.auth = saved.auth;
  out.readBack = (await store.token(p.id)) === token;
  // An independent peer reads the Secret Service: libsecret's own tool.
  try {
    out.secretTool = execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', p.id], { encoding: 'utf8' }).trim() === token;
  } catch (e) {
    out.secretTool = `secret-tool failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  out.filesWithToken = readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(Buffer.from(token)));
  await store.remove(p.id);
  out.afterRemove = await keychain.get(p.id);
} catch (e) {
  out.refused = e instanceof NoSecretStoreError;
  out.message = e instanceof Error ? e.message : String(e);
  out.auth = store.get(p.id)?.auth;
  out.filesWithToken = readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(Buffer.from(token)));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
