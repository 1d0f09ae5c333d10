/**
 * A token store shared by every process using one Redis (contract auth §6.4), with the
 * official Node key layout and millisecond units, so it can share a cache with the
 * official Node SDK. Its lock makes cold starts across processes mint a single token.
 */
import { KnoxCallError } from '../errors.js';
import type { CachedToken, TokenStore } from './token-store.js';
import { decodeStoredToken, encodeStoredToken } from './stored-token-codec.js';
import { type NormalizedRedis, type RedisClient, normalizeRedisClient } from './redis-client-adapter.js';

export interface RedisTokenStoreOptions {
  /** An ioredis (v5/v6) or node-redis (v4/v5) client, connected. Never closed by the store. */
  client: RedisClient;
  /** Key prefix; default `"knoxcall:"` (trailing colons normalised to exactly one). */
  prefix?: string | undefined;
  /** How long to wait for the lock before minting without it; default 10 000 ms. */
  lockWaitMs?: number | undefined;
  /** Lock expiry, so a crashed holder cannot block others forever; default 30 s. */
  lockTtlSeconds?: number | undefined;
  /** Upper bound of a cache entry's TTL; default 3600 s. */
  defaultCacheTtlSeconds?: number | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new KnoxCallError(`RedisTokenStore: ${name} must be a positive number`);
  }
  return value;
}

function lockOwnerValue(): string {
  const random = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('');
  return `${Date.now()}-${random}`;
}

export class RedisTokenStore implements TokenStore {
  readonly #redis: NormalizedRedis;
  readonly #prefix: string;
  readonly #lockWaitMs: number;
  readonly #lockTtlSeconds: number;
  readonly #defaultCacheTtlSeconds: number;

  constructor(options: RedisTokenStoreOptions) {
    if (typeof options !== 'object' || options === null || !('client' in options)) {
      throw new KnoxCallError('RedisTokenStore takes an options object: new RedisTokenStore({ client })');
    }
    this.#redis = normalizeRedisClient(options.client);
    this.#prefix = `${(options.prefix ?? 'knoxcall:').replace(/:+$/, '')}:`;
    this.#lockWaitMs = positive('lockWaitMs', options.lockWaitMs, 10_000);
    this.#lockTtlSeconds = Math.ceil(positive('lockTtlSeconds', options.lockTtlSeconds, 30));
    this.#defaultCacheTtlSeconds = positive('defaultCacheTtlSeconds', options.defaultCacheTtlSeconds, 3600);
  }

  /** `{prefix}token:{key}` */
  tokenKey(key: string): string {
    return `${this.#prefix}token:${key}`;
  }

  /** `{prefix}lock:{key}` */
  lockKey(key: string): string {
    return `${this.#prefix}lock:${key}`;
  }

  async get(key: string): Promise<CachedToken | null> {
    return decodeStoredToken(await this.#redis.get(this.tokenKey(key)));
  }

  async set(key: string, token: CachedToken): Promise<void> {
    const remainingSeconds = Math.ceil((token.expiresAt - Date.now()) / 1000);
    const ttl = Math.max(60, Math.min(this.#defaultCacheTtlSeconds, remainingSeconds + 60));
    await this.#redis.setWithTtl(this.tokenKey(key), JSON.stringify(encodeStoredToken(token)), ttl);
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.tokenKey(key));
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = this.lockKey(key);
    const owner = lockOwnerValue();
    const started = Date.now();
    let acquired = false;
    for (;;) {
      acquired = await this.#redis.setIfAbsent(lockKey, owner, this.#lockTtlSeconds);
      if (acquired) break;
      const elapsed = Date.now() - started;
      // Waited long enough: go ahead without the lock; fn re-checks the cache, so the
      // worst case is one duplicate mint, never a stuck client.
      if (elapsed > this.#lockWaitMs) break;
      await sleep(Math.min(200, 25 + Math.floor(elapsed / 50)));
    }
    try {
      return await fn();
    } finally {
      if (acquired) await this.#redis.deleteIfEquals(lockKey, owner).catch(() => {});
    }
  }
}
