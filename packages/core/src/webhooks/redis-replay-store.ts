/**
 * A `ReplayStore` in Redis, shared by every instance of the receiving app: one atomic
 * `SET key 1 NX EX ttl` per claim. It accepts the app's own client — ioredis (5, 6, Cluster)
 * or node-redis (4, 5, cluster) — and imports neither, so it runs wherever the client does.
 * The two client APIs differ only in how SET options are passed; that is normalised here.
 */
import { KnoxCallError } from '../errors.js';
import { assertTtl } from './memory-replay-store.js';
import type { ReplayStore } from './replay-protection.js';

/** The part of an ioredis client used here. */
export interface IoRedisLikeClient {
  readonly status: string;
  set(key: string, value: string, expiryMode: 'EX', seconds: number, condition: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** The part of a node-redis client used here. */
export interface NodeRedisLikeClient {
  readonly isOpen: boolean;
  set(key: string, value: string, options: { EX: number; NX: true }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

export interface RedisReplayStoreOptions {
  /** A connected ioredis or node-redis client (the app owns it; the store never closes it). */
  client: IoRedisLikeClient | NodeRedisLikeClient | object;
  /** Prepended to every key; default `knoxcall:webhook-replay:`. */
  prefix?: string | undefined;
}

type SetIfAbsent = (key: string, ttlSeconds: number) => Promise<unknown>;

function hasFunction(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

function adapt(client: unknown): { setIfAbsent: SetIfAbsent; del: (key: string) => Promise<unknown> } {
  if (typeof client === 'object' && client !== null && hasFunction(client, 'set') && hasFunction(client, 'del')) {
    // node-redis exposes `isOpen` (v4 and v5, client and cluster); ioredis exposes `status`.
    if (typeof (client as { isOpen?: unknown }).isOpen === 'boolean') {
      const nodeRedis = client as NodeRedisLikeClient;
      return {
        setIfAbsent: (key, ttl) => nodeRedis.set(key, '1', { EX: ttl, NX: true }),
        del: (key) => nodeRedis.del(key),
      };
    }
    if (typeof (client as { status?: unknown }).status === 'string') {
      const ioRedis = client as IoRedisLikeClient;
      return {
        setIfAbsent: (key, ttl) => ioRedis.set(key, '1', 'EX', ttl, 'NX'),
        del: (key) => ioRedis.del(key),
      };
    }
  }
  throw new KnoxCallError(
    'RedisReplayStore needs an ioredis or node-redis client (e.g. new Redis(url) from "ioredis", or createClient({ url }) from "redis", connected)',
    { code: 'invalid_configuration' },
  );
}

export class RedisReplayStore implements ReplayStore {
  private readonly prefix: string;
  private readonly setIfAbsent: SetIfAbsent;
  private readonly del: (key: string) => Promise<unknown>;

  constructor(options: RedisReplayStoreOptions) {
    const { setIfAbsent, del } = adapt(options?.client);
    this.setIfAbsent = setIfAbsent;
    this.del = del;
    this.prefix = options.prefix ?? 'knoxcall:webhook-replay:';
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    // Redis EX takes whole seconds; rounding up never shortens the protection.
    const reply = await this.setIfAbsent(this.prefix + key, Math.ceil(ttlSeconds));
    return reply === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.del(this.prefix + key);
  }
}
