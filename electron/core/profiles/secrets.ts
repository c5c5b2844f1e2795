// Where tokens are kept, never in the profile file. A SecretBackend stores one
// token per profile id. Browser mode and the CLI use the OS keychain through
// @napi-rs/keyring (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows); Electron uses safeStorage (electron/shell/safe-storage.ts).
// Where neither works the store says so and keeps nothing, unless the operator
// has explicitly chosen the plain-text file (PlaintextSecretBackend in
// secret-file.ts), which is flagged wherever the profile is shown. No message
// here ever contains a token.

import type { AsyncEntry } from '@napi-rs/keyring';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { KEYCHAIN_TIMEOUT_MS, type SecretStoreKind } from '../../../shared/index.js';

export interface SecretBackend {
  readonly kind: SecretStoreKind;
  /** For messages: "the OS keychain (Secret Service)". */
  readonly label: string;
  /** null when usable; otherwise why not, in words an operator can act on. */
  unavailableReason(): Promise<string | null>;
  get(profileId: string): Promise<string | null>;
  set(profileId: string, token: string): Promise<void>;
  /** True when there was a token to delete. */
  delete(profileId: string): Promise<boolean>;
}

/** The keychain's service name: the app id, so entries are recognisable in the OS's keychain manager. */
export const KEYCHAIN_SERVICE = 'dev.swarmdeck.console';

const PROBE_ACCOUNT = '__swarmdeck_probe__-';

/** A keychain error, reduced to what went wrong: the binding's messages never include the secret, but we keep only the first line. */
function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? m).slice(0, 200);
}

/**
 * Gives up waiting after `ms`. The binding's own AbortSignal is not used: in
 * @napi-rs/keyring 2.1.2 a read given a signal answers null instead of
 * failing when there is no keychain (seen here without a DBus session).
 */
function withTimeout<T>(what: string, f: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms (is the keychain locked?)`)), ms);
  });
  return Promise.race([f(), timeout]).finally(() => clearTimeout(timer));
}

function platformKeychain(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/** /proc/keys is a few lines per key; more than this is not read. */
const PROC_KEYS_MAX_BYTES = 1 << 20;

/**
 * True when the kernel's keyring holds `account@service`. On Linux the binding
 * falls back to keyutils, silently, when no Secret Service answers on the
 * session bus (keyring-rs's keyutils store; keyring-node issue #142): a token
 * kept there is gone at the next reboot and readable by any process of the
 * session. A probe entry that lands there means there is no keychain.
 */
async function inKernelKeyring(account: string, service: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  let fh;
  try {
    fh = await open('/proc/keys', 'r');
    const buf = Buffer.alloc(PROC_KEYS_MAX_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, bytesRead).includes(`keyring:${account}@${service}`);
  } catch {
    return false; // no /proc/keys (a kernel without keys support): nothing to fall back to.
  } finally {
    await fh?.close();
  }
}

/** How long asking the session bus who serves Secret Service may take. */
const BUS_QUERY_MS = 3000;

function busCall(method: string, arg?: string): Promise<string | null> {
  const args = ['--session', '--print-reply', `--reply-timeout=${BUS_QUERY_MS}`, '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', `org.freedesktop.DBus.${method}`, ...(arg ? [arg] : [])];
  return new Promise((resolve) => {
    execFile('dbus-send', args, { timeout: BUS_QUERY_MS + 1000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? null : '');
      else resolve(stdout);
    });
  });
}

/**
 * On Linux, why no Secret Service can answer on the session bus, or null when
 * one owns (or can be started for) org.freedesktop.secrets. Asked before the
 * binding is trusted: with no Secret Service it falls back, silently, to the
 * kernel keyring (keyring-node issue #142), and whether a probe then shows in
 * /proc/keys is not reliable. Without dbus-send (not installed) the probe
 * alone decides.
 */
async function secretServiceMissing(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  if (!env.DBUS_SESSION_BUS_ADDRESS && !env.XDG_RUNTIME_DIR) return 'there is no session bus (DBUS_SESSION_BUS_ADDRESS is not set)';
  const owned = await busCall('NameHasOwner', 'string:org.freedesktop.secrets');
  if (owned === null) return null; // no dbus-send: the probe decides.
  if (owned === '') return 'the session bus does not answer';
  if (/boolean true/.test(owned)) return null;
  const activatable = await busCall('ListActivatableNames');
  if (activatable && activatable.includes('"org.freedesktop.secrets"')) return null;
  return 'no Secret Service (org.freedesktop.secrets) is running on the session bus';
}

/** The OS keychain via @napi-rs/keyring. */
export class KeychainSecretBackend implements SecretBackend {
  readonly kind = 'keychain' as const;
  readonly label = `the OS keychain (${platformKeychain()})`;

  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly timeoutMs: number = KEYCHAIN_TIMEOUT_MS,
  ) {}

  private call<T>(what: string, f: (e: AsyncEntry) => Promise<T>, account: string): Promise<T> {
    // The native binding is loaded on first use: commands that never touch a token do not load it.
    return withTimeout(`${this.label}: ${what}`, async () => f(new (await import('@napi-rs/keyring')).AsyncEntry(this.service, account)), this.timeoutMs);
  }

  async unavailableReason(): Promise<string | null> {
    const missing = await secretServiceMissing();
    if (missing !== null) return `${this.label} is not available: ${missing}`;
    // A write and delete of a probe entry: a read is no probe, since the binding's first read in a
    // process sometimes answers null where there is no keychain at all (seen here without DBus).
    // A name of its own: a probe left in the kernel keyring by an earlier process is not this one.
    const account = `${PROBE_ACCOUNT}${process.pid}-${randomBytes(4).toString('hex')}`;
    let failed: string | null = null;
    try {
      await this.call('probe', (e) => e.setPassword('probe'), account);
    } catch (e) {
      failed = reason(e);
    }
    // The fallback may keep the probe even when the write reports an error: look, then remove it.
    const fellBack = await inKernelKeyring(account, this.service);
    await this.call('probe cleanup', (e) => e.deletePassword(), account).catch(() => false);
    if (fellBack) return `${this.label} is not available: no Secret Service answered on the session bus (the kernel keyring it would fall back to loses tokens at reboot)`;
    return failed === null ? null : `${this.label} is not available: ${failed}`;
  }

  async get(profileId: string): Promise<string | null> {
    try {
      return (await this.call('read', (e) => e.getPassword(), profileId)) ?? null;
    } catch (e) {
      throw new Error(`could not read the token of profile ${profileId} from ${this.label}: ${reason(e)}`);
    }
  }

  async set(profileId: string, token: string): Promise<void> {
    try {
      await this.call('write', (e) => e.setPassword(token), profileId);
    } catch (e) {
      throw new Error(`could not save the token of profile ${profileId} in ${this.label}: ${reason(e)}`);
    }
  }

  async delete(profileId: string): Promise<boolean> {
    try {
      return await this.call('delete', (e) => e.deletePassword(), profileId);
    } catch (e) {
      throw new Error(`could not delete the token of profile ${profileId} from ${this.label}: ${reason(e)}`);
    }
  }
}
