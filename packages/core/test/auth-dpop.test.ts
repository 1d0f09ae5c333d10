import { EmbeddedJWK, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { accessTokenHash } from '../src/auth/dpop-key-pair.js';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import type { KnoxCallError } from '../src/errors.js';
import { authConfig, tokenKeyOf } from './auth-test-support.js';
import { type RecordedRequest, startTokenServer, type TokenServer, tokenBody } from './auth-token-server.js';

let server: TokenServer;
beforeEach(async () => {
  server = await startTokenServer(() => ({ body: tokenBody('kc_bearer') }));
});
afterEach(async () => {
  await server.close();
});

const cc = { clientId: 'kc_client_123', clientSecret: 's3cr3t' };
const ACME_KEY = tokenKeyOf(cc, 'acme');
const claims = (proof: string) => JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const proofOf = (request: RecordedRequest | undefined) => request?.headers.dpop as string | undefined;

/** A token endpoint that insists on DPoP and binds tokens to the proof's key (like require_dpop). */
const requireDpop = (request: RecordedRequest) =>
  request.headers.dpop
    ? { body: tokenBody('kc_bound', { token_type: 'DPoP' }) }
    : { status: 400, body: { error: 'invalid_dpop_proof', error_description: 'DPoP proof required' } };

describe('dpop: "always" (auth §5.5)', () => {
  it('the token request carries a proof (POST, token URL, no ath); calls get DPoP + a proof with ath', async () => {
    server.setHandler(requireDpop);
    const store = new MemoryTokenStore();
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always', tokenStore: store }, { baseUrl: server.url, tenant: 'acme' }));
    const credential = await auth.getCredential();
    expect(server.requests).toHaveLength(1);
    const tokenProof = proofOf(server.requests[0])!;
    expect(tokenProof.split('.')).toHaveLength(3);
    expect(claims(tokenProof)).toMatchObject({ htm: 'POST', htu: `${server.url}/oauth/token` });
    expect(claims(tokenProof).ath).toBeUndefined();
    expect(claims(tokenProof).nonce).toBeUndefined();

    expect(credential.tokenType).toBe('DPoP');
    expect(credential.isLegacyKey).toBe(false);
    const headers = await auth.authorizationHeaders('get', 'https://acme.knoxcall.com/api/v1/x?y=1', credential);
    expect(headers.authorization).toBe('DPoP kc_bound');
    const { payload, protectedHeader } = await jwtVerify(headers.dpop!, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(payload).toMatchObject({ htm: 'GET', htu: 'https://acme.knoxcall.com/api/v1/x', ath: await accessTokenHash('kc_bound') });
    // cnfJkt binds the cached token to this key, stored under the key-scoped entry (our choice)
    const { calculateJwkThumbprint } = await import('jose');
    const thumbprint = await calculateJwkThumbprint(protectedHeader.jwk!, 'sha256');
    expect(await store.get(ACME_KEY)).toBeNull();
    const cached = await store.get(`${ACME_KEY}#jkt=${thumbprint}`);
    expect(cached?.cnfJkt).toBe(thumbprint);
    expect(cached?.tokenType).toBe('DPoP');

    const again = await auth.authorizationHeaders('GET', 'https://acme.knoxcall.com/api/v1/x', credential);
    expect(claims(again.dpop!).jti).not.toBe(payload.jti);
  });

  it('a Bearer answer under "always" stays Bearer (no proof on resource calls)', async () => {
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always' }, { baseUrl: server.url }));
    const credential = await auth.getCredential();
    expect(proofOf(server.requests[0])).toBeDefined();
    expect(credential.tokenType).toBe('Bearer');
    expect(await auth.authorizationHeaders('GET', 'https://h.test/v1/a', credential)).toEqual({ authorization: 'Bearer kc_bearer' });
  });
});

describe('dpop: "auto" upgrade', () => {
  it('invalid_dpop_proof from the token endpoint → key pair, retry once with a proof, later mints keep proofs', async () => {
    server.setHandler(requireDpop);
    const auth = createAuthenticator(authConfig(cc, { baseUrl: server.url }));
    const credential = await auth.getCredential();
    expect(server.requests.map((r) => Boolean(r.headers.dpop))).toEqual([false, true]);
    expect(credential.tokenType).toBe('DPoP');
    const headers = await auth.authorizationHeaders('POST', 'https://h.test/v1/routes', credential);
    expect(headers.authorization).toBe('DPoP kc_bound');
    expect(headers.dpop?.split('.')).toHaveLength(3);
    await auth.signOut();
    await auth.getCredential();
    expect(server.requests.map((r) => Boolean(r.headers.dpop))).toEqual([false, true, true]);
  });

  it('the nested error shape {error:{type}} triggers the upgrade too', async () => {
    server.setHandler((r) =>
      r.headers.dpop
        ? { body: tokenBody('kc_bound', { token_type: 'DPoP' }) }
        : { status: 400, body: { error: { type: 'invalid_dpop_proof', message: 'proof required' } } },
    );
    const auth = createAuthenticator(authConfig(cc, { baseUrl: server.url }));
    expect((await auth.getCredential()).tokenType).toBe('DPoP');
    expect(server.requests).toHaveLength(2);
  });

  it('invalid_dpop_proof even with a proof is surfaced after the single upgrade', async () => {
    server.setHandler(() => ({ status: 400, body: { error: 'invalid_dpop_proof' } }));
    const auth = createAuthenticator(authConfig(cc, { baseUrl: server.url }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(error.code).toBe('invalid_dpop_proof');
    expect(server.requests).toHaveLength(2);
  });

  it('"never" does not upgrade', async () => {
    server.setHandler(requireDpop);
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'never' }, { baseUrl: server.url }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(error.code).toBe('invalid_dpop_proof');
    expect(error.status).toBe(400);
    expect(server.requests).toHaveLength(1);
  });

  it('neither a 401 nor use_dpop_nonce is an upgrade signal', async () => {
    server.setHandler(() => ({ status: 401, headers: { 'www-authenticate': 'DPoP' }, body: { error: 'invalid_client' } }));
    const auth = createAuthenticator(authConfig(cc, { baseUrl: server.url }));
    await expect(auth.getCredential()).rejects.toThrow();
    server.setHandler(() => ({ status: 400, headers: { 'dpop-nonce': 'n' }, body: { error: 'use_dpop_nonce' } }));
    await expect(auth.getCredential()).rejects.toMatchObject({ code: 'use_dpop_nonce' });
    expect(server.requests.every((r) => !r.headers.dpop)).toBe(true);
  });
});

describe('server nonces (auth §5.6)', () => {
  it('400 use_dpop_nonce with DPoP-Nonce → one retry whose proof carries the nonce', async () => {
    server.setHandler((r) =>
      claims(String(r.headers.dpop)).nonce === 'srv-nonce-1'
        ? { body: tokenBody('kc_bound', { token_type: 'DPoP' }) }
        : { status: 400, headers: { 'DPoP-Nonce': 'srv-nonce-1' }, body: { error: 'use_dpop_nonce' } },
    );
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always' }, { baseUrl: server.url }));
    expect((await auth.getCredential()).tokenType).toBe('DPoP');
    expect(server.requests).toHaveLength(2);
    expect(claims(proofOf(server.requests[0])!).nonce).toBeUndefined();
    expect(claims(proofOf(server.requests[1])!).nonce).toBe('srv-nonce-1');
    expect(claims(proofOf(server.requests[0])!).jti).not.toBe(claims(proofOf(server.requests[1])!).jti);
  });

  it('without a DPoP-Nonce header the use_dpop_nonce error surfaces; a second challenge is not retried again', async () => {
    server.setHandler(() => ({ status: 400, body: { error: 'use_dpop_nonce', error_description: 'nonce required' } }));
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always' }, { baseUrl: server.url }));
    await expect(auth.getCredential()).rejects.toMatchObject({ code: 'use_dpop_nonce', status: 400 });
    expect(server.requests).toHaveLength(1);

    server.setHandler((_r, i) => ({ status: 400, headers: { 'dpop-nonce': `n${i}` }, body: { error: 'use_dpop_nonce' } }));
    const error = (await auth.getCredential().catch((e: unknown) => e)) as KnoxCallError;
    expect(error.code).toBe('use_dpop_nonce');
    expect(error.message).not.toMatch(/n1|n2/);
    expect(server.requests).toHaveLength(3);
  });

  it('upgrade and nonce retry can both happen once within one mint', async () => {
    server.setHandler((r) => {
      if (!r.headers.dpop) return { status: 400, body: { error: 'invalid_dpop_proof' } };
      if (claims(String(r.headers.dpop)).nonce !== 'n-up') {
        return { status: 400, headers: { 'dpop-nonce': 'n-up' }, body: { error: 'use_dpop_nonce' } };
      }
      return { body: tokenBody('kc_bound', { token_type: 'DPoP' }) };
    });
    const auth = createAuthenticator(authConfig(cc, { baseUrl: server.url }));
    expect((await auth.getCredential()).tokenType).toBe('DPoP');
    expect(server.requests).toHaveLength(3);
  });

  it('a nonce learned from any response of an origin goes into later proofs for that origin only', async () => {
    server.setHandler((r) => ({
      headers: { 'dpop-nonce': 'from-token-endpoint' },
      body: r.headers.dpop ? tokenBody('kc_bound', { token_type: 'DPoP' }) : tokenBody('x'),
    }));
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always' }, { baseUrl: server.url }));
    const credential = await auth.getCredential();
    // the token endpoint's origin is the server's; a management call there carries its nonce
    const mgmt = await auth.authorizationHeaders('GET', `${server.url}/v1/routes`, credential);
    expect(claims(mgmt.dpop!).nonce).toBe('from-token-endpoint');
    const other = await auth.authorizationHeaders('GET', 'https://acme.knoxcall.com/api/x', credential);
    expect(claims(other.dpop!).nonce).toBeUndefined();
    auth.observeResponse('https://acme.knoxcall.com/api/x?z=1', new Headers({ 'DPoP-Nonce': 'from-data-plane' }));
    const later = await auth.authorizationHeaders('GET', 'https://acme.knoxcall.com/api/y', credential);
    expect(claims(later.dpop!).nonce).toBe('from-data-plane');
    auth.observeResponse('https://acme.knoxcall.com/other', new Headers({ 'DPoP-Nonce': 'rotated' }));
    expect(claims((await auth.authorizationHeaders('GET', 'https://acme.knoxcall.com/a', credential)).dpop!).nonce).toBe('rotated');
  });

  it('isNonceChallenge only for DPoP credentials backed by a key', async () => {
    server.setHandler(requireDpop);
    const challenge = new Headers({ 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n' });
    const dpopAuth = createAuthenticator(authConfig({ ...cc, dpop: 'always' }, { baseUrl: server.url }));
    const dpopCredential = await dpopAuth.getCredential();
    expect(dpopAuth.isNonceChallenge(401, challenge, dpopCredential)).toBe(true);
    expect(dpopAuth.isNonceChallenge(401, new Headers({ 'www-authenticate': 'DPoP error="use_dpop_nonce"' }), dpopCredential)).toBe(false);
    const bearer = createAuthenticator(authConfig({ accessToken: 'kc_pre' }));
    expect(bearer.isNonceChallenge(401, challenge, await bearer.getCredential())).toBe(false);
  });
});

describe('DPoP clients sharing one token store (our choice: entries scoped by key thumbprint)', () => {
  /** Like requireDpop, but each token names the mint it came from, so a swap would show. */
  const requireDpopNumbered = (request: RecordedRequest, index: number) =>
    request.headers.dpop
      ? { body: tokenBody(`kc_bound_${index}`, { token_type: 'DPoP' }) }
      : { status: 400, body: { error: 'invalid_dpop_proof', error_description: 'DPoP proof required' } };

  it('two "always" clients alternating 10 calls mint once each, not on every call', async () => {
    server.setHandler(requireDpopNumbered);
    const store = new MemoryTokenStore();
    const options = { ...cc, dpop: 'always' as const, tokenStore: store };
    const a = createAuthenticator(authConfig(options, { baseUrl: server.url, tenant: 'acme' }));
    const b = createAuthenticator(authConfig(options, { baseUrl: server.url, tenant: 'acme' }));
    const tokens: Record<'a' | 'b', Set<string>> = { a: new Set(), b: new Set() };
    for (let i = 0; i < 10; i++) {
      const [name, auth] = i % 2 === 0 ? (['a', a] as const) : (['b', b] as const);
      tokens[name].add((await auth.getCredential()).accessToken.expose());
    }
    expect(server.requests).toHaveLength(2);
    expect(tokens.a.size).toBe(1);
    expect(tokens.b.size).toBe(1);
    expect([...tokens.a][0]).not.toBe([...tokens.b][0]);
    // each client's proofs still match the token it uses (its own entry, its own key)
    const credential = await a.getCredential();
    const { protectedHeader } = await jwtVerify((await a.authorizationHeaders('GET', 'https://h.test/v1/x', credential)).dpop!, EmbeddedJWK);
    const { calculateJwkThumbprint } = await import('jose');
    expect(credential.accessToken.expose()).toBe(
      (await store.get(`${ACME_KEY}#jkt=${await calculateJwkThumbprint(protectedHeader.jwk!, 'sha256')}`))?.accessToken.expose(),
    );
  });

  it('Bearer clients keep the contract key and share one entry (1 mint for both)', async () => {
    const store = new MemoryTokenStore();
    const a = createAuthenticator(authConfig({ ...cc, dpop: 'never', tokenStore: store }, { baseUrl: server.url, tenant: 'acme' }));
    const b = createAuthenticator(authConfig({ ...cc, dpop: 'never', tokenStore: store }, { baseUrl: server.url, tenant: 'acme' }));
    for (let i = 0; i < 10; i++) await (i % 2 === 0 ? a : b).getCredential();
    expect(server.requests).toHaveLength(1);
    expect((await store.get(ACME_KEY))?.accessToken.expose()).toBe('kc_bearer');
  });

  it('"auto": concurrent cold calls upgrade once, the token moves to the key-scoped entry, and a Bearer entry under the contract key is not used afterwards', async () => {
    server.setHandler(requireDpopNumbered);
    const store = new MemoryTokenStore();
    const auth = createAuthenticator(authConfig({ ...cc, tokenStore: store }, { baseUrl: server.url, tenant: 'acme' }));
    const first = await Promise.all(Array.from({ length: 5 }, () => auth.getCredential()));
    // one Bearer attempt refused, one mint with a proof — shared by all five callers
    expect(server.requests.map((r) => Boolean(r.headers.dpop))).toEqual([false, true]);
    expect(new Set(first.map((c) => c.accessToken.expose()))).toEqual(new Set(['kc_bound_1']));
    expect(await store.get(ACME_KEY)).toBeNull();

    // someone (e.g. a Bearer client of the same tenant) writes the contract key meanwhile
    await store.set(ACME_KEY, { accessToken: first[0]!.accessToken, expiresAt: Date.now() + 3_600_000, scope: [], tokenType: 'Bearer' });
    const later = await auth.getCredential();
    expect(later.tokenType).toBe('DPoP');
    expect(later.accessToken.expose()).toBe('kc_bound_1');
    expect(server.requests).toHaveLength(2);

    // a purge (401) removes our own entry, and the re-mint carries a proof straight away
    await auth.invalidate();
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_bound_2');
    expect(server.requests.map((r) => Boolean(r.headers.dpop))).toEqual([false, true, true]);
  });

  it('"always": signOut deletes the key-scoped entry, so the next call mints again', async () => {
    server.setHandler(requireDpopNumbered);
    const store = new MemoryTokenStore();
    const auth = createAuthenticator(authConfig({ ...cc, dpop: 'always', tokenStore: store }, { baseUrl: server.url, tenant: 'acme' }));
    await auth.getCredential();
    await auth.signOut();
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_bound_1');
    expect(server.requests).toHaveLength(2);
  });
});
