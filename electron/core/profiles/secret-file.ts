// Tokens in a JSON file ({profileId: sealed token}, mode 0600) beside the
// profile file: the plain-text choice (below) and the desktop app's
// safeStorage (electron/shell/safe-storage.ts). The file is handled here
// once; a backend supplies only how a token is sealed for the file and
// opened again (not at all, or encrypted).

import { readTextBounded, type JsonFile, type JsonFileFactory } from './json-file.js';
import { MAX_PROFILE_FILE_BYTES, type SecretStoreKind } from '../../../shared/index.js';
import type { SecretBackend } from './secrets.js';

export interface TokenSeal {
  /** null when tokens can be sealed here; otherwise why not, in words an operator can act on. */
  unavailableReason(): Promise<string | null>;
  /** The token as the file keeps it. */
  seal(token: string): string;
  /** The token again; throws (naming the profile, never the token) when it cannot. */
  open(sealed: string, profileId: string): string;
}

export class FileSecretBackend implements SecretBackend {
  private readonly file: JsonFile;
  private readonly sealer: TokenSeal;

  constructor(
    readonly kind: SecretStoreKind,
    readonly label: string,
    opts: { dir: string; fileName: string; files: JsonFileFactory; seal: TokenSeal },
  ) {
    this.file = opts.files(opts.dir, opts.fileName);
    this.sealer = opts.seal;
  }

  /** Every entry that is a string; an unreadable, oversized or damaged file holds none. */
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

  unavailableReason(): Promise<string | null> {
    return this.sealer.unavailableReason();
  }

  async get(profileId: string): Promise<string | null> {
    const all = this.read();
    return Object.hasOwn(all, profileId) ? this.sealer.open(all[profileId]!, profileId) : null;
  }

  async set(profileId: string, token: string): Promise<void> {
    const why = await this.unavailableReason();
    if (why) throw new Error(why);
    this.file.write({ ...this.read(), [profileId]: this.sealer.seal(token) });
  }

  async delete(profileId: string): Promise<boolean> {
    const all = this.read();
    if (!Object.hasOwn(all, profileId)) return false;
    delete all[profileId];
    this.file.write(all);
    return true;
  }
}

/** The plain-text file keeps the token as it is. */
const NO_SEAL: TokenSeal = { unavailableReason: async () => null, seal: (token) => token, open: (sealed) => sealed };

/**
 * Tokens in a plain-text file (mode 0600) beside the profile file. Used only
 * after the operator's explicit, recorded choice (settings.plaintextSecrets);
 * profiles using it carry auth.store "plaintext" and are flagged.
 */
export class PlaintextSecretBackend extends FileSecretBackend {
  static readonly FILE_NAME = 'tokens-plaintext';

  constructor(dir: string, files: JsonFileFactory) {
    super('plaintext', 'the plain-text token file', { dir, fileName: PlaintextSecretBackend.FILE_NAME, files, seal: NO_SEAL });
  }
}
