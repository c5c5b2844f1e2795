// Shared by the profile tests: a temporary config directory and an in-memory
// secret backend (the real keychain has its own test, keychain.test.ts).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretBackend } from '../../electron/core/profiles/secrets.js';

export function tempDir(prefix = 'swarmdeck-profiles-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export class MemorySecrets implements SecretBackend {
  readonly kind = 'keychain' as const;
  readonly label = 'the test keychain';
  readonly entries = new Map<string, string>();
  constructor(public unavailable: string | null = null) {}
  async unavailableReason(): Promise<string | null> {
    return this.unavailable;
  }
  async get(id: string): Promise<string | null> {
    return this.entries.get(id) ?? null;
  }
  async set(id: string, token: string): Promise<void> {
    if (this.unavailable) throw new Error(this.unavailable);
    this.entries.set(id, token);
  }
  async delete(id: string): Promise<boolean> {
    return this.entries.delete(id);
  }
}

/** Every file in `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const b = Buffer.from(needle);
  return readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(b));
}
