/**
 * Workload identity auto-detection, slots 3–9 (contract auth §1.3, §8.1): a zero-option
 * `new KnoxCall()` in an environment that looks like each platform authenticates against the
 * emulator and lists routes. Every probe target is on loopback: GitHub and Azure identity
 * endpoints and the GCP metadata server (behind `GCE_METADATA_HOST`) are served by the emulator,
 * AWS reads a temp file, the rest are env variables.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, TEST_ISSUERS, type TestIssuerPlatform, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gcpMetadataOrigin } from '../src/auth/workload-sources.js';
import { NotAuthenticatedError, TokenExchangeError } from '../src/errors.js';
import { KnoxCall } from '../src/index.js';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

/** Every variable that would make the test machine itself look like a platform, blanked. */
const AMBIENT = [
  'KNOXCALL_ACCESS_TOKEN',
  'KNOXCALL_API_KEY',
  'KNOXCALL_CLIENT_ID',
  'KNOXCALL_CLIENT_SECRET',
  'KNOXCALL_TENANT',
  'KNOXCALL_PROFILE',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'VERCEL_OIDC_TOKEN',
  'CIRCLE_OIDC_TOKEN_V2',
  'BUILDKITE_OIDC_TOKEN',
];
const CLOSED_METADATA = process.env.GCE_METADATA_HOST!;

beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  dir = mkdtempSync(join(tmpdir(), 'knoxcall-workload-'));
  for (const name of AMBIENT) vi.stubEnv(name, '');
  vi.stubEnv('KNOXCALL_BASE_URL', emu.url);
  // No credentials file: slot 2 must not find the developer's own login.
  vi.stubEnv('KNOXCALL_CREDENTIALS_FILE', join(dir, 'absent', 'credentials.json'));
  vi.stubEnv('GCE_METADATA_HOST', CLOSED_METADATA);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const emulatorHost = () => new URL(emu.url).host;
const exchangedIssuer = (): unknown => {
  const post = emu.requests().find((r) => r.path === '/oauth/token');
  const subject = new URLSearchParams(post?.body ?? '').get('subject_token') ?? '';
  return JSON.parse(Buffer.from(subject.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}').iss;
};

/** Makes the environment look like one platform (env variables and files; servers are the emulator's). */
const PLATFORMS: Record<TestIssuerPlatform, () => void> = {
  'github-actions': () => {
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', `${emu.url}/_platforms/github/token?api-version=2.0`);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'gh-request-token');
  },
  gcp: () => vi.stubEnv('GCE_METADATA_HOST', emulatorHost()),
  aws: () => {
    const file = join(dir, 'aws-token');
    writeFileSync(file, `${emu.mintSubjectToken({ platform: 'aws', audience: 'sts.amazonaws.com' })}\n`);
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', file);
  },
  azure: () => {
    vi.stubEnv('IDENTITY_ENDPOINT', `${emu.url}/_platforms/azure/identity`);
    vi.stubEnv('IDENTITY_HEADER', 'azure-identity-header');
  },
  vercel: () => vi.stubEnv('VERCEL_OIDC_TOKEN', emu.mintSubjectToken({ platform: 'vercel' })),
  circleci: () => vi.stubEnv('CIRCLE_OIDC_TOKEN_V2', emu.mintSubjectToken({ platform: 'circleci' })),
  buildkite: () => vi.stubEnv('BUILDKITE_OIDC_TOKEN', emu.mintSubjectToken({ platform: 'buildkite' })),
};
const ORDER: TestIssuerPlatform[] = ['github-actions', 'gcp', 'aws', 'azure', 'vercel', 'circleci', 'buildkite'];

describe('a zero-option client on each platform authenticates and lists routes', () => {
  for (const platform of ORDER) {
    it(platform, async () => {
      PLATFORMS[platform]();
      const client = new KnoxCall();
      const page = await client.routes.list();
      expect(Array.isArray(page.data)).toBe(true);
      expect(exchangedIssuer()).toBe(TEST_ISSUERS[platform]);
      const post = emu.requests().find((r) => r.path === '/oauth/token')!;
      expect(new URLSearchParams(post.body).get('audience')).toBe('knoxcall:api');
    });
  }
});

describe('the contract order (two sources at once: the earlier slot wins)', () => {
  for (let i = 0; i + 1 < ORDER.length; i++) {
    const [first, second] = [ORDER[i]!, ORDER[i + 1]!];
    it(`${first} before ${second}`, async () => {
      PLATFORMS[second]();
      PLATFORMS[first]();
      await new KnoxCall().routes.list();
      expect(exchangedIssuer()).toBe(TEST_ISSUERS[first]);
    });
  }

  it('the credentials file (slot 2) beats every platform', async () => {
    PLATFORMS['github-actions']();
    const file = join(dir, 'credentials.json');
    const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        profiles: { default: { tenant: 'acme', base_url: emu.url, access_token: emu.credentials.apiKey, access_token_expires_at: expires } },
      }),
      { mode: 0o600 },
    );
    vi.stubEnv('KNOXCALL_CREDENTIALS_FILE', file);
    await new KnoxCall().routes.list();
    expect(emu.requests().filter((r) => r.path === '/oauth/token' || r.path === '/_platforms/github/token')).toHaveLength(0);
    expect(emu.requests().find((r) => r.path === '/v1/routes')!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
  });

  it('KNOXCALL_ACCESS_TOKEN (slot 1) beats every platform; platforms beat env client credentials (slot 10)', async () => {
    PLATFORMS['github-actions']();
    vi.stubEnv('KNOXCALL_ACCESS_TOKEN', emu.credentials.apiKey);
    await new KnoxCall().routes.list();
    expect(emu.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(0);

    emu.clearRequests();
    vi.stubEnv('KNOXCALL_ACCESS_TOKEN', '');
    vi.stubEnv('KNOXCALL_CLIENT_ID', emu.credentials.clientId);
    vi.stubEnv('KNOXCALL_CLIENT_SECRET', emu.credentials.clientSecret);
    await new KnoxCall().routes.list();
    expect(exchangedIssuer()).toBe(TEST_ISSUERS['github-actions']);
  });
});

