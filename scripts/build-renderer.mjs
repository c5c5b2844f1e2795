// `npm run build:renderer`: the renderer's Vite build, done only when its sources
// changed, and swapped in whole. The build's inputs (renderer/, shared/, the lock
// file) are hashed; when dist/renderer/.build-id holds the same hash, nothing is
// built (a launch of a current app starts at once, and `npm test` does not rebuild
// what it just built). Otherwise Vite builds into a fresh folder beside it, which
// then replaces dist/renderer by rename: a host serving dist/renderer never sees
// a half-written build, and two launches at once each build their own folder.
// --force builds whatever the hash says; --out DIR builds elsewhere than dist/renderer
// (the tests use it, so they never swap the build other tests serve).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const ID_FILE = '.build-id';
const { values } = parseArgs({ options: { force: { type: 'boolean' }, out: { type: 'string' } } });
const out = resolve(root, values.out ?? 'dist/renderer');
const outParent = dirname(out);

/** Every file under these roots (sorted), skipping build output and dependencies. */
function inputs() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  for (const d of ['renderer', 'shared']) walk(join(root, d));
  files.push(join(root, 'package-lock.json'), fileURLToPath(import.meta.url));
  return files.sort();
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const f of inputs()) {
    h.update(relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

const id = sourceHash();
const current = existsSync(join(out, ID_FILE)) ? readFileSync(join(out, ID_FILE), 'utf8').trim() : null;
if (current === id && !values.force) process.exit(0);

const { build } = await import('vite');
mkdirSync(outParent, { recursive: true });
const fresh = join(outParent, `.renderer-${process.pid}-${Date.now()}`);
await build({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
writeFileSync(join(fresh, ID_FILE), `${id}\n`);
// Swap: the old build moves aside, the new one takes its name, the old one goes.
// Another launch may swap at the same moment: then retry (its build is of the same sources).
const olds = [];
for (let i = 0; i < 10 && existsSync(fresh); i++) {
  const old = join(outParent, `.renderer-old-${process.pid}-${i}`);
  try {
    renameSync(out, old);
    olds.push(old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  try {
    renameSync(fresh, out);
  } catch (e) {
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
  }
}
for (const d of [fresh, ...olds]) rmSync(d, { recursive: true, force: true });
if (!existsSync(join(out, 'index.html'))) throw new Error(`build-renderer: ${out} is missing after the swap`);
