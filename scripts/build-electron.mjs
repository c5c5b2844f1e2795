// Bundles the Electron main process and the preload with esbuild. The preload
// runs sandboxed, where only `electron` can be required: it must be one file.
// The app ships no native modules: the OS keychain binding (browser mode and
// the CLI) is replaced by a stub that says so; Electron uses safeStorage.
import { build } from 'esbuild';
import { parseArgs } from 'node:util';

// --outdir: where the bundles go (default dist/electron; the packaging test builds into a temporary one).
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = values.outdir ?? 'dist/electron';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
};

// The recorder's WebAssembly codecs find their .wasm beside them at run time: left in node_modules.
const WASM_PACKAGES = ['@foxglove/wasm-zstd', '@foxglove/wasm-lz4', '@foxglove/wasm-bz2'];

// import.meta is empty in a CommonJS bundle; the recording decoder (recording/decoder.ts) reads that as
// "bundled" and starts its worker from recording-worker.cjs beside main.cjs (__dirname), built here.
const bundled = { logOverride: { 'empty-import-meta': 'silent' } };

await Promise.all([
  build({ ...common, ...bundled, external: [...common.external, ...WASM_PACKAGES], entryPoints: ['electron/main.ts'], outfile: `${outdir}/main.cjs`, alias: { '@napi-rs/keyring': './electron/shell/keyring-unavailable.ts' } }),
  build({ ...common, ...bundled, external: [...common.external, ...WASM_PACKAGES], entryPoints: ['electron/core/recording/decode-worker.ts'], outfile: `${outdir}/recording-worker.cjs` }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: `${outdir}/preload.cjs` }),
]);
