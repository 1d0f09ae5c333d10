import { createServer, type Server } from 'node:http';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALL_ORIGIN } from '../src/data-plane/call.js';
import { isRouteRefusalResponse } from '../src/data-plane/route-refusal.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BootstrapError,
  KnoxCall,
  KnoxCallError,
  type KnoxCallOptions,
  type TelemetryRequestInfo,
  type TelemetryResponseInfo,
  type TelemetryRetryInfo,
} from '../src/index.js';
import { abortWhen, clientWithEnv, closedPort, knoxcallDnsOverride, startUpstream, type Upstream } from './client-test-support.js';

let emu: Emulator;
let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
  emu = await startEmulator({ seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] } });
});
afterAll(async () => {
  await emu.close();
  await upstream.close();
});
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  upstream.requests.length = 0;
});

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
function client(extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: fast, ...extra });
}
const proxied = () => emu.requests().filter((r) => r.headers['x-knoxcall-route'] !== undefined);
const tokenRequests = () => emu.requests().filter((r) => r.path === '/oauth/token');
const withClientCredentials = { apiKey: undefined, clientId: '', clientSecret: '' };
beforeAll(() => {
  withClientCredentials.clientId = emu.credentials.clientId;
  withClientCredentials.clientSecret = emu.credentials.clientSecret;
});

