import { defineConfig } from 'tsup';

// index.js is what `pnpm demo` imports (createApp / startServer); server.js is `pnpm start`.
// No .d.ts: a private app, typechecked with `pnpm typecheck` instead.
export default defineConfig({
  entry: { index: 'src/index.ts', server: 'src/server.ts' },
  format: ['esm'],
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
