import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Apps that bundle their server (esbuild --minify, e.g. for a Lambda or a Worker) rename
// every class. knoxErrorToResponse must still tell a timeout (504) from a connection
// failure (502) and an abort (499), so this bundles the SOURCES of the adapter and the
// error classes with minification on, exactly as such an app would, and runs the result.

const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(coreDir, '..', '..');

// The slice of esbuild's API used here, typed locally: core does not depend on esbuild.
interface Esbuild {
  build(options: Record<string, unknown> & { write: false }): Promise<{ outputFiles: { text: string }[] }>;
}

/** esbuild comes with tsup (root devDependency). */
function loadEsbuild(): Esbuild {
  const tsupDir = dirname(createRequire(join(repoDir, 'package.json')).resolve('tsup'));
  return createRequire(join(tsupDir, 'package.json'))('esbuild') as Esbuild;
}

type ErrorClass = new (message?: string, init?: Record<string, unknown>) => Error;
interface MinifiedBundle {
  knoxErrorToResponse: (err: unknown) => { status: number; body: { error: { type: string } } } | undefined;
  KnoxCallError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
  ServerError: ErrorClass;
}

let bundle: MinifiedBundle;

beforeAll(async () => {
  const result = await loadEsbuild().build({
    stdin: {
      contents: [
        "export { knoxErrorToResponse } from './src/adapter/index.js';",
        "export { KnoxCallError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ServerError } from './src/errors.js';",
      ].join('\n'),
      resolveDir: coreDir,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
  });
  const code = result.outputFiles[0]!.text;
  bundle = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as MinifiedBundle;
});

describe('knoxErrorToResponse in a minified bundle', () => {
  it('the bundle really renamed the classes (otherwise this test proves nothing)', () => {
    expect(bundle.APIConnectionTimeoutError.name).not.toBe('APIConnectionTimeoutError');
    expect(bundle.APIConnectionError.name).not.toBe('APIConnectionError');
  });

  it('timeout → 504, connection failure → 502, abort → 499', () => {
    expect(bundle.knoxErrorToResponse(new bundle.APIConnectionTimeoutError())).toMatchObject({
      status: 504,
      body: { error: { type: 'knoxcall_timeout' } },
    });
    expect(bundle.knoxErrorToResponse(new bundle.APIConnectionError('network error: ECONNREFUSED'))).toMatchObject({
      status: 502,
      body: { error: { type: 'knoxcall_unreachable' } },
    });
    expect(bundle.knoxErrorToResponse(new bundle.APIUserAbortError())).toMatchObject({
      status: 499,
      body: { error: { type: 'request_aborted' } },
    });
    // a user's subclass keeps its parent's kind
    class SlowUpstream extends bundle.APIConnectionTimeoutError {}
    expect(bundle.knoxErrorToResponse(new SlowUpstream())?.status).toBe(504);
    // a status-less base error is still a configuration problem, not a connection one
    expect(bundle.knoxErrorToResponse(new bundle.KnoxCallError('bad dpop mode'))?.status).toBe(500);
  });

  it('errors keep their contract class names (transport §5.1) although the classes were renamed', () => {
    expect(new bundle.APIConnectionTimeoutError().name).toBe('APIConnectionTimeoutError');
    expect(new bundle.APIConnectionError('x').name).toBe('APIConnectionError');
    expect(new bundle.APIUserAbortError().name).toBe('APIUserAbortError');
    expect(new bundle.ServerError('x', { status: 503 }).name).toBe('ServerError');
  });

  it('the kind brand is invisible to JSON and object spreads', () => {
    const err = new bundle.APIConnectionTimeoutError();
    expect(Object.keys(err)).not.toContain('kind');
    expect(Object.getOwnPropertySymbols({ ...err })).toEqual([]);
  });
});
