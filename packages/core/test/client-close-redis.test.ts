import { type Emulator, startEmulator } from '@knoxcall/testing';
import IORedis5 from 'ioredis';
import IORedis6 from 'ioredis6';
import { createClient as createRedis5 } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KnoxCall, RedisTokenStore } from '../src/index.js';
import { describeRedis, REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';

// Issue 3: close() "never closes a token store or Redis client the caller passed in". The
// application usually shares that Redis connection with everything else it does, so after
// close() it must still be connected and answering — checked on a REAL Redis server
// (REDIS_URL; skipped without it unless KNOXCALL_REQUIRE_REDIS=1).

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

/** A client that keeps its token in `store`, warmed up so the store really holds a token. */
async function usedClient(store: RedisTokenStore): Promise<KnoxCall> {
  const client = new KnoxCall({
    baseUrl: emu.url,
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    dpop: 'never',
    tokenStore: store,
  });
  await client.routes.list();
  return client;
}

describeRedis('close() leaves a real Redis client passed through RedisTokenStore open', () => {
  it.each([
    ['ioredis 5', () => new IORedis5(REDIS_URL!, { maxRetriesPerRequest: 1 })],
    ['ioredis 6', () => new IORedis6(REDIS_URL!, { maxRetriesPerRequest: 1 }) as unknown as IORedis5],
  ])('%s: still "ready" and answering PING after close() and after await using', async (name, connect) => {
    const redis = connect();
    try {
      const client = await usedClient(new RedisTokenStore({ client: redis, prefix: uniquePrefix(name) }));
      // A call in flight while closing: close() aborts it, and must do nothing else to Redis.
      const inFlight = client.routes.list().catch((error: unknown) => error);
      await client.close();
      await inFlight;
      expect(redis.status).toBe('ready');
      expect(await redis.ping()).toBe('PONG');

      {
        await using disposable = await usedClient(new RedisTokenStore({ client: redis, prefix: uniquePrefix(name) }));
        expect(Array.isArray((await disposable.routes.list()).data)).toBe(true);
      }
      expect(redis.status).toBe('ready');
      expect(await redis.ping()).toBe('PONG');
    } finally {
      await redis.quit();
    }
  });

  it('node-redis 5: still open and answering PING after close()', async () => {
    const redis = createRedis5({ url: REDIS_URL! });
    await redis.connect();
    try {
      const client = await usedClient(new RedisTokenStore({ client: redis, prefix: uniquePrefix('node-redis 5') }));
      await client.close();
      expect(redis.isReady).toBe(true);
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.destroy();
    }
  });
});
