import { defineConfig } from 'vitest/config';

// Unit, integration and fuzz tests run in Node. End-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: ['test/{unit,integration,fuzz}/**/*.test.ts', 'test/{profiles,shell}/**/*.test.ts', 'renderer/src/panels/Profiles/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
