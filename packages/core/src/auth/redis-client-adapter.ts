/**
 * One small interface over the two Redis client families, whose command signatures
 * differ: ioredis takes variadic `set(k, v, 'EX', n, 'NX')` and `eval(script, numKeys,
 * ...keys, ...args)`; node-redis (v4/v5) takes `set(k, v, { EX: n, NX: true })` and
 * `eval(script, { keys, arguments })`. Getting this wrong silently drops NX, so the
 * adapter picks the right form once, at construction.
 */

import { KnoxCallError } from '../errors.js';

/**
 * A Redis client: an `ioredis` (v5/v6) or `redis` / node-redis (v4/v5) instance, or any
 * object with `get`, a variadic ioredis-style `set(key, value, ...args)` and `del`
 * (`setEx` and `eval` are used when present). Only the simplest overload of each method is
 * declared, so that every client's overloaded methods are accepted; the store calls the
 * family-specific forms itself.
 */
export interface RedisClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  setEx?(key: string, seconds: number, value: string): Promise<unknown>;
  exists?(key: string): Promise<unknown>;
  /** Any `eval`: its signature differs per family (see above). */
  eval?: (...args: never) => unknown;
}

export interface NormalizedRedis {
  readonly family: 'node-redis' | 'ioredis';
  get(key: string): Promise<string | null>;
  /** `SET key value EX seconds` (or `setEx`). */
  setWithTtl(key: string, value: string, seconds: number): Promise<void>;
  /** `SET key value NX EX seconds`; true when the key was set (the lock acquired). */
  setIfAbsent(key: string, value: string, seconds: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` — atomically when the client can `eval`. */
  deleteIfEquals(key: string, value: string): Promise<void>;
  del(key: string): Promise<void>;
}

const COMPARE_AND_DELETE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

type Loose = (...args: unknown[]) => Promise<unknown>;

function decode(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

export function normalizeRedisClient(client: RedisClient): NormalizedRedis {
  const c = client as unknown as Record<string, Loose | undefined>;
  if (typeof client !== 'object' || client === null || typeof c.get !== 'function' || typeof c.set !== 'function' || typeof c.del !== 'function') {
    throw new KnoxCallError('RedisTokenStore: client must be an ioredis or node-redis client (get, set and del are required)');
  }
  const call = (name: string, ...args: unknown[]): Promise<unknown> => (c[name] as Loose).apply(client, args);
  // node-redis spells it setEx (camelCase) and takes an options object; ioredis has setex.
  const family = typeof c.setEx === 'function' ? 'node-redis' : 'ioredis';
  const canEval = typeof c.eval === 'function';

  return {
    family,
    async get(key) {
      return decode(await call('get', key));
    },
    async setWithTtl(key, value, seconds) {
      if (typeof c.setEx === 'function') await call('setEx', key, seconds, value);
      else await call('set', key, value, 'EX', seconds);
    },
    async setIfAbsent(key, value, seconds) {
      const reply = family === 'node-redis' ? await call('set', key, value, { EX: seconds, NX: true }) : await call('set', key, value, 'EX', seconds, 'NX');
      return Boolean(reply);
    },
    async deleteIfEquals(key, value) {
      if (canEval) {
        if (family === 'node-redis') await call('eval', COMPARE_AND_DELETE, { keys: [key], arguments: [value] });
        else await call('eval', COMPARE_AND_DELETE, 1, key, value);
        return;
      }
      if (decode(await call('get', key)) === value) await call('del', key);
    },
    async del(key) {
      await call('del', key);
    },
  };
}
