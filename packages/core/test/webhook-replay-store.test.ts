/**
 * Replay stores: the in-memory one (bounded, expiring, injectable clock) and the Redis one
 * against a REAL Redis through ioredis 5/6 and node-redis 4/5 (REDIS_URL; skipped without
 * it unless KNOXCALL_REQUIRE_REDIS=1). Also the TTL/key helpers adapters rely on.
 */
import { signWebhook } from '@knoxcall/testing/signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryReplayStore,
  REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS,
  RedisReplayStore,
  type ReplayStore,
  replayKeyFor,
  replayTtlSeconds,
  verifyWebhook,
} from '../src/webhooks/index.js';
import { describeRedis, REDIS_URL, redisFactories, type TestRedis, uniquePrefix } from './token-store-redis-clients.js';

const BODY = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';
const FROZEN_MS = 1_767_225_600_000;

/** The behaviour every store shares, as an adapter uses it. */
async function sharedBehaviour(store: ReplayStore, key: (name: string) => string) {
  expect(await store.claim(key('a'), 60)).toBe(true);
  expect(await store.claim(key('a'), 60)).toBe(false);
  expect(await store.claim(key('b'), 60)).toBe(true);
  await store.release(key('a'));
  expect(await store.claim(key('a'), 60)).toBe(true);
  await store.release(key('never-claimed'));
  await expect(store.claim(key('c'), 0)).rejects.toThrow('ttlSeconds must be a positive number');
  await expect(store.claim(key('c'), Number.NaN)).rejects.toThrow('ttlSeconds must be a positive number');
}

describe('replayTtlSeconds / replayKeyFor', () => {
  it('covers twice the tolerance window (a delivery is valid from t − tol to t + tol), plus a second', () => {
    expect(replayTtlSeconds(300)).toBe(601);
    expect(replayTtlSeconds(undefined)).toBe(601);
    expect(replayTtlSeconds(0.5)).toBe(2);
    expect(replayTtlSeconds(null)).toBe(REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS);
    expect(replayTtlSeconds(0)).toBe(REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS);
  });

  it('a verified result carries the key and TTL; the key is the verified signature, not an unsigned header', async () => {
    const headers = await signWebhook({ body: BODY, secret: 's', format: 'legacy' });
    const verified = await verifyWebhook(BODY, { ...headers, 'X-Webhook-ID': 'one' }, 's', { now: () => FROZEN_MS, toleranceSeconds: 120 });
    expect(replayKeyFor(verified)).toBe(verified.replayKey);
    expect(verified.replayTtlSeconds).toBe(241);
    const again = await verifyWebhook(BODY, { ...headers, 'X-Webhook-ID': 'two' }, 's', { now: () => FROZEN_MS, toleranceSeconds: 120 });
    expect(again.replayKey).toBe(verified.replayKey);
    // legacy and aws-sns sign the same bytes with the same HMAC: the same delivery either way
    const sns = await signWebhook({ body: BODY, secret: 's', format: 'aws-sns' });
    expect((await verifyWebhook(BODY, sns, 's', { format: 'aws-sns', now: () => FROZEN_MS })).replayKey).toBe(verified.replayKey);
  });
});

describe('MemoryReplayStore', () => {
  it('claims once, releases, rejects bad TTLs', async () => {
    await sharedBehaviour(new MemoryReplayStore(), (name) => name);
  });

  it('expires claims after the TTL (injected clock)', async () => {
    let now = FROZEN_MS;
    const store = new MemoryReplayStore({ now: () => now });
    expect(await store.claim('k', 10)).toBe(true);
    now += 9_999;
    expect(await store.claim('k', 10)).toBe(false);
    now += 1;
    expect(await store.claim('k', 10)).toBe(true);
    now += 10_000;
    expect(await store.claim('other', 10)).toBe(true);
    expect(store.size).toBe(1); // the expired claim was dropped
  });

  it('stays bounded, forgetting the oldest claim first', async () => {
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => FROZEN_MS });
    for (const key of ['a', 'b', 'c', 'd']) expect(await store.claim(key, 60)).toBe(true);
    expect(store.size).toBe(3);
    expect(await store.claim('d', 60)).toBe(false);
    expect(await store.claim('b', 60)).toBe(false);
    expect(await store.claim('a', 60)).toBe(true); // evicted, so claimable again
  });

  it('rejects a nonsensical size', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow('maxEntries');
  });
});

describe('RedisReplayStore construction', () => {
  it('names the fix when the client is not a Redis client', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong client
    for (const client of [undefined, {}, { get() {} }] as any[]) {
      expect(() => new RedisReplayStore({ client })).toThrow('RedisReplayStore needs an ioredis or node-redis client');
    }
  });
});

describeRedis.each(redisFactories)('RedisReplayStore with %s (real Redis)', (name, factory) => {
  let redis: TestRedis;
  let prefix: string;
  beforeAll(async () => {
    redis = await factory(REDIS_URL!);
    prefix = `${uniquePrefix(name)}:`;
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('claims once, releases, rejects bad TTLs', async () => {
    await sharedBehaviour(new RedisReplayStore({ client: redis.client, prefix }), (key) => `shared:${key}`);
  });

  it('writes SET NX EX under the prefix with the whole-second TTL', async () => {
    const store = new RedisReplayStore({ client: redis.client, prefix });
    expect(await store.claim('ttl', 600.2)).toBe(true);
    expect(await redis.raw.get(`${prefix}ttl`)).toBe('1');
    const ttl = await redis.raw.ttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(595);
    expect(ttl).toBeLessThanOrEqual(601);
    // (expiry itself is Redis's job: a key with a TTL is all the store must leave behind)
    // an existing key is never overwritten (NX), so the TTL of the first claim stands
    expect(await store.claim('ttl', 5)).toBe(false);
    expect(await redis.raw.ttl(`${prefix}ttl`)).toBeGreaterThan(595);
  });

  it('exactly one of many concurrent claims wins (two stores, one Redis)', async () => {
    const first = new RedisReplayStore({ client: redis.client, prefix });
    const second = new RedisReplayStore({ client: redis.client, prefix });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).claim('race', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('works with the verified replay key end to end', async () => {
    const store = new RedisReplayStore({ client: redis.client, prefix });
    const headers = await signWebhook({ body: BODY, secret: 's', format: 'stripe', timestamp: 1_767_225_600 });
    const verified = await verifyWebhook(BODY, headers, 's', { format: 'stripe', now: () => FROZEN_MS });
    expect(await store.claim(verified.replayKey, verified.replayTtlSeconds)).toBe(true);
    expect(await store.claim(verified.replayKey, verified.replayTtlSeconds)).toBe(false);
  });
});
