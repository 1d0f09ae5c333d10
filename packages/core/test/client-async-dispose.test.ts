import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';

// `await using client = new KnoxCall()` needs the client's dispose method under the key the
// runtime (or its polyfill) looks up. Node has Symbol.asyncDispose and it cannot be deleted
// (non-configurable), so a runtime without it is a fresh vm realm: on Node 20/22 V8 gives a
// realm no Symbol.asyncDispose; Node 24's V8 does, and there the realm's global `Symbol` is
// replaced by a stand-in without it (what the client reads). The built CJS bundle is evaluated
// inside that realm; node's own modules and dependencies come from the host (they do not
// touch the symbol).

const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const hostRequire = createRequire(join(coreDir, 'package.json'));

/** Loads dist/<entry> and its relative chunks with the given realm's globals. */
function loadInRealm(entry: string, context: vm.Context): Record<string, unknown> {
  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const source = readFileSync(file, 'utf8');
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, context, {
      filename: file,
    }) as (...args: unknown[]) => void;
    const localRequire = (specifier: string) => (specifier.startsWith('.') ? load(resolve(dirname(file), specifier)) : hostRequire(specifier));
    wrapper(module.exports, localRequire, module, file, dirname(file));
    return module.exports;
  };
  return load(join(coreDir, 'dist', entry)) as Record<string, unknown>;
}

describe('Symbol.asyncDispose', () => {
  it('where the runtime has it, `await using` closes the client', async () => {
    let escaped: KnoxCall | undefined;
    {
      await using client = new KnoxCall({ apiKey: 'kc_dispose_test', baseUrl: 'http://127.0.0.1:9' });
      escaped = client;
    }
    await expect(escaped.request({ method: 'GET', path: '/v1/routes' })).rejects.toMatchObject({ code: 'client_closed' });
  });

  it("where the runtime lacks it, the client is disposable under the polyfills' registry symbol", async () => {
    const context = vm.createContext({
      // Web/Node APIs the client touches; the realm's own Symbol (without asyncDispose) stays.
      AbortController,
      AbortSignal,
      fetch,
      Headers,
      Response,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      performance,
      process,
      console,
      crypto,
      Buffer,
    });
    vm.runInContext(
      `if (typeof Symbol.asyncDispose !== 'undefined') {
        // A Proxy cannot hide it (non-configurable); a stand-in carrying every other member can.
        const RealmSymbol = Symbol;
        const Hidden = function Symbol(description) { return RealmSymbol(description); };
        for (const key of Reflect.ownKeys(RealmSymbol)) {
          if (key === 'asyncDispose' || key === 'length' || key === 'name') continue;
          Object.defineProperty(Hidden, key, Object.getOwnPropertyDescriptor(RealmSymbol, key));
        }
        globalThis.Symbol = Hidden;
      }`,
      context,
    );
    expect(vm.runInContext('typeof Symbol.asyncDispose', context)).toBe('undefined');
    const core = loadInRealm('index.cjs', context) as {
      KnoxCall: new (options: object) => Record<PropertyKey, unknown> & { request(opts: object): Promise<unknown> };
    };
    const client = new core.KnoxCall({ apiKey: 'kc_dispose_test', baseUrl: 'http://127.0.0.1:9' });
    const dispose = client[Symbol.for('Symbol.asyncDispose')];
    expect(typeof dispose).toBe('function');
    expect(Object.hasOwn(Object.getPrototypeOf(Object.getPrototypeOf(client)), 'undefined')).toBe(false);
    await (dispose as () => Promise<void>).call(client);
    await expect(client.request({ method: 'GET', path: '/v1/routes' })).rejects.toMatchObject({ code: 'client_closed' });
  });
});
