import { describe, expect, it } from 'vitest';
import { AccessToken, ClientCredentials, StoredCredentials } from '../src/auth/bootstraps.js';
import { tokenCacheKey } from '../src/auth/cache-key.js';
import { fnv1a32Hex } from '../src/auth/fnv1a.js';
import { isFresh, isUsableStale, refreshAheadWindowMs } from '../src/auth/token-freshness.js';

describe('FNV-1a 32-bit identities (auth §3.1 vectors)', () => {
  it('matches the contract vectors', () => {
    expect(fnv1a32Hex('tk_live_legacy')).toBe('a46380df');
    expect(fnv1a32Hex('kc_live_pre')).toBe('9f497984');
  });
  it('matches the FNV-1a reference values (empty string = offset basis, "a")', () => {
    expect(fnv1a32Hex('')).toBe('811c9dc5');
    expect(fnv1a32Hex('a')).toBe('e40c292c');
    expect(fnv1a32Hex('foobar')).toBe('bf9cf968');
  });
  it('hashes UTF-8 bytes, renders without padding', () => {
    expect(fnv1a32Hex('é')).toBe(fnv1a32HexBytes([0xc3, 0xa9]));
    expect(fnv1a32Hex('é')).toMatch(/^[0-9a-f]{1,8}$/);
  });
});

function fnv1a32HexBytes(bytes: number[]): string {
  let h = 2166136261;
  for (const b of bytes) {
    h ^= b;
    h = Number((BigInt(h) * 16777619n) % 4294967296n);
  }
  return h.toString(16);
}

describe('cache key (auth §3.1)', () => {
  const base = { anonymousId: () => '01HZZZ', scopes: [] as string[] };
  it('a tenant wins: acme, no scopes → "acme:"', () => {
    expect(tokenCacheKey({ ...base, tenant: 'acme', bootstrap: new ClientCredentials({ clientId: 'c', clientSecret: 's' }) })).toBe('acme:');
  });
  it('scopes are sorted and space-joined', () => {
    expect(tokenCacheKey({ ...base, tenant: 'acme', bootstrap: undefined, scopes: ['routes:write', 'logs:read', 'a'] })).toBe(
      'acme:a logs:read routes:write',
    );
  });
  it('identities without a tenant', () => {
    expect(tokenCacheKey({ ...base, tenant: undefined, bootstrap: new ClientCredentials({ clientId: 'kc_client_123', clientSecret: 's' }) })).toBe('cid:kc_client_123:');
    expect(tokenCacheKey({ ...base, tenant: undefined, bootstrap: new AccessToken({ accessToken: 'tk_live_legacy' }) })).toBe('tok:a46380df:');
    expect(tokenCacheKey({ ...base, tenant: undefined, bootstrap: new AccessToken({ accessToken: 'kc_live_pre' }) })).toBe('tok:9f497984:');
    expect(
      tokenCacheKey({ ...base, tenant: undefined, bootstrap: new StoredCredentials(), storedLocation: { path: '/h/.knoxcall/credentials.json', profile: 'work' } }),
    ).toBe('file:/h/.knoxcall/credentials.json:work:');
    expect(tokenCacheKey({ ...base, tenant: undefined, bootstrap: undefined })).toBe('anon:01HZZZ:');
  });
  it('an empty tenant is no tenant', () => {
    expect(tokenCacheKey({ ...base, tenant: '', bootstrap: undefined })).toBe('anon:01HZZZ:');
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
