// One JSON file in the config directory, written atomically (temporary file,
// then rename: a crash or a full disk leaves the old file whole). Browser mode
// and the CLI write through `conf`; Electron through electron-store, which is
// conf underneath (electron/shell/electron-store-file.ts): one file format.
// Reading is the profile store's own (raw bytes, bounded), because conf parses
// on construction and can only throw or clear on a corrupt file, and the store
// must recover what was valid in it.

import { readFileSync, statSync } from 'node:fs';

export interface JsonFile {
  readonly path: string;
  /** Replaces the file's content atomically. */
  write(value: Record<string, unknown>): void;
}

/** Makes the JsonFile `name`.json in `dir` (mode 0600: it names the planes an operator can reach). */
export type JsonFileFactory = (dir: string, name: string) => JsonFile;

export const FILE_MODE = 0o600;

export class FileTooLargeError extends Error {}

/** The file's text, or null when it does not exist. Refuses a file over `maxBytes` unread. */
export function readTextBounded(path: string, maxBytes: number): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return null;
  if (st.size > maxBytes) throw new FileTooLargeError(`${path} is ${st.size} bytes, more than the ${maxBytes} a profile file may have`);
  return readFileSync(path, 'utf8');
}
