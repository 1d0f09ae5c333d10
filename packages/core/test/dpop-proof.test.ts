import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { accessTokenHash, DpopKeyPair, dpopHtu, jwkThumbprint } from '../src/auth/dpop-key-pair.js';
import { base64, base64url } from '../src/auth/base64.js';
import { DpopNonceBook, isDpopNonceChallenge, parseChallenges } from '../src/auth/dpop-nonces.js';
import { nodeEs256Signer } from '../src/node/node-es256.js';

const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('DPoP vectors (auth §5.2, §5.3)', () => {
  it('JWK thumbprint of the RFC 9449 example key', async () => {
    const jwk = {
      kty: 'EC' as const,
      crv: 'P-256' as const,
      x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
      y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
    };
    expect(await jwkThumbprint(jwk)).toBe('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I');
  });

  it('ath of the RFC 9449 example token', async () => {
    expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });

  it('htu cuts at the first # then the first ?, and changes nothing else', () => {
    expect(dpopHtu('https://Acme.knoxcall.com:443/api/x/?a=1#frag')).toBe('https://Acme.knoxcall.com:443/api/x/');
    expect(dpopHtu('https://h.test/p#frag?not-a-query')).toBe('https://h.test/p');
    expect(dpopHtu('https://h.test/p?q=1#f')).toBe('https://h.test/p');
    expect(dpopHtu('http://h.test')).toBe('http://h.test');
  });
});

