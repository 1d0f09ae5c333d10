import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoredCredentials } from '../src/auth/bootstraps.js';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { formatExpiry, parseExpiry, resolveCredentialsLocation, writeCredentialsProfile } from '../src/node/credentials-file.js';
import { nodeAuthSupport } from '../src/node/auth-support.js';
import { AuthenticationError, BootstrapError, NotAuthenticatedError } from '../src/errors.js';
import { authConfig, testPlatform } from './auth-test-support.js';
import { isoIn, tempHome, writeCredentials } from './credentials-test-support.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    seed: {
      oauth_clients: [
        { client_id: 'kc_client_123', client_secret: 's3cr3t' },
        { client_id: 'kc_cli_real', type: 'public', client_secret: null, grant_types: ['refresh_token'] },
      ],
    },
  });
});
afterAll(async () => {
  await emulator.close();
});

let home: ReturnType<typeof tempHome>;
let path: string;
beforeEach(() => {
  home = tempHome();
  path = join(home.dir, '.knoxcall', 'credentials.json');
  emulator.clearRequests();
});
afterEach(() => home.cleanup());

const tokenRequests = () => emulator.requests().filter((r) => r.path === '/oauth/token');

function storedAuth(env: Record<string, string | undefined> = {}, extra: Parameters<typeof authConfig>[1] = {}) {
  const platform = testPlatform(env, nodeAuthSupport);
  const config = authConfig({ bootstrap: new StoredCredentials({ path }) }, { baseUrl: emulator.url, platform, ...extra });
  return { auth: createAuthenticator(config), config, platform };
}

