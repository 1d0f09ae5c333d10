import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts' } },
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The signer is edge-safe: users sign test deliveries from Workers/Deno tests too.
    entry: { signer: 'src/signer/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
  },
]);
