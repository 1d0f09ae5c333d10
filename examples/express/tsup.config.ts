import { defineConfig } from 'tsup';

// app.js is what `pnpm demo` imports (createApp / startServer); server.js is `pnpm start`.
// No .d.ts: a private app, typechecked with `pnpm typecheck` instead.
export default defineConfig({
  entry: { app: 'src/app.ts', server: 'src/server.ts' },
  format: ['esm'],
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
