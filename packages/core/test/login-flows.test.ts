/**
 * Interactive login (contract auth §9) against the emulator: PKCE + loopback browser flow (the
 * test plays the browser by following the authorize URL), the device flow (RFC 8628) with its
 * error answers, the credentials file written under its lock, logout and the refusals.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BootstrapError, KnoxCallError, NotAuthenticatedError } from '../src/errors.js';
import { KnoxCall, ensureLogin, login, logout, storedLogin } from '../src/index.js';
import { authorizeUrl } from '../src/node/login/browser-flow.js';
import { loginBaseUrl } from '../src/node/login/login.js';
import { DEVICE_CODE_GRANT, runDeviceFlow } from '../src/node/login/device-flow.js';
import { startLoopbackListener } from '../src/node/login/loopback-listener.js';
import { createPkcePair, createState } from '../src/node/login/pkce.js';
import { isoIn, writeCredentials } from './credentials-test-support.js';

let emu: Emulator;
let dir: string;
let path: string;
beforeAll(async () => {
  emu = await startEmulator({ deviceIntervalSeconds: 1 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  dir = mkdtempSync(join(tmpdir(), 'knoxcall-login-'));
  path = join(dir, 'nested', 'credentials.json');
  for (const name of ['KNOXCALL_NO_INTERACTIVE', 'CI', 'KNOXCALL_PROFILE', 'KNOXCALL_BASE_URL', 'KNOXCALL_ACCESS_TOKEN', 'KNOXCALL_API_KEY', 'KNOXCALL_TENANT'])
    vi.stubEnv(name, '');
  vi.stubEnv('KNOXCALL_CREDENTIALS_FILE', path);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const readDoc = () => JSON.parse(readFileSync(path, 'utf8'));
const tokenPosts = () =>
  emu
    .requests()
    .filter((r) => r.path === '/oauth/token')
    .map((r) => new URLSearchParams(r.body));
/** Plays the browser: follows the authorize URL and its redirect to the loopback listener. */
const playBrowser = async (url: string) => {
  const response = await fetch(url);
  return response.text();
};

describe('PKCE, state and the authorize URL', () => {
  it('verifier: 64 URL-safe characters, S256 challenge, no padding, fresh per call; state 32 characters', async () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'));
    expect(a.challenge).not.toContain('=');
    expect(a.verifier).not.toBe(b.verifier);
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(createState()).not.toBe(createState());
  });

  it('carries client_id=knoxcall-cli, response_type=code, S256 and the given redirect/state/tenant', () => {
    const url = new URL(
      authorizeUrl('https://api.example.test/', { redirectUri: 'http://127.0.0.1:5/callback', state: 'st', challenge: 'ch', tenant: 'acme' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://api.example.test/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'knoxcall-cli',
      redirect_uri: 'http://127.0.0.1:5/callback',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      tenant: 'acme',
    });
  });
});

describe('the loopback listener', () => {
  it('listens on 127.0.0.1, serves only /callback, and returns the code', async () => {
    const listener = await startLoopbackListener('s1', 5_000);
    try {
      expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect((await fetch(listener.redirectUri.replace('/callback', '/other'))).status).toBe(404);
      const page = await fetch(`${listener.redirectUri}?code=c0de&state=s1&code=second`);
      expect(await page.text()).toContain('Signed in');
      expect(await listener.code).toBe('c0de');
    } finally {
      await listener.close();
    }
  });

  it('an error parameter raises with its description; a state mismatch raises mentioning state', async () => {
    const denied = await startLoopbackListener('s1', 5_000);
    await fetch(`${denied.redirectUri}?error=access_denied&error_description=User+said+no&state=s1`);
    await expect(denied.code).rejects.toThrow('authorization failed: User said no');
    await denied.close();
    const csrf = await startLoopbackListener('s1', 5_000);
    const page = await fetch(`${csrf.redirectUri}?code=c&state=forged`);
    expect(await page.text()).toContain('Sign-in failed');
    await expect(csrf.code).rejects.toThrow(/state/);
    await csrf.close();
  });

  it('times out with an error that says what to do', async () => {
    const listener = await startLoopbackListener('s1', 50);
    await expect(listener.code).rejects.toThrow(/timed out.*knoxcall login/);
    await listener.close();
  });
});

