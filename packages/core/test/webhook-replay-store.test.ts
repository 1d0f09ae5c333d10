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
import { verifyWebhookSync } from '../src/node/webhook-verifier.js';
import { describeRedis, REDIS_URL, redisFactories, type TestRedis, uniquePrefix } from './token-store-redis-clients.js';

const BODY = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';
const FROZEN_MS = 1_767_225_600_000;

/** The behaviour every store shares, as core's webhook processor uses it. */
async function sharedBehaviour(store: ReplayStore, key: (name: string) => string) {
  expect(await store.begin(key('a'), 60)).toBe('claimed');
  // a second attempt while the first is still processing: in progress, never "done"
  expect(await store.begin(key('a'), 60)).toBe('in_progress');
  expect(await store.begin(key('b'), 60)).toBe('claimed');
  // the handlers failed: the lease goes, the retry is processed
  await store.release(key('a'));
  expect(await store.begin(key('a'), 60)).toBe('claimed');
  // the handlers succeeded: done, and a release (a late failure report) never removes it
  await store.complete(key('a'), 600);
  expect(await store.begin(key('a'), 60)).toBe('done');
  await store.release(key('a'));
  expect(await store.begin(key('a'), 60)).toBe('done');
  await store.release(key('never-claimed'));
  await expect(store.begin(key('c'), 0)).rejects.toThrow('leaseSeconds must be a positive number');
  await expect(store.begin(key('c'), Number.NaN)).rejects.toThrow('leaseSeconds must be a positive number');
  await expect(store.complete(key('c'), -1)).rejects.toThrow('ttlSeconds must be a positive number');
}

/** The deprecated one-step claim of the built-in stores keeps its meaning for direct callers. */
async function deprecatedClaim(store: MemoryReplayStore | RedisReplayStore, key: (name: string) => string) {
  expect(await store.claim(key('old'), 60)).toBe(true);
  expect(await store.claim(key('old'), 60)).toBe(false);
  await store.release(key('old'));
  expect(await store.claim(key('old'), 60)).toBe(true);
  await expect(store.claim(key('old-bad'), 0)).rejects.toThrow('ttlSeconds must be a positive number');
}

