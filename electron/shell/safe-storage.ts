// Tokens in the desktop app: encrypted with Electron's safeStorage (the OS
// keychain's key), the ciphertext kept in tokens-safe-storage.json beside the
// profile file (profiles/secret-file.ts handles the file). On Linux without a
// secret service safeStorage falls back to 'basic_text', a fixed key: that is
// refused as no secret store at all.

import { safeStorage } from 'electron';
import { FileSecretBackend, type JsonFileFactory, type TokenSeal } from '../core/profiles/index.js';

const SAFE_STORAGE: TokenSeal = {
  async unavailableReason() {
    if (!safeStorage.isEncryptionAvailable()) return 'safeStorage cannot encrypt on this system';
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return "no OS secret store is running (safeStorage reports 'basic_text', which only obfuscates)";
    }
    return null;
  },
  seal: (token) => safeStorage.encryptString(token).toString('base64'),
  open(sealed, profileId) {
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch (e) {
      throw new Error(`could not decrypt the token of profile ${profileId}: ${e instanceof Error ? e.message.split('\n')[0] : 'unknown error'}`);
    }
  },
};

export class SafeStorageSecretBackend extends FileSecretBackend {
  static readonly FILE_NAME = 'tokens-safe-storage';

  constructor(dir: string, files: JsonFileFactory) {
    super('safe-storage', "the desktop app's safeStorage", { dir, fileName: SafeStorageSecretBackend.FILE_NAME, files, seal: SAFE_STORAGE });
  }
}
