/**
 * `OidcTokenExchange` against the emulator (contract auth §2.1, §5.4, §8.1): the management
 * token exchange with audience `knoxcall:api`, the same subject token re-posted on re-mint,
 * DPoP proofs on that POST, and the typed error when the server refuses the subject token.
 * Subject tokens are real ES256 JWTs from the emulator's test issuers (verified by its JWKS).
 */
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { OidcTokenExchange, OidcTokenExchangeBootstrap, toBootstrapInstance } from '../src/auth/bootstraps.js';
import { BootstrapError, TokenExchangeError } from '../src/errors.js';
import { clientWithEnv } from './client-test-support.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const tokenPosts = (e: Emulator) => e.requests().filter((r) => r.method === 'POST' && r.path === '/oauth/token');
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the OidcTokenExchange bootstrap', () => {
  it('class, deprecated alias and plain object are the same; the subject token never shows', () => {
    const subject = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXNpZw';
    const b = new OidcTokenExchange({ subjectToken: subject, issuer: 'https://token.actions.githubusercontent.com' });
    expect(OidcTokenExchangeBootstrap).toBe(OidcTokenExchange);
    const plain = toBootstrapInstance({ type: 'oidc_token_exchange', subjectToken: subject });
    expect(plain).toBeInstanceOf(OidcTokenExchange);
    expect((plain as OidcTokenExchange).subjectToken).toBe(subject);
    for (const shown of [inspect(b), JSON.stringify(b), String(b), inspect({ nested: b }, { depth: 5 })]) expect(shown).not.toContain('c2VjcmV0');
    expect(inspect(b)).toContain('token.actions.githubusercontent.com');
    expect(JSON.parse(JSON.stringify(b))).toEqual({
      type: 'oidc_token_exchange',
      issuer: 'https://token.actions.githubusercontent.com',
      subjectToken: '[REDACTED]',
    });
  });

  it('an empty or missing subject token is a BootstrapError at construction', () => {
    expect(() => new OidcTokenExchange({ subjectToken: '' })).toThrow(BootstrapError);
    expect(() => toBootstrapInstance({ type: 'oidc_token_exchange' })).toThrow(BootstrapError);
    expect(() => clientWithEnv({ bootstrap: { type: 'oidc_token_exchange', subjectToken: 'x' }, clientId: 'a' })).toThrow(
      /bootstrap cannot be combined with clientId/,
    );
  });
});

describe('minting by token exchange against the emulator', () => {
  it('POSTs the exchange form (contract order, audience knoxcall:api, no Authorization, no proof) and lists routes', async () => {
    emu = await startEmulator();
    const subject = emu.mintSubjectToken({ platform: 'gcp' });
    const { client } = clientWithEnv({ baseUrl: emu.url, bootstrap: { type: 'oidc_token_exchange', subjectToken: subject } });
    const page = await client.routes.list();
    expect(Array.isArray(page.data)).toBe(true);
    const [post] = tokenPosts(emu);
    expect([...new URLSearchParams(post!.body).entries()]).toEqual([
      ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      ['subject_token_type', 'urn:ietf:params:oauth:token-type:id_token'],
      ['subject_token', subject],
      ['audience', 'knoxcall:api'],
    ]);
    expect(post!.headers.authorization).toBeUndefined();
    expect(post!.headers.dpop).toBeUndefined();
    expect(post!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('re-posts the SAME subject token on every re-mint', async () => {
    emu = await startEmulator();
    const subject = emu.mintSubjectToken({ platform: 'vercel' });
    const { client } = clientWithEnv({ baseUrl: emu.url, bootstrap: new OidcTokenExchange({ subjectToken: subject, issuer: 'https://oidc.vercel.com' }) });
    await client.routes.list();
    await client.signOut();
    await client.routes.list();
    await client.signOut();
    await client.routes.list();
    const subjects = tokenPosts(emu).map((r) => new URLSearchParams(r.body).get('subject_token'));
    expect(subjects).toHaveLength(3);
    expect(new Set(subjects)).toEqual(new Set([subject]));
  });

  it('sends scope only when the client asks for scopes', async () => {
    emu = await startEmulator();
    const { client } = clientWithEnv({
      baseUrl: emu.url,
      scope: ['routes:read', 'secrets:read'],
      bootstrap: new OidcTokenExchange({ subjectToken: emu.mintSubjectToken() }),
    });
    await client.routes.list();
    expect(new URLSearchParams(tokenPosts(emu)[0]!.body).get('scope')).toBe('routes:read secrets:read');
  });

  it('dpop "always": the exchange POST carries a proof for POST + the token URL without ath; calls are DPoP', async () => {
    emu = await startEmulator();
    const { client } = clientWithEnv({ baseUrl: emu.url, dpop: 'always', bootstrap: new OidcTokenExchange({ subjectToken: emu.mintSubjectToken() }) });
    await client.routes.list();
    const proof = tokenPosts(emu)[0]!.headers.dpop!;
    expect(proof.split('.')).toHaveLength(3);
    expect(claims(proof)).toMatchObject({ htm: 'POST', htu: `${emu.url}/oauth/token` });
    expect(claims(proof).ath).toBeUndefined();
    const list = emu.requests().find((r) => r.path === '/v1/routes')!;
    expect(list.headers.authorization).toMatch(/^DPoP kc_/);
    expect(claims(list.headers.dpop!).ath).toEqual(expect.any(String));
  });

  it('dpop "auto" + a server that requires proofs: invalid_dpop_proof upgrades once, then DPoP', async () => {
    emu = await startEmulator({ requireDpop: true });
    const { client } = clientWithEnv({ baseUrl: emu.url, bootstrap: new OidcTokenExchange({ subjectToken: emu.mintSubjectToken() }) });
    await client.routes.list();
    const posts = tokenPosts(emu);
    expect(posts.map((p) => p.headers.dpop === undefined)).toEqual([true, false]);
    expect(emu.requests().find((r) => r.path === '/v1/routes')!.headers.authorization).toMatch(/^DPoP /);
  });

  it('an expired subject token → TokenExchangeError naming the platform, never the token', async () => {
    emu = await startEmulator();
    const subject = emu.mintSubjectToken({ platform: 'github-actions', expiresInSeconds: -30 });
    const { client } = clientWithEnv({
      baseUrl: emu.url,
      bootstrap: new OidcTokenExchange({ subjectToken: subject, issuer: 'https://token.actions.githubusercontent.com' }),
    });
    const error = await client.routes.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_grant', type: 'invalid_grant' });
    const message = (error as Error).message;
    expect(message).toContain('GitHub Actions');
    expect(message).toContain('expired');
    expect(message).not.toContain(subject);
    expect(inspect(error, { depth: 6 })).not.toContain(subject);
  });

  it('a malformed subject token → TokenExchangeError naming the issuer label', async () => {
    emu = await startEmulator();
    const { client } = clientWithEnv({
      baseUrl: emu.url,
      bootstrap: new OidcTokenExchange({ subjectToken: 'not-a-jwt-secret', issuer: 'https://issuer.example' }),
    });
    const error = await client.routes.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect((error as Error).message).toContain('issuer https://issuer.example');
    expect((error as Error).message).not.toContain('not-a-jwt-secret');
  });
});
