import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary } from './node-binary.js';

// One process can load both builds of @knoxcall/core (an ESM app with a CJS dependency,
// or Nest compiled to CJS next to an ESM library). Each build has its own classes, so
// `instanceof` cannot work across them; `isKnoxCallError` (a Symbol.for brand) must.
// Within ONE build, every entry must share one copy of each class.

const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file: string): string => {
  const path = join(coreDir, 'dist', file);
  if (!existsSync(path)) throw new Error(`packages/core/dist/${file} is missing: run pnpm build first`);
  return path;
};
const requireCjs = createRequire(import.meta.url);

type ErrorClass = new (message: string, ...rest: never[]) => Error;
interface CoreBuild {
  isKnoxCallError: (value: unknown) => boolean;
  isKnoxCall: (value: unknown) => boolean;
  KnoxCall: new (options?: Record<string, unknown>) => { withOptions(options: object): unknown; close(): Promise<void> };
  KnoxCallError: ErrorClass;
  WebhookSignatureVerificationError: new (message: string, code: string) => Error & { code: string };
  [name: string]: unknown;
}

let esm: CoreBuild;
let cjs: CoreBuild;

beforeAll(async () => {
  esm = (await import(pathToFileURL(dist('index.js')).href)) as CoreBuild;
  cjs = requireCjs(dist('index.cjs')) as CoreBuild;
});

describe('ESM and CJS builds in one process', () => {
  it('are really two copies (so the brand check below is what makes them agree)', () => {
    expect(typeof esm.isKnoxCallError).toBe('function');
    expect(typeof cjs.isKnoxCallError).toBe('function');
    expect(esm.KnoxCallError).not.toBe(cjs.KnoxCallError);
  });

  it('isKnoxCallError from either build recognises errors built by the other', () => {
    const fromEsm = new esm.KnoxCallError('from esm');
    const fromCjs = new cjs.KnoxCallError('from cjs');
    expect(cjs.isKnoxCallError(fromEsm)).toBe(true);
    expect(esm.isKnoxCallError(fromCjs)).toBe(true);
    expect(esm.isKnoxCallError(fromEsm)).toBe(true);
    expect(cjs.isKnoxCallError(fromCjs)).toBe(true);
  });

  it('subclasses carry the brand across builds too', () => {
    const fromEsm = new esm.WebhookSignatureVerificationError('webhook signature verification failed', 'signature_mismatch');
    const fromCjs = new cjs.WebhookSignatureVerificationError('webhook signature verification failed', 'signature_mismatch');
    expect(cjs.isKnoxCallError(fromEsm)).toBe(true);
    expect(esm.isKnoxCallError(fromCjs)).toBe(true);
    expect(fromCjs.code).toBe('signature_mismatch');
  });

  it('isKnoxCall from either build recognises clients (and views) built by the other', async () => {
    // Construction does no I/O; the loopback base only keeps the insecure-URL warning away.
    const options = { apiKey: 'kc_dual_build_test', baseUrl: 'http://127.0.0.1:9' };
    const fromEsm = new esm.KnoxCall(options);
    const fromCjs = new cjs.KnoxCall(options);
    expect(fromEsm).not.toBeInstanceOf(cjs.KnoxCall);
    for (const client of [fromEsm, fromCjs, fromEsm.withOptions({}), fromCjs.withOptions({ headers: { 'x-a': '1' } })]) {
      expect(esm.isKnoxCall(client)).toBe(true);
      expect(cjs.isKnoxCall(client)).toBe(true);
    }
    for (const isKnoxCall of [esm.isKnoxCall, cjs.isKnoxCall]) {
      expect(isKnoxCall({ request() {}, call() {}, close() {} })).toBe(false);
      expect(isKnoxCall(new Error('plain'))).toBe(false);
      expect(isKnoxCall(null)).toBe(false);
    }
    await fromEsm.close();
    await fromCjs.close();
  });

  it('rejects look-alikes', () => {
    for (const isKnoxCallError of [esm.isKnoxCallError, cjs.isKnoxCallError]) {
      expect(isKnoxCallError(new Error('plain'))).toBe(false);
      expect(isKnoxCallError({ name: 'KnoxCallError', message: 'x', code: 'x' })).toBe(false);
      expect(isKnoxCallError(null)).toBe(false);
      expect(isKnoxCallError('KnoxCallError')).toBe(false);
    }
  });
});

describe('entries of one build share one copy of each module', () => {
  // The adapters import from '@knoxcall/core', '/webhooks' and '/adapter' at once; a class
  // duplicated between those entries would make `instanceof` fail inside one build.
  it.each([
    ['ESM', 'index.js', 'webhooks.js'],
    ['CJS', 'index.cjs', 'webhooks.cjs'],
    ['Web ESM', 'web/index.js', 'web/webhooks.js'],
    ['Web CJS', 'web/index.cjs', 'web/webhooks.cjs'],
  ])('%s: index and webhooks export the same error class', async (_build, indexFile, webhooksFile) => {
    const load = async (file: string): Promise<Record<string, unknown>> =>
      file.endsWith('.cjs') ? (requireCjs(dist(file)) as Record<string, unknown>) : ((await import(pathToFileURL(dist(file)).href)) as Record<string, unknown>);
    const index = await load(indexFile);
    const webhooks = await load(webhooksFile);
    expect(webhooks.WebhookSignatureVerificationError).toBeTypeOf('function');
    expect(webhooks.WebhookSignatureVerificationError).toBe(index.WebhookSignatureVerificationError);
  });
});

