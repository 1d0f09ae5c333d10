import { defineConfig, type Options } from 'tsup';

// Two builds from one source tree: the Node build (everything) and the Web build (no node:
// imports) that the workerd/worker/edge-light/browser/deno conditions resolve to. Each
// build holds every runtime entry so that `@knoxcall/core`, `/webhooks` and `/adapter`
// resolved under one set of conditions share ONE copy of each module (error classes,
// CryptoKey cache).
const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Shared chunks for CJS too (tsup's default splits only ESM): otherwise every .cjs entry
  // inlines its own copy and `instanceof` fails between `require('@knoxcall/core')` and
  // `require('@knoxcall/core/webhooks')`.
  splitting: true,
  // Rollup, not tsup's sucrase pass, turns the split chunks into CJS: sucrase rewrites a
  // dynamic `await import(…)` into `require(…)`, which breaks ESM-only dependencies.
  treeshake: true,
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts', adapter: 'src/adapter/index.ts', types: 'src/types.ts' },
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
  },
  {
    ...shared,
    entry: { index: 'src/index.web.ts', webhooks: 'src/webhooks/index.ts', adapter: 'src/adapter/index.ts' },
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist/web',
  },
]);