describe('login() — browser flow against the emulator', () => {
  it('writes the profile (dir 0700, file 0600, only credentials.json left) and returns a working client', async () => {
    const lines: string[] = [];
    const client = await login({
      mode: 'browser',
      baseUrl: emu.url,
      tenant: 'acme',
      openBrowser: playBrowser,
      allowNonInteractive: true,
      output: (l) => lines.push(l),
    });
    expect((await client.routes.list()).data).toEqual(expect.any(Array));
    const [exchange] = tokenPosts();
    expect(exchange!.get('grant_type')).toBe('authorization_code');
    expect(exchange!.get('client_id')).toBe('knoxcall-cli');
    expect(exchange!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(exchange!.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const authorize = emu.requests().find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query).toMatchObject({
      client_id: 'knoxcall-cli',
      response_type: 'code',
      code_challenge_method: 'S256',
      tenant: 'acme',
      redirect_uri: exchange!.get('redirect_uri'),
    });

    const doc = readDoc();
    expect(doc.version).toBe(1);
    const record = doc.profiles.default;
    expect(record).toMatchObject({
      tenant: 'acme',
      base_url: emu.url,
      client_id: emu.cliClientId,
      refresh_token: expect.stringMatching(/^kc_rt_/),
      access_token: expect.stringMatching(/^kc_at_/),
    });
    expect(record.access_token_expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['credentials.json']);
    const printed = lines.join('\n');
    expect(printed).toContain('/oauth/authorize?');
    expect(printed).not.toContain(record.access_token);
    expect(printed).not.toContain(record.refresh_token);

    // A zero-option client now finds and uses the file.
    emu.clearRequests();
    vi.stubEnv('KNOXCALL_BASE_URL', '');
    const zero = new KnoxCall();
    expect((await zero.account.get()).slug).toBe('acme');
    expect(emu.requests().find((r) => r.path === '/v1/account')!.headers.authorization).toBe(`Bearer ${record.access_token}`);
  });

  it('other profiles are preserved; --profile writes only that profile', async () => {
    await writeCredentials(path, { version: 1, profiles: { work: { tenant: 'globex', base_url: 'https://api.example.test', keep: 'me' } }, extra: true });
    await login({ mode: 'browser', baseUrl: emu.url, profile: 'personal', openBrowser: playBrowser, allowNonInteractive: true, output: () => {} });
    const doc = readDoc();
    expect(doc.extra).toBe(true);
    expect(doc.profiles.work).toEqual({ tenant: 'globex', base_url: 'https://api.example.test', keep: 'me' });
    expect(doc.profiles.personal.tenant).toBe('acme');
  });

  it('a sign-in the server refuses → "sign-in failed: <description>"', async () => {
    emu.script('POST', '/oauth/token', [{ status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } }]);
    const error = await login({ mode: 'browser', baseUrl: emu.url, openBrowser: playBrowser, allowNonInteractive: true, output: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KnoxCallError);
    expect((error as Error).message).toBe('sign-in failed: code expired');
    expect(() => statSync(path)).toThrow();
  });
});

describe('login() — device flow against the emulator', () => {
  it('prints the URI and user code, polls until approved, writes the profile', async () => {
    const lines: string[] = [];
    const output = (line: string) => {
      lines.push(line);
      const code = /enter the code: (\S+)/.exec(line)?.[1];
      if (code) emu.approveDevice(code);
    };
    const client = await login({ mode: 'device', baseUrl: emu.url, allowNonInteractive: true, output });
    expect((await client.account.get()).slug).toBe('acme');
    expect(lines[0]).toMatch(/visit http:\/\/127\.0\.0\.1:\d+\/device and enter the code: [A-Z]{4}-[A-Z]{4}/);
    const polls = tokenPosts().filter((f) => f.get('grant_type') === DEVICE_CODE_GRANT);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const poll of polls) {
      expect(poll.get('device_code')).toMatch(/^kc_dc_/);
      expect(poll.get('client_id')).toBe('knoxcall-cli');
    }
    expect(readDoc().profiles.default.client_id).toBe(emu.cliClientId);
  });

  it('pending → slow_down → pending → success sleeps [5, 5, 10, 10] s (sleep first, +5 on slow_down)', async () => {
    emu.script('POST', '/oauth/device_authorization', [
      { status: 200, body: { device_code: 'kc_dc_scripted', user_code: 'ABCD-EFGH', verification_uri: 'https://x/device', interval: 5, expires_in: 900 } },
    ]);
    emu.script('POST', '/oauth/token', [
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 400, body: { error: 'slow_down' } },
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 200, body: { access_token: 'kc_at_scripted', token_type: 'Bearer', expires_in: 3600, refresh_token: 'kc_rt_scripted' } },
    ]);
    const sleeps: number[] = [];
    const token = await runDeviceFlow({ baseUrl: emu.url, fetch, userAgent: 't', print: () => {}, sleep: async (ms) => void sleeps.push(ms / 1000) });
    expect(sleeps).toEqual([5, 5, 10, 10]);
    expect(token.accessToken).toBe('kc_at_scripted');
    expect(tokenPosts().every((f) => f.get('device_code') === 'kc_dc_scripted' && f.get('grant_type') === DEVICE_CODE_GRANT)).toBe(true);
  });

  it('access_denied → "denied"; expired_token → mentions `knoxcall login`', async () => {
    const deny = (line: string) => {
      const code = /enter the code: (\S+)/.exec(line)?.[1];
      if (code) emu.approveDevice(code, false);
    };
    await expect(login({ mode: 'device', baseUrl: emu.url, allowNonInteractive: true, output: deny })).rejects.toThrow('sign-in was denied');
    emu.script('POST', '/oauth/token', [{ status: 400, body: { error: 'expired_token' } }]);
    await expect(login({ mode: 'device', baseUrl: emu.url, allowNonInteractive: true, output: () => {} })).rejects.toThrow(/knoxcall login/);
    expect(() => statSync(path)).toThrow();
  });
});

