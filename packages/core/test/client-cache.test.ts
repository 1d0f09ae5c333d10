import { describe, expect, it } from 'vitest';
import { ClientCache, clientCacheKey } from '../src/adapter/index.js';
import { AccessToken, ClientCredentials, KnoxCall, type KnoxCallOptions, MemoryTokenStore } from '../src/index.js';

const base: KnoxCallOptions = { baseUrl: 'http://127.0.0.1:9', clientId: 'kc_client_1', clientSecret: 'kcs_super_secret' };

describe('clientCacheKey: every option counts', () => {
  it('is a 64-hex salted hash with no secret in clear', () => {
    const key = clientCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('kcs_super_secret');
    expect(clientCacheKey({ ...base })).toBe(key);
  });

  it('the credential counts by identity, whatever its spelling', () => {
    const flat = clientCacheKey(base);
    expect(clientCacheKey({ baseUrl: base.baseUrl, bootstrap: new ClientCredentials({ clientId: 'kc_client_1', clientSecret: 'kcs_super_secret' }) })).toBe(
      flat,
    );
    expect(
      clientCacheKey({ baseUrl: base.baseUrl, bootstrap: { type: 'client_credentials', clientId: 'kc_client_1', clientSecret: 'kcs_super_secret' } }),
    ).toBe(flat);
    expect(clientCacheKey({ ...base, clientSecret: 'kcs_other' })).not.toBe(flat);
    const token = clientCacheKey({ baseUrl: base.baseUrl, apiKey: 'kc_a' });
    expect(clientCacheKey({ baseUrl: base.baseUrl, accessToken: 'kc_a' })).toBe(token);
    expect(clientCacheKey({ baseUrl: base.baseUrl, bootstrap: new AccessToken({ accessToken: 'kc_a' }) })).toBe(token);
    expect(clientCacheKey({ baseUrl: base.baseUrl, bootstrap: new AccessToken({ accessToken: 'kc_b' }) })).not.toBe(token);
  });

  it('plain data counts by value, functions and instances by identity', () => {
    const store = new MemoryTokenStore();
    const fetchImpl: typeof fetch = (input, init) => fetch(input, init);
    const onRequest = () => {};
    const variants: KnoxCallOptions[] = [
      { ...base, tenant: 'acme' },
      { ...base, environment: 'staging' },
      { ...base, proxyBaseUrl: 'http://127.0.0.1:10' },
      { ...base, sandbox: true },
      { ...base, scope: ['routes:read'] },
      { ...base, dpop: 'always' },
      { ...base, timeout: 1000 },
      { ...base, retry: { maxAttempts: 1 } },
      { ...base, apiVersion: '2026-01-01' },
      { ...base, userAgent: 'mine' },
      { ...base, telemetryHeader: false },
      { ...base, tokenStore: store },
      { ...base, fetchImpl },
      { ...base, telemetry: { onRequest } },
      { ...base, jsonReplacer: (_k, v) => v },
    ];
    const keys = variants.map(clientCacheKey);
    expect(new Set([clientCacheKey(base), ...keys]).size).toBe(variants.length + 1);
    // Equal plain data is the same key; the same instances are the same key; other instances are not.
    expect(clientCacheKey({ ...base, retry: { maxAttempts: 1 } })).toBe(clientCacheKey({ ...base, retry: { maxAttempts: 1 } }));
    expect(clientCacheKey({ ...base, tokenStore: store, fetchImpl, telemetry: { onRequest } })).toBe(
      clientCacheKey({ ...base, tokenStore: store, fetchImpl, telemetry: { onRequest } }),
    );
    expect(clientCacheKey({ ...base, tokenStore: new MemoryTokenStore() })).not.toBe(clientCacheKey({ ...base, tokenStore: store }));
    expect(clientCacheKey({ ...base, telemetry: { onRequest: () => {} } })).not.toBe(clientCacheKey({ ...base, telemetry: { onRequest } }));
    // An option set to undefined is the option left out.
    expect(clientCacheKey({ ...base, tenant: undefined })).toBe(clientCacheKey(base));
  });

  it('conflicting credentials are the client’s own BootstrapError', () => {
    expect(() => clientCacheKey({ apiKey: 'kc_a', clientId: 'x', clientSecret: 'y' })).toThrow(/cannot be combined/);
  });
});

describe('ClientCache', () => {
  it('shares a client per option set, tells them apart, stays bounded, and closes what it built', async () => {
    const cache = new ClientCache({ maxClients: 2, create: (options) => new KnoxCall(options) });
    const a = cache.clientFor({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_a' });
    expect(cache.clientFor({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_a' })).toBe(a);
    const b = cache.clientFor({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_b' });
    const elsewhere = cache.clientFor({ baseUrl: 'http://127.0.0.1:8', apiKey: 'kc_a' });
    expect(new Set([a, b, elsewhere]).size).toBe(3);
    expect(cache.size).toBe(2);
    // `a` was the least recently used: it was dropped (not closed), so asking again builds a new client.
    const again = cache.clientFor({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_a' });
    expect(again).not.toBe(a);
    await cache.close();
    expect(cache.size).toBe(0);
    await expect(again.routes.list()).rejects.toThrow(/closed/);
    await a.close();
  });

  it('rejects a bad bound or factory', () => {
    expect(() => new ClientCache({ maxClients: 0, create: (o) => new KnoxCall(o) })).toThrow(/maxClients/);
    expect(() => new ClientCache({ maxClients: 1, create: undefined as never })).toThrow(/create/);
  });
});
