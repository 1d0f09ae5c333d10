import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

let emu: Emulator;
let upstream: Upstream;
let staging: Upstream;
let secretId = '';

beforeAll(async () => {
  upstream = await startUpstream();
  staging = await startUpstream();
  secretId = '6f1c2d9e-1111-4222-8333-944455556666';
  emu = await startEmulator({
    seed: {
      secrets: [
        { name: 'stripe_key', value: 'sk_test_123', environments: { staging: 'sk_test_staging' } },
        { id: secretId, name: 'webhook_token', value: 'wt_abc' },
      ],
      routes: [
        {
          name: 'Stripe',
          slug: 'stripe',
          target_base_url: `${upstream.url}/base`,
          inject_headers_json: { Authorization: 'Bearer {{secret:stripe_key}}', 'X-Token': '{{secret_id:6f1c2d9e-1111-4222-8333-944455556666}}' },
          inject_body_json: { api_key: '{{secret:stripe_key}}' },
          environments: { staging: { target_base_url: staging.url, inject_headers_json: { 'X-Env': 'staging' } }, development: { enabled: false } },
        },
      ],
    },
  });
});
afterAll(async () => {
  await emu.close();
  await upstream.close();
  await staging.close();
});
beforeEach(() => {
  emu.reset();
  upstream.seen.length = 0;
  staging.seen.length = 0;
});

