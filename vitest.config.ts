import { defineConfig } from 'vitest/config';

// Unit, integration and fuzz tests run in Node. End-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: ['test/{unit,integration,fuzz,hostile}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