describe('probe request shapes (contract auth §8.1)', () => {
  it('GitHub: GET {URL}&audience=knoxcall:api with Bearer request token and User-Agent knoxcall-sdk', async () => {
    PLATFORMS['github-actions']();
    await new KnoxCall().routes.list();
    const probe = emu.requests().find((r) => r.path === '/_platforms/github/token')!;
    expect(probe.method).toBe('GET');
    expect(probe.query).toEqual({ 'api-version': '2.0', audience: 'knoxcall:api' });
    expect(probe.headers.authorization).toBe('Bearer gh-request-token');
    expect(probe.headers['user-agent']).toBe('knoxcall-sdk');
  });

  it('GCP: GET the identity path with audience=knoxcall:api and Metadata-Flavor: Google', async () => {
    PLATFORMS.gcp();
    await new KnoxCall().routes.list();
    const probe = emu.requests().find((r) => r.path === '/computeMetadata/v1/instance/service-accounts/default/identity')!;
    expect(probe.query).toEqual({ audience: 'knoxcall:api' });
    expect(probe.headers['metadata-flavor']).toBe('Google');
  });

  it('Azure: GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=knoxcall:api with X-IDENTITY-HEADER', async () => {
    PLATFORMS.azure();
    await new KnoxCall().routes.list();
    const probe = emu.requests().find((r) => r.path === '/_platforms/azure/identity')!;
    expect(probe.query).toEqual({ 'api-version': '2019-08-01', resource: 'knoxcall:api' });
    expect(probe.headers['x-identity-header']).toBe('azure-identity-header');
  });

  it('GCE_METADATA_HOST: a bare host[:port] gets http://; unset means the real metadata host', () => {
    expect(gcpMetadataOrigin((n) => (n === 'GCE_METADATA_HOST' ? '127.0.0.1:8080' : undefined))).toBe('http://127.0.0.1:8080');
    expect(gcpMetadataOrigin(() => undefined)).toBe('http://metadata.google.internal');
  });
});