describe('call() (transport §8.1, §8.3, §8.4)', () => {
  it('proxies through the route and returns the raw upstream Response', async () => {
    const response = await client().call('echo', { path: '/v1/customers', query: { page: 2, tag: ['a', 'b'] } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { method: string; url: string };
    expect(echoed).toMatchObject({ method: 'GET', url: '/v1/customers?page=2&tag=a&tag=b' });
    const [req] = proxied();
    expect(req!.path).toBe('/v1/customers');
    expect(req!.headers['x-knoxcall-route']).toBe('echo');
    expect(req!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(req!.headers['user-agent']).toBe('knoxcall-node/0.1.0');
    // Management-only headers never go to the data plane
    for (const name of ['knoxcall-version', 'x-idempotency-key', 'x-knoxcall-telemetry', 'x-knoxcall-environment', 'x-knoxcall-origin']) {
      expect(req!.headers[name]).toBeUndefined();
    }
  });

  it('uses an explicit proxyBaseUrl verbatim (no /api on loopback) and prepends a missing /', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    await client({ proxyBaseUrl: `${emu.proxyUrl}/`, fetchImpl: fetch }).call('echo', { path: 'users' });
    expect(urls).toEqual([`${emu.proxyUrl}/users`]);
  });

  it('POST JSON reaches the upstream; upstream statuses are returned, never thrown', async () => {
    upstream.handle('/v1/customers', (_req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ created: JSON.parse(body) }));
    });
    upstream.handle('/broken', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream exploded');
    });
    const c = client();
    const created = await c.call('echo', { method: 'post', path: '/v1/customers', body: { name: 'Ada', at: new Date(0) } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ created: { name: 'Ada', at: '1970-01-01T00:00:00.000Z' } });
    expect(upstream.requests[0]!.headers['content-type']).toBe('application/json');
    const broken = await c.call('echo', { path: '/broken' });
    expect(broken.status).toBe(500);
    expect(await broken.text()).toBe('upstream exploded');
    expect(broken.headers.get('x-knox-upstream-status')).toBe('500');
  });

  it('header hygiene: spoofed route replaced, proxy credentials and origin stripped, custom headers kept', async () => {
    await client().call('echo', {
      path: '/x',
      environment: 'staging',
      query: { page: 2 },
      headers: {
        'x-knoxcall-route': 'spoofed',
        'X-Custom': 'kept',
        Authorization: 'Bearer end-user-token',
        DPoP: 'forged',
        'X-KnoxCall-Key': 'tk_someone_else',
        'X-KnoxCall-Agent-Id': 'agent',
        'x-knoxcall-AGENT-token': 'agent-token',
        'X-KnoxCall-Origin': 'sdk-intercept',
      },
    });
    const [req] = proxied();
    expect(req!.headers['x-knoxcall-route']).toBe('echo');
    expect(req!.headers['x-knoxcall-environment']).toBe('staging');
    expect(req!.headers['x-custom']).toBe('kept');
    expect(req!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    for (const name of ['dpop', 'x-knoxcall-key', 'x-knoxcall-agent-id', 'x-knoxcall-agent-token', 'x-knoxcall-origin']) {
      expect(req!.headers[name]).toBeUndefined();
    }
    expect(req!.query).toEqual({ page: '2' });
    // The upstream sees neither the end user's nor the SDK's credentials
    expect(upstream.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('a caller x-knoxcall-environment survives only when no environment resolved', async () => {
    await client().call('echo', { headers: { 'X-KnoxCall-Environment': 'development' } });
    await client({ environment: 'staging' }).call('echo', { headers: { 'X-KnoxCall-Environment': 'development' } });
    expect(proxied().map((r) => r.headers['x-knoxcall-environment'])).toEqual(['development', 'staging']);
  });

  it('environment: per-call › bound › view › client option › KNOXCALL_ENVIRONMENT; empty counts as unset', async () => {
    const env = { KNOXCALL_ENVIRONMENT: 'development' };
    const base = { baseUrl: emu.url, apiKey: emu.credentials.apiKey };
    const fromEnv = clientWithEnv(base, env).client;
    const fromOption = clientWithEnv({ ...base, environment: 'staging' }, env).client;
    await fromEnv.call('echo');
    await fromOption.call('echo');
    await fromOption.withOptions({ environment: 'production' }).call('echo');
    await fromOption.withOptions({ environment: 'production' }).route('echo', { environment: 'development' }).get('/');
    await fromOption.route('echo', { environment: 'development' }).get('/', { environment: 'production' });
    await fromOption.call('echo', { environment: '' });
    await clientWithEnv(base, { KNOXCALL_ENVIRONMENT: '' }).client.call('echo');
    expect(proxied().map((r) => r.headers['x-knoxcall-environment'])).toEqual([
      'development',
      'staging',
      'production',
      'development',
      'production',
      'staging',
      undefined,
    ]);
  });

  it('legacy tk_ keys go as x-knoxcall-key on the data plane, as Bearer on management', async () => {
    const legacy = client({ apiKey: emu.credentials.legacyKey });
    const response = await legacy.call('echo', { path: '/legacy' });
    expect(response.status).toBe(200);
    const [req] = proxied();
    expect(req!.headers['x-knoxcall-key']).toBe(emu.credentials.legacyKey);
    expect(req!.headers.authorization).toBeUndefined();
    await legacy.request({ method: 'GET', path: '/v1/routes', signal: undefined }).catch(() => undefined);
    const management = emu.requests().find((r) => r.path === '/v1/routes');
    expect(management!.headers.authorization).toBe(`Bearer ${emu.credentials.legacyKey}`);
    expect(management!.headers['x-knoxcall-key']).toBeUndefined();
  });

  it('only the internal origin option sets x-knoxcall-origin, and only to sdk-intercept', async () => {
    const c = client();
    await c.call('echo', { path: '/intercepted', [CALL_ORIGIN]: 'sdk-intercept' });
    expect(proxied()[0]!.headers['x-knoxcall-origin']).toBe('sdk-intercept');
    await expect(c.call('echo', { [CALL_ORIGIN]: 'something-else' as 'sdk-intercept' })).rejects.toThrow(/unknown call origin "something-else"/);
    expect(proxied()).toHaveLength(1);
  });

  it('a closed client refuses calls', async () => {
    const c = client();
    await c.close();
    await expect(c.call('echo')).rejects.toMatchObject({ code: 'client_closed' });
  });
});

describe('401 re-mint on the data plane (transport §8.5)', () => {
  it('a gateway 401 purges the token, re-mints once and resends (two mints)', async () => {
    emu.script('GET', '/x', [{ status: 401, body: { error: { type: 'unauthorized', message: 'token revoked' } } }]);
    const c = client(withClientCredentials);
    const response = await c.call('echo', { path: '/x' });
    expect(response.status).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
    expect(proxied()).toHaveLength(2);
  });

  it('every response a gateway 401 → the 401 is returned after exactly two mints', async () => {
    emu.script('GET', '/x', [
      { status: 401, body: {} },
      { status: 401, body: {} },
      { status: 401, body: {} },
    ]);
    const response = await client(withClientCredentials).call('echo', { path: '/x' });
    expect(response.status).toBe(401);
    expect(tokenRequests()).toHaveLength(2);
    expect(proxied()).toHaveLength(2);
    expect(await isRouteRefusalResponse(response)).toBe(true);
  });

  it('an upstream 401 is returned as-is without purging the token', async () => {
    upstream.handle('/private', (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"upstream says no"}');
    });
    const response = await client(withClientCredentials).call('echo', { path: '/private' });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-knox-upstream-status')).toBe('401');
    expect(await isRouteRefusalResponse(response)).toBe(false);
    expect(await response.json()).toEqual({ error: 'upstream says no' });
    expect(tokenRequests()).toHaveLength(1);
    expect(proxied()).toHaveLength(1);
  });

  it('a route that does not resolve is a refusal; the body stays readable', async () => {
    const response = await client().call('no-such-route');
    expect(response.status).toBe(404);
    expect(await isRouteRefusalResponse(response)).toBe(true);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('route_not_found');
  });
});

describe('safe retries (transport §8.5)', () => {
  it('GET: a reset after connect is retried to 200', async () => {
    emu.script('GET', '/flaky', [{ reset: true }]);
    const response = await client().call('echo', { path: '/flaky' });
    expect(response.status).toBe(200);
    expect(proxied()).toHaveLength(2);
  });

  it('POST: a reset after connect is NOT replayed → APIConnectionError after one attempt', async () => {
    emu.script('POST', '/charge', [{ reset: true }]);
    const error = await client()
      .call('echo', { method: 'POST', path: '/charge', body: { amount: 100 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(proxied()).toHaveLength(1);
  });

  it('POST: connection refused is retried (nothing reached a server) → 200 on attempt 2', async () => {
    const port = await closedPort();
    let server: Server | undefined;
    const retries: TelemetryRetryInfo[] = [];
    const c = client({
      proxyBaseUrl: `http://127.0.0.1:${port}`,
      telemetry: {
        onRetry: (info) => {
          retries.push(info);
          // The data plane comes up between attempt 1 and 2.
          server = createServer((_req, res) => res.end('{"ok":true}')).listen(port, '127.0.0.1');
        },
      },
      retry: { maxAttempts: 3, baseDelayMs: 30, maxDelayMs: 60 },
    });
    try {
      const response = await c.call('echo', { method: 'POST', path: '/charge', body: { amount: 1 } });
      expect(response.status).toBe(200);
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ plane: 'data', route: 'echo', attempt: 1 });
    } finally {
      server?.close();
    }
  });

  it('POST that hangs past its per-call timeout → APIConnectionTimeoutError, no retry', async () => {
    emu.script('POST', '/slow', [{ delayMs: 500 }, { delayMs: 500 }]);
    const error = await client()
      .call('echo', { method: 'POST', path: '/slow', body: {}, timeout: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(proxied()).toHaveLength(1);
  });

  it('GET that hangs past its timeout is retried', async () => {
    emu.script('GET', '/slow', [{ delayMs: 500 }]);
    const response = await client().call('echo', { path: '/slow', timeout: 80 });
    expect(response.status).toBe(200);
    expect(proxied()).toHaveLength(2);
  });

  it('a caller abort → APIUserAbortError, never retried', async () => {
    emu.script('GET', '/slow', [{ delayMs: 1000 }]);
    const controller = new AbortController();
    abortWhen(controller, () => proxied().length === 1);
    const error = await client()
      .call('echo', { path: '/slow', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(proxied()).toHaveLength(1);
  });

  it('a caller abort during the retry backoff ends the call at once, with no further attempt', async () => {
    // The wait before a retry follows the caller's signal through a signal made only when a
    // call first waits; a connect failure (closed port) is retried after a 5 s backoff.
    const port = await closedPort();
    const controller = new AbortController();
    let retries = 0;
    const c = client({
      proxyBaseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 5_000 },
      telemetry: {
        onRetry: () => {
          retries += 1;
          controller.abort(new Error('caller gave up'));
        },
      },
    });
    const started = performance.now();
    const error = await c.call('echo', { path: '/x', signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(retries).toBe(1);
    expect(performance.now() - started).toBeLessThan(2_000);
    await c.close();
  });

  it('close() during the retry backoff of a call with a caller signal ends it as client_closed', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const c = client({
      proxyBaseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 5_000 },
      telemetry: { onRetry: () => void c.close() },
    });
    const started = performance.now();
    const error = await c.call('echo', { path: '/x', signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'client_closed' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('redirects are returned, not followed', async () => {
    emu.script('GET', '/moved', [{ status: 302, headers: { location: `${upstream.url}/elsewhere` } }]);
    const response = await client().call('echo', { path: '/moved' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${upstream.url}/elsewhere`);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('bound routes (transport §8.8)', () => {
  it('sends bound headers and environment; per-call values win case-insensitively', async () => {
    const bound = client().route('echo', { environment: 'staging', headers: { 'X-Bound': 'b', 'X-Both': 'bound' } });
    await bound.get('/one', { headers: { 'x-both': 'call' } });
    await bound.post('/two', { body: { a: 1 }, environment: 'development' });
    await bound.request('DELETE', '/three');
    await bound.put();
    await bound.patch('/five');
    await bound.delete('/six');
    const reqs = proxied();
    expect(reqs.map((r) => `${r.method} ${r.path} ${r.headers['x-knoxcall-environment']}`)).toEqual([
      'GET /one staging',
      'POST /two development',
      'DELETE /three staging',
      'PUT / staging',
      'PATCH /five staging',
      'DELETE /six staging',
    ]);
    expect(reqs[0]!.headers['x-both']).toBe('call');
    expect(reqs[0]!.headers['x-bound']).toBe('b');
    expect(reqs[1]!.headers['x-both']).toBe('bound');
  });

  it('bound timeout applies; a per-call timeout wins', async () => {
    emu.script('POST', '/slow', [{ delayMs: 400 }, { delayMs: 400 }]);
    const bound = client().route('echo', { timeout: 50 });
    await expect(bound.post('/slow')).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    const response = await bound.post('/fast', { timeout: 5000 });
    expect(response.status).toBe(200);
  });

  it('holds no token', () => {
    const bound = client().route('echo', { headers: { a: 'b' } });
    expect(JSON.stringify(bound)).not.toContain(emu.credentials.apiKey);
    expect(Object.keys(bound)).toEqual(['route']);
  });
});

describe('ephemeral() (transport §8.7)', () => {
  it('POSTs to {baseUrl}/v1/proxy with X-Knox-Proxy-URL and the SDK Authorization', async () => {
    const target = `${upstream.url}/v1/charges?amount=5`;
    const response = await client().ephemeral(target, { method: 'post', body: { a: 1 } });
    expect(response.status).toBe(200);
    const [req] = emu.requests();
    expect(req!.path).toBe('/v1/proxy');
    expect(req!.method).toBe('POST');
    expect(req!.headers['x-knox-proxy-url']).toBe(target);
    expect(req!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    for (const name of ['x-knox-proxy-mode', 'x-knox-upstream-authorization', 'knoxcall-version', 'x-idempotency-key', 'x-knoxcall-route']) {
      expect(req!.headers[name]).toBeUndefined();
    }
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v1/charges?amount=5', body: '{"a":1}' });
  });

  it('transparent mode, upstream authorization and escrowed secrets map to their headers', async () => {
    const c = client();
    await c.ephemeral(`${upstream.url}/t`, { mode: 'transparent', method: 'POST', body: 'raw text', encrypted: 'x', timeoutMs: 2500 });
    await c.ephemeral(`${upstream.url}/u`, { upstreamAuthorization: 'Bearer sk_upstream' });
    await c.ephemeral(`${upstream.url}/s`, { upstreamAuthSecret: 'stripe-key', upstreamAuthScheme: 'Basic' }).catch(() => undefined);
    const [t, u, s] = emu.requests();
    expect(t!.headers['x-knox-proxy-mode']).toBe('transparent');
    expect(t!.headers['content-type']).toBeUndefined();
    expect(t!.headers['x-knox-encrypted']).toBe('x');
    expect(t!.headers['x-knox-timeout-ms']).toBe('2500');
    expect(u!.headers['x-knox-upstream-authorization']).toBe('Bearer sk_upstream');
    expect(u!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(s!.headers['x-knox-upstream-auth-secret']).toBe('stripe-key');
    expect(s!.headers['x-knox-upstream-auth-scheme']).toBe('Basic');
  });

  it('refuses bad combinations before sending anything', async () => {
    const c = client();
    await expect(c.ephemeral(`${upstream.url}/x`, { upstreamAuthorization: 'a', upstreamAuthSecret: 'b' })).rejects.toThrow(
      /either upstreamAuthorization or upstreamAuthSecret/,
    );
    await expect(c.ephemeral('/relative')).rejects.toBeInstanceOf(KnoxCallError);
    expect(emu.requests()).toHaveLength(0);
  });

  it('always uses Authorization, even for legacy keys', async () => {
    await client({ apiKey: 'tk_live_legacy' }).ephemeral(`${upstream.url}/x`);
    const [req] = emu.requests();
    expect(req!.headers.authorization).toBe('Bearer tk_live_legacy');
    expect(req!.headers['x-knoxcall-key']).toBeUndefined();
  });
});

describe('data-plane telemetry (transport §9, our choice)', () => {
  it('fires with plane data, the route and the URL without its query', async () => {
    const requests: TelemetryRequestInfo[] = [];
    const responses: TelemetryResponseInfo[] = [];
    const c = client({ telemetry: { onRequest: (i) => requests.push(i), onResponse: (i) => responses.push(i) } });
    await c.call('echo', { path: '/search', query: { email: 'end-user@example.com' } });
    await c.ephemeral(`${upstream.url}/y?token=abc`);
    expect(requests[0]).toMatchObject({ plane: 'data', route: 'echo', method: 'GET', url: `${emu.url}/search`, attempt: 1 });
    expect(JSON.stringify(requests)).not.toContain('end-user');
    expect(responses[0]).toMatchObject({ plane: 'data', status: 200 });
    expect(responses[0]!.requestId).toMatch(/.+/);
    expect(requests[1]).toMatchObject({ plane: 'data', route: undefined, url: `${emu.url}/v1/proxy` });
    expect(JSON.stringify(requests)).not.toContain('token=abc');
  });

  it('a throwing hook changes nothing', async () => {
    const response = await client({
      telemetry: {
        onRequest: () => {
          throw new Error('x');
        },
        onResponse: () => {
          throw new Error('y');
        },
      },
    }).call('echo');
    expect(response.status).toBe(200);
  });
});

describe('data-plane host and tenant discovery (transport §2.2–§2.4)', () => {
  it('cloud base + tenant → https://{tenant}.knoxcall.com/api/…', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    const c = client({ baseUrl: 'https://api.knoxcall.com', tenant: 'acme', fetchImpl: fetch });
    expect(c.proxyBaseUrl).toBe('https://acme.knoxcall.com');
    await c.call('echo', { path: '/users' });
    await c.call('echo', { path: 'users' });
    await c.call('echo');
    expect(urls).toEqual(['https://acme.knoxcall.com/api/users', 'https://acme.knoxcall.com/api/users', 'https://acme.knoxcall.com/api/']);
  });

  it('sandbox → https://sandbox-{tenant}.knoxcall.com/api/…', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    const c = new KnoxCall({ sandbox: true, tenant: 'acme', apiKey: emu.credentials.apiKey, fetchImpl: fetch });
    expect(c.baseUrl).toBe('https://sandbox.knoxcall.com');
    await c.call('echo', { path: '/users' });
    expect(urls).toEqual(['https://sandbox-acme.knoxcall.com/api/users']);
  });

  it('tenant-host proxy overrides get /api; one that already has a path is used verbatim', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    await client({ proxyBaseUrl: 'https://acme.knoxcall.com:8443', fetchImpl: fetch }).call('echo', { path: '/a' });
    await client({ proxyBaseUrl: 'https://acme.knoxcall.com/api', fetchImpl: fetch }).call('echo', { path: '/a' });
    expect(urls).toEqual(['https://acme.knoxcall.com:8443/api/a', 'https://acme.knoxcall.com/api/a']);
  });

  it('a static token and no tenant → exactly one GET /v1/account across concurrent calls', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    const c = client({ baseUrl: 'https://api.knoxcall.com', fetchImpl: fetch });
    expect(c.tenant).toBeUndefined();
    expect(c.proxyBaseUrl).toBeUndefined();
    await Promise.all([c.call('echo', { path: '/a' }), c.call('echo', { path: '/b' })]);
    await c.call('echo', { path: '/c' });
    expect(urls.filter((u) => u === 'https://api.knoxcall.com/v1/account')).toHaveLength(1);
    expect(c.tenant).toBe(emu.tenant);
    expect(c.proxyBaseUrl).toBe(`https://${emu.tenant}.knoxcall.com`);
    expect(urls.filter((u) => u.startsWith(`https://${emu.tenant}.knoxcall.com/api/`))).toHaveLength(3);
  });

  it('client credentials adopt the tenant from the token response (no /v1/account)', async () => {
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    const c = client({ ...withClientCredentials, baseUrl: 'https://api.knoxcall.com', fetchImpl: fetch });
    await c.call('echo', { path: '/a' });
    expect(c.tenant).toBe(emu.tenant);
    expect(urls).toEqual(['https://api.knoxcall.com/oauth/token', `https://${emu.tenant}.knoxcall.com/api/a`]);
  });

  it('an account without slug → BootstrapError telling to set KNOXCALL_TENANT; discovery is retried later', async () => {
    emu.script('GET', '/v1/account', [{ status: 200, body: { data: { id: 'acct_1' } } }]);
    const { fetch } = knoxcallDnsOverride(emu.url);
    const c = client({ baseUrl: 'https://api.knoxcall.com', fetchImpl: fetch });
    const error = await c.call('echo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toContain('KNOXCALL_TENANT');
    const response = await c.call('echo');
    expect(response.status).toBe(200);
  });

  it('a hostile tenant from a token response → BootstrapError on call(), nothing sent to a derived host', async () => {
    emu.script('POST', '/oauth/token', [{ status: 200, body: { access_token: 'kc_hostile', token_type: 'Bearer', expires_in: 3600, tenant: 'evil.com#' } }]);
    const { fetch, urls } = knoxcallDnsOverride(emu.url);
    const c = client({ ...withClientCredentials, baseUrl: 'https://api.knoxcall.com', fetchImpl: fetch });
    const error = await c.call('echo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toMatch(/invalid tenant slug "evil\.com#"/);
    expect(urls).toEqual(['https://api.knoxcall.com/oauth/token']);
  });

  it('KNOXCALL_TENANT fills the tenant; an explicit tenant beats it', async () => {
    const fromEnv = clientWithEnv({ apiKey: 'kc_x' }, { KNOXCALL_TENANT: 'envcorp' }).client;
    expect(fromEnv.tenant).toBe('envcorp');
    expect(fromEnv.proxyBaseUrl).toBe('https://envcorp.knoxcall.com');
    const explicit = clientWithEnv({ apiKey: 'kc_x', tenant: 'mine' }, { KNOXCALL_TENANT: 'envcorp' }).client;
    expect(explicit.tenant).toBe('mine');
    expect(explicit.proxyBaseUrl).toBe('https://mine.knoxcall.com');
  });
});
