import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, TEST_ISSUERS, startEmulator } from '../src/index.js';
import { basic, call, tokenRequest } from './support/http.js';

let t = 1_700_000_000_000;
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    now: () => t,
    tokenTtlSeconds: 120,
    seed: { refresh_tokens: [{ token: 'rt_seeded', client_id: 'kc_cli_real' }], oauth_clients: [{}, { client_id: 'kc_cli_real', type: 'public' }] },
  });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const account = (token: string, scheme = 'Bearer') => call(`${emu.url}/v1/account`, { headers: { authorization: `${scheme} ${token}` } });

describe('POST /oauth/token — client_credentials', () => {
  it('mints a kc_ Bearer token with HTTP Basic, carrying tenant and the configured TTL', async () => {
    const { clientId, clientSecret } = emu.credentials;
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic(clientId, clientSecret) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, tenant: 'acme', client_id: clientId });
    expect(r.body.access_token).toMatch(/^kc_/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await account(r.body.access_token)).status).toBe(200);
  });

  it('accepts client_id/client_secret in the form', async () => {
    const { clientId, clientSecret } = emu.credentials;
    const r = await tokenRequest(emu, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(r.status).toBe(200);
  });

  it('expires tokens by the injected clock', async () => {
    const { clientId, clientSecret } = emu.credentials;
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic(clientId, clientSecret) });
    t += 119_000;
    expect((await account(r.body.access_token)).status).toBe(200);
    t += 2_000;
    const expired = await account(r.body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic(emu.credentials.clientId, 'wrong') });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(typeof r.body.error_description).toBe('string');
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('answers no client authentication with 401 invalid_client', async () => {
    const r = await tokenRequest(emu, { grant_type: 'client_credentials' });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
  });

  it('answers an unknown grant with 400 unsupported_grant_type', async () => {
    const r = await tokenRequest(emu, { grant_type: 'password', username: 'a', password: 'b' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('unsupported_grant_type');
  });

  it('answers a missing grant_type or a JSON body with 400 invalid_request', async () => {
    expect((await tokenRequest(emu, {})).body.error).toBe('invalid_request');
    const json = await call(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });
});

describe('POST /oauth/token — refresh_token (credentials file)', () => {
  it('rotates a seeded refresh token once and refuses its reuse with invalid_grant', async () => {
    const first = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: 'rt_seeded', client_id: 'kc_cli_real' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', tenant: 'acme', client_id: 'kc_cli_real' });
    expect(first.body.refresh_token).toMatch(/^kc_rt_/);
    expect((await account(first.body.access_token)).status).toBe(200);

    const reuse = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: 'rt_seeded', client_id: 'kc_cli_real' });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');

    const next = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: 'kc_cli_real' });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(first.body.refresh_token);
  });

  it('issues refresh tokens on demand with issueRefreshToken()', async () => {
    const rt = emu.issueRefreshToken();
    const r = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt, client_id: 'knoxcall-cli' });
    expect(r.status).toBe(200);
    // The alias resolves to the tenant's real CLI client, whose id the response carries.
    expect(r.body.client_id).toBe(emu.cliClientId);
    expect(emu.cliClientId).toMatch(/^kc_cli_/);
    const next = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token, client_id: emu.cliClientId });
    expect(next.status).toBe(200);
  });

  it('requires a confidential client to authenticate its refresh', async () => {
    const { clientId, clientSecret } = emu.credentials;
    const rt = emu.issueRefreshToken({ clientId });
    const anon = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt, client_id: clientId });
    expect(anon.status).toBe(401);
    expect(anon.body.error).toBe('invalid_client');
    const authed = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt }, { authorization: basic(clientId, clientSecret) });
    expect(authed.status).toBe(200);
    expect(authed.body.refresh_token).toMatch(/^kc_rt_/);
  });

  it('refuses a refresh token presented for another client', async () => {
    const rt = emu.issueRefreshToken({ clientId: 'kc_cli_real' });
    const r = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt, client_id: 'someone-else' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  it('forgets rotated refresh tokens on reset() but keeps seeded ones usable again', async () => {
    await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: 'rt_seeded', client_id: 'kc_cli_real' });
    emu.reset();
    const again = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: 'rt_seeded', client_id: 'kc_cli_real' });
    expect(again.status).toBe(200);
  });
});

