// Packaging cannot run here (electron-builder downloads Electron), so what
// can be checked is: build/electron-builder.yml passes electron-builder's own
// schema (its validateConfiguration, offline), every file it names exists,
// the icon set matches its SVG source, the fuses and the pinned Electron are
// as the security checklist asks, and the build produces the bundles it packages.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/profiles.js';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Config = Record<string, unknown> & { files: string[]; electronFuses: Record<string, boolean>; linux: { icon: string; target: string[] }; mac: { icon: string; target: string[] }; win: { icon: string; target: string[] }; nsis: Record<string, string>; dmg: { icon: string } };
const config = yaml.load(readFileSync('build/electron-builder.yml', 'utf8')) as Config;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; devDependencies: Record<string, string>; scripts: Record<string, string> };

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is refused by that schema when wrong (so the check above can fail)', async () => {
    await expect(validateConfiguration({ ...structuredClone(config), linux: { target: 'AppImage', iconn: 'x' } }, new DebugLogger(false))).rejects.toThrow(/configuration.linux should be/);
  });

  it('targets AppImage and deb, dmg, nsis; sets the app id, product name and every fuse the checklist asks for', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config).toMatchObject({ appId: 'dev.swarmdeck.console', productName: 'Swarmdeck', asar: true });
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.yml');
  });

  it('names only files that exist, and the icon set matches assets/icon.svg', async () => {
    for (const f of [config.linux.icon, config.mac.icon, config.win.icon, config.dmg.icon, config.nsis.installerIcon!, config.nsis.uninstallerIcon!]) expect(existsSync(f), f).toBe(true);
    const pngs = readdirSync(config.linux.icon);
    expect(pngs).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '256x256.png', '512x512.png']));
    // @ts-expect-error plain ESM script, no types
    const { iconSet } = (await import('../../scripts/icons.mjs')) as { iconSet(): Map<string, Buffer> };
    for (const [rel, bytes] of iconSet()) expect(readFileSync(rel).equals(bytes), `${rel} is stale: run npm run icons`).toBe(true);
  }, 60_000);

  it('`npm run build` produces the main, preload and renderer bundles that the files list packages', () => {
    const t = tempDir('swarmdeck-pack-');
    try {
      const electronOut = join(t.dir, 'dist', 'electron');
      const rendererOut = join(t.dir, 'dist', 'renderer');
      const e = spawnSync(process.execPath, ['scripts/build-electron.mjs', '--outdir', electronOut], { encoding: 'utf8', timeout: 120_000 });
      expect(e.status, e.stderr).toBe(0);
      const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error', '--outDir', rendererOut, '--emptyOutDir'], { encoding: 'utf8', timeout: 180_000 });
      expect(r.status, r.stderr).toBe(0);
      const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [relative(t.dir, join(d, f))]));
      const built = walk(join(t.dir, 'dist'));
      const included = (f: string): boolean => config.files.filter((p) => !p.startsWith('!')).some((p) => p === f || (p.endsWith('/**/*') && f.startsWith(p.slice(0, -4))));
      const excluded = (f: string): boolean => f.endsWith('.map');
      const packaged = built.filter((f) => included(f) && !excluded(f));
      expect(packaged).toEqual(expect.arrayContaining([pkg.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html']));
      // The main bundle loads the preload by that name and carries no native module.
      const main = readFileSync(join(t.dir, pkg.main), 'utf8');
      expect(main).toContain('"preload.cjs"');
      expect(main).not.toMatch(/\.node["']\)/);
      expect(main).not.toMatch(/require\("(conf|electron-store|ws|zod)"\)/);
    } finally {
      t.cleanup();
    }
  }, 300_000);
});
