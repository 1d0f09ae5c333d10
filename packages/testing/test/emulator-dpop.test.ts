import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { generateDpopKey, type ProofOptions, signProof, type TestDpopKey } from './support/dpop-signer.js';
import { basic, call, tokenRequest } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

const t = 1_750_000_000_000;
const nowS = () => Math.floor(t / 1000);
let emu: Emulator;
let key: TestDpopKey;

beforeAll(async () => {
  emu = await startEmulator({ now: () => t, seed: { oauth_clients: [{}, { client_id: 'kc_dpop_only', client_secret: 'shh', require_dpop: true }] } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  key = generateDpopKey();
});

const tokenUrl = () => `${emu.url}/oauth/token`;
const accountUrl = () => `${emu.url}/v1/account`;
const auth = () => ({ authorization: basic(emu.credentials.clientId, emu.credentials.clientSecret) });

async function mintDpopToken(k = key): Promise<string> {
  const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { ...auth(), dpop: signProof(k, { method: 'POST', url: tokenUrl(), iat: nowS() }) });
  expect(r.status).toBe(200);
  expect(r.body.token_type).toBe('DPoP');
  return r.body.access_token;
}

function resource(token: string, proof: Partial<ProofOptions> & { key?: TestDpopKey } = {}, scheme = 'DPoP') {
  const { key: k = key, ...o } = proof;
  return call(accountUrl(), {
    headers: { authorization: `${scheme} ${token}`, dpop: signProof(k, { method: 'GET', url: accountUrl(), accessToken: token, iat: nowS(), ...o }) },
  });
}

function expectDpopRefusal(r: { status: number; headers: Headers }, error = 'invalid_dpop_proof') {
  expect(r.status).toBe(401);
  expect(r.headers.get('www-authenticate')).toMatch(new RegExp(`^DPoP .*error="${error}"`));
}

describe('DPoP at the token endpoint', () => {
  it('binds the token to the proof key (token_type DPoP) and accepts it with a valid proof', async () => {
    const token = await mintDpopToken();
    const r = await resource(token);
    expect(r.status).toBe(200);
    expect(r.body.data.slug).toBe('acme');
  });

  it('issues Bearer without a proof unless DPoP is required', async () => {
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, auth());
    expect(r.body.token_type).toBe('Bearer');
  });

  it('answers a client with require_dpop and no proof with 400 invalid_dpop_proof', async () => {
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic('kc_dpop_only', 'shh') });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_dpop_proof');
    expect(typeof r.body.error_description).toBe('string');
    const withProof = await tokenRequest(
      emu,
      { grant_type: 'client_credentials' },
      { authorization: basic('kc_dpop_only', 'shh'), dpop: signProof(key, { method: 'POST', url: tokenUrl(), iat: nowS() }) },
    );
    expect(withProof.body.token_type).toBe('DPoP');
  });

  it('answers requireDpop without a proof with 400 invalid_dpop_proof', async () => {
    const strict = await startEmulator({ requireDpop: true });
    try {
      const r = await tokenRequest(
        strict,
        { grant_type: 'client_credentials' },
        { authorization: basic(strict.credentials.clientId, strict.credentials.clientSecret) },
      );
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_dpop_proof');
      // Public-client grants (the CLI's credentials-file refresh) never carry proofs and stay allowed.
      const cliRefresh = await tokenRequest(strict, { grant_type: 'refresh_token', refresh_token: strict.issueRefreshToken(), client_id: 'knoxcall-cli' });
      expect(cliRefresh.status).toBe(200);
      expect(cliRefresh.body.token_type).toBe('Bearer');
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['wrong typ', { typ: 'jwt' }],
    ['wrong htm', { method: 'GET' }],
    ['wrong htu', { url: 'http://127.0.0.1:1/oauth/token' }],
    ['stale iat', { iat: Math.floor(1_750_000_000_000 / 1000) - 600 }],
    ['future iat', { iat: Math.floor(1_750_000_000_000 / 1000) + 600 }],
  ])('refuses a token-endpoint proof with %s', async (_name, override) => {
    const proof = signProof(key, { method: 'POST', url: tokenUrl(), iat: nowS(), ...override });
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { ...auth(), dpop: proof });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_dpop_proof');
  });

  it('refuses a proof signed by another key than its jwk (bad signature)', async () => {
    const proof = signProof(key, { method: 'POST', url: tokenUrl(), iat: nowS(), headerKey: generateDpopKey() });
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { ...auth(), dpop: proof });
    expect(r.body.error).toBe('invalid_dpop_proof');
  });

  it('ignores the query when comparing htu', async () => {
    const r = await call(`${tokenUrl()}?x=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...auth(),
        dpop: signProof(key, { method: 'POST', url: `${tokenUrl()}?other=2`, iat: nowS() }),
      },
      body: 'grant_type=client_credentials',
    });
    expect(r.body.token_type).toBe('DPoP');
  });
});

describe('DPoP on resource requests', () => {
  it('refuses a replayed jti', async () => {
    const token = await mintDpopToken();
    expect((await resource(token, { jti: 'replayed-jti-123456' })).status).toBe(200);
    expectDpopRefusal(await resource(token, { jti: 'replayed-jti-123456' }));
  });

  it('refuses a missing ath and a wrong ath', async () => {
    const token = await mintDpopToken();
    const noAth = await call(accountUrl(), {
      headers: { authorization: `DPoP ${token}`, dpop: signProof(key, { method: 'GET', url: accountUrl(), iat: nowS() }) },
    });
    expectDpopRefusal(noAth);
    expectDpopRefusal(await resource(token, { ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo' }));
  });

  it('refuses a proof from another key (thumbprint mismatch)', async () => {
    const token = await mintDpopToken();
    expectDpopRefusal(await resource(token, { key: generateDpopKey() }));
  });

  it('refuses bad signature, wrong typ, wrong htm, wrong htu and stale iat', async () => {
    const token = await mintDpopToken();
    expectDpopRefusal(await resource(token, { headerKey: generateDpopKey() }));
    expectDpopRefusal(await resource(token, { typ: 'JWT' }));
    expectDpopRefusal(await resource(token, { method: 'POST' }));
    expectDpopRefusal(await resource(token, { url: `${emu.url}/v1/routes` }));
    expectDpopRefusal(await resource(token, { iat: nowS() - 61 }));
    expect((await resource(token, { iat: nowS() - 59 })).status).toBe(200);
  });

  it('refuses a missing proof and a bound token presented as Bearer', async () => {
    const token = await mintDpopToken();
    expectDpopRefusal(await call(accountUrl(), { headers: { authorization: `DPoP ${token}` } }));
    expectDpopRefusal(await resource(token, {}, 'Bearer'), 'invalid_token');
  });

  it('checks htu against the received Host and path, not the query', async () => {
    const token = await mintDpopToken();
    const r = await call(`${accountUrl()}?a=1`, {
      headers: { authorization: `DPoP ${token}`, dpop: signProof(key, { method: 'GET', url: accountUrl(), accessToken: token, iat: nowS() }) },
    });
    expect(r.status).toBe(200);
  });

  it('applies to the data plane with htu = the full proxy URL', async () => {
    const upstream: Upstream = await startUpstream();
    try {
      const seeded = await startEmulator({ now: () => t, seed: { routes: [{ name: 'u', slug: 'u', target_base_url: upstream.url }] } });
      try {
        const proof0 = signProof(key, { method: 'POST', url: `${seeded.url}/oauth/token`, iat: nowS() });
        const tok = await tokenRequest(
          seeded,
          { grant_type: 'client_credentials' },
          { authorization: basic(seeded.credentials.clientId, seeded.credentials.clientSecret), dpop: proof0 },
        );
        const token = tok.body.access_token as string;
        const url = `${seeded.proxyUrl}/v1/things`;
        const ok = await call(`${url}?q=1`, {
          headers: { 'x-knoxcall-route': 'u', authorization: `DPoP ${token}`, dpop: signProof(key, { method: 'GET', url, accessToken: token, iat: nowS() }) },
        });
        expect(ok.status).toBe(200);
        expect(upstream.seen[0]!.headers['dpop']).toBeUndefined();
        const bad = await call(url, {
          headers: {
            'x-knoxcall-route': 'u',
            authorization: `DPoP ${token}`,
            dpop: signProof(key, { method: 'GET', url: `${seeded.proxyUrl}/other`, accessToken: token, iat: nowS() }),
          },
        });
        expectDpopRefusal(bad);
        expect(bad.headers.get('x-knox-upstream-status')).toBeNull();
      } finally {
        await seeded.close();
      }
    } finally {
      await upstream.close();
    }
  });
});

describe('DPoP server nonces (dpopNonces)', () => {
  let nonceEmu: Emulator;
  beforeAll(async () => {
    nonceEmu = await startEmulator({ now: () => t, dpopNonces: true });
  });
  afterAll(() => nonceEmu.close());

  const tokenWithNonce = async (nonce?: string) =>
    tokenRequest(
      nonceEmu,
      { grant_type: 'client_credentials' },
      {
        authorization: basic(nonceEmu.credentials.clientId, nonceEmu.credentials.clientSecret),
        dpop: signProof(key, { method: 'POST', url: `${nonceEmu.url}/oauth/token`, iat: nowS(), ...(nonce ? { nonce } : {}) }),
      },
    );

  it('demands a nonce at the token endpoint with 400 use_dpop_nonce + DPoP-Nonce, then accepts it', async () => {
    const first = await tokenWithNonce();
    expect(first.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    const second = await tokenWithNonce(nonce!);
    expect(second.status).toBe(200);
    expect(second.body.token_type).toBe('DPoP');
    expect(second.headers.get('dpop-nonce')).toBe(nonce);
  });

  it('puts a current DPoP-Nonce on every response, errors included', async () => {
    const r = await call(`${nonceEmu.url}/nowhere`);
    expect(r.headers.get('dpop-nonce')).toBeTruthy();
  });

  it('demands the nonce on resources with 401 WWW-Authenticate use_dpop_nonce, and a rotated nonce is refused', async () => {
    const nonce = (await tokenWithNonce()).headers.get('dpop-nonce')!;
    const token = (await tokenWithNonce(nonce)).body.access_token as string;
    const url = `${nonceEmu.url}/v1/account`;
    const send = (n?: string) =>
      call(url, {
        headers: { authorization: `DPoP ${token}`, dpop: signProof(key, { method: 'GET', url, accessToken: token, iat: nowS(), ...(n ? { nonce: n } : {}) }) },
      });

    const without = await send();
    expectDpopRefusal(without, 'use_dpop_nonce');
    expect(without.headers.get('dpop-nonce')).toBe(nonce);
    expect((await send(nonce)).status).toBe(200);

    const rotated = nonceEmu.rotateDpopNonce();
    const stale = await send(nonce);
    expectDpopRefusal(stale, 'use_dpop_nonce');
    expect(stale.headers.get('dpop-nonce')).toBe(rotated);
    expect((await send(rotated)).status).toBe(200);
  });

  it('does not demand nonces from Bearer requests', async () => {
    const r = await call(`${nonceEmu.url}/v1/account`, { headers: { authorization: `Bearer ${nonceEmu.credentials.apiKey}` } });
    expect(r.status).toBe(200);
  });
});

describe('DPoP verifier vectors (auth.md §5.2/§5.3)', () => {
  it('computes the RFC 9449 example thumbprint and ath', async () => {
    const { accessTokenHash, jwkThumbprint } = await import('../src/emulator/dpop.js');
    expect(jwkThumbprint({ crv: 'P-256', kty: 'EC', x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs', y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA' })).toBe(
      '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I',
    );
    expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});
