import { describe, expect, it } from 'vitest';
import { AccessToken, ClientCredentials, StoredCredentials } from '../src/auth/bootstraps.js';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { BootstrapError, KnoxCallError, NotAuthenticatedError } from '../src/errors.js';
import { authConfig, testPlatform } from './auth-test-support.js';

describe('construction-time credential checks (auth §1.1)', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['bootstrap + clientId', { bootstrap: new AccessToken({ accessToken: 'kc_x' }), clientId: 'id' }, /bootstrap cannot be combined with clientId/],
    ['bootstrap + accessToken', { bootstrap: new AccessToken({ accessToken: 'kc_x' }), accessToken: 'kc_y' }, /bootstrap cannot be combined with accessToken/],
    ['accessToken + apiKey', { accessToken: 'kc_a', apiKey: 'kc_b' }, /either accessToken or apiKey, not both/],
    [
      'apiKey + clientId + clientSecret',
      { apiKey: 'kc_b', clientId: 'id', clientSecret: 's' },
      /token credential cannot be combined with clientId\/clientSecret/,
    ],
    ['clientId only', { clientId: 'id' }, /clientId and clientSecret must be provided together/],
    ['clientSecret only', { clientSecret: 's' }, /clientId and clientSecret must be provided together/],
    ['empty-string clientId counts as provided', { clientId: '', accessToken: 'kc_a' }, /token credential cannot be combined/],
  ];
  for (const [name, options, message] of cases) {
    it(`${name} → BootstrapError`, () => {
      const attempt = () => createAuthenticator(authConfig(options));
      expect(attempt).toThrow(BootstrapError);
      expect(attempt).toThrow(message);
    });
  }

  it('checks the conflicts in the contract order (bootstrap first)', () => {
    expect(() => createAuthenticator(authConfig({ bootstrap: new AccessToken({ accessToken: 'kc_x' }), accessToken: 'a', apiKey: 'b' }))).toThrow(
      /bootstrap cannot be combined with accessToken, apiKey/,
    );
  });

  it('null counts as not provided', () => {
    expect(() => createAuthenticator(authConfig({ clientId: null as never, accessToken: 'kc_a' }))).not.toThrow();
  });

  it('a bad dpop mode is a KnoxCallError that mentions dpop', () => {
    const attempt = () => createAuthenticator(authConfig({ accessToken: 'kc_a', dpop: 'sometimes' as never }));
    expect(attempt).toThrow(KnoxCallError);
    expect(attempt).toThrow(/dpop/);
  });

  it('an explicit StoredCredentials on a runtime without a filesystem is a BootstrapError', () => {
    expect(() => createAuthenticator(authConfig({ bootstrap: new StoredCredentials() }, { platform: testPlatform() }))).toThrow(BootstrapError);
  });

  it('construction does no I/O: a client-credentials authenticator against a dead port builds fine', () => {
    expect(() => createAuthenticator(authConfig({ clientId: 'id', clientSecret: 's' }))).not.toThrow();
  });
});

describe('pre-acquired tokens (auth §2.3)', () => {
  it('accessToken kc_… → Bearer, no legacy key, no token endpoint', async () => {
    const fetches: string[] = [];
    const auth = createAuthenticator(
      authConfig(
        { accessToken: 'kc_live_pre' },
        {
          fetch: (async (url: string) => {
            fetches.push(String(url));
            throw new Error('no network');
          }) as typeof fetch,
        },
      ),
    );
    const credential = await auth.getCredential();
    expect(credential.tokenType).toBe('Bearer');
    expect(credential.isLegacyKey).toBe(false);
    expect(credential.accessToken.expose()).toBe('kc_live_pre');
    expect(String(credential.accessToken)).toBe('[REDACTED]');
    expect(await auth.authorizationHeaders('GET', 'https://acme.knoxcall.com/api/x', credential)).toEqual({
      authorization: 'Bearer kc_live_pre',
    });
    expect(fetches).toEqual([]);
  });

  it('apiKey tk_… is a legacy key', async () => {
    const auth = createAuthenticator(authConfig({ apiKey: 'tk_live_legacy' }));
    const credential = await auth.getCredential();
    expect(credential.isLegacyKey).toBe(true);
    expect(credential.tokenType).toBe('Bearer');
  });

  it('AKE… keys are legacy too', async () => {
    const auth = createAuthenticator(authConfig({ apiKey: 'AKE123' }));
    expect((await auth.getCredential()).isLegacyKey).toBe(true);
  });

  it('a pre-acquired token is Bearer even under dpop: "always" (our choice)', async () => {
    const auth = createAuthenticator(authConfig({ accessToken: 'kc_live_pre', dpop: 'always' }));
    const credential = await auth.getCredential();
    expect(credential.tokenType).toBe('Bearer');
    expect(await auth.authorizationHeaders('GET', 'https://x.test/v1/a', credential)).toEqual({
      authorization: 'Bearer kc_live_pre',
    });
  });

  it('the AccessToken bootstrap and its plain-object form work', async () => {
    const a = createAuthenticator(authConfig({ bootstrap: new AccessToken({ accessToken: 'kc_one' }) }));
    expect((await a.getCredential()).accessToken.expose()).toBe('kc_one');
    const b = createAuthenticator(authConfig({ bootstrap: { type: 'access_token', accessToken: 'kc_two' } }));
    expect((await b.getCredential()).accessToken.expose()).toBe('kc_two');
  });
});

