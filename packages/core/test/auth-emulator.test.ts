/**
 * The authenticator against the KnoxCall emulator over HTTP: its token endpoint, its
 * independent DPoP verifier and nonce policy, and a management resource that checks the
 * headers we attach.
 */
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Authenticator, Credential } from '../src/auth/authenticator.js';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import { Redacted } from '../src/redacted.js';
import { type KnoxCallError, ServerError } from '../src/errors.js';
import { authConfig, tokenKeyOf } from './auth-test-support.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  emulator = await startEmulator(options);
  return emulator;
}

const tokenPosts = (e: Emulator) => e.requests().filter((r) => r.method === 'POST' && r.path === '/oauth/token');

/** What the transport does for one management GET: attach our headers, report the response. */
async function managementGet(auth: Authenticator, credential: Credential, url: string): Promise<Response> {
  const headers = await auth.authorizationHeaders('GET', url, credential);
  const response = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  auth.observeResponse(url, response.headers);
  return response;
}

describe('client credentials against the emulator', () => {
  it('1,000 concurrent getCredential() calls on a cold authenticator → exactly one token request', async () => {
    const e = await start();
    e.script('POST', '/oauth/token', [{ delayMs: 100 }]);
    const auth = createAuthenticator(authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret }, { baseUrl: e.url }));
    const credentials = await Promise.all(Array.from({ length: 1000 }, () => auth.getCredential()));
    expect(new Set(credentials.map((c) => c.accessToken.expose())).size).toBe(1);
    expect(tokenPosts(e)).toHaveLength(1);
    const [post] = tokenPosts(e);
    expect(post!.headers.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(post!.body).get('grant_type')).toBe('client_credentials');
    const response = await managementGet(auth, credentials[0]!, `${e.url}/v1/account`);
    expect(response.status).toBe(200);
  });

  it('adopts the tenant the token response names', async () => {
    const e = await start();
    const config = authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret }, { baseUrl: e.url });
    await createAuthenticator(config).getCredential();
    expect(config.state.tenant).toBe(e.tenant);
  });

  it('tokenTtlSeconds 60 → five calls within the first 30 s cause one mint', async () => {
    let now = Date.now();
    const e = await start({ tokenTtlSeconds: 60 });
    const auth = createAuthenticator(
      authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret }, { baseUrl: e.url, now: () => now }),
    );
    for (let i = 0; i < 5; i++) {
      await auth.getCredential();
      now += 5_000;
    }
    expect(tokenPosts(e)).toHaveLength(1);
  });

  it('a token endpoint 503 with a cached token 60 s from expiry → the stale token is used', async () => {
    const e = await start();
    const now = Date.now();
    const store = new MemoryTokenStore();
    const key = tokenKeyOf({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret }, 'acme');
    await store.set(key, { accessToken: new Redacted(e.credentials.apiKey), expiresAt: now + 60_000, lifetime: 3_600_000, scope: [], tokenType: 'Bearer' });
    e.script('POST', '/oauth/token', [{ status: 503, body: { error: { type: 'unavailable', message: 'down' } } }]);
    const auth = createAuthenticator(
      authConfig(
        { clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret, tokenStore: store },
        { baseUrl: e.url, tenant: 'acme', now: () => now },
      ),
    );
    expect((await auth.getCredential()).accessToken.expose()).toBe(e.credentials.apiKey);
    e.script('POST', '/oauth/token', [{ status: 503, body: { error: { type: 'unavailable', message: 'down' } } }]);
    await auth.invalidate();
    await expect(auth.getCredential()).rejects.toBeInstanceOf(ServerError);
  });

  it('API keys: kc_ is Bearer and accepted by management; tk_ is a legacy key', async () => {
    const e = await start();
    const auth = createAuthenticator(authConfig({ apiKey: e.credentials.apiKey }, { baseUrl: e.url }));
    const credential = await auth.getCredential();
    expect(credential.isLegacyKey).toBe(false);
    expect((await managementGet(auth, credential, `${e.url}/v1/account`)).status).toBe(200);
    expect(tokenPosts(e)).toHaveLength(0);
    const legacy = createAuthenticator(authConfig({ apiKey: e.credentials.legacyKey }, { baseUrl: e.url }));
    expect((await legacy.getCredential()).isLegacyKey).toBe(true);
  });
});

describe('DPoP against the emulator', () => {
  it('auto + requireDpop: upgrade after invalid_dpop_proof; the bound token and proofs are accepted on resources', async () => {
    const e = await start({ requireDpop: true });
    const auth = createAuthenticator(authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret }, { baseUrl: e.url }));
    const credential = await auth.getCredential();
    expect(tokenPosts(e).map((r) => Boolean(r.headers.dpop))).toEqual([false, true]);
    expect(credential.tokenType).toBe('DPoP');
    for (let i = 0; i < 3; i++) {
      // a fresh proof every time: the emulator refuses a replayed jti
      expect((await managementGet(auth, credential, `${e.url}/v1/account?i=${i}`)).status).toBe(200);
    }
    const request = e.requests().find((r) => r.path === '/v1/account');
    expect(request?.headers.authorization).toMatch(/^DPoP kc_/);
    expect(request?.headers.dpop?.split('.')).toHaveLength(3);
  });

  it('always: every mint carries a proof; never + requireDpop surfaces invalid_dpop_proof', async () => {
    const e = await start({ requireDpop: true });
    const always = createAuthenticator(
      authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret, dpop: 'always' }, { baseUrl: e.url }),
    );
    expect((await always.getCredential()).tokenType).toBe('DPoP');
    expect(tokenPosts(e).map((r) => Boolean(r.headers.dpop))).toEqual([true]);
    const never = createAuthenticator(
      authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret, dpop: 'never' }, { baseUrl: e.url }),
    );
    const error = (await never.getCredential().catch((x: unknown) => x)) as KnoxCallError;
    expect(error.code).toBe('invalid_dpop_proof');
    expect(error.status).toBe(400);
  });

  it('server nonces: one token-endpoint retry, the learned nonce used on resources, a resource challenge answered once', async () => {
    const e = await start({ dpopNonces: true });
    const auth = createAuthenticator(
      authConfig({ clientId: e.credentials.clientId, clientSecret: e.credentials.clientSecret, dpop: 'always' }, { baseUrl: e.url }),
    );
    const credential = await auth.getCredential();
    expect(tokenPosts(e)).toHaveLength(2); // use_dpop_nonce, then success with the nonce
    // same origin as the token endpoint: the nonce is already known, no challenge
    expect((await managementGet(auth, credential, `${e.url}/v1/account`)).status).toBe(200);

    e.rotateDpopNonce();
    const url = `${e.url}/v1/account`;
    const challenged = await managementGet(auth, credential, url);
    expect(challenged.status).toBe(401);
    expect(auth.isNonceChallenge(challenged.status, challenged.headers, credential)).toBe(true);
    const retried = await managementGet(auth, credential, url);
    expect(retried.status).toBe(200);
  });

  it('a plain invalid token 401 is not a nonce challenge', async () => {
    const e = await start();
    const auth = createAuthenticator(authConfig({ accessToken: 'kc_not_a_real_token' }, { baseUrl: e.url }));
    const credential = await auth.getCredential();
    const response = await managementGet(auth, credential, `${e.url}/v1/account`);
    expect(response.status).toBe(401);
    expect(auth.isNonceChallenge(response.status, response.headers, credential)).toBe(false);
  });
});
