// Tokens in the desktop app: encrypted with Electron's safeStorage (the OS
// keychain's key), the ciphertext kept in tokens-safe-storage.json beside the
// profile file. On Linux without a secret service safeStorage falls back to
// 'basic_text', a fixed key: that is refused as no secret store at all.

import { safeStorage } from 'electron';
import { MAX_PROFILE_FILE_BYTES } from '../../shared/index.js';
import { type JsonFileFactory, readTextBounded, type SecretBackend } from '../core/profiles/index.js';

export class SafeStorageSecretBackend implements SecretBackend {
  static readonly FILE_NAME = 'tokens-safe-storage';
  readonly kind = 'safe-storage' as const;
  readonly label = "the desktop app's safeStorage";
  private readonly file;

  constructor(dir: string, factory: JsonFileFactory) {
    this.file = factory(dir, SafeStorageSecretBackend.FILE_NAME);
  }

  async unavailableReason(): Promise<string | null> {
    if (!safeStorage.isEncryptionAvailable()) return 'safeStorage cannot encrypt on this system';
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return "no OS secret store is running (safeStorage reports 'basic_text', which only obfuscates)";
    }
    return null;
  }

  private read(): Record<string, string> {
    try {
      const text = readTextBounded(this.file.path, MAX_PROFILE_FILE_BYTES);
      const v: unknown = text === null ? {} : JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }

  async get(profileId: string): Promise<string | null> {
    const all = this.read();
    if (!Object.hasOwn(all, profileId)) return null;
    try {
      return safeStorage.decryptString(Buffer.from(all[profileId]!, 'base64'));
    } catch (e) {
      throw new Error(`could not decrypt the token of profile ${profileId}: ${e instanceof Error ? e.message.split('\n')[0] : 'unknown error'}`);
    }
  }

  async set(profileId: string, token: string): Promise<void> {
    const why = await this.unavailableReason();
    if (why) throw new Error(why);
    this.file.write({ ...this.read(), [profileId]: safeStorage.encryptString(token).toString('base64') });
  }

  async delete(profileId: string): Promise<boolean> {
    const all = this.read();
    if (!Object.hasOwn(all, profileId)) return false;
    delete all[profileId];
    this.file.write(all);
    return true;
  }
}
