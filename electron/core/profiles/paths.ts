// Where profiles live: SWARMDECK_CONFIG_DIR (portable installs, tests), else
// the platform's config directory for the app, the same directory Electron's
// app.getPath('userData') gives for the product name, so the desktop app,
// browser mode and the CLI read one file.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'Swarmdeck';
export const CONFIG_DIR_ENV = 'SWARMDECK_CONFIG_DIR';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env[CONFIG_DIR_ENV];
  if (override && override.trim()) return resolve(override);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME);
}

export const CACHE_DIR_ENV = 'SWARMDECK_CACHE_DIR';

/** SWARMDECK_CACHE_DIR, else the platform's cache directory for the app (the flight recorder's segments go under it). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env[CACHE_DIR_ENV];
  if (override && override.trim()) return resolve(override);
  if (platform === 'darwin') return join(home, 'Library', 'Caches', APP_DIR_NAME);
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), APP_DIR_NAME, 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), APP_DIR_NAME);
}
