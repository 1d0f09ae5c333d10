/**
 * A token store that stalls or refuses must not hold a call past its timeout. Real broken
 * stores: a TCP server that accepts and never answers (a black-holed Redis), a refused
 * port (Redis down) — both through ioredis with its default settings, which queue commands
 * while they reconnect — and a custom store whose promises never settle. Documented outcome:
 * the store is given half of the timeout, then the client mints without the cache (once per
 * token lifetime, not once per call) and the call succeeds within its timeout.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import IORedis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';
import { type CachedToken, KnoxCall, type KnoxCallOptions, type TokenStore } from '../src/index.js';
import { startUpstream, type Upstream } from './client-test-support.js';

const TIMEOUT_MS = 1000;
// Scheduling slack on a busy 2-core machine; a hang would take the test timeout (15 s) instead.
const SETTLES_WITHIN_MS = TIMEOUT_MS + 600;

let emulator: Emulator;
let upstream: Upstream;
let blackHole: Server;
const sockets = new Set<Socket>();
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  upstream = await startUpstream();
  emulator = await startEmulator({ seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] } });
  blackHole = createServer((socket) => {
    // Accept, read, never answer.
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
  await emulator?.close();
  await upstream?.close();
});

/** A port nothing listens on: bound once to learn a free number, then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** ioredis with its default settings (reconnects forever, queues commands while it does). */
function ioredisAt(port: number): IORedis {
  const client = new IORedis({ host: '127.0.0.1', port });
  // Only so the refused connections do not print "[ioredis] Unhandled error event".
  client.on('error', () => {});
  cleanups.push(() => client.disconnect());
  return client;
}

const never = <T>() => new Promise<T>(() => {});

/** A custom store whose chosen operations never settle; the others work like MemoryTokenStore. */
function silentStore(silent: Array<keyof TokenStore>): TokenStore {
  const memory = new MemoryTokenStore();
  return {
    get: (key) => (silent.includes('get') ? never<CachedToken | null>() : memory.get(key)),
    set: (key, token) => (silent.includes('set') ? never<void>() : memory.set(key, token)),
    delete: (key) => (silent.includes('delete') ? never<void>() : memory.delete(key)),
    withLock: (key, fn) => (silent.includes('withLock') ? never() : memory.withLock(key, fn)),
  };
}

const tokenRequests = () => emulator.requests().filter((r) => r.path === '/oauth/token').length;

function clientWith(
  tokenStore: TokenStore,
  credential: KnoxCallOptions = { clientId: emulator.credentials.clientId, clientSecret: emulator.credentials.clientSecret },
) {
  const client = new KnoxCall({ baseUrl: emulator.url, tokenStore, timeout: TIMEOUT_MS, retry: { maxAttempts: 1 }, ...credential });
  cleanups.push(() => client.close());
  return client;
}

/** Runs `fn`, returning its outcome and how long it took to settle. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

const brokenStores: Array<[string, () => Promise<TokenStore>]> = [
  [
    'a black-holed Redis (accepts, never answers) via ioredis',
    async () => new RedisTokenStore({ client: ioredisAt((blackHole.address() as AddressInfo).port) }),
  ],
  ['a refused Redis port via ioredis', async () => new RedisTokenStore({ client: ioredisAt(await refusedPort()) })],
  ['a custom store whose promises never settle', async () => silentStore(['get', 'set', 'delete', 'withLock'])],
  ['a custom store that reads but never grants its lock', async () => silentStore(['withLock'])],
];

describe.each(brokenStores)('timeout: 1000 with %s', (_name, makeStore) => {
  it('a client-credentials call settles within the timeout, served by a token minted without the cache; the next call reuses it', async () => {
    const client = clientWith(await makeStore());
    emulator.clearRequests();
    const first = await timed(() => client.routes.list());
    expect(first.error).toBeUndefined();
    expect(first.ms).toBeLessThan(SETTLES_WITHIN_MS);
    const second = await timed(() => client.routes.list());
    expect(second.error).toBeUndefined();
    expect(second.ms).toBeLessThan(SETTLES_WITHIN_MS);
    expect(tokenRequests()).toBe(1);
  });

  it('a data-plane call() settles within the timeout and reaches the upstream', async () => {
    const client = clientWith(await makeStore());
    const call = await timed(() => client.call('echo', { path: '/item' }));
    expect(call.error).toBeUndefined();
    expect(call.value?.status).toBe(200);
    expect(call.ms).toBeLessThan(SETTLES_WITHIN_MS);
  });

  it('an API-key call settles within the timeout and is sent with its key', async () => {
    const client = clientWith(await makeStore(), { apiKey: emulator.credentials.apiKey });
    emulator.clearRequests();
    const call = await timed(() => client.routes.list());
    expect(call.error).toBeUndefined();
    expect(call.ms).toBeLessThan(SETTLES_WITHIN_MS);
    expect(emulator.requests().find((r) => r.path === '/v1/routes')?.headers.authorization).toBe(`Bearer ${emulator.credentials.apiKey}`);
  });
});

describe("the deadline is the calling request's", () => {
  it('a view with timeout: 1000 on a client with the default 30 s settles within 1000 ms', async () => {
    const client = new KnoxCall({
      baseUrl: emulator.url,
      tokenStore: silentStore(['get', 'set', 'delete', 'withLock']),
      retry: { maxAttempts: 1 },
      clientId: emulator.credentials.clientId,
      clientSecret: emulator.credentials.clientSecret,
    });
    cleanups.push(() => client.close());
    const call = await timed(() => client.withOptions({ timeout: TIMEOUT_MS }).routes.list());
    expect(call.error).toBeUndefined();
    expect(call.ms).toBeLessThan(SETTLES_WITHIN_MS);
  });
});

describe('store writes and deletes under the deadline', () => {
  it('a store that reads and locks but never finishes a write: the call still settles within the timeout', async () => {
    const client = clientWith(silentStore(['set']));
    const call = await timed(() => client.routes.list());
    expect(call.error).toBeUndefined();
    expect(call.ms).toBeLessThan(SETTLES_WITHIN_MS);
  });

  it('signOut() on a silent store fails within the timeout with a typed token_store_unavailable error', async () => {
    const client = clientWith(silentStore(['delete']));
    const outcome = await timed(() => client.signOut());
    expect(outcome.ms).toBeLessThan(SETTLES_WITHIN_MS);
    expect(outcome.error).toMatchObject({ name: 'KnoxCallError', code: 'token_store_unavailable' });
    expect(String((outcome.error as Error).message)).toMatch(/token store did not answer in time/);
  });

  it('a 401 re-mint is not held by a store that cannot delete', async () => {
    const client = new KnoxCall({
      baseUrl: emulator.url,
      tokenStore: silentStore(['delete']),
      timeout: TIMEOUT_MS,
      retry: { maxAttempts: 2, baseDelayMs: 0 },
      clientId: emulator.credentials.clientId,
      clientSecret: emulator.credentials.clientSecret,
    });
    cleanups.push(() => client.close());
    await client.routes.list();
    emulator.clearRequests();
    emulator.script('GET', '/v1/routes', [{ status: 401, body: { error: { type: 'unauthorized', message: 'expired' } } }]);
    const call = await timed(() => client.routes.list());
    expect(call.error).toBeUndefined();
    expect(call.ms).toBeLessThan(SETTLES_WITHIN_MS);
    expect(tokenRequests()).toBe(1);
  });
});
