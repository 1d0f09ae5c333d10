import { defineConfig } from 'tsup';

// Two builds from one source tree: the Node build (everything) and the Web build
// (no node: imports) that the workerd/worker/edge-light/browser/deno conditions resolve to.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts', adapter: 'src/adapter/index.ts', types: 'src/types.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
  },
  {
    entry: { index: 'src/index.web.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist/web',
  },
]);
