/**
 * A `ReplayStore` in Redis, shared by every instance of the receiving app. A key holds
 * `lease` while a delivery is processed (`SET key lease NX EX leaseSeconds`: atomic, and it
 * lapses by itself if the process dies) and `done` once it was (`SET key done EX ttl`).
 * Release deletes the key only while it still holds `lease` (compare-and-delete), so a done
 * marker is never removed. It takes the app's own client — ioredis (5, 6) or
 * node-redis (4, 5) — and imports neither, so it runs wherever the client does. The two
 * client APIs are normalised by the same adapter the RedisTokenStore uses.
 */
import { type NormalizedRedis, normalizeRedisClient, type RedisClient } from '../auth/redis-client-adapter.js';
import { KnoxCallError } from '../errors.js';
import { assertTtl } from './memory-replay-store.js';
import type { ReplayClaimState, ReplayStore } from './replay-protection.js';

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

  async begin(key: string, leaseSeconds: number): Promise<ReplayClaimState> {
    assertTtl(leaseSeconds, 'ReplayStore.begin: leaseSeconds');
    const name = this.prefix + key;
    // Redis EX takes whole seconds; rounding up never shortens the lease.
    if (await this.redis.setIfAbsent(name, LEASE, Math.ceil(leaseSeconds))) return 'claimed';
    const value = await this.redis.get(name);
    if (value === null) {
      // The lease lapsed (or was released) between the two commands: one more attempt.
      return (await this.redis.setIfAbsent(name, LEASE, Math.ceil(leaseSeconds))) ? 'claimed' : 'in_progress';
    }
    // Anything but a lease is a processed delivery — including the `1` of earlier versions.
    return value === LEASE ? 'in_progress' : 'done';
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds, 'ReplayStore.complete: ttlSeconds');
    await this.redis.setWithTtl(this.prefix + key, DONE, Math.ceil(ttlSeconds));
  }

  async release(key: string): Promise<void> {
    await this.redis.deleteIfEquals(this.prefix + key, LEASE);
  }

  /**
   * @deprecated The one-step claim of the earlier interface, which cannot tell an
   * in-progress delivery from a processed one: use `begin`, then `complete` or `release`.
   * Resolves true when the key was free (it is then held as a lease for `ttlSeconds`).
   */
  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    return (await this.begin(key, ttlSeconds)) === 'claimed';
  }
}

const LEASE = 'lease';
const DONE = 'done';
