// Where the Electron binary is, without triggering its lazy download
// (node_modules/electron downloads on first require when the binary is missing).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Absolute path of the Electron executable, or null when it is not installed. */
export function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return existsSync(p) ? p : null;
  }
  let pkg;
  try {
    pkg = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** Tries the Electron package's own installer once; true when a binary is then present. */
export async function tryInstallElectron() {
  const { spawnSync } = await import('node:child_process');
  let pkg;
  try {
    pkg = dirname(require.resolve('electron/package.json'));
  } catch {
    return false;
  }
  console.error('swarmdeck: downloading the Electron binary...');
  const r = spawnSync(process.execPath, [join(pkg, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0 && electronBinary() !== null) return true;
  // The installer prints a stack trace; one line of it is the reason.
  const reason = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status}`;
  console.error(`swarmdeck: Electron download failed: ${reason.trim()}`);
  return false;
}
