// The profile store's JsonFile in the desktop app: electron-store, which is
// conf underneath, so the file is the same one browser mode and the CLI write.

import { ipcMain } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { FILE_MODE, type JsonFileFactory } from '../core/profiles/index.js';

const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

export const electronStoreFile: JsonFileFactory = (dir, name) => {
  // Made on first write, like confJsonFile: the profile store has read (and if need be moved aside) the file first.
  let store: Store<Record<string, unknown>> | null = null;
  return {
    path: join(dir, `${name}.json`),
    write(value) {
      if (!store) {
        store = new Store<Record<string, unknown>>({ cwd: dir, name, configFileMode: FILE_MODE, clearInvalidConfig: false, accessPropertiesByDotNotation: false, watch: false });
        // electron-store answers renderers on this channel (for its renderer API, unused here) with no sender check: closed.
        ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
      }
      store.store = value;
    },
  };
};