describe('replayTtlSeconds / replayKeyFor', () => {
  it('covers twice the tolerance window (a delivery is valid from t − tol to t + tol), plus a second', () => {
    expect(replayTtlSeconds(300)).toBe(601);
    expect(replayTtlSeconds(undefined)).toBe(601);
    expect(replayTtlSeconds(0.5)).toBe(2);
    expect(replayTtlSeconds(null)).toBe(REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS);
    expect(replayTtlSeconds(0)).toBe(REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS);
  });

  it('the key comes from what was signed: a rotation delivery with one v1 removed has the same key', async () => {
    const now = () => FROZEN_MS;
    const [oldSig, newSig] = await Promise.all(
      ['whsec_old', 'whsec_new'].map((secret) => signWebhook({ body: BODY, secret, format: 'stripe', timestamp: 1_767_225_600 })),
    );
    const v1 = (header: Record<string, string>) => header['Stripe-Signature']!.split(',')[1]!;
    const both = { 'Stripe-Signature': `t=1767225600,${v1(oldSig!)},${v1(newSig!)}` };
    const secrets = ['whsec_old', 'whsec_new'];
    const full = await verifyWebhook(BODY, both, secrets, { format: 'stripe', now });
    const onlyOld = await verifyWebhook(BODY, oldSig!, secrets, { format: 'stripe', now });
    const onlyNew = await verifyWebhook(BODY, newSig!, ['whsec_new'], { format: 'stripe', now });
    expect(onlyOld.replayKey).toBe(full.replayKey);
    expect(onlyNew.replayKey).toBe(full.replayKey);
    expect(verifyWebhookSync(BODY, oldSig!, secrets, { format: 'stripe', now }).replayKey).toBe(full.replayKey);
    // what is signed includes the stripe timestamp: a re-signed copy at another t is another delivery
    const later = await signWebhook({ body: BODY, secret: 'whsec_new', format: 'stripe', timestamp: 1_767_225_601 });
    expect((await verifyWebhook(BODY, later, secrets, { format: 'stripe', now })).replayKey).not.toBe(full.replayKey);
    // the key names no secret and no signature
    expect(full.replayKey).not.toContain(v1(oldSig!).slice(3));
    expect(full.replayKey).not.toContain(v1(newSig!).slice(3));
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
  it('leases, completes, releases, rejects bad TTLs', async () => {
    await sharedBehaviour(new MemoryReplayStore(), (name) => name);
    await deprecatedClaim(new MemoryReplayStore(), (name) => name);
  });

  it('a lease lapses after leaseSeconds; a done marker lasts its TTL (injected clock)', async () => {
    let now = FROZEN_MS;
    const store = new MemoryReplayStore({ now: () => now });
    expect(await store.begin('k', 10)).toBe('claimed');
    now += 9_999;
    expect(await store.begin('k', 10)).toBe('in_progress');
    now += 1; // the process holding the lease died: the next attempt takes over
    expect(await store.begin('k', 10)).toBe('claimed');
    await store.complete('k', 600);
    now += 599_999;
    expect(await store.begin('k', 10)).toBe('done');
    now += 1;
    expect(await store.begin('k', 10)).toBe('claimed');
    now += 10_000;
    expect(await store.begin('other', 10)).toBe('claimed');
    expect(store.size).toBe(1); // the expired lease was dropped
  });

  it('stays bounded, forgetting the oldest claim first', async () => {
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => FROZEN_MS });
    for (const key of ['a', 'b', 'c', 'd']) expect(await store.begin(key, 60)).toBe('claimed');
    expect(store.size).toBe(3);
    expect(await store.begin('d', 60)).toBe('in_progress');
    expect(await store.begin('b', 60)).toBe('in_progress');
    expect(await store.begin('a', 60)).toBe('claimed'); // evicted, so claimable again
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

  it('leases, completes, releases, rejects bad TTLs', async () => {
    await sharedBehaviour(new RedisReplayStore({ client: redis.client, prefix }), (key) => `shared:${key}`);
    await deprecatedClaim(new RedisReplayStore({ client: redis.client, prefix }), (key) => `shared:${key}`);
  });

  it('writes a lease with SET NX EX leaseSeconds, then done with the whole-second TTL', async () => {
    const store = new RedisReplayStore({ client: redis.client, prefix });
    expect(await store.begin('ttl', 30.2)).toBe('claimed');
    expect(await redis.raw.get(`${prefix}ttl`)).toBe('lease');
    const lease = await redis.raw.ttl(`${prefix}ttl`);
    expect(lease).toBeGreaterThan(25);
    expect(lease).toBeLessThanOrEqual(31);
    // (expiry itself is Redis's job: a key with a TTL is all the store must leave behind)
    // a live lease is never overwritten (NX), so the first attempt's lease stands
    expect(await store.begin('ttl', 5)).toBe('in_progress');
    expect(await redis.raw.ttl(`${prefix}ttl`)).toBeGreaterThan(25);
    await store.complete('ttl', 600.2);
    expect(await redis.raw.get(`${prefix}ttl`)).toBe('done');
    expect(await redis.raw.ttl(`${prefix}ttl`)).toBeGreaterThan(595);
  });

  it('exactly one of many concurrent attempts gets the lease (two stores, one Redis)', async () => {
    const first = new RedisReplayStore({ client: redis.client, prefix });
    const second = new RedisReplayStore({ client: redis.client, prefix });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).begin('race', 60)));
    expect(results.filter((state) => state === 'claimed')).toHaveLength(1);
    expect(results.filter((state) => state === 'in_progress')).toHaveLength(19);
  });

  it('works with the verified replay key end to end', async () => {
    const store = new RedisReplayStore({ client: redis.client, prefix });
    const headers = await signWebhook({ body: BODY, secret: 's', format: 'stripe', timestamp: 1_767_225_600 });
    const verified = await verifyWebhook(BODY, headers, 's', { format: 'stripe', now: () => FROZEN_MS });
    expect(await store.begin(verified.replayKey, 60)).toBe('claimed');
    await store.complete(verified.replayKey, verified.replayTtlSeconds);
    expect(await store.begin(verified.replayKey, 60)).toBe('done');
  });
});
