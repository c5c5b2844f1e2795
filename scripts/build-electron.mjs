// Bundles the Electron main process and the preload with esbuild. The preload
// runs sandboxed, where only `electron` can be required: it must be one file.
import { build } from 'esbuild';

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

await Promise.all([
  build({ ...common, external: [...common.external, ...WASM_PACKAGES], entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs' }),
]);
