import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessToken, ClientCredentials, StoredCredentials } from '../src/auth/bootstraps.js';
import { credentialIdentity, tokenCacheKey } from '../src/auth/cache-key.js';
import { isFresh, isUsableStale, refreshAheadWindowMs } from '../src/auth/token-freshness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('credential identity (one credential, one identity; secrets only through SHA-256)', () => {
  it('an access token or API key is its SHA-256', () => {
    expect(credentialIdentity(new AccessToken({ accessToken: 'tk_live_legacy' }))).toBe(`tok:${sha256('tk_live_legacy')}`);
  });
  it('client credentials are the client id plus the SHA-256 of the secret salted with the client id', () => {
    const identity = credentialIdentity(new ClientCredentials({ clientId: 'kc_client_123', clientSecret: 'kcs_secret' }));
    expect(identity).toBe(`cid:kc_client_123:${sha256('knoxcall client secret\u0000kc_client_123\u0000kcs_secret')}`);
    expect(identity).not.toContain('kcs_secret');
    // Another secret of the same client, and the same secret of another client, are other identities.
    expect(credentialIdentity(new ClientCredentials({ clientId: 'kc_client_123', clientSecret: 'kcs_other' }))).not.toBe(identity);
    const sameSecretElsewhere = credentialIdentity(new ClientCredentials({ clientId: 'kc_client_456', clientSecret: 'kcs_secret' }));
    expect(sameSecretElsewhere.split(':')[2]).not.toBe(identity.split(':')[2]);
  });
  it('stored credentials are the file and profile they read', () => {
    expect(credentialIdentity(new StoredCredentials(), { path: '/h/.knoxcall/credentials.json', profile: 'work' })).toBe(
      'file:/h/.knoxcall/credentials.json:work',
    );
    expect(credentialIdentity(new StoredCredentials({ path: '/x.json', profile: 'p' }))).toBe('file:/x.json:p');
  });
});

describe('token cache key', () => {
  const identity = credentialIdentity(new ClientCredentials({ clientId: 'c', clientSecret: 's' }));
  it('a tenant prefixes the identity, it never replaces it: "acme:{identity}:"', () => {
    expect(tokenCacheKey({ tenant: 'acme', identity, scopes: [] })).toBe(`acme:${identity}:`);
  });
  it('scopes are sorted and space-joined', () => {
    expect(tokenCacheKey({ tenant: 'acme', identity, scopes: ['routes:write', 'logs:read', 'a'] })).toBe(`acme:${identity}:a logs:read routes:write`);
  });
  it('without a tenant (or with an empty one) the key starts with the identity', () => {
    expect(tokenCacheKey({ tenant: undefined, identity, scopes: [] })).toBe(`${identity}:`);
    expect(tokenCacheKey({ tenant: '', identity, scopes: [] })).toBe(`${identity}:`);
  });
});

describe('refresh-ahead math (auth §3.2)', () => {
  const now = 1_700_000_000_000;
  it('window is 5 min, or half the lifetime when smaller', () => {
    expect(refreshAheadWindowMs({ lifetime: undefined })).toBe(300_000);
    expect(refreshAheadWindowMs({ lifetime: 3_600_000 })).toBe(300_000);
    expect(refreshAheadWindowMs({ lifetime: 60_000 })).toBe(30_000);
  });
  it('fresh while strictly more than the window is left', () => {
    expect(isFresh({ expiresAt: now + 300_001, lifetime: 3_600_000 }, now)).toBe(true);
    expect(isFresh({ expiresAt: now + 300_000, lifetime: 3_600_000 }, now)).toBe(false);
    // a 60 s token stays usable for its first 30 s
    expect(isFresh({ expiresAt: now + 60_000, lifetime: 60_000 }, now)).toBe(true);
    expect(isFresh({ expiresAt: now + 30_000, lifetime: 60_000 }, now)).toBe(false);
    // lifetime unknown: 5 min window
    expect(isFresh({ expiresAt: now + 200_000, lifetime: undefined }, now)).toBe(false);
    // zero / negative expires_in: never fresh (re-minted next call)
    expect(isFresh({ expiresAt: now, lifetime: 0 }, now)).toBe(false);
    expect(isFresh({ expiresAt: now - 5_000, lifetime: -5_000 }, now)).toBe(false);
  });
  it('stale fallback needs more than 10 s of real validity', () => {
    expect(isUsableStale({ expiresAt: now + 10_001 }, now)).toBe(true);
    expect(isUsableStale({ expiresAt: now + 10_000 }, now)).toBe(false);
  });
});
