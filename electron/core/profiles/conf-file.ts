// The JsonFile of browser mode and the CLI: conf (atomic writes through its
// `atomically` dependency). Loaded only when a profile store is opened, so the
// commands that never touch profiles do not pay for conf and ajv at start-up.

import { join } from 'node:path';
import Conf from 'conf';
import { FILE_MODE, type JsonFileFactory } from './json-file.js';

export const confJsonFile: JsonFileFactory = (dir, name) => {
  // Made on first write: conf reads the file when constructed, and the store has already read (and if need be moved aside) a corrupt one.
  let conf: Conf<Record<string, unknown>> | null = null;
  return {
    path: join(dir, `${name}.json`),
    write(value) {
      conf ??= new Conf<Record<string, unknown>>({ cwd: dir, configName: name, configFileMode: FILE_MODE, clearInvalidConfig: false, accessPropertiesByDotNotation: false, watch: false });
      conf.store = value;
    },
  };
};