describe('DpopKeyPair', () => {
  it('thumbprint is stable, 43 characters and agrees with jose', async () => {
    const pair = await DpopKeyPair.generate();
    expect(pair.thumbprint).toHaveLength(43);
    expect(pair.thumbprint).toBe(await jwkThumbprint(pair.publicJwk));
    expect(pair.thumbprint).toBe(await calculateJwkThumbprint(pair.publicJwk, 'sha256'));
    expect(Object.keys(pair.publicJwk)).toEqual(['kty', 'crv', 'x', 'y']);
  });

  it('proofs are 3-part ES256 JWTs that verify with jose, with the contract claims in order', async () => {
    const pair = await DpopKeyPair.generate();
    const now = 1_700_000_123_456;
    const proof = await pair.sign({
      method: 'post',
      url: 'https://acme.knoxcall.com/api/v1/x?q=1#f',
      accessToken: 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU',
      nonce: 'n-1',
      now,
    });
    const parts = proof.split('.');
    expect(parts).toHaveLength(3);
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(64); // raw r||s, not DER
    const header = decodeProtectedHeader(proof);
    expect(header).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: pair.publicJwk });
    const payload = b64json(parts[1]!);
    expect(Object.keys(payload)).toEqual(['htm', 'htu', 'iat', 'jti', 'ath', 'nonce']);
    expect(payload).toMatchObject({
      htm: 'POST',
      htu: 'https://acme.knoxcall.com/api/v1/x',
      iat: 1_700_000_123,
      ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
      nonce: 'n-1',
    });
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256'],
      currentDate: new Date(now),
    });
    expect(verified.payload.htm).toBe('POST');
  });

  it('with the Node signer (node:crypto, synchronous) proofs are the same ES256 JWTs and verify with jose', async () => {
    let signed = 0;
    const pair = await DpopKeyPair.generate((privateKey) => {
      const sign = nodeEs256Signer(privateKey);
      expect(sign).toBeDefined();
      return (data) => {
        signed += 1;
        return sign!(data);
      };
    });
    const now = 1_700_000_123_456;
    const proof = await pair.sign({ method: 'get', url: 'https://h.test/p?q=1', accessToken: 'kc_bound', nonce: 'n"1', now });
    expect(signed).toBe(1);
    const parts = proof.split('.');
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(64); // raw r||s, not DER
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate: new Date(now) });
    expect(verified.payload).toMatchObject({ htm: 'GET', htu: 'https://h.test/p', iat: 1_700_000_123, nonce: 'n"1', ath: await accessTokenHash('kc_bound') });
    expect(decodeProtectedHeader(proof).jwk).toEqual(pair.publicJwk);
  });

  it('no ath without an access token, no nonce without one; every proof has a fresh jti', async () => {
    const pair = await DpopKeyPair.generate();
    const a = b64json((await pair.sign({ method: 'GET', url: 'https://h.test/p' })).split('.')[1]!);
    const b = b64json((await pair.sign({ method: 'GET', url: 'https://h.test/p' })).split('.')[1]!);
    expect(Object.keys(a)).toEqual(['htm', 'htu', 'iat', 'jti']);
    expect(a.jti).not.toBe(b.jti);
  });

  it('a tampered proof does not verify (the signature covers header and payload)', async () => {
    const pair = await DpopKeyPair.generate();
    const proof = await pair.sign({ method: 'GET', url: 'https://h.test/p' });
    const [h, , s] = proof.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ htm: 'DELETE', htu: 'https://h.test/p', iat: 1, jti: 'x' })).toString('base64url')}.${s}`;
    await expect(jwtVerify(forged, EmbeddedJWK)).rejects.toThrow();
  });
});

describe('nonce bookkeeping (auth §5.6)', () => {
  it('remembers the latest nonce per origin (scheme + host + port)', () => {
    const book = new DpopNonceBook();
    book.remember('https://api.test/oauth/token', new Headers({ 'DPoP-Nonce': 'n1' }));
    book.remember('https://api.test/v1/routes?x=1', new Headers({ 'dpop-nonce': 'n2' }));
    book.remember('https://api.test/v1/other', new Headers({}));
    expect(book.nonceFor('https://api.test/anything')).toBe('n2');
    expect(book.nonceFor('https://api.test:8443/anything')).toBeUndefined();
    expect(book.nonceFor('http://api.test/anything')).toBeUndefined();
    expect(book.nonceFor('https://acme.knoxcall.com/api')).toBeUndefined();
  });

  it('base64url agrees with Buffer for every length and byte value', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64url(all)).toBe(Buffer.from(all).toString('base64url'));
  });

  it('base64 (with padding, the one encoder with the standard alphabet) agrees with Buffer for every length and byte value', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it('nonces follow the URL looked up, not the last one remembered', () => {
    const book = new DpopNonceBook();
    expect(book.nonceFor('https://a.test/x')).toBeUndefined();
    book.remember('https://a.test/x', new Headers({ 'dpop-nonce': 'na' }));
    book.remember('https://b.test/y', new Headers({ 'dpop-nonce': 'nb' }));
    expect(book.nonceFor('https://a.test/x')).toBe('na');
    expect(book.nonceFor('https://b.test/z')).toBe('nb');
    expect(book.nonceFor('https://a.test/x')).toBe('na');
    expect(book.nonceFor('not a url')).toBeUndefined();
  });

  it('parses WWW-Authenticate challenges', () => {
    expect(parseChallenges('Bearer realm="x", DPoP error="use_dpop_nonce", algs="ES256"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'x' } },
      { scheme: 'DPoP', params: { error: 'use_dpop_nonce', algs: 'ES256' } },
    ]);
    expect(parseChallenges('DPoP algs="ES256 PS256", error=use_dpop_nonce')).toEqual([
      { scheme: 'DPoP', params: { algs: 'ES256 PS256', error: 'use_dpop_nonce' } },
    ]);
  });

  it('a nonce challenge needs 401, the DPoP scheme with use_dpop_nonce, and a DPoP-Nonce header', () => {
    const challenge = 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce"';
    expect(isDpopNonceChallenge(401, new Headers({ 'www-authenticate': challenge, 'dpop-nonce': 'n' }))).toBe(true);
    expect(isDpopNonceChallenge(401, new Headers({ 'www-authenticate': challenge }))).toBe(false);
    expect(isDpopNonceChallenge(403, new Headers({ 'www-authenticate': challenge, 'dpop-nonce': 'n' }))).toBe(false);
    expect(isDpopNonceChallenge(401, new Headers({ 'www-authenticate': 'Bearer error="use_dpop_nonce"', 'dpop-nonce': 'n' }))).toBe(false);
    expect(isDpopNonceChallenge(401, new Headers({ 'www-authenticate': 'DPoP error="invalid_token"', 'dpop-nonce': 'n' }))).toBe(false);
  });
});
