// The desktop app's profile store: the same file as browser mode and the CLI
// (the config directory), written through electron-store, with tokens in
// safeStorage.

import { defaultConfigDir, ProfileStore } from '../core/profiles/index.js';
import { electronStoreFile } from './electron-store-file.js';
import { SafeStorageSecretBackend } from './safe-storage.js';

export function openElectronProfileStore(dir: string = defaultConfigDir()): Promise<ProfileStore> {
  return ProfileStore.open({ dir, secrets: new SafeStorageSecretBackend(dir, electronStoreFile), files: electronStoreFile });
}