describe('loading the builds prints nothing', () => {
  // Fresh processes: a require(esm) ExperimentalWarning or a deprecation notice would show
  // on stderr (e.g. if the CJS build ever require()d the ESM-only `jose`).
  const run = (args: string[]) => {
    const result = spawnSync(nodeBinary, args, { cwd: coreDir, encoding: 'utf8', timeout: 20_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  // `--no-experimental-require-module` is Node before 20.19's require(esm): a CJS build that
  // require()s an ESM-only dependency at load time fails there instead of passing silently.
  it.each(['index.cjs', 'webhooks.cjs', 'adapter.cjs', 'web/index.cjs'])('require(dist/%s)', (file) => {
    const script = `const m = require(${JSON.stringify(dist(file))}); process.stdout.write(String(Object.keys(m).length));`;
    for (const flags of [[], ['--no-experimental-require-module']]) {
      const result = run([...flags, '-e', script]);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(Number(result.stdout)).toBeGreaterThan(0);
    }
  });

  it("require('@knoxcall/core') and import('@knoxcall/core') through the package exports", () => {
    const cjsRun = run(['-e', "require('@knoxcall/core'); require('@knoxcall/core/webhooks'); require('@knoxcall/core/adapter');"]);
    expect(cjsRun).toMatchObject({ status: 0, stderr: '' });
    const esmRun = run([
      '--input-type=module',
      '-e',
      "await import('@knoxcall/core'); await import('@knoxcall/core/webhooks'); await import('@knoxcall/core/adapter');",
    ]);
    expect(esmRun).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('the CJS builds load ESM-only dependencies with import(), never require()', () => {
  // Node 20.20 loads `require('jose')` silently, so the spawn checks above cannot see a
  // lazy require() inside a function; read the built files instead.
  const pkg = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const hasRequireCondition = (exports: unknown): boolean =>
    typeof exports === 'object' && exports !== null && Object.entries(exports).some(([key, value]) => key === 'require' || hasRequireCondition(value));
  const isEsmOnly = (name: string): boolean => {
    let manifest: { type?: string; exports?: unknown; main?: string };
    try {
      manifest = requireCjs(createRequire(join(coreDir, 'package.json')).resolve(`${name}/package.json`));
    } catch {
      return false; // an optional peer that is not installed here
    }
    return manifest.type === 'module' && !hasRequireCondition(manifest.exports);
  };
  const esmOnly = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(isEsmOnly);

  it('the ESM-only detector works (jose, a devDependency, is ESM-only; ulid is dual)', () => {
    // Guards the guard: today no runtime dependency is ESM-only, so the scan below checks an
    // empty list until someone adds one — the detector must then recognise it.
    expect(isEsmOnly('jose')).toBe(true);
    expect(isEsmOnly('ulid')).toBe(false);
  });

  it.each(['dist', 'dist/web'])('%s/*.cjs', (dir) => {
    const folder = join(coreDir, dir);
    if (!existsSync(folder)) throw new Error(`packages/core/${dir} is missing: run pnpm build first`);
    const offenders: string[] = [];
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.cjs'))) {
      const text = readFileSync(join(folder, file), 'utf8');
      for (const name of esmOnly) {
        const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        if (new RegExp(`require\\(\\s*['"\`]${escaped}(/[^'"\`]*)?['"\`]\\s*\\)`).test(text)) {
          offenders.push(`${dir}/${file} require()s the ESM-only '${name}': load it with await import('${name}') in async code`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('the built files import only declared runtime dependencies', () => {
  // A package used in src but listed only under devDependencies (jose was the reverse: a
  // dependency nothing used) installs fine here and breaks for users.
  const pkg = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
  const packageOf = (specifier: string): string => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

  it('jose is no runtime dependency (DPoP uses Web Crypto directly)', () => {
    expect(declared.has('jose')).toBe(false);
  });

  it.each(['dist', 'dist/web'])('%s', (dir) => {
    const folder = join(coreDir, dir);
    if (!existsSync(folder)) throw new Error(`packages/core/${dir} is missing: run pnpm build first`);
    const undeclared = new Set<string>();
    for (const file of readdirSync(folder).filter((name) => /\.(c?js)$/.test(name))) {
      const text = readFileSync(join(folder, file), 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const specifier = match[1]!;
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        if (!declared.has(packageOf(specifier))) undeclared.add(`${dir}/${file}: ${specifier}`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });
});
