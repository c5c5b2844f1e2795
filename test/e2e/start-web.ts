// Starts `swarmdeck web` (what `npm run start:web` runs after building) as a
// child process and reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WebApp {
  url: string;
  /** The child process (its CPU and memory, for benches). */
  pid: number;
  /** The agent count the embedded simulator reported on start-up. */
  simAgents: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `env`: added to the child's environment. Without SWARMDECK_CONFIG_DIR there
 * the child gets a temporary one (removed on stop), so a test never writes
 * the profile store of the user running it.
 */
export async function startWeb(args: string[], env: NodeJS.ProcessEnv = {}): Promise<WebApp> {
  const configDir = env.SWARMDECK_CONFIG_DIR === undefined ? mkdtempSync(join(tmpdir(), 'swarmdeck-e2e-config-')) : null;
  // The flight recorder's segments: never the user's cache either.
  const cacheDir = env.SWARMDECK_CACHE_DIR === undefined ? mkdtempSync(join(tmpdir(), 'swarmdeck-e2e-cache-')) : null;
  const child: ChildProcess = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/core/cli/main.ts', 'web', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(configDir ? { SWARMDECK_CONFIG_DIR: configDir } : {}), ...(cacheDir ? { SWARMDECK_CACHE_DIR: cacheDir } : {}), ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /browser mode\): (http:\/\/\S+)/.exec(out)?.[1];
    // "(24 agents)" for one simulator, "(10 + 10 agents)" for several: the total.
    const agents = /\(([\d +]+) agents\)/.exec(out)?.[1];
    const simAgents = agents ? agents.split('+').reduce((n, x) => n + Number(x), 0) : -1;
    if (url && /(connected|connecting) to/.test(out)) return { url, pid: child.pid!, simAgents, output: () => out, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`swarmdeck web did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