describe('environment auto-detection (auth §1.3, env slots)', () => {
  it('KNOXCALL_ACCESS_TOKEN wins over KNOXCALL_API_KEY', async () => {
    const platform = testPlatform({ KNOXCALL_ACCESS_TOKEN: 'kc_env_access', KNOXCALL_API_KEY: 'kc_env_key' });
    const auth = createAuthenticator(authConfig({}, { platform }));
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_env_access');
  });

  it('KNOXCALL_API_KEY is used when ACCESS_TOKEN is empty', async () => {
    const platform = testPlatform({ KNOXCALL_ACCESS_TOKEN: '', KNOXCALL_API_KEY: 'tk_env_key' });
    const auth = createAuthenticator(authConfig({}, { platform }));
    const credential = await auth.getCredential();
    expect(credential.accessToken.expose()).toBe('tk_env_key');
    expect(credential.isLegacyKey).toBe(true);
  });

  it('nothing anywhere → NotAuthenticatedError (a BootstrapError) at first use, not at construction', async () => {
    const auth = createAuthenticator(authConfig({}, { platform: testPlatform({ KNOXCALL_CLIENT_ID: 'only-id' }) }));
    const error = await auth.getCredential().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toMatch(/knoxcall login/);
    expect((error as Error).message).toMatch(/KNOXCALL_ACCESS_TOKEN/);
  });

  it('a later env change is picked up because a failed detection is not cached', async () => {
    const env: Record<string, string | undefined> = {};
    const auth = createAuthenticator(authConfig({}, { platform: testPlatform(env) }));
    await expect(auth.getCredential()).rejects.toBeInstanceOf(NotAuthenticatedError);
    env.KNOXCALL_ACCESS_TOKEN = 'kc_late';
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_late');
  });
});

describe('bootstrap objects hide secrets', () => {
  it('ClientCredentials shows clientId, hides the secret', async () => {
    const { inspect } = await import('node:util');
    const cc = new ClientCredentials({ clientId: 'kc_client_123', clientSecret: 's3cr3t-value' });
    expect(inspect(cc)).toContain('kc_client_123');
    expect(inspect(cc)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(cc)).toContain('kc_client_123');
    expect(JSON.stringify(cc)).not.toContain('s3cr3t-value');
    expect(`${String(cc)}`).not.toContain('s3cr3t-value');
    const at = new AccessToken({ accessToken: 'kc_secret_token' });
    expect(inspect(at)).not.toContain('kc_secret_token');
    expect(JSON.stringify(at)).not.toContain('kc_secret_token');
    expect(inspect({ nested: [at, cc] }, { depth: 5 })).not.toMatch(/kc_secret_token|s3cr3t-value/);
  });

  it('the deprecated aliases are the same classes', async () => {
    const mod = await import('../src/auth/index.js');
    expect(mod.AccessTokenBootstrap).toBe(mod.AccessToken);
    expect(mod.ClientCredentialsBootstrap).toBe(mod.ClientCredentials);
    expect(new mod.ClientCredentialsBootstrap({ clientId: 'a', clientSecret: 'b' })).toBeInstanceOf(mod.ClientCredentials);
  });
});