describe('failures skip the source; the detection result is cached', () => {
  let hanging: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: a metadata server that hangs.
    hanging = createServer(() => {});
    hanging.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });
  const hangingHost = () => `127.0.0.1:${(hanging.address() as AddressInfo).port}`;

  it('a hanging GCP metadata server costs at most its 250 ms; the next source (Vercel) is used', async () => {
    vi.stubEnv('GCE_METADATA_HOST', hangingHost());
    PLATFORMS.vercel();
    const client = new KnoxCall();
    const started = performance.now();
    await client.routes.list();
    const elapsed = performance.now() - started;
    expect(exchangedIssuer()).toBe(TEST_ISSUERS.vercel);
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(250 + 400);
  });

  it('a hanging GitHub token endpoint also costs at most 250 ms, then detection continues', async () => {
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', `http://${hangingHost()}/token?api-version=2.0`);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'x');
    PLATFORMS.circleci();
    const started = performance.now();
    await new KnoxCall().routes.list();
    expect(performance.now() - started).toBeLessThan(250 + 400);
    expect(exchangedIssuer()).toBe(TEST_ISSUERS.circleci);
  });

  it('a GitHub probe answered with an error status, an Azure answer without access_token and an empty AWS file are skipped', async () => {
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', `${emu.url}/_platforms/github/token?api-version=2.0`);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'x');
    emu.script('GET', '/_platforms/github/token', [{ status: 500, body: { value: 'ignored' } }]);
    vi.stubEnv('IDENTITY_ENDPOINT', `${emu.url}/_platforms/azure/identity`);
    vi.stubEnv('IDENTITY_HEADER', 'h');
    emu.script('GET', '/_platforms/azure/identity', [{ status: 200, body: { token_type: 'Bearer' } }]);
    const file = join(dir, 'empty');
    writeFileSync(file, '  \n');
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', file);
    PLATFORMS.buildkite();
    await new KnoxCall().routes.list();
    expect(exchangedIssuer()).toBe(TEST_ISSUERS.buildkite);
  });

  it('detection runs once per client: a re-mint after signOut re-posts the captured token without probing again', async () => {
    PLATFORMS['github-actions']();
    const client = new KnoxCall();
    await client.routes.list();
    await client.signOut();
    await client.routes.list();
    expect(emu.requests().filter((r) => r.path === '/_platforms/github/token')).toHaveLength(1);
    const subjects = emu
      .requests()
      .filter((r) => r.path === '/oauth/token')
      .map((r) => new URLSearchParams(r.body).get('subject_token'));
    expect(subjects).toHaveLength(2);
    expect(subjects[0]).toBe(subjects[1]);
  });

  it('nothing anywhere → NotAuthenticatedError naming `knoxcall login` and the env variables, nothing sent', async () => {
    const error = await new KnoxCall().routes.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    const { message } = error as Error;
    expect(message).toContain('knoxcall login');
    expect(message).toContain('KNOXCALL_ACCESS_TOKEN');
    expect(message).toContain('KNOXCALL_CLIENT_ID');
    expect(emu.requests().filter((r) => r.path === '/oauth/token' || r.path === '/v1/routes')).toHaveLength(0);
  });

  it('a malformed platform token → TokenExchangeError naming the platform (CircleCI), not the token', async () => {
    vi.stubEnv('CIRCLE_OIDC_TOKEN_V2', 'garbage-token-value');
    const error = await new KnoxCall().routes.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect((error as Error).message).toContain('CircleCI');
    expect((error as Error).message).not.toContain('garbage-token-value');
  });

  it('an expired platform token → TokenExchangeError naming the platform (Vercel)', async () => {
    vi.stubEnv('VERCEL_OIDC_TOKEN', emu.mintSubjectToken({ platform: 'vercel', expiresInSeconds: -60 }));
    const error = await new KnoxCall().routes.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect((error as Error).message).toMatch(/Vercel.*expired/);
  });
});

describe('the test guard against real metadata traffic', () => {
  it('a probe of the real metadata host is refused and recorded (so the test that caused it fails)', async () => {
    const attempts = (globalThis as Record<symbol, unknown>)[Symbol.for('knoxcall.test.metadataAttempts')] as string[];
    expect(Array.isArray(attempts)).toBe(true);
    vi.stubEnv('GCE_METADATA_HOST', '');
    PLATFORMS.vercel();
    await new KnoxCall().routes.list();
    // Drained here so this one deliberate attempt does not fail the test in afterEach.
    const seen = attempts.splice(0);
    expect(seen).toEqual(['http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=knoxcall:api']);
    expect(exchangedIssuer()).toBe(TEST_ISSUERS.vercel);
  });
});
