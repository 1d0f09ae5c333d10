import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The CLI is only ever started through bin/knoxcall-emulator.mjs (an ESM import), so
    // it needs neither a CJS copy nor type declarations.
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
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
