/**
 * Multi-process tests run a TypeScript child: this bundles `test/<name>.ts` once into
 * `outDir/<name>.mjs` with the esbuild that tsup already depends on, resolving workspace
 * packages to their sources.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function bundleTestChild(name: string, outDir: string): Promise<string> {
  const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = requireFromTsup('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  const outfile = join(outDir, `${name}.mjs`);
  await esbuild.build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    conditions: ['knoxcall-source'],
    nodePaths: [join(here, '..', 'node_modules')],
    // ioredis and node-redis are CommonJS; give the ESM bundle a require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  return outfile;
}