function proxy(path: string, init: RequestInit & { route?: string; env?: string } = {}) {
  const { route = 'stripe', env, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('x-knoxcall-route', route);
  if (env) headers.set('x-knoxcall-environment', env);
  if (!headers.has('authorization') && !headers.has('x-knoxcall-key')) headers.set('authorization', `Bearer ${emu.credentials.apiKey}`);
  return call(`${emu.proxyUrl}${path}`, { ...rest, headers });
}

describe('data plane: route proxying', () => {
  it('forwards method, path, query and body to the real upstream with the secret injected', async () => {
    const r = await proxy('/v1/charges?limit=3', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'kept', 'x-knoxcall-agent-id': 'spoof' },
      body: JSON.stringify({ amount: 100 }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-knox-upstream-status')).toBe('200');
    expect(r.headers.get('x-upstream')).toBe('yes');
    const seen = upstream.seen[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/base/v1/charges?limit=3');
    expect(seen.headers['authorization']).toBe('Bearer sk_test_123');
    expect(seen.headers['x-token']).toBe('wt_abc');
    expect(seen.headers['x-custom']).toBe('kept');
    expect(Object.keys(seen.headers).filter((h) => h.startsWith('x-knoxcall-'))).toEqual([]);
    expect(JSON.parse(seen.body)).toEqual({ amount: 100, api_key: 'sk_test_123' });
  });

  it('never passes the caller credential to the upstream', async () => {
    await proxy('/x');
    expect(upstream.seen[0]!.headers['authorization']).toBe('Bearer sk_test_123');
    expect(JSON.stringify(upstream.seen[0]!.headers)).not.toContain(emu.credentials.apiKey);
  });

  it('uses the environment override and that environment secret value', async () => {
    const r = await proxy('/ping', { env: 'staging' });
    expect(r.status).toBe(200);
    expect(upstream.seen).toHaveLength(0);
    const seen = staging.seen[0]!;
    expect(seen.url).toBe('/ping');
    expect(seen.headers['authorization']).toBe('Bearer sk_test_staging');
    expect(seen.headers['x-env']).toBe('staging');
  });

  it('resolves the route by UUID too', async () => {
    const id = (await call(`${emu.url}/v1/routes/stripe`, { headers: { authorization: `Bearer ${emu.credentials.apiKey}` } })).body.data.id;
    expect((await proxy('/by-id', { route: id })).status).toBe(200);
  });

  it('keeps its own X-Request-Id and markers even when the upstream sends look-alikes', async () => {
    const sneaky = await startUpstream((_req, res) => {
      res.writeHead(200, { 'x-request-id': 'upstream-id', 'x-knox-upstream-status': '999', 'content-type': 'text/plain' });
      res.end('ok');
    });
    try {
      await call(`${emu.url}/v1/routes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 's', slug: 'sneaky', target_base_url: sneaky.url }),
      });
      const r = await proxy('/', { route: 'sneaky' });
      expect(r.headers.get('x-request-id')).toMatch(/^req_/);
      expect(r.headers.get('x-knox-upstream-status')).toBe('200');
      expect(r.text).toBe('ok');
    } finally {
      await sneaky.close();
    }
  });

  it('passes upstream error statuses through, marked as upstream answers', async () => {
    const failing = await startUpstream((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"upstream says no"}');
    });
    try {
      await call(`${emu.url}/v1/routes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'f', slug: 'failing', target_base_url: failing.url }),
      });
      const r = await proxy('/', { route: 'failing' });
      expect(r.status).toBe(401);
      expect(r.headers.get('x-knox-upstream-status')).toBe('401');
      expect(r.body).toEqual({ error: 'upstream says no' });
    } finally {
      await failing.close();
    }
  });

  it('does not follow upstream redirects', async () => {
    const redirecting = await startUpstream((_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    });
    try {
      await call(`${emu.url}/v1/routes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'r', slug: 'redir', target_base_url: redirecting.url }),
      });
      const r = await proxy('/', { route: 'redir' });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
      expect(r.headers.get('x-knox-upstream-status')).toBe('302');
    } finally {
      await redirecting.close();
    }
  });

  it('accepts a legacy tk_ key via x-knoxcall-key', async () => {
    const r = await proxy('/legacy', { headers: { 'x-knoxcall-key': emu.credentials.legacyKey } });
    expect(r.status).toBe(200);
    expect(upstream.seen[0]!.headers['x-knoxcall-key']).toBeUndefined();
  });

  it('accepts an OAuth access token', async () => {
    const tok = await call(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${emu.credentials.clientId}:${emu.credentials.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect((await proxy('/', { headers: { authorization: `Bearer ${tok.body.access_token}` } })).status).toBe(200);
  });

  it('strips /api on a tenant-shaped Host and not otherwise', async () => {
    const viaHost = (host: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(emu.proxyUrl);
        const req = request(
          { host: u.hostname, port: u.port, path, headers: { host, 'x-knoxcall-route': 'stripe', authorization: `Bearer ${emu.credentials.apiKey}` } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await viaHost('acme.knoxcall.com', '/api/v1/users')).toBe(200);
    expect(upstream.seen[0]!.url).toBe('/base/v1/users');
    expect(await viaHost('api.knoxcall.com', '/api/v1/users')).toBe(200);
    expect(upstream.seen[1]!.url).toBe('/base/api/v1/users');
  });
});

describe('data plane: KnoxCall refusals', () => {
  it('refuses a missing or bad credential with 401 and no upstream header', async () => {
    const none = await call(`${emu.proxyUrl}/`, { headers: { 'x-knoxcall-route': 'stripe' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('x-knox-upstream-status')).toBeNull();
    const bad = await proxy('/', { headers: { authorization: 'Bearer kc_wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('x-knox-upstream-status')).toBeNull();
    // Unauthenticated callers get the opaque 401 even for routes that do not exist.
    const unknownRoute = await call(`${emu.proxyUrl}/`, { headers: { 'x-knoxcall-route': 'nope' } });
    expect(unknownRoute.status).toBe(401);
    expect(upstream.seen).toHaveLength(0);
  });

  it('refuses a tk_ key sent as Bearer', async () => {
    expect((await proxy('/', { headers: { authorization: `Bearer ${emu.credentials.legacyKey}` } })).status).toBe(401);
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const r = await proxy('/', { route: 'does-not-exist' });
    expect(r.status).toBe(404);
    expect(r.body.error.type).toBe('route_not_found');
    expect(r.headers.get('x-knox-upstream-status')).toBeNull();
  });

  it('answers unknown and disabled environments with their own 404s', async () => {
    const unknown = await proxy('/', { env: 'qa' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('environment_not_configured');
    const disabled = await proxy('/', { env: 'development' });
    expect(disabled.status).toBe(404);
    expect(disabled.body.error.type).toBe('environment_disabled');
    expect(upstream.seen).toHaveLength(0);
  });

  it('answers an unreachable upstream with 502 and no upstream header', async () => {
    await call(`${emu.url}/v1/routes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dead', slug: 'dead', target_base_url: 'http://127.0.0.1:1' }),
    });
    const r = await proxy('/', { route: 'dead' });
    expect(r.status).toBe(502);
    expect(r.body.error.type).toBe('upstream_unreachable');
    expect(r.headers.get('x-knox-upstream-status')).toBeNull();
  });

  it('enforces the environment policy: allowed methods (405), IP allow-list (403), rate limit (429)', async () => {
    const put = (json: unknown) =>
      call(`${emu.url}/v1/routes/stripe/environments/staging`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    await put({ allowed_methods: ['GET'] });
    const post = await proxy('/', { env: 'staging', method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('x-knox-upstream-status')).toBeNull();

    await put({ allowed_methods: [], ip_allowlist: ['10.0.0.0/8'] });
    expect((await proxy('/', { env: 'staging' })).status).toBe(403);
    await put({ ip_allowlist: ['10.0.0.0/8', '127.0.0.1'] });
    expect((await proxy('/', { env: 'staging' })).status).toBe(200);

    await put({ rate_limit_enabled: true, rate_limit_requests: 2, rate_limit_window_sec: 60 });
    expect((await proxy('/', { env: 'staging' })).status).toBe(200);
    expect((await proxy('/', { env: 'staging' })).status).toBe(200);
    const limited = await proxy('/', { env: 'staging' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.type).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-knox-upstream-status')).toBeNull();
    // Other environments have their own budget.
    expect((await proxy('/')).status).toBe(200);
  });

  it('records proxied calls in the route logs', async () => {
    await proxy('/logged');
    const logs = await call(`${emu.url}/v1/routes/stripe/logs`, { headers: { authorization: `Bearer ${emu.credentials.apiKey}` } });
    expect(logs.body.data).toHaveLength(1);
    expect(logs.body.data[0]).toMatchObject({ method: 'GET', path: '/logged', status_code: 200, environment: 'production' });
  });
});
