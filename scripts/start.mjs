// `npm start [-- --url ws://HOST:PORT --token T]`: build, then launch the
// Electron app. Where no Electron binary can be had (an offline machine), say
// so and run the same core and renderer in browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary, tryInstallElectron } from './electron-binary.mjs';

const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = spawnSync(npm, ['run', '-s', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let exe = electronBinary();
if (!exe && (await tryInstallElectron())) exe = electronBinary();

const run = (cmd, argv) => {
  const child = spawn(cmd, argv, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
};

if (exe) {
  run(exe, ['.', ...args]);
} else {
  console.error(
    'swarmdeck: the Electron binary is not installed and could not be downloaded here.\n' +
      '  Starting browser mode instead (same core, same renderer); open the URL below.\n' +
      '  To get the desktop app, run `npx install-electron` on a machine with network access.',
  );
  run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/core/cli/main.ts', 'web', ...args]);
}
