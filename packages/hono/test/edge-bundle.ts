// Bundles code the way a Workers / browser build does (esbuild, neutral platform, the
// workerd/worker/browser conditions) and records every Node built-in it reaches.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORE_DIR = join(PACKAGE_DIR, '..', 'core');
export const EDGE_CONDITIONS = ['workerd', 'worker', 'browser'];

/**
 * `@knoxcall/core` entries under the Web conditions, as SOURCES: the same entries core's
 * tsup config builds into dist/web (index.web.ts, not the Node index.ts), so the check
 * covers the code in this tree without a build. `webEntriesOfCore()` keeps this honest.
 */
export const CORE_WEB_SOURCES: Record<string, string> = {
  '.': 'src/index.web.ts',
  './webhooks': 'src/webhooks/index.ts',
  './adapter': 'src/adapter/index.ts',
};

/** The subpaths of core's package.json that have a Web (`workerd`) build. */
export function webEntriesOfCore(): string[] {
  const pkg = JSON.parse(readFileSync(join(CORE_DIR, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === 'object' && target !== null && 'workerd' in target)
    .map(([subpath]) => subpath);
}

/** Free globals that do not exist on edge runtimes (a `typeof X` guard is fine). */
const NODE_GLOBALS = ['process', 'Buffer', '__dirname', '__filename', 'setImmediate'];
const MARKER = '__KNOX_NODE_GLOBAL_';

export interface EdgeBundle {
  code: Uint8Array;
  /** `node:x` / bare built-in imports reached, with their importer. */
  nodeBuiltins: string[];
  /** Node-only globals used without a `typeof` guard. */
  nodeGlobals: string[];
  gzipBytes: number;
}

export async function bundleForEdge(
  entry: string,
  options: { external?: string[]; minify?: boolean; coreFrom?: 'sources' | 'dist' } = {},
): Promise<EdgeBundle> {
  const builtins = new Set(builtinModules);
  const nodeBuiltins: string[] = [];
  const plugins: esbuild.Plugin[] = [
    {
      name: 'record-node-builtins',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => {
          if (args.path.startsWith('node:') || builtins.has(args.path)) {
            nodeBuiltins.push(`${args.path} (imported by ${relative(PACKAGE_DIR, args.importer)})`);
            return { path: args.path, external: true };
          }
          return undefined;
        });
      },
    },
  ];
  if ((options.coreFrom ?? 'sources') === 'sources') {
    plugins.unshift({
      name: 'core-web-sources',
      setup(build) {
        build.onResolve({ filter: /^@knoxcall\/core(\/.*)?$/ }, (args) => {
          const subpath = `.${args.path.slice('@knoxcall/core'.length)}`;
          const source = CORE_WEB_SOURCES[subpath];
          if (source === undefined) return { errors: [{ text: `@knoxcall/core${subpath.slice(1)} has no Web entry` }] };
          // core's package.json says "sideEffects": false; a plugin-resolved path must say so itself.
          return { path: join(CORE_DIR, source), sideEffects: false };
        });
      },
    });
  }
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: PACKAGE_DIR, loader: 'ts', sourcefile: 'edge-entry.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: EDGE_CONDITIONS,
    mainFields: ['browser', 'module', 'main'],
    minify: options.minify ?? false,
    external: options.external ?? [],
    define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, `${MARKER}${name}`])),
    logLevel: 'silent',
    plugins,
  });
  const file = result.outputFiles[0]!;
  const nodeGlobals = [...file.text.matchAll(new RegExp(`(typeof\\s+)?${MARKER}(\\w+)`, 'g'))]
    .filter((match) => match[1] === undefined)
    .map((match) => match[2]!);
  return { code: file.contents, nodeBuiltins, nodeGlobals: [...new Set(nodeGlobals)], gzipBytes: gzipBytesOf(file.contents) };
}

/**
 * Gzip size as the budget is defined: Node's zlib at level 9. Bun's and Deno's node:zlib are
 * other implementations whose output differs by a few bytes, so under them the measurement is
 * made by the `node` on PATH: the same compressor whichever runtime runs the suite.
 */
function gzipBytesOf(contents: Uint8Array): number {
  if (process.versions.bun === undefined && process.versions.deno === undefined) return gzipSync(contents, { level: 9 }).byteLength;
  const script = "process.stdout.write(String(require('node:zlib').gzipSync(require('node:fs').readFileSync(0), { level: 9 }).byteLength))";
  const result = spawnSync('node', ['-e', script], { input: contents, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`measuring gzip size with node failed: ${result.stderr}`);
  return Number(result.stdout);
}
