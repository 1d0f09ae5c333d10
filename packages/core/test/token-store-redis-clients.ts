/**
 * Real Redis clients of every supported major version, for the RedisTokenStore tests.
 * Tests that need Redis read REDIS_URL; without it they skip, unless
 * KNOXCALL_REQUIRE_REDIS=1 makes the missing server a failure.
 */
import IORedis5 from 'ioredis';
import IORedis6 from 'ioredis6';
import { createClient as createRedis5 } from 'redis';
import { createClient as createRedis4 } from 'redis4';
import { describe } from 'vitest';
import type { RedisClient } from '../src/auth/redis-client-adapter.js';

export const REDIS_URL = process.env.REDIS_URL;
export const redisRequired = process.env.KNOXCALL_REQUIRE_REDIS === '1';
if (!REDIS_URL && redisRequired) {
  throw new Error('KNOXCALL_REQUIRE_REDIS=1 but REDIS_URL is not set');
}
/** `describe`, or `describe.skip` when no Redis is configured (skipped, never passed). */
export const describeRedis = (REDIS_URL ? describe : describe.skip) as typeof describe;

export interface TestRedis {
  name: string;
  client: RedisClient;
  /** Raw access for assertions, independent of the store under test. */
  raw: {
    get(key: string): Promise<string | null>;
    ttl(key: string): Promise<number>;
    set(key: string, value: string): Promise<void>;
  };
  close(): Promise<void>;
}

export type RedisFactory = (url: string) => Promise<TestRedis>;

function ioredis(name: string, connect: (url: string) => IORedis5): RedisFactory {
  return async (url) => {
    const client = connect(url);
    return {
      name,
      client,
      raw: {
        get: (k) => client.get(k),
        ttl: (k) => client.ttl(k),
        set: async (k, v) => {
          await client.set(k, v);
        },
      },
      close: async () => {
        await client.quit();
      },
    };
  };
}

export const redisFactories: Array<[string, RedisFactory]> = [
  ['ioredis 5', ioredis('ioredis 5', (url) => new IORedis5(url, { maxRetriesPerRequest: 1 }))],
  ['ioredis 6', ioredis('ioredis 6', (url) => new IORedis6(url, { maxRetriesPerRequest: 1 }) as unknown as IORedis5)],
  [
    'node-redis 5',
    async (url) => {
      const client = createRedis5({ url });
      await client.connect();
      return {
        name: 'node-redis 5',
        client,
        raw: {
          get: async (k) => (await client.get(k)) as string | null,
          ttl: (k) => client.ttl(k),
          set: async (k, v) => {
            await client.set(k, v);
          },
        },
        close: async () => {
          client.destroy();
        },
      };
    },
  ],
  [
    'node-redis 4',
    async (url) => {
      const client = createRedis4({ url });
      await client.connect();
      return {
        name: 'node-redis 4',
        client,
        raw: {
          get: (k) => client.get(k),
          ttl: (k) => client.ttl(k),
          set: async (k, v) => {
            await client.set(k, v);
          },
        },
        close: async () => {
          await client.quit();
        },
      };
    },
  ],
];

export const uniquePrefix = (label: string) => `kctest:${label.replace(/\W+/g, '')}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
