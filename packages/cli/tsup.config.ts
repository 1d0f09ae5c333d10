import { defineConfig } from 'tsup';

// @knoxcall/core stays an external dependency: the CLI never bundles the client.
export default defineConfig([
  {
    // The embeddable `runCli`.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // Only ever started through bin/knoxcall.mjs (an ESM import): no CJS copy, no declarations.
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