describe('POST /oauth/token — OIDC token exchange (audience knoxcall:api)', () => {
  const exchange = (subject: string, audience = 'knoxcall:api') =>
    tokenRequest(emu, {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: subject,
      audience,
    });
  const segments = (token: string) => token.split('.') as [string, string, string];

  it('mints a management token for a subject token signed by a test issuer; the same token may be re-posted', async () => {
    const subject = emu.mintSubjectToken({ platform: 'github-actions', subject: 'repo:acme/app' });
    const r = await exchange(subject);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', tenant: 'acme', client_id: 'oidc:https://token.actions.githubusercontent.com:repo:acme/app' });
    expect((await account(r.body.access_token)).status).toBe(200);
    expect((await exchange(subject)).status).toBe(200);
  });

  it('refuses a non-JWT, an expired, a forged (unsigned or re-signed payload) subject with invalid_grant, and a wrong audience with invalid_target', async () => {
    expect((await exchange('not-a-jwt')).body.error).toBe('invalid_grant');
    const expired = await exchange(emu.mintSubjectToken({ expiresInSeconds: -1 }));
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_description: 'subject_token has expired' });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'https://token.actions.githubusercontent.com', exp: t / 1000 + 60 })).toString('base64url')}.sig`;
    expect((await exchange(unsigned)).body.error).toBe('invalid_grant');
    // A real signature over another payload: the payload was tampered with.
    const [h, , sig] = segments(emu.mintSubjectToken());
    const [, otherPayload] = segments(emu.mintSubjectToken({ subject: 'repo:evil/app' }));
    const tampered = await exchange(`${h}.${otherPayload}.${sig}`);
    expect(tampered.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('signature') });
    // GCP's key claiming GitHub's issuer.
    const wrongIssuer = await exchange(emu.mintSubjectToken({ platform: 'gcp', claims: { iss: 'https://token.actions.githubusercontent.com' } }));
    expect(wrongIssuer.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('iss') });
    expect((await exchange(emu.mintSubjectToken(), 'knoxcall:gateway')).body.error).toBe('invalid_target');
  });

  it('serves the test issuers as a JWKS whose keys verify the minted tokens', async () => {
    const r = await call(`${emu.url}/.well-known/test-issuers/jwks.json`);
    expect(r.status).toBe(200);
    const keys = r.body.keys as Array<Record<string, string>>;
    expect(keys.map((k) => k.iss).sort()).toEqual(Object.values(TEST_ISSUERS).sort());
    const token = emu.mintSubjectToken({ platform: 'aws' });
    const [h, p, sig] = segments(token);
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid;
    const jwk = keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(jwk.iss).toBe(TEST_ISSUERS.aws);
  });
});

describe('platform identity endpoints (loopback stand-ins for GitHub, GCP metadata and Azure)', () => {
  const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

  it('GitHub: Bearer request token required; answers {value} for the requested audience', async () => {
    expect((await call(`${emu.url}/_platforms/github/token?api-version=2.0&audience=knoxcall:api`)).status).toBe(401);
    const r = await call(`${emu.url}/_platforms/github/token?api-version=2.0&audience=knoxcall:api`, { headers: { authorization: 'Bearer req-token' } });
    expect(r.status).toBe(200);
    expect(claims(r.body.value)).toMatchObject({ iss: TEST_ISSUERS['github-actions'], aud: 'knoxcall:api' });
  });

  it('GCP metadata: Metadata-Flavor required; answers the token as text', async () => {
    const path = '/computeMetadata/v1/instance/service-accounts/default/identity?audience=knoxcall:api';
    expect((await call(`${emu.url}${path}`)).status).toBe(403);
    const r = await fetch(`${emu.url}${path}`, { headers: { 'metadata-flavor': 'Google' } });
    expect(claims(await r.text())).toMatchObject({ iss: TEST_ISSUERS.gcp, aud: 'knoxcall:api' });
  });

  it('Azure: X-IDENTITY-HEADER and api-version required; answers {access_token} for the resource', async () => {
    expect((await call(`${emu.url}/_platforms/azure/identity?api-version=2019-08-01&resource=knoxcall:api`)).status).toBe(400);
    const r = await call(`${emu.url}/_platforms/azure/identity?api-version=2019-08-01&resource=knoxcall:api`, { headers: { 'x-identity-header': 'h' } });
    expect(claims(r.body.access_token)).toMatchObject({ iss: TEST_ISSUERS.azure, aud: 'knoxcall:api' });
  });
});

describe('login flows (auth.md §9)', () => {
  const verifier = 'v'.repeat(43) + 'erifier_-.~';
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  it('authorize redirects to the loopback redirect_uri with code and state; the code redeems once with PKCE', async () => {
    const redirect = 'http://127.0.0.1:53682/callback';
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: 'knoxcall-cli',
      redirect_uri: redirect,
      state: 'st4te',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const auth = await call(`${emu.url}/oauth/authorize?${q}`);
    expect(auth.status).toBe(302);
    const location = new URL(auth.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirect);
    expect(location.searchParams.get('state')).toBe('st4te');
    const code = location.searchParams.get('code')!;

    const form = { grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: 'knoxcall-cli', code_verifier: verifier };
    const wrongVerifier = await tokenRequest(emu, { ...form, code_verifier: 'x'.repeat(43) });
    expect(wrongVerifier.body.error).toBe('invalid_grant');
    // A failed redemption burns the code, as a real server does.
    expect((await tokenRequest(emu, form)).body.error).toBe('invalid_grant');

    const again = new URL((await call(`${emu.url}/oauth/authorize?${q}`)).headers.get('location')!).searchParams.get('code')!;
    const ok = await tokenRequest(emu, { ...form, code: again });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ client_id: emu.cliClientId, tenant: 'acme', token_type: 'Bearer' });
    expect(ok.body.refresh_token).toMatch(/^kc_rt_/);
  });

  it('authorize refuses a non-loopback redirect without redirecting, and demands S256', async () => {
    const bad = await call(
      `${emu.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'knoxcall-cli', redirect_uri: 'https://evil.example/cb' })}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
    const noPkce = await call(
      `${emu.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'knoxcall-cli', redirect_uri: 'http://127.0.0.1:1/cb', state: 's' })}`,
    );
    expect(new URL(noPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('device flow stays pending until approveDevice, then mints once; denial gives access_denied', async () => {
    const start = await call(`${emu.url}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=knoxcall-cli',
    });
    expect(start.body).toMatchObject({ interval: 5, expires_in: 900 });
    const poll = () =>
      tokenRequest(emu, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: start.body.device_code, client_id: 'knoxcall-cli' });
    expect((await poll()).body.error).toBe('authorization_pending');
    emu.approveDevice(start.body.user_code);
    t += 5_000;
    const ok = await poll();
    expect(ok.status).toBe(200);
    expect(ok.body.client_id).toBe(emu.cliClientId);
    expect((await poll()).body.error).toBe('invalid_grant');

    const second = await call(`${emu.url}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=knoxcall-cli',
    });
    emu.approveDevice(second.body.user_code, false);
    const denied = await tokenRequest(emu, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: second.body.device_code,
      client_id: 'knoxcall-cli',
    });
    expect(denied.body.error).toBe('access_denied');
  });

  it('polling faster than the interval answers slow_down and adds 5 s to the interval (RFC 8628 §3.5)', async () => {
    const start = await call(`${emu.url}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=knoxcall-cli',
    });
    const poll = () =>
      tokenRequest(emu, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: start.body.device_code, client_id: 'knoxcall-cli' });
    expect((await poll()).body.error).toBe('authorization_pending');
    t += 4_000;
    expect((await poll()).body.error).toBe('slow_down');
    t += 5_000; // 5 s is no longer enough: the interval is now 10 s
    expect((await poll()).body.error).toBe('slow_down');
    t += 15_000;
    expect((await poll()).body.error).toBe('authorization_pending');
  });

  it('device codes expire by the clock with expired_token', async () => {
    const start = await call(`${emu.url}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=knoxcall-cli',
    });
    t += 901_000;
    const r = await tokenRequest(emu, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: start.body.device_code,
      client_id: 'knoxcall-cli',
    });
    expect(r.body.error).toBe('expired_token');
  });

  it('revoke answers 200 and kills the refresh token', async () => {
    const rt = emu.issueRefreshToken();
    const r = await call(`${emu.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: rt, token_type_hint: 'refresh_token', client_id: 'knoxcall-cli' }).toString(),
    });
    expect(r.status).toBe(200);
    expect((await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt, client_id: 'knoxcall-cli' })).body.error).toBe('invalid_grant');
    expect(
      (await call(`${emu.url}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=unknown' }))
        .status,
    ).toBe(200);
  });
});
