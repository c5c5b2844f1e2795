import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The renderer is built once and served by both hosts: Electron's app:// protocol
// and browser mode's localhost server. Relative base so either origin works.
export default defineConfig({
  root: here,
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      // cmdk and radix mark their modules "use client" (a React Server Components hint); meaningless in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  // The page imports the main process's shared module as @shared only (renderer/tsconfig.json paths; the layer check enforces it).
  resolve: { alias: { '@shared': fileURLToPath(new URL('../shared/index.ts', import.meta.url)) } },
  esbuild: { jsx: 'automatic' },
});
