/**
 * A `ReplayStore` in Redis, shared by every instance of the receiving app: one atomic
 * `SET key 1 NX EX ttl` per claim. It takes the app's own client — ioredis (5, 6) or
 * node-redis (4, 5) — and imports neither, so it runs wherever the client does. The two
 * client APIs are normalised by the same adapter the RedisTokenStore uses.
 */
import { type NormalizedRedis, normalizeRedisClient, type RedisClient } from '../auth/redis-client-adapter.js';
import { KnoxCallError } from '../errors.js';
import { assertTtl } from './memory-replay-store.js';
import type { ReplayStore } from './replay-protection.js';

export type { RedisClient } from '../auth/redis-client-adapter.js';

export interface RedisReplayStoreOptions {
  /** A connected ioredis or node-redis client (the app owns it; the store never closes it). */
  client: RedisClient;
  /** Prepended to every key; default `knoxcall:webhook-replay:`. */
  prefix?: string | undefined;
}

export const DEFAULT_REPLAY_KEY_PREFIX = 'knoxcall:webhook-replay:';

export class RedisReplayStore implements ReplayStore {
  private readonly redis: NormalizedRedis;
  private readonly prefix: string;

  constructor(options: RedisReplayStoreOptions) {
    try {
      this.redis = normalizeRedisClient(options?.client);
    } catch {
      throw new KnoxCallError(
        'RedisReplayStore needs an ioredis or node-redis client (e.g. new Redis(url) from "ioredis", or a connected createClient({ url }) from "redis")',
        { code: 'invalid_configuration' },
      );
    }
    this.prefix = options.prefix ?? DEFAULT_REPLAY_KEY_PREFIX;
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    // Redis EX takes whole seconds; rounding up never shortens the protection.
    return this.redis.setIfAbsent(this.prefix + key, '1', Math.ceil(ttlSeconds));
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
