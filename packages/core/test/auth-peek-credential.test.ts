import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import { TokenAuthenticator } from '../src/auth/token-authenticator.js';
import { Redacted } from '../src/redacted.js';
import { authConfig } from './auth-test-support.js';

// An access-token bootstrap mints without HTTP: a Bearer token valid for one hour from the
// injected clock, refreshed ahead once 5 minutes or less remain (contract auth §3.2).
const HOUR = 3_600_000;
const REFRESH_AHEAD = 300_000;

function accessTokenAuth(options: Record<string, unknown> = {}) {
  const clock = { now: 1_000_000 };
  const auth = new TokenAuthenticator(authConfig({ accessToken: 'kc_live_peek', ...options }, { now: () => clock.now }));
  return { auth, clock };
}

describe('peekCredential: the synchronous warm path follows getCredential exactly', () => {
  it('has nothing before the first getCredential, then the same credential getCredential returned', async () => {
    const { auth } = accessTokenAuth();
    expect(auth.peekCredential()).toBeUndefined();
    const credential = await auth.getCredential();
    expect(auth.peekCredential()).toBe(credential);
  });

  it('stops once the token enters its refresh-ahead window, like getCredential (which then re-mints)', async () => {
    const { auth, clock } = accessTokenAuth();
    const first = await auth.getCredential();
    clock.now += HOUR - REFRESH_AHEAD - 1; // 1 ms more than the window left: still fresh
    expect(auth.peekCredential()).toBe(first);
    clock.now += 1; // exactly the window left: no longer fresh (strict rule)
    expect(auth.peekCredential()).toBeUndefined();
    const second = await auth.getCredential();
    expect(second).not.toBe(first);
    expect(auth.peekCredential()).toBe(second);
  });

  it('never answers for a caller-supplied store, which may be shared and changed by others', async () => {
    const store = new MemoryTokenStore();
    const { auth } = accessTokenAuth({ tokenStore: store });
    const credential = await auth.getCredential();
    expect(auth.peekCredential()).toBeUndefined();
    // Another holder of the store purges it: the next lookup must see that (and re-mint).
    await store.delete(auth.cacheKey);
    expect(await auth.getCredential()).not.toBe(credential);
  });

  it('has nothing after invalidate() or signOut()', async () => {
    const { auth } = accessTokenAuth();
    await auth.getCredential();
    await auth.invalidate();
    expect(auth.peekCredential()).toBeUndefined();
    await auth.getCredential();
    await auth.signOut();
    expect(auth.peekCredential()).toBeUndefined();
  });

  it('does not remember a token read before a concurrent purge', async () => {
    const { auth } = accessTokenAuth();
    await auth.getCredential();
    const lookup = auth.getCredential(); // reads the store, then the purge lands
    await auth.invalidate();
    await lookup;
    expect(auth.peekCredential()).toBeUndefined();
  });
});

describe('unsignedAuthorizationHeaders', () => {
  it('gives a Bearer credential the same header as authorizationHeaders, synchronously', async () => {
    const { auth } = accessTokenAuth();
    const credential = await auth.getCredential();
    const unsigned = auth.unsignedAuthorizationHeaders(credential);
    expect(unsigned).toEqual({ authorization: 'Bearer kc_live_peek' });
    expect(unsigned).toEqual(await auth.authorizationHeaders('GET', 'http://127.0.0.1:9/v1/routes', credential));
  });

  it('declines a DPoP credential of a key-pair holder (its proof must be signed)', async () => {
    const auth = createAuthenticator(authConfig({ accessToken: 'kc_live_dpop', dpop: 'always' }));
    await auth.invalidate(); // waits for the key pair generated at construction
    const dpop = { tokenType: 'DPoP' as const, accessToken: new Redacted('kc_bound'), isLegacyKey: false };
    expect(auth.unsignedAuthorizationHeaders?.(dpop)).toBeUndefined();
    const signed = await auth.authorizationHeaders('GET', 'http://127.0.0.1:9/v1/routes', dpop);
    expect(signed.authorization).toBe('DPoP kc_bound');
    expect(typeof signed.dpop).toBe('string');
  });
});
