/**
 * Child processes for the multi-process tests: a TypeScript child bundled once, started with
 * a line protocol ("ready" out, "go" in, "token <value>" or "refused <status>" out).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from './node-binary.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');

/** The child is TypeScript; bundle it once with the esbuild that tsup already depends on. */
export async function bundleChild(entry: string, outDir: string): Promise<string> {
  const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = requireFromTsup('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  const outfile = join(outDir, entry.replace(/\.ts$/, '.mjs'));
  await esbuild.build({
    entryPoints: [join(here, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    conditions: ['knoxcall-source'],
    nodePaths: [join(packageRoot, 'node_modules')],
    // ioredis and node-redis are CommonJS; give the ESM bundle a require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  return outfile;
}

export function startChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; token: Promise<string> } {
  const child = spawn(nodeBinary, [script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const token = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) onReady();
      // `token X`, or `refused {status}` when the server refused the child's credential.
      const match = /(token|refused) (\S+)\n/.exec(out);
      if (match) resolve(match[1] === 'token' ? match[2]! : `refused ${match[2]}`);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
    });
  });
  return { child, ready, token };
}
