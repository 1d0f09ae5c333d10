import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// The README says the same createApp runs on Workers, Bun and Deno: bundle src/app.ts the
// way a Workers build resolves it and fail on any Node built-in it would pull in.
it('src/app.ts bundles for the workerd/browser conditions with no Node built-in', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/app.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  expect(code.length).toBeGreaterThan(0);
  expect(code).not.toMatch(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:|fs["'/]|crypto["'/]|http["'/]|net["'/]|stream["'/]|buffer["'])/);
  expect(code).not.toMatch(/\bprocess\.env\b/);
});
