import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebPlatform } from '../src/platform/web-platform.js';
import { BootstrapError, KnoxCall, KnoxCallError, Session } from '../src/index.js';
import { clientWithEnv } from './client-test-support.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

describe('construction (transport §1.2)', () => {
  it('does no I/O, even with client credentials', () => {
    new KnoxCall({ baseUrl: emu.url, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret });
    new Session({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
    expect(emu.requests()).toHaveLength(0);
  });

  it('works with zero arguments from the environment', async () => {
    const { client } = clientWithEnv(undefined, { KNOXCALL_BASE_URL: `${emu.url}/`, KNOXCALL_API_KEY: emu.credentials.apiKey });
    expect(client.baseUrl).toBe(emu.url);
    const page = await client.routes.list();
    expect(Array.isArray(page.data)).toBe(true);
    expect(emu.requests()[0]!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
  });

  it('zero-argument Node construction auto-detects the credentials file, which seeds baseUrl and tenant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knoxcall-creds-'));
    const file = join(dir, 'credentials.json');
    writeFileSync(
      file,
      `${JSON.stringify({
        version: 1,
        profiles: {
          default: {
            tenant: emu.tenant,
            base_url: emu.url,
            client_id: 'knoxcall-cli',
            access_token: emu.credentials.apiKey,
            access_token_expires_at: '2099-01-01T00:00:00Z',
          },
        },
      })}\n`,
      { mode: 0o600 },
    );
    const names = [
      'KNOXCALL_CREDENTIALS_FILE',
      'KNOXCALL_ACCESS_TOKEN',
      'KNOXCALL_API_KEY',
      'KNOXCALL_CLIENT_ID',
      'KNOXCALL_CLIENT_SECRET',
      'KNOXCALL_BASE_URL',
      'KNOXCALL_TENANT',
      'KNOXCALL_PROFILE',
    ];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    for (const n of names) delete process.env[n];
    process.env.KNOXCALL_CREDENTIALS_FILE = file;
    try {
      const client = new KnoxCall();
      expect(emu.requests()).toHaveLength(0);
      const page = await client.routes.list();
      expect(Array.isArray(page.data)).toBe(true);
      expect(client.baseUrl).toBe(emu.url);
      expect(emu.requests()[0]!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
      expect(client.tenant).toBe(emu.tenant);
    } finally {
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exposes the public fields and read-only resource properties', () => {
    const { client } = clientWithEnv({ apiKey: 'kc_x', tenant: 'acme', scope: ['routes:read'] }, { KNOXCALL_ENVIRONMENT: 'staging' });
    expect(client).toMatchObject({
      tenant: 'acme',
      environment: 'staging',
      sandbox: false,
      baseUrl: 'https://api.knoxcall.com',
      proxyBaseUrl: 'https://acme.knoxcall.com',
      apiVersion: '2026-08-05',
      userAgent: 'knoxcall-node/0.1.0',
      scope: ['routes:read'],
    });
    for (const name of [
      'routes',
      'secrets',
      'webhooks',
      'workflows',
      'clients',
      'oauthClients',
      'environments',
      'apiKeys',
      'roles',
      'account',
      'auditLogs',
      'logs',
      'agents',
      'crypto',
      'pki',
      'vaults',
      'dynamicDb',
      'aiGateway',
      'opportunities',
    ]) {
      expect(client, name).toHaveProperty(name);
      const descriptor = Object.getOwnPropertyDescriptor(client, name)!;
      expect(descriptor.writable, name).toBe(false);
    }
    expect(JSON.stringify(Object.keys(client))).not.toContain('kc_x');
  });

  it('never prints a credential: inspect and JSON of clients and views', () => {
    const secret = 'cs_live_supersecret_value';
    const token = 'kc_live_supersecret_token';
    for (const options of [{ clientId: 'kc_client_1', clientSecret: secret }, { accessToken: token }]) {
      const client = new KnoxCall(options);
      const view = client.withOptions({ headers: { 'x-a': '1' } });
      for (const value of [client, view]) {
        const printed = inspect(value, { depth: 6, showHidden: true }) + JSON.stringify(value);
        expect(printed).not.toContain(secret);
        expect(printed).not.toContain(token);
      }
    }
  });

  it("keeps a client's and a view's context out of sight: no own property beyond the public fields, nothing copied by spread", () => {
    const client = new KnoxCall({ apiKey: 'kc_x' });
    const view = client.withOptions({ headers: { 'x-a': '1' }, environment: 'staging' });
    const fields = ['environment', 'sandbox', 'apiVersion', 'userAgent', 'scope'];
    expect(Reflect.ownKeys(view)).toEqual(fields);
    expect(Reflect.ownKeys({ ...view })).toEqual(fields);
    expect(Object.getOwnPropertySymbols(client)).toEqual([]);
    // The context still works through the view: its own defaults, the root's lifetime.
    expect(view.environment).toBe('staging');
    expect(typeof view.routes.list).toBe('function');
  });

  it('Session has no resource properties', () => {
    const session = new Session({ apiKey: 'kc_x' });
    expect(session).not.toHaveProperty('routes');
    expect(typeof session.fetch).toBe('function');
  });
});

describe('base URLs (transport §2.1, §2.2)', () => {
  it('option › KNOXCALL_BASE_URL › sandbox › default, trailing slashes stripped', () => {
    const env = { KNOXCALL_BASE_URL: 'https://env.example.com/' };
    expect(clientWithEnv({ baseUrl: 'https://opt.example.com//' }, env).client.baseUrl).toBe('https://opt.example.com');
    expect(clientWithEnv({ sandbox: true }, env).client.baseUrl).toBe('https://env.example.com');
    expect(clientWithEnv({ sandbox: true }).client.baseUrl).toBe('https://sandbox.knoxcall.com');
    expect(clientWithEnv({ sandbox: 'yes' as unknown as boolean }).client.baseUrl).toBe('https://api.knoxcall.com');
    expect(clientWithEnv({}).client.baseUrl).toBe('https://api.knoxcall.com');
    expect(clientWithEnv({}, { KNOXCALL_BASE_URL: '' }).client.baseUrl).toBe('https://api.knoxcall.com');
  });

  it('explicit proxyBaseUrl beats KNOXCALL_PROXY_BASE_URL; self-hosted bases serve the data plane themselves', () => {
    const env = { KNOXCALL_PROXY_BASE_URL: 'https://proxy-env.example.com/' };
    expect(clientWithEnv({ proxyBaseUrl: 'https://proxy.example.test/' }, env).client.proxyBaseUrl).toBe('https://proxy.example.test');
    expect(clientWithEnv({}, env).client.proxyBaseUrl).toBe('https://proxy-env.example.com');
    expect(clientWithEnv({ baseUrl: 'https://knox.example.com' }).client.proxyBaseUrl).toBe('https://knox.example.com');
    expect(clientWithEnv({}).client.proxyBaseUrl).toBeUndefined();
  });

  it.each([
    [{ baseUrl: 'api.knoxcall.com' }, {}, /baseUrl option is not a valid URL/],
    [{ baseUrl: 'ftp://files.example.com' }, {}, /must be an http\(s\) URL/],
    [{ proxyBaseUrl: 'not a url' }, {}, /proxyBaseUrl option is not a valid URL/],
    [{}, { KNOXCALL_BASE_URL: '::nope' }, /KNOXCALL_BASE_URL is not a valid URL/],
    [{}, { KNOXCALL_PROXY_BASE_URL: 'https://p.example.com/?x=1' }, /KNOXCALL_PROXY_BASE_URL must not carry a query/],
  ])('malformed URL %o %o → BootstrapError naming it', (options, env, message) => {
    expect(() => clientWithEnv(options, env)).toThrow(BootstrapError);
    expect(() => clientWithEnv(options, env)).toThrow(message);
  });
});

describe('tenant slugs (transport §2.4)', () => {
  it.each(['evil.com#', 'a/b', 'a b', '-lead', 'trail-', ''])('tenant %j on a cloud base → BootstrapError at construction', (tenant) => {
    expect(() => new KnoxCall({ tenant, apiKey: 'kc_x' })).toThrow(BootstrapError);
    expect(() => new KnoxCall({ tenant, apiKey: 'kc_x', sandbox: true })).toThrow(/invalid tenant slug/);
  });

  it('KNOXCALL_TENANT is validated too; an empty one is unset', () => {
    expect(() => clientWithEnv({ apiKey: 'kc_x' }, { KNOXCALL_TENANT: 'a/b' })).toThrow(/KNOXCALL_TENANT/);
    expect(clientWithEnv({ apiKey: 'kc_x' }, { KNOXCALL_TENANT: '' }).client.tenant).toBeUndefined();
  });

  it('self-hosted bases and explicit proxy overrides are not checked', () => {
    expect(() => new KnoxCall({ tenant: 'a/b', baseUrl: 'https://knox.example.com', apiKey: 'kc_x' })).not.toThrow();
    expect(() => new KnoxCall({ tenant: 'a/b', proxyBaseUrl: 'https://proxy.example.test', apiKey: 'kc_x' })).not.toThrow();
  });
});

describe('retry and timeout validation', () => {
  it.each([0, -1, 1.5, Number.NaN, '3' as unknown as number])('retry.maxAttempts %o → KnoxCallError', (maxAttempts) => {
    expect(() => new KnoxCall({ retry: { maxAttempts } })).toThrow(KnoxCallError);
    expect(() => new KnoxCall({ retry: { maxAttempts } })).toThrow(/retry\.maxAttempts must be an integer ≥ 1/);
  });

  it.each([
    [{ timeout: { total: -1 } }, /timeout\.total must be a positive number/],
    [{ timeout: { total: Number.NaN } }, /timeout\.total/],
    [{ timeout: { total: 0 } }, /timeout\.total/],
    [{ timeout: -5 }, /timeout must be a positive number/],
    [{ retry: { baseDelayMs: -1 } }, /retry\.baseDelayMs must be a number ≥ 0/],
    [{ retry: { maxDelayMs: Number.NaN } }, /retry\.maxDelayMs/],
  ])('%o → KnoxCallError naming the option', (options, message) => {
    expect(() => new KnoxCall(options)).toThrow(message);
  });

  it('accepts valid values', () => {
    expect(() => new KnoxCall({ retry: { maxAttempts: 1, baseDelayMs: 0 }, timeout: { total: 5 } })).not.toThrow();
    expect(() => new KnoxCall({ timeout: 2500 })).not.toThrow();
  });

  it('a bad per-call or view timeout is a typed error', async () => {
    const client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
    expect(() => client.withOptions({ timeout: -1 })).toThrow(/withOptions timeout/);
    await expect(client.call('echo', { timeout: Number.NaN })).rejects.toThrow(/timeout must be a positive number/);
    expect(emu.requests()).toHaveLength(0);
  });
});

describe('plaintext warnings (transport §10)', () => {
  it('warns once per code for a non-loopback http:// base and proxy, never for loopback', () => {
    const { platform } = clientWithEnv({ baseUrl: 'http://api.example.com', proxyBaseUrl: 'http://10.0.0.5:3000' });
    expect(platform.warnings.map((w) => w.code)).toEqual(['KNOXCALL_INSECURE_BASE_URL', 'KNOXCALL_INSECURE_PROXY_URL']);
    for (const w of platform.warnings) {
      expect(w.message).toContain('unencrypted');
      expect(w.message).toContain('https');
    }
    expect(platform.warnings[0]!.message).not.toBe(platform.warnings[1]!.message);
    for (const baseUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://foo.localhost', 'https://api.example.com']) {
      expect(clientWithEnv({ baseUrl, proxyBaseUrl: 'http://localhost:4000' }).platform.warnings).toEqual([]);
    }
  });

  it('the Node platform emits process warnings once per code', async () => {
    const seen: Array<{ code?: string; message: string }> = [];
    const listener = (w: Error & { code?: string }) => seen.push({ code: w.code, message: w.message });
    process.on('warning', listener);
    try {
      new KnoxCall({ baseUrl: 'http://plain.example.com' });
      new KnoxCall({ baseUrl: 'http://plain.example.com' });
      await new Promise((r) => setImmediate(r));
      const ours = seen.filter((w) => w.code === 'KNOXCALL_INSECURE_BASE_URL');
      expect(ours).toHaveLength(1);
      expect(ours[0]!.message).toContain('unencrypted');
    } finally {
      process.off('warning', listener);
    }
  });

  it('the Web platform reads process.env only where it exists and warns once via console.warn', () => {
    const platform = createWebPlatform();
    process.env.KNOXCALL_WEB_PLATFORM_PROBE = 'yes';
    expect(platform.getEnv('KNOXCALL_WEB_PLATFORM_PROBE')).toBe('yes');
    delete process.env.KNOXCALL_WEB_PLATFORM_PROBE;
    const original = console.warn;
    const printed: unknown[][] = [];
    console.warn = (...args: unknown[]) => printed.push(args);
    try {
      platform.warnOnce('CODE_A', 'first');
      platform.warnOnce('CODE_A', 'again');
      platform.warnOnce('CODE_B', 'other');
    } finally {
      console.warn = original;
    }
    expect(printed).toEqual([['[CODE_A] first'], ['[CODE_B] other']]);
  });
});
