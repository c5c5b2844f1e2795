import { defineConfig } from '@playwright/test';

// End-to-end tests. Browser mode runs in Debian's Chromium (never a downloaded
// browser); WebGL there is software (SwiftShader), so graphs stay small and
// nothing asserts a frame rate. The Electron test skips where no binary exists.
export const CHROMIUM = process.env.SWARMDECK_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // Two workers: each spec starts its own host on its own port and config folder.
  workers: 2,
  retries: 0,
  reporter: [['list']],
  projects: [
    {
      name: 'browser-mode',
      testMatch: /.*\.web\.spec\.ts/,
      use: {
        viewport: { width: 1200, height: 760 },
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--use-angle=swiftshader',
            '--enable-unsafe-swiftshader',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /.*\.electron\.spec\.ts/ },
  ],
});
