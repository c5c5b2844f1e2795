import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit, integration and fuzz tests run in Node. End-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Hosts started by tests (and their children) open the profile store: never the user's own.
    env: { SWARMDECK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'swarmdeck-vitest-config-')) },
  },
});
