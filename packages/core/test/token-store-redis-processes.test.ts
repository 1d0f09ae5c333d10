/**
 * Several processes starting cold at the same moment, sharing one Redis and one token
 * endpoint, must mint exactly one token between them: the in-process promise cannot do
 * that, only the store's Redis lock can.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { describeRedis, REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';
import { nodeBinary } from './node-binary.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');

/** The child is TypeScript; bundle it once with the esbuild that tsup already depends on. */
async function bundleChild(outDir: string): Promise<string> {
  const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = requireFromTsup('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  const outfile = join(outDir, 'token-store-redis-child.mjs');
  await esbuild.build({
    entryPoints: [join(here, 'token-store-redis-child.ts')],
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

function startChild(script: string, args: string[], env: Record<string, string>): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; token: Promise<string> } {
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
      const match = /token (\S+)\n/.exec(out);
      if (match) resolve(match[1]!);
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

describeRedis('RedisTokenStore across processes', () => {
  let emulator: Emulator;
  let outDir: string;
  let script: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'knoxcall-redis-mp-'));
    script = await bundleChild(outDir);
    emulator = await startEmulator();
  }, 30_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('4 processes (ioredis 5, ioredis 6, node-redis 5, node-redis 4) starting cold mint exactly one token', async () => {
    const prefix = uniquePrefix('mp');
    const families = ['ioredis5', 'ioredis6', 'redis5', 'redis4'];
    const env = { TEST_CLIENT_ID: emulator.credentials.clientId, TEST_CLIENT_SECRET: emulator.credentials.clientSecret };
    const children = families.map((family) => startChild(script, [family, REDIS_URL!, emulator.url, prefix], env));
    await Promise.all(children.map((c) => c.ready));
    emulator.clearRequests();
    // A slow token endpoint widens the race window the lock must close.
    emulator.script('POST', '/oauth/token', [{ delayMs: 150 }]);
    for (const c of children) c.child.stdin.write('go\n');
    const tokens = await Promise.all(children.map((c) => c.token));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^kc_/);
    expect(emulator.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  }, 30_000);
});
