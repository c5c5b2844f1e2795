import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The long files start first, so the two workers finish together: the fuzzer
// and the soak run for minutes beside everything else, not after it (a fresh
// clone has no duration cache to order by).
const FIRST = [/test\/fuzz\//, /test\/soak\//, /test\/hostile\//];
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = FIRST.findIndex((re) => re.test(f.moduleId));
      return i < 0 ? FIRST.length : i;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

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
    // Two workers on CI's two cores (vitest's default there is one).
    maxWorkers: 2,
    sequence: { sequencer: LongFirst },
    // Hosts started by tests (and their children) open the profile store: never the user's own.
    env: { SWARMDECK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'swarmdeck-vitest-config-')), SWARMDECK_CACHE_DIR: mkdtempSync(join(tmpdir(), 'swarmdeck-vitest-cache-')) },
  },
});
