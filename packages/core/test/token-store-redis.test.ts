import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';
import type { CachedToken } from '../src/auth/token-store.js';
import { Redacted } from '../src/redacted.js';
import { authConfig, tokenKeyOf } from './auth-test-support.js';
import { startTokenServer, tokenBody } from './auth-token-server.js';
import { describeRedis, REDIS_URL, redisFactories, type TestRedis, uniquePrefix } from './token-store-redis-clients.js';

const token = (overrides: Partial<CachedToken> = {}): CachedToken => ({
  accessToken: new Redacted('kc_redis_token'),
  expiresAt: Date.now() + 3_600_000,
  scope: ['routes:read'],
  tokenType: 'Bearer',
  ...overrides,
});

describeRedis.each(redisFactories)('RedisTokenStore with %s', (_name, factory) => {
  let redis: TestRedis;
  let prefix: string;
  beforeAll(async () => {
    redis = await factory(REDIS_URL!);
    prefix = uniquePrefix(_name);
  });
  afterAll(async () => {
    await redis?.close();
  });

  const store = (extra: Record<string, number> = {}) => new RedisTokenStore({ client: redis.client, prefix, ...extra });

  it('a miss is null; set/get round-trips every field; delete then get is null', async () => {
    const s = store();
    expect(await s.get('miss')).toBeNull();
    const full = token({
      refreshToken: new Redacted('rt_1'),
      lifetime: 3_600_000,
      tenant: 'acme',
      cnfJkt: 'jkt',
      tokenType: 'DPoP',
    });
    await s.set('acme:', full);
    const back = await s.get('acme:');
    expect(back?.accessToken.expose()).toBe('kc_redis_token');
    expect(back?.refreshToken?.expose()).toBe('rt_1');
    expect(back).toMatchObject({ expiresAt: full.expiresAt, lifetime: 3_600_000, scope: ['routes:read'], tokenType: 'DPoP', tenant: 'acme', cnfJkt: 'jkt' });
    await s.delete('acme:');
    await s.delete('acme:');
    expect(await s.get('acme:')).toBeNull();
  });

  it('uses the official key layout and a camelCase millisecond JSON value, optional members omitted', async () => {
    const s = store();
    const expiresAt = Date.now() + 3_600_000;
    await s.set('acme:', token({ expiresAt }));
    const raw = await redis.raw.get(`${prefix}:token:acme:`);
    expect(JSON.parse(raw!)).toEqual({ accessToken: 'kc_redis_token', expiresAt, scope: ['routes:read'], tokenType: 'Bearer' });
  });

  it('normalises the prefix (trailing colons → exactly one); default prefix is "knoxcall:"', () => {
    const s = new RedisTokenStore({ client: redis.client, prefix: 'app:::' });
    expect(s.tokenKey('acme:')).toBe('app:token:acme:');
    expect(s.lockKey('k')).toBe('app:lock:k');
    expect(new RedisTokenStore({ client: redis.client }).tokenKey('acme:')).toBe('knoxcall:token:acme:');
  });

  it('cache TTL = max(60, min(defaultCacheTtlSeconds, ceil(remaining s) + 60))', async () => {
    const s = store();
    await s.set('ttl-a', token({ expiresAt: Date.now() + 100_000 }));
    expect(await redis.raw.ttl(`${prefix}:token:ttl-a`)).toBeGreaterThanOrEqual(159);
    expect(await redis.raw.ttl(`${prefix}:token:ttl-a`)).toBeLessThanOrEqual(160);
    await s.set('ttl-b', token({ expiresAt: Date.now() + 10 * 3_600_000 }));
    expect(await redis.raw.ttl(`${prefix}:token:ttl-b`)).toBeGreaterThan(3590);
    await s.set('ttl-c', token({ expiresAt: Date.now() - 50_000 }));
    expect(await redis.raw.ttl(`${prefix}:token:ttl-c`)).toBeLessThanOrEqual(60);
    expect(await redis.raw.ttl(`${prefix}:token:ttl-c`)).toBeGreaterThan(55);
    await store({ defaultCacheTtlSeconds: 120 }).set('ttl-d', token());
    expect(await redis.raw.ttl(`${prefix}:token:ttl-d`)).toBeLessThanOrEqual(120);
    expect(await redis.raw.ttl(`${prefix}:token:ttl-d`)).toBeGreaterThan(115);
  });

  it('corrupt or ill-shaped values read as a miss; a missing tokenType reads as Bearer', async () => {
    const s = store();
    await redis.raw.set(`${prefix}:token:corrupt`, '{not json');
    expect(await s.get('corrupt')).toBeNull();
    await redis.raw.set(`${prefix}:token:shape`, JSON.stringify({ accessToken: 'x', expiresAt: 'soon' }));
    expect(await s.get('shape')).toBeNull();
    await redis.raw.set(`${prefix}:token:old`, JSON.stringify({ accessToken: 'kc_old', expiresAt: 5, scope: [], lifetime: 0 }));
    expect(await s.get('old')).toMatchObject({ tokenType: 'Bearer', lifetime: undefined, expiresAt: 5 });
  });

  it('two concurrent withLock calls are serialised, each returns its own result, the lock key is gone after', async () => {
    const s = store();
    let inside = 0;
    let overlap = false;
    let lockValue: string | null = null;
    const run = (result: string) =>
      s.withLock('serial', async () => {
        inside++;
        if (inside > 1) overlap = true;
        lockValue = await redis.raw.get(`${prefix}:lock:serial`);
        await new Promise((r) => setTimeout(r, 40));
        inside--;
        return result;
      });
    expect(await Promise.all([run('a'), run('b')])).toEqual(['a', 'b']);
    expect(overlap).toBe(false);
    expect(lockValue).toMatch(/^\d+-[0-9a-z]+$/);
    expect(await redis.raw.get(`${prefix}:lock:serial`)).toBeNull();
  });

  it('the lock is released after fn throws', async () => {
    const s = store();
    await expect(
      s.withLock('throws', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await redis.raw.get(`${prefix}:lock:throws`)).toBeNull();
  });

  it('the lock is really NX with an expiry: a foreign lock is waited for and never deleted', async () => {
    const s = store({ lockWaitMs: 300, lockTtlSeconds: 7 });
    await redis.raw.set(`${prefix}:lock:foreign`, 'peer-owner');
    const started = Date.now();
    let ranAt = 0;
    await s.withLock('foreign', async () => {
      ranAt = Date.now();
    });
    expect(ranAt - started).toBeGreaterThanOrEqual(290); // waited out lockWaitMs, then proceeded
    expect(await redis.raw.get(`${prefix}:lock:foreign`)).toBe('peer-owner');
    // and our own lock carries the configured TTL
    await s.withLock('own-ttl', async () => {
      expect(await redis.raw.ttl(`${prefix}:lock:own-ttl`)).toBe(7);
    });
  });

  it('a waiter acquires as soon as the holder releases', async () => {
    const s = store({ lockWaitMs: 5_000 });
    let release!: () => void;
    const holder = s.withLock(
      'handoff',
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    const waiter = s.withLock('handoff', async () => redis.raw.get(`${prefix}:lock:handoff`));
    setTimeout(() => release(), 100);
    await holder;
    const seen = await waiter;
    expect(seen).toMatch(/^\d+-[0-9a-z]+$/); // the waiter held its own lock
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('two authenticators sharing Redis mint one token between them', async () => {
    let minted = 0;
    const server = await startTokenServer(() => ({ delayMs: 60, body: tokenBody(`kc_shared_${++minted}`, { tenant: 'acme' }) }));
    try {
      const p = uniquePrefix('auth');
      const make = () =>
        createAuthenticator(
          authConfig(
            { clientId: 'kc_client_123', clientSecret: 's3cr3t', tokenStore: new RedisTokenStore({ client: redis.client, prefix: p }) },
            { baseUrl: server.url },
          ),
        );
      const [a, b] = await Promise.all([make().getCredential(), make().getCredential()]);
      expect(a.accessToken.expose()).toBe('kc_shared_1');
      expect(b.accessToken.expose()).toBe('kc_shared_1');
      expect(server.requests).toHaveLength(1);
      // the key is the client identity (no tenant configured), and the value is in Redis
      expect(JSON.parse((await redis.raw.get(`${p}:token:${tokenKeyOf({ clientId: 'kc_client_123', clientSecret: 's3cr3t' })}`))!).accessToken).toBe(
        'kc_shared_1',
      );
    } finally {
      await server.close();
    }
  });
});

describeRedis('RedisTokenStore across client families', () => {
  it('an entry written through ioredis reads through node-redis and vice versa', async () => {
    const [io, nr] = await Promise.all([redisFactories[0]![1](REDIS_URL!), redisFactories[2]![1](REDIS_URL!)]);
    try {
      const prefix = uniquePrefix('cross');
      await new RedisTokenStore({ client: io.client, prefix }).set('k', token({ tenant: 'acme' }));
      expect((await new RedisTokenStore({ client: nr.client, prefix }).get('k'))?.tenant).toBe('acme');
    } finally {
      await io.close();
      await nr.close();
    }
  });

  it('a minimal custom client (get, variadic set, del; no eval) gets NX locking and a GET-then-DEL release', async () => {
    const io = await redisFactories[0]![1](REDIS_URL!);
    const calls: string[] = [];
    const inner = io.client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const custom = {
      get(key: string) {
        calls.push('get');
        return inner.get!.call(io.client, key);
      },
      set(key: string, value: string, ...args: unknown[]) {
        calls.push(`set ${args.join(' ')}`);
        return inner.set!.call(io.client, key, value, ...args);
      },
      del(key: string) {
        calls.push('del');
        return inner.del!.call(io.client, key);
      },
    };
    try {
      const prefix = uniquePrefix('custom');
      const store = new RedisTokenStore({ client: custom, prefix, lockTtlSeconds: 9 });
      await store.set('k', token());
      expect(calls).toContain('set EX 3600');
      await io.raw.set(`${prefix}:lock:busy`, 'peer');
      const fast = new RedisTokenStore({ client: custom, prefix, lockWaitMs: 50 });
      await fast.withLock('busy', async () => {});
      expect(await io.raw.get(`${prefix}:lock:busy`)).toBe('peer');
      calls.length = 0;
      await store.withLock('own', async () => {});
      expect(calls).toEqual(['set EX 9 NX', 'get', 'del']);
      expect(await io.raw.get(`${prefix}:lock:own`)).toBeNull();
    } finally {
      await io.close();
    }
  });

  it('rejects something that is not a Redis client with a clear error', () => {
    expect(() => new RedisTokenStore({ client: {} as never })).toThrow(/ioredis or node-redis client/);
    expect(() => new RedisTokenStore(undefined as never)).toThrow(/options object/);
  });
});