describe('location (auth §7.1)', () => {
  it('explicit path/profile › KNOXCALL_CREDENTIALS_FILE / KNOXCALL_PROFILE › defaults', () => {
    const env = { KNOXCALL_CREDENTIALS_FILE: '/env/creds.json', KNOXCALL_PROFILE: 'work' };
    expect(resolveCredentialsLocation({}, () => undefined)).toEqual({
      path: join(homedir(), '.knoxcall', 'credentials.json'),
      profile: 'default',
    });
    expect(resolveCredentialsLocation({}, (n) => env[n as keyof typeof env])).toEqual({ path: '/env/creds.json', profile: 'work' });
    expect(resolveCredentialsLocation({ path: '/x/c.json', profile: 'p' }, (n) => env[n as keyof typeof env])).toEqual({
      path: '/x/c.json',
      profile: 'p',
    });
  });

  it('expiry parsing: Z and zone-less are UTC; offsets honoured; garbage is undefined', () => {
    expect(parseExpiry('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseExpiry('2026-01-02T03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseExpiry('2026-01-02T03:04:05+01:00')).toBe(Date.UTC(2026, 0, 2, 2, 4, 5));
    expect(parseExpiry('next tuesday')).toBeUndefined();
    expect(parseExpiry(42)).toBeUndefined();
    expect(formatExpiry(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02T03:04:05Z');
  });
});

describe('token fetch from the file (auth §7.4)', () => {
  it('a stored token with 3600 s left: tenant acme, scope routes:read, zero HTTP, prints [REDACTED]', async () => {
    await writeCredentials(path, {
      version: 1,
      profiles: {
        default: {
          tenant: 'acme',
          client_id: 'kc_cli_real',
          refresh_token: 'rt_x',
          access_token: 'kc_stored',
          access_token_expires_at: isoIn(3600),
          scope: 'routes:read',
        },
      },
    });
    const { auth, config } = storedAuth();
    const credential = await auth.getCredential();
    expect(credential.accessToken.expose()).toBe('kc_stored');
    expect(credential.tokenType).toBe('Bearer');
    expect(inspect(credential)).not.toContain('kc_stored');
    expect(inspect(credential)).toContain('[REDACTED]');
    expect(config.state.tenant).toBe('acme');
    expect(emulator.requests()).toHaveLength(0);
  });

  it('10 s left → refresh_token grant (no secret, no Basic, no DPoP), rotated file, only credentials.json left', async () => {
    const rtOld = emulator.issueRefreshToken({ clientId: 'kc_cli_real', scope: 'routes:read logs:read' });
    await writeCredentials(path, {
      version: 1,
      profiles: {
        default: {
          tenant: 'acme',
          client_id: 'kc_cli_real',
          refresh_token: rtOld,
          access_token: 'kc_old',
          access_token_expires_at: isoIn(10),
          scope: 'routes:read',
          custom: 'kept',
        },
        other: { tenant: 'globex', refresh_token: 'rt_other' },
      },
    });
    const { auth } = storedAuth();
    const credential = await auth.getCredential();
    const [request] = tokenRequests();
    expect(tokenRequests()).toHaveLength(1);
    const form = new URLSearchParams(request!.body);
    expect([...form.keys()]).toEqual(['grant_type', 'refresh_token', 'client_id']);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(rtOld);
    expect(form.get('client_id')).toBe('kc_cli_real');
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.headers.dpop).toBeUndefined();

    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.profiles.default.access_token).toBe(credential.accessToken.expose());
    expect(file.profiles.default.refresh_token).toMatch(/^kc_rt_/);
    expect(file.profiles.default.refresh_token).not.toBe(rtOld);
    expect(file.profiles.default.scope).toBe('routes:read logs:read');
    expect(file.profiles.default.custom).toBe('kept');
    expect(file.profiles.default.access_token_expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(parseExpiry(file.profiles.default.access_token_expires_at)! - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    expect(file.profiles.other).toEqual({ tenant: 'globex', refresh_token: 'rt_other' });
    expect(file.version).toBe(1);
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {2}"/);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home.dir, '.knoxcall'))).toEqual(['credentials.json']);

    // the rotated refresh token works; the old one is spent (single use)
    const again = storedAuth();
    await writeCredentials(path, { profiles: { default: { ...file.profiles.default, access_token_expires_at: isoIn(5) } } });
    await again.auth.getCredential();
    const spent = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rtOld, client_id: 'kc_cli_real' }),
    });
    expect(spent.status).toBe(400);
  });

  it('refresh answered 400 invalid_grant → AuthenticationError with the re-login message and code', async () => {
    await writeCredentials(path, {
      profiles: { default: { client_id: 'kc_cli_real', refresh_token: 'rt_unknown', access_token: 'kc_old', access_token_expires_at: isoIn(-100) } },
    });
    const error = (await storedAuth()
      .auth.getCredential()
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('knoxcall login');
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.message).not.toContain('rt_unknown');
    expect(readdirSync(join(home.dir, '.knoxcall'))).toEqual(['credentials.json']);
  });

  it('an expired token without a refresh token → the same message, no HTTP', async () => {
    await writeCredentials(path, { profiles: { default: { client_id: 'kc_cli_real', access_token: 'kc_old', access_token_expires_at: isoIn(-1) } } });
    const error = (await storedAuth()
      .auth.getCredential()
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('knoxcall login');
    expect(emulator.requests()).toHaveLength(0);
  });

  it('an unparsable expiry forces the refresh path; a missing profile is the re-login error', async () => {
    const rt = emulator.issueRefreshToken({ clientId: 'kc_cli_real' });
    await writeCredentials(path, {
      profiles: { default: { client_id: 'kc_cli_real', refresh_token: rt, access_token: 'kc_old', access_token_expires_at: 'soon' } },
    });
    expect((await storedAuth().auth.getCredential()).accessToken.expose()).not.toBe('kc_old');
    await writeCredentials(path, { profiles: { work: {} } });
    await expect(storedAuth().auth.getCredential()).rejects.toThrow(/knoxcall login/);
  });

  it('a corrupt file under an explicit StoredCredentials → AuthenticationError naming the file, the profile and `knoxcall login`', async () => {
    await writeCredentials(path, '{ "profiles": { "default": ');
    const error = (await storedAuth()
      .auth.getCredential()
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('knoxcall login');
    expect(error.message).toContain(path);
    expect(error.message).toContain('"default"');
    expect(emulator.requests()).toHaveLength(0);
  });

  it('two concurrent refreshers → exactly one refresh POST, same token, rotated file, no lock left', async () => {
    const rt = emulator.issueRefreshToken({ clientId: 'kc_cli_real' });
    await writeCredentials(path, {
      profiles: { default: { client_id: 'kc_cli_real', refresh_token: rt, access_token: 'kc_old', access_token_expires_at: isoIn(10) } },
    });
    emulator.script('POST', '/oauth/token', [{ delayMs: 200 }]);
    const [a, b] = await Promise.all([storedAuth().auth.getCredential(), storedAuth().auth.getCredential()]);
    expect(a.accessToken.expose()).toBe(b.accessToken.expose());
    expect(tokenRequests()).toHaveLength(1);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.profiles.default.refresh_token).not.toBe(rt);
    expect(file.profiles.default.access_token).toBe(a.accessToken.expose());
    expect(readdirSync(join(home.dir, '.knoxcall'))).toEqual(['credentials.json']);
  });
});

