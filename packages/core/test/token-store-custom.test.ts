import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CachedToken, KnoxCall, Redacted, type TokenStore } from '../src/index.js';
import { startTokenServer, type TokenServer, tokenBody } from './auth-token-server.js';
import { tokenKeyOf } from './auth-test-support.js';

/**
 * What a user writes for a persistent store (a database row, a KV namespace, …): tokens as
 * JSON text. Reading them back needs the exported `Redacted` — a structural look-alike does
 * not type-check against `CachedToken` (Redacted has a #private field).
 */
class JsonTextTokenStore implements TokenStore {
  readonly rows = new Map<string, string>();
  #lock: Promise<unknown> = Promise.resolve();

  async get(key: string): Promise<CachedToken | null> {
    const text = this.rows.get(key);
    if (text === undefined) return null;
    const row = JSON.parse(text) as Omit<CachedToken, 'accessToken' | 'refreshToken'> & { accessToken: string; refreshToken?: string };
    return {
      ...row,
      accessToken: new Redacted(row.accessToken),
      refreshToken: row.refreshToken === undefined ? undefined : new Redacted(row.refreshToken),
    };
  }

  async set(key: string, token: CachedToken): Promise<void> {
    this.rows.set(key, JSON.stringify({ ...token, accessToken: token.accessToken.expose(), refreshToken: token.refreshToken?.expose() }));
  }

  async delete(key: string): Promise<void> {
    this.rows.delete(key);
  }

  withLock<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => {});
    return run;
  }
}

let server: TokenServer;
beforeEach(async () => {
  server = await startTokenServer((request) =>
    request.path.startsWith('/oauth/token')
      ? { body: tokenBody(`kc_custom_${request.form.get('grant_type')}`, { refresh_token: 'rt_custom', tenant: 'acme' }) }
      : { body: { data: { ok: true } } },
  );
});
afterEach(async () => {
  await server.close();
});

describe('a custom persistent TokenStore built with the exported Redacted', () => {
  it('round-trips tokens: a second client reads the stored token back and uses it without minting', async () => {
    const store = new JsonTextTokenStore();
    const options = { baseUrl: server.url, tenant: 'acme', clientId: 'kc_client_1', clientSecret: 's3cr3t', tokenStore: store };
    const first = new KnoxCall(options);
    await first.authenticate();
    expect(server.requests).toHaveLength(1);
    const row = store.rows.get(tokenKeyOf(options, 'acme'))!;
    // the store wrote the real values, not the '[REDACTED]' that printing a Redacted gives
    expect(row).not.toContain('[REDACTED]');
    expect(JSON.parse(row)).toMatchObject({ accessToken: 'kc_custom_client_credentials', refreshToken: 'rt_custom', tokenType: 'Bearer', tenant: 'acme' });

    // a new process, same store: no mint, the token read back is the one sent
    const second = new KnoxCall(options);
    await second.request({ method: 'GET', path: '/v1/ping' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.path).toBe('/v1/ping');
    expect(server.requests[1]!.headers.authorization).toBe('Bearer kc_custom_client_credentials');

    // its refresh token read back works too: an expired entry is refreshed with it first
    const stored = JSON.parse(row) as Record<string, unknown>;
    store.rows.set(tokenKeyOf(options, 'acme'), JSON.stringify({ ...stored, expiresAt: Date.now() - 1 }));
    await second.authenticate();
    expect(server.requests[2]!.form.get('grant_type')).toBe('refresh_token');
    expect(server.requests[2]!.form.get('refresh_token')).toBe('rt_custom');
    await second.signOut();
    expect(store.rows.has(tokenKeyOf(options, 'acme'))).toBe(false);
  });

  it('tokens read back still print as [REDACTED]', async () => {
    const store = new JsonTextTokenStore();
    await store.set('k', { accessToken: new Redacted('kc_secret'), expiresAt: 1, scope: [], tokenType: 'Bearer' });
    const token = (await store.get('k'))!;
    expect(`${token.accessToken}`).toBe('[REDACTED]');
    expect(JSON.stringify(token)).not.toContain('kc_secret');
  });
});
