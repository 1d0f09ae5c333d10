import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import type { CachedToken } from '../src/auth/token-store.js';
import { APIConnectionError, APIUserAbortError, AuthenticationError, KnoxCallError, ServerError } from '../src/errors.js';
import { Redacted } from '../src/redacted.js';
import { authConfig, tokenKeyOf } from './auth-test-support.js';
import { startTokenServer, type TokenServer, tokenBody } from './auth-token-server.js';

let server: TokenServer;
let minted = 0;

beforeEach(async () => {
  minted = 0;
  server = await startTokenServer(() => ({ body: tokenBody(`kc_minted_${++minted}`) }));
});
afterEach(async () => {
  await server.close();
});

const clientCredentials = { clientId: 'kc_client_123', clientSecret: 's3cr3t' };
const ACME_KEY = tokenKeyOf(clientCredentials, 'acme');

describe('client-credentials mint (auth §2.1)', () => {
  it('POSTs {baseUrl}/oauth/token with Basic auth and the form, no KnoxCall-Version', async () => {
    const auth = createAuthenticator(authConfig({ ...clientCredentials, scope: ['routes:read', 'logs:read'] }, { baseUrl: server.url }));
    const credential = await auth.getCredential();
    expect(credential.accessToken.expose()).toBe('kc_minted_1');
    expect(credential.tokenType).toBe('Bearer');
    expect(credential.isLegacyKey).toBe(false);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/token');
    expect(request?.headers.authorization).toBe('Basic a2NfY2xpZW50XzEyMzpzM2NyM3Q=');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('knoxcall-node/test');
    expect(request?.headers['knoxcall-version']).toBeUndefined();
    expect(request?.headers.dpop).toBeUndefined();
    expect(request?.body).toBe('grant_type=client_credentials&scope=routes%3Aread+logs%3Aread');
  });

  it('omits scope when none is configured, and sends raw UTF-8 in Basic', async () => {
    const auth = createAuthenticator(authConfig({ clientId: 'idé', clientSecret: 'pässwörd' }, { baseUrl: server.url }));
    await auth.getCredential();
    expect(server.requests[0]?.body).toBe('grant_type=client_credentials');
    const basic = String(server.requests[0]?.headers.authorization).slice('Basic '.length);
    expect(Buffer.from(basic, 'base64').toString('utf8')).toBe('idé:pässwörd');
  });

  it('accepts a string expires_in and computes expiry from the local clock', async () => {
    server.setHandler(() => ({ body: tokenBody('kc_str', { expires_in: '120' }) }));
    const store = new MemoryTokenStore();
    const now = 1_700_000_000_000;
    const auth = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url, tenant: 'acme', now: () => now }));
    await auth.getCredential();
    const cached = await store.get(ACME_KEY);
    expect(cached?.expiresAt).toBe(now + 120_000);
    expect(cached?.lifetime).toBe(120_000);
    expect(cached?.scope).toEqual([]);
  });

  it('missing or garbled expires_in falls back to 3600 s; response scope wins over requested', async () => {
    server.setHandler(() => ({ body: { access_token: 'kc_x', expires_in: 'soon', scope: 'a  b' } }));
    const store = new MemoryTokenStore();
    const auth = createAuthenticator(
      authConfig({ ...clientCredentials, scope: ['z'], tokenStore: store }, { baseUrl: server.url, tenant: 'acme', now: () => 0 }),
    );
    await auth.getCredential();
    const cached = await store.get(tokenKeyOf(clientCredentials, 'acme', ['z']));
    expect(cached?.expiresAt).toBe(3_600_000);
    expect(cached?.scope).toEqual(['a', 'b']);
  });

  it('a non-JSON 200 is the "unexpected response" error carrying status and body', async () => {
    server.setHandler(() => ({ status: 200, body: '<html>edge proxy</html>' }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(error).toBeInstanceOf(KnoxCallError);
    expect(error.message).toBe('token endpoint returned an unexpected response (status 200)');
    expect(error.status).toBe(200);
    expect(error.body).toBe('<html>edge proxy</html>');
  });

  it('an empty access_token is an unexpected response too', async () => {
    server.setHandler(() => ({ body: { access_token: '', token_type: 'Bearer' } }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    await expect(auth.getCredential()).rejects.toThrow(/unexpected response/);
  });

  it('error statuses map to typed errors with the OAuth error as code', async () => {
    server.setHandler(() => ({
      status: 400,
      headers: { 'x-request-id': 'req_tok_1' },
      body: { error: 'invalid_client', error_description: 'unknown client' },
    }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    const e400 = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(e400.constructor).toBe(KnoxCallError);
    expect(e400).toMatchObject({ status: 400, code: 'invalid_client', requestId: 'req_tok_1', message: 'unknown client' });

    server.setHandler(() => ({ status: 401, body: { error: 'invalid_client' } }));
    await expect(auth.getCredential()).rejects.toBeInstanceOf(AuthenticationError);
    server.setHandler(() => ({ status: 503, headers: { 'retry-after': '2' }, body: { error: { type: 'dependency_unavailable' } } }));
    const e503 = (await auth.getCredential().catch((e: unknown) => e)) as ServerError;
    expect(e503).toBeInstanceOf(ServerError);
    expect(e503.retryAfter).toBe(2);
    expect(e503.code).toBe('dependency_unavailable');
  });

  it('a dead port is an APIConnectionError', async () => {
    const dead = await startTokenServer(() => ({}));
    const url = dead.url;
    await dead.close();
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: url }));
    const error = await auth.getCredential().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^network error: /);
    expect((error as Error).message).not.toContain('s3cr3t');
  });

  it('adopts the response tenant when the client has none, never overwrites one', async () => {
    server.setHandler(() => ({ body: tokenBody('kc_t', { tenant: 'acme' }) }));
    const unset = authConfig(clientCredentials, { baseUrl: server.url });
    await createAuthenticator(unset).getCredential();
    expect(unset.state.tenant).toBe('acme');
    const set = authConfig(clientCredentials, { baseUrl: server.url, tenant: 'globex' });
    await createAuthenticator(set).getCredential();
    expect(set.state.tenant).toBe('globex');
  });

  it('token_type is case-insensitive: "dpop" under dpop "never" is the no-keypair error without a code', async () => {
    server.setHandler(() => ({ body: tokenBody('kc_bound', { token_type: 'dpop' }) }));
    const auth = createAuthenticator(authConfig({ ...clientCredentials, dpop: 'never' }, { baseUrl: server.url }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(error).toBeInstanceOf(KnoxCallError);
    expect(error.message).toContain('server issued a DPoP-bound token but this client holds no DPoP keypair');
    expect(error.message).toContain('dpop: "always"');
    expect(error.code).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('the token never appears in a thrown error message', async () => {
    server.setHandler(() => ({ status: 500, body: 'internal' }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('s3cr3t');
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });
});

describe('token cache (auth §3)', () => {
  it('expires_in 60 → five calls cause one mint', async () => {
    server.setHandler(() => ({ body: tokenBody(`kc_${++minted}`, { expires_in: 60 }) }));
    let now = 1_000_000;
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url, now: () => now }));
    for (let i = 0; i < 5; i++) {
      expect((await auth.getCredential()).accessToken.expose()).toBe('kc_1');
      now += 5_000;
    }
    expect(server.requests).toHaveLength(1);
    now += 10_000; // 35 s in: inside the 30 s refresh-ahead window of a 60 s token
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_2');
  });

  it('1,000 concurrent cold getCredential() calls → exactly one token request', async () => {
    server.setHandler(() => ({ delayMs: 50, body: tokenBody(`kc_${++minted}`) }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    const credentials = await Promise.all(Array.from({ length: 1000 }, () => auth.getCredential()));
    expect(new Set(credentials.map((c) => c.accessToken.expose()))).toEqual(new Set(['kc_1']));
    expect(server.requests).toHaveLength(1);
  });

  it('two authenticators sharing one store mint once between them (the lock is re-checked)', async () => {
    server.setHandler(() => ({ delayMs: 30, body: tokenBody(`kc_${++minted}`) }));
    const store = new MemoryTokenStore();
    const a = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url }));
    const b = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url }));
    const [ca, cb] = await Promise.all([a.getCredential(), b.getCredential()]);
    expect(ca.accessToken.expose()).toBe(cb.accessToken.expose());
    expect(server.requests).toHaveLength(1);
  });

  const seeded = (expiresAt: number, refreshToken?: string): CachedToken => ({
    accessToken: new Redacted('kc_cached'),
    refreshToken: refreshToken ? new Redacted(refreshToken) : undefined,
    expiresAt,
    lifetime: 3_600_000,
    scope: [],
    tokenType: 'Bearer',
  });

  it('a cached token 60 s from expiry under its key with a 503 endpoint → the stale token is used', async () => {
    server.setHandler(() => ({ status: 503, body: { error: { type: 'unavailable', message: 'down' } } }));
    const now = 5_000_000;
    const store = new MemoryTokenStore();
    await store.set(ACME_KEY, seeded(now + 60_000));
    const auth = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url, tenant: 'acme', now: () => now }));
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_cached');
    expect(server.requests).toHaveLength(1);
  });

  it('with only 10 s left the failure is rethrown', async () => {
    server.setHandler(() => ({ status: 503, body: { error: { type: 'unavailable', message: 'down' } } }));
    const now = 5_000_000;
    const store = new MemoryTokenStore();
    await store.set(ACME_KEY, seeded(now + 10_000));
    const auth = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url, tenant: 'acme', now: () => now }));
    await expect(auth.getCredential()).rejects.toBeInstanceOf(ServerError);
  });

  it('a cached refresh token is tried first (Basic), and its failure falls through to a full mint', async () => {
    server.setHandler((req) =>
      req.form.get('grant_type') === 'refresh_token' ? { status: 400, body: { error: 'invalid_grant' } } : { body: tokenBody('kc_full') },
    );
    const now = 5_000_000;
    const store = new MemoryTokenStore();
    await store.set(ACME_KEY, seeded(now + 60_000, 'rt_cached'));
    const auth = createAuthenticator(authConfig({ ...clientCredentials, tokenStore: store }, { baseUrl: server.url, tenant: 'acme', now: () => now }));
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_full');
    expect(server.requests.map((r) => r.body)).toEqual(['grant_type=refresh_token&refresh_token=rt_cached', 'grant_type=client_credentials']);
    expect(server.requests[0]?.headers.authorization).toBe('Basic a2NfY2xpZW50XzEyMzpzM2NyM3Q=');
  });

  it('signOut() between calls → the second call uses a newly minted token', async () => {
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_minted_1');
    await auth.signOut();
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_minted_2');
  });

  it('invalidate() purges so the next call re-mints', async () => {
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    await auth.getCredential();
    await auth.invalidate();
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_minted_2');
    expect(server.requests).toHaveLength(2);
  });

  it("a caller's abort rejects only that caller; the shared mint continues for the others", async () => {
    server.setHandler(() => ({ delayMs: 80, body: tokenBody('kc_shared') }));
    const auth = createAuthenticator(authConfig(clientCredentials, { baseUrl: server.url }));
    const controller = new AbortController();
    const aborted = auth.getCredential(controller.signal);
    const other = auth.getCredential();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(APIUserAbortError);
    expect((await other).accessToken.expose()).toBe('kc_shared');
    expect(server.requests).toHaveLength(1);
  });

  it('env KNOXCALL_CLIENT_ID / KNOXCALL_CLIENT_SECRET mint on first use (lowest priority)', async () => {
    const { testPlatform } = await import('./auth-test-support.js');
    const platform = testPlatform({ KNOXCALL_CLIENT_ID: 'kc_client_123', KNOXCALL_CLIENT_SECRET: 's3cr3t' });
    const auth = createAuthenticator(authConfig({}, { baseUrl: server.url, tenant: 'envcorp', platform }));
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_minted_1');
    expect(server.requests[0]?.headers.authorization).toBe('Basic a2NfY2xpZW50XzEyMzpzM2NyM3Q=');
  });
});