describe('login() — base URL, mode and missing refresh token', () => {
  it('base URL: baseUrl › KNOXCALL_BASE_URL › sandbox › the API host', () => {
    expect(loginBaseUrl({ baseUrl: 'https://b.example/', sandbox: true })).toBe('https://b.example');
    vi.stubEnv('KNOXCALL_BASE_URL', 'https://env.example');
    expect(loginBaseUrl({ sandbox: true })).toBe('https://env.example');
    vi.stubEnv('KNOXCALL_BASE_URL', '');
    expect(loginBaseUrl({ sandbox: true })).toBe('https://sandbox.knoxcall.com');
    expect(loginBaseUrl({})).toBe('https://api.knoxcall.com');
  });

  it('mode auto: the browser with a display; on Linux without DISPLAY/WAYLAND_DISPLAY the device flow', async () => {
    vi.stubEnv('DISPLAY', ':99');
    const withDisplay: string[] = [];
    await login({ baseUrl: emu.url, openBrowser: playBrowser, allowNonInteractive: true, output: (l) => withDisplay.push(l) });
    expect(withDisplay.join('\n')).toContain('/oauth/authorize?');
    vi.stubEnv('DISPLAY', '');
    vi.stubEnv('WAYLAND_DISPLAY', '');
    const headless: string[] = [];
    const approve = (line: string) => {
      headless.push(line);
      const code = /enter the code: (\S+)/.exec(line)?.[1];
      if (code) emu.approveDevice(code);
    };
    if (process.platform === 'linux') {
      await login({ baseUrl: emu.url, allowNonInteractive: true, output: approve });
      expect(headless.join('\n')).toContain('enter the code');
    } else {
      await login({ baseUrl: emu.url, openBrowser: playBrowser, allowNonInteractive: true, output: approve });
      expect(headless.join('\n')).toContain('/oauth/authorize?');
    }
  });

  it('a token answer without refresh_token is saved with a warning that access will not renew', async () => {
    emu.script('POST', '/oauth/token', [{ status: 200, body: { access_token: 'kc_at_norefresh', token_type: 'Bearer', expires_in: 600, tenant: 'acme' } }]);
    const lines: string[] = [];
    await login({ mode: 'browser', baseUrl: emu.url, openBrowser: playBrowser, allowNonInteractive: true, output: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/no refresh token; access will not renew/);
    expect(readDoc().profiles.default).toMatchObject({ access_token: 'kc_at_norefresh', client_id: 'knoxcall-cli', scope: '' });
    expect(readDoc().profiles.default.refresh_token).toBeUndefined();
  });
});

describe('refusals and ensureLogin', () => {
  it('NotAuthenticatedError is a BootstrapError; KNOXCALL_NO_INTERACTIVE, CI and no TTY refuse login with what to do', async () => {
    vi.stubEnv('KNOXCALL_NO_INTERACTIVE', '1');
    const error = await login({ baseUrl: emu.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toMatch(/KNOXCALL_NO_INTERACTIVE.*KNOXCALL_ACCESS_TOKEN/s);
    vi.stubEnv('KNOXCALL_NO_INTERACTIVE', '');
    vi.stubEnv('CI', 'true');
    await expect(ensureLogin({ baseUrl: emu.url })).rejects.toThrow(/CI is set/);
    vi.stubEnv('CI', '');
    // The test runner has no TTY.
    await expect(login({ baseUrl: emu.url })).rejects.toThrow(/not a TTY/);
    expect(emu.requests()).toHaveLength(0);
  });

  it('a bad mode is a KnoxCallError', async () => {
    await expect(login({ mode: 'telepathy' as 'auto', allowNonInteractive: true })).rejects.toThrow(/mode must be/);
  });

  it('ensureLogin with a usable stored profile → a seeded client, no prompt and no network', async () => {
    vi.stubEnv('CI', 'true'); // a prompt would be refused: proves none is attempted
    await writeCredentials(path, {
      version: 1,
      profiles: {
        default: {
          tenant: 'acme',
          base_url: 'https://api.example.test',
          client_id: 'kc_cli_real',
          access_token: 'kc_at_stored',
          access_token_expires_at: isoIn(3600),
        },
      },
    });
    // api.example.test does not exist: this fetch stands in for it and records what the client sends.
    const sent: Array<{ url: string; authorization: string | null }> = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return Response.json({ data: { slug: 'acme', name: 'Acme' }, meta: { request_id: 'req_1' } });
    };
    const client = await ensureLogin({ clientOptions: { fetchImpl } });
    expect(emu.requests()).toHaveLength(0);
    expect(sent).toHaveLength(0);
    await client.account.get();
    expect(client.tenant).toBe('acme');
    expect(client.baseUrl).toBe('https://api.example.test');
    expect(sent).toEqual([{ url: 'https://api.example.test/v1/account', authorization: 'Bearer kc_at_stored' }]);
    expect(await storedLogin()).toEqual({ path, profile: 'default', tenant: 'acme', baseUrl: 'https://api.example.test', clientId: 'kc_cli_real' });
  });

  it('a corrupt credentials file → BootstrapError naming the file and `knoxcall login` (login, ensureLogin, logout, storedLogin)', async () => {
    await writeCredentials(path, '{ "profiles": ');
    for (const attempt of [
      () => login({ allowNonInteractive: true, baseUrl: emu.url, mode: 'device' }),
      () => ensureLogin({ allowNonInteractive: true }),
      () => logout(),
      () => storedLogin(),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BootstrapError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain('knoxcall login');
    }
    expect(readFileSync(path, 'utf8')).toBe('{ "profiles": ');
  });
});

describe('logout()', () => {
  const twoProfiles = async (workBase: string) => {
    const rt = emu.issueRefreshToken();
    await writeCredentials(path, {
      version: 1,
      profiles: {
        work: { tenant: 'acme', base_url: workBase, client_id: 'kc_cli_real', refresh_token: rt },
        home: { tenant: 'globex', base_url: 'https://api.example.test' },
      },
    });
    return rt;
  };

  it('revokes the refresh token (token, hint, client_id), removes only that profile; the last one deletes the file', async () => {
    const rt = await twoProfiles(emu.url);
    const result = await logout({ profile: 'work' });
    expect(result).toEqual({ path, profile: 'work', removed: true, revoked: true });
    const revoke = emu.requests().find((r) => r.path === '/oauth/revoke')!;
    expect(Object.fromEntries(new URLSearchParams(revoke.body))).toEqual({ token: rt, token_type_hint: 'refresh_token', client_id: 'kc_cli_real' });
    expect(Object.keys(readDoc().profiles)).toEqual(['home']);
    expect(await logout({ profile: 'home' })).toMatchObject({ removed: true, revoked: false });
    expect(() => statSync(path)).toThrow();
    expect(readdirSync(join(dir, 'nested'))).toEqual([]);
  });

  it('still removes the profile when the revoke fails (unreachable server, or an error status)', async () => {
    await twoProfiles('http://127.0.0.1:9');
    expect(await logout({ profile: 'work' })).toMatchObject({ removed: true, revoked: false });
    expect(Object.keys(readDoc().profiles)).toEqual(['home']);
    await twoProfiles(emu.url);
    emu.script('POST', '/oauth/revoke', [{ status: 503, body: { error: 'temporarily_unavailable' } }]);
    expect(await logout({ profile: 'work' })).toMatchObject({ removed: true, revoked: false });
    expect(Object.keys(readDoc().profiles)).toEqual(['home']);
  });

  it('no such profile → nothing to do', async () => {
    expect(await logout({ profile: 'ghost' })).toEqual({ path, profile: 'ghost', removed: false, revoked: false });
  });
});
