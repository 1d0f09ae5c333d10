import { join } from 'node:path';
import { build } from 'esbuild';
import type { RuntimeName } from '../../../../tools/runtimes/launch.js';

/**
 * The export conditions each runtime resolves packages with (what its own resolver, or the
 * bundler its users deploy with, picks): this decides which build of @knoxcall/core the app
 * gets. Bun has no condition of ours and takes the Node build (see the README's table).
 */
export const CONDITIONS: Record<RuntimeName, string[]> = {
  bun: ['bun', 'node', 'import'],
  deno: ['deno', 'node', 'import'],
  workerd: ['workerd', 'worker', 'browser', 'import'],
  miniflare: ['workerd', 'worker', 'browser', 'import'],
};

/** Bundles `entry` into `<dir>/app.js` for `runtime`, with `defines` as global constants. */
export async function bundleFor(runtime: RuntimeName, entry: string, dir: string, defines: Record<string, string>): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile: join(dir, 'app.js'),
    bundle: true,
    format: 'esm',
    // Bun and Deno resolve node: built-ins themselves; a Worker has none.
    platform: runtime === 'bun' || runtime === 'deno' ? 'node' : 'neutral',
    // A Worker's own built-ins (cloudflare:sockets) are the runtime's to resolve.
    external: ['cloudflare:*'],
    mainFields: ['module', 'main'],
    conditions: CONDITIONS[runtime],
    target: 'es2022',
    define: Object.fromEntries(Object.entries(defines).map(([name, value]) => [name, JSON.stringify(value)])),
    logLevel: 'error',
  });
}
