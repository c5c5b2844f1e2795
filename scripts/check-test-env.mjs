// `npm test` pre-flight: the end-to-end tests drive Debian's Chromium
// (never a downloaded browser). On a fresh Debian machine as root, install it;
// elsewhere, say exactly what is missing instead of failing deep in Playwright.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.SWARMDECK_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (root && apt) {
    console.error(`swarmdeck: ${chromium} is missing; installing Debian's chromium for the end-to-end tests`);
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium xvfb'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  } else {
    console.error(
      `swarmdeck: the end-to-end tests need Chromium at ${chromium}.\n` +
        '  On Debian/Ubuntu: sudo apt-get install -y chromium xvfb\n' +
        '  Or point SWARMDECK_CHROMIUM at another Chromium binary.',
    );
    process.exit(1);
  }
}