describe('permissions and writes (auth §7.2)', () => {
  it('a group/other-readable file warns once with the mode and the chmod advice; 0600 does not', async () => {
    const doc = { profiles: { default: { access_token: 'kc_s', access_token_expires_at: isoIn(3600) } } };
    await writeCredentials(path, doc, 0o600);
    const quiet = storedAuth();
    await quiet.auth.getCredential();
    expect(quiet.platform.warnings).toEqual([]);

    await writeCredentials(path, doc, 0o644);
    const loud = storedAuth();
    await loud.auth.getCredential();
    await loud.auth.invalidate();
    await loud.auth.getCredential();
    expect(loud.platform.warnings).toHaveLength(1);
    const [warning] = loud.platform.warnings;
    expect(warning!.message).toContain('0644');
    expect(warning!.message).toContain(`chmod 600 ${path}`);
    expect(warning!.message).toContain('refresh token');
    expect(warning!.message).toMatch(/group\/other/);
    expect(warning!.message).not.toContain('kc_s');
  });

  it('a merging write creates the directory 0700 and the file 0600, adds version 1, keeps other profiles', async () => {
    const nested = join(home.dir, 'a', 'b', 'credentials.json');
    await writeCredentialsProfile({ path: nested, profile: 'work' }, { tenant: 'globex', base_url: null, refresh_token: 'rt_w' });
    await writeCredentialsProfile({ path: nested, profile: 'default' }, { tenant: 'acme' });
    const file = JSON.parse(readFileSync(nested, 'utf8'));
    expect(file).toEqual({ version: 1, profiles: { work: { tenant: 'globex', refresh_token: 'rt_w' }, default: { tenant: 'acme' } } });
    expect(statSync(join(home.dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(statSync(nested).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home.dir, 'a', 'b'))).toEqual(['credentials.json']);
  });
});

describe('seeding and auto-detection (auth §1.3, §7.5)', () => {
  const doc = {
    version: 1,
    profiles: {
      default: { tenant: 'acme', base_url: 'https://api.example.test', access_token: 'kc_file', access_token_expires_at: isoIn(3600) },
      work: { tenant: 'globex', base_url: 'https://api.globex.test', access_token: 'kc_work', access_token_expires_at: isoIn(3600) },
    },
  };

  function zeroConfig(env: Record<string, string | undefined>, extra: Parameters<typeof authConfig>[1] = {}) {
    const platform = testPlatform(env, nodeAuthSupport);
    const config = authConfig({}, { platform, ...extra });
    config.state.baseUrl = extra.baseUrl ?? 'https://api.knoxcall.com';
    return { auth: createAuthenticator(config), config };
  }

  it('a zero-config client seeds tenant and base URL from the file', async () => {
    await writeCredentials(path, doc);
    const { auth, config } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path });
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_file');
    expect(config.state).toEqual({ tenant: 'acme', baseUrl: 'https://api.example.test' });
  });

  it('explicit options beat the file', async () => {
    await writeCredentials(path, doc);
    const { auth, config } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path }, { baseUrl: 'https://mine.test', tenant: 'mine' });
    await auth.getCredential();
    expect(config.state).toEqual({ tenant: 'mine', baseUrl: 'https://mine.test' });
  });

  it('sandbox counts as an explicit base URL', async () => {
    await writeCredentials(path, doc);
    const { auth, config } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path }, { sandbox: true, baseUrl: 'https://sandbox.knoxcall.com' });
    config.baseUrlExplicit = false;
    await auth.getCredential();
    expect(config.state.baseUrl).toBe('https://sandbox.knoxcall.com');
  });

  it('KNOXCALL_PROFILE=work selects another profile (tenant globex)', async () => {
    await writeCredentials(path, doc);
    const { auth, config } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path, KNOXCALL_PROFILE: 'work' });
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_work');
    expect(config.state.tenant).toBe('globex');
  });

  it('an explicit StoredCredentials seeds too, before the first request', async () => {
    await writeCredentials(path, doc);
    const platform = testPlatform({}, nodeAuthSupport);
    const config = authConfig({ bootstrap: { type: 'stored_credentials', path, profile: 'work' } }, { platform });
    await createAuthenticator(config).getCredential();
    expect(config.state).toEqual({ tenant: 'globex', baseUrl: 'https://api.globex.test' });
  });

  it('file + KNOXCALL_ACCESS_TOKEN → the access token wins', async () => {
    await writeCredentials(path, doc);
    const { auth, config } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path, KNOXCALL_ACCESS_TOKEN: 'kc_env' });
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_env');
    expect(config.state.tenant).toBeUndefined();
  });

  it('file + env client credentials → the file wins', async () => {
    await writeCredentials(path, doc);
    const { auth } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path, KNOXCALL_CLIENT_ID: 'kc_client_123', KNOXCALL_CLIENT_SECRET: 's3cr3t' });
    expect((await auth.getCredential()).accessToken.expose()).toBe('kc_file');
  });

  const fallbacks: Array<[string, () => Promise<void>]> = [
    ['no file', async () => {}],
    ['a missing profile', () => writeCredentials(path, { profiles: { other: {} } })],
    ['malformed JSON', () => writeCredentials(path, '{"profiles": ')],
    ['profiles not an object', () => writeCredentials(path, { profiles: [] })],
    ['the profile not an object', () => writeCredentials(path, { profiles: { default: 'x' } })],
  ];
  for (const [name, prepare] of fallbacks) {
    it(`${name} + env client credentials → client credentials (no crash)`, async () => {
      await prepare();
      const env = { KNOXCALL_CREDENTIALS_FILE: path, KNOXCALL_CLIENT_ID: 'kc_client_123', KNOXCALL_CLIENT_SECRET: 's3cr3t' };
      const { auth } = zeroConfig(env, { baseUrl: emulator.url });
      expect((await auth.getCredential()).accessToken.expose()).toMatch(/^kc_at_/);
      expect(tokenRequests()[0]?.headers.authorization).toMatch(/^Basic /);
    });
  }

  it('nothing but a missing file → NotAuthenticatedError', async () => {
    const { auth } = zeroConfig({ KNOXCALL_CREDENTIALS_FILE: path });
    await expect(auth.getCredential()).rejects.toBeInstanceOf(NotAuthenticatedError);
  });

  it('the cache key of an explicit StoredCredentials is file:{path}:{profile} (no tenant configured)', async () => {
    await writeCredentials(path, doc);
    const { MemoryTokenStore } = await import('../src/auth/memory-token-store.js');
    const store = new MemoryTokenStore();
    const platform = testPlatform({}, nodeAuthSupport);
    await createAuthenticator(authConfig({ bootstrap: new StoredCredentials({ path, profile: 'work' }), tokenStore: store }, { platform })).getCredential();
    expect((await store.get(`file:${path}:work:`))?.accessToken.expose()).toBe('kc_work');
  });

  it('StoredCredentials without nodeAuth (Web runtime) is a BootstrapError at construction', () => {
    expect(() => createAuthenticator(authConfig({ bootstrap: new StoredCredentials({ path }) }))).toThrow(BootstrapError);
  });
});

describe('a broken base_url in the file', () => {
  it('is ignored with a warning instead of becoming the management base', async () => {
    await writeCredentials(path, {
      profiles: { default: { tenant: 'acme', base_url: 'not a url', access_token: 'kc_file', access_token_expires_at: isoIn(3600) } },
    });
    const platform = testPlatform({ KNOXCALL_CREDENTIALS_FILE: path }, nodeAuthSupport);
    const config = authConfig({}, { platform });
    config.state.baseUrl = 'https://api.knoxcall.com';
    expect((await createAuthenticator(config).getCredential()).accessToken.expose()).toBe('kc_file');
    expect(config.state).toEqual({ tenant: 'acme', baseUrl: 'https://api.knoxcall.com' });
    expect(platform.warnings.map((w) => w.code)).toEqual(['KNOXCALL_CREDENTIALS_BASE_URL']);
    expect(platform.warnings[0]!.message).toContain('not an http(s) URL');
  });
});
