// A throw-away TypeScript project that consumes the BUILT workspace packages the way an
// installed copy would be consumed: node_modules/<name> links to the package folder, no
// `knoxcall-source` condition, so every import goes through exports / typesVersions / types
// to dist/. Third-party packages (express, hono, @types/node, …) are linked from where the
// workspace installed them.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './repo.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Where the workspace has `name` installed: a workspace package, or a dependency of one. */
export function installedPackage(name: string): string {
  const workspaceName = name.match(/^@knoxcall\/(.+)$/)?.[1];
  if (workspaceName !== undefined) {
    const dir = join(repoRoot, 'packages', workspaceName);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  const roots = [repoRoot, ...readdirSync(join(repoRoot, 'packages')).map((p) => join(repoRoot, 'packages', p))];
  for (const root of roots) {
    const dir = join(root, 'node_modules', name);
    if (existsSync(join(dir, 'package.json'))) return realpathSync(dir);
  }
  throw new Error(`${name} is not installed in the workspace (run pnpm install), needed by a consumer fixture`);
}

/** What a bundled app (Vite, Wrangler, esbuild…) compiles with; each test adds its lib and types. */
export const BUNDLED_APP = { target: 'es2022', module: 'esnext', moduleResolution: 'bundler' } as const;

export interface ConsumerProject {
  readonly dir: string;
  /** Runs `tsc --noEmit -p <dir>`; `errors` are the `file(line,col): error TSxxxx: …` lines. */
  typeCheck(): Promise<{ code: number; output: string; errors: string[] }>;
  remove(): void;
}

export function consumerProject(options: {
  compilerOptions: Record<string, unknown>;
  /** Relative path → source text. */
  files: Record<string, string>;
  /** Package names linked into node_modules. */
  dependencies: readonly string[];
}): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'knoxcall-consumer-'));
  for (const name of options.dependencies) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(installedPackage(name), link, 'dir');
  }
  for (const [file, text] of Object.entries(options.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const tsconfig = { compilerOptions: { noEmit: true, strict: true, ...options.compilerOptions }, include: Object.keys(options.files) };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  return {
    dir,
    typeCheck: () =>
      new Promise((resolve) => {
        execFile(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', dir], { cwd: dir, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
          const output = `${stdout}${stderr}`;
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, output, errors: output.split('\n').filter((line) => /error TS\d+/.test(line)) });
        });
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
