import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit, integration and fuzz tests run in Node. End-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  // The renderer's files (tested under test/renderer/) import the shared module as @shared, as in renderer/vite.config.ts.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Hosts started by tests (and their children) open the profile store: never the user's own.
    env: { SWARMDECK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'swarmdeck-vitest-config-')) },
  },
});
