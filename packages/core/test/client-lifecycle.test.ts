import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APIUserAbortError, isKnoxCall, KnoxCall, type KnoxCallOptions, MemoryTokenStore, NotFoundError, Session } from '../src/index.js';
import { until } from './client-test-support.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: 'http://127.0.0.1:9' }] } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
});

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
function client(extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: fast, ...extra });
}
const clientCredentials = (): KnoxCallOptions => ({
  apiKey: undefined,
  clientId: emu.credentials.clientId,
  clientSecret: emu.credentials.clientSecret,
});
const tokenRequests = () => emu.requests().filter((r) => r.path === '/oauth/token');

describe('brand', () => {
  it('isKnoxCall recognises clients, sessions and views', () => {
    const c = client();
    expect(isKnoxCall(c)).toBe(true);
    expect(isKnoxCall(c.withOptions({}))).toBe(true);
    expect(isKnoxCall(new Session({ apiKey: 'kc_x' }))).toBe(true);
    expect(isKnoxCall({})).toBe(false);
    expect(isKnoxCall(null)).toBe(false);
    expect((c as unknown as Record<symbol, unknown>)[Symbol.for('knoxcall.client')]).toBe(true);
  });
});

describe('authenticate() and signOut() (auth §3.3)', () => {
  it('authenticate mints now; later calls reuse the token; signOut makes the next call mint again', async () => {
    const c = client(clientCredentials());
    await c.authenticate();
    expect(tokenRequests()).toHaveLength(1);
    await c.request({ method: 'GET', path: '/v1/routes' });
    await c.authenticate();
    expect(tokenRequests()).toHaveLength(1);
    await c.signOut();
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(tokenRequests()).toHaveLength(2);
  });
});

describe('Session.fetch (transport §1.4)', () => {
  it('runs through request() and answers a synthetic 200 JSON Response', async () => {
    const session = new Session({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: fast });
    emu.script('GET', '/v1/routes', [{ status: 503, body: {} }]);
    const response = await session.fetch('/v1/routes');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { data: unknown[]; meta: unknown };
    expect(Array.isArray(body.data)).toBe(true);
    expect(emu.requests().filter((r) => r.path === '/v1/routes')).toHaveLength(2);
  });

  it('JSON-parses a string body, honours the signal, throws typed errors', async () => {
    const session = new Session({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: fast });
    emu.script('POST', '/v1/echo', [{ status: 200, body: { ok: true } }]);
    await session.fetch('/v1/echo', { method: 'POST', body: '{"a":1}', headers: { 'X-Trace': 't' } });
    const [req] = emu.requests();
    expect(req!.body).toBe('{"a":1}');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-trace']).toBe('t');
    expect(req!.headers['x-idempotency-key']).toHaveLength(26);
    await expect(session.fetch('/v1/does-not-exist')).rejects.toBeInstanceOf(NotFoundError);
    await expect(session.fetch('/v1/routes', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

describe('close() (issue 3)', () => {
  it('aborts calls in flight and refuses new ones with a clear error', async () => {
    emu.script('GET', '/v1/routes', [{ delayMs: 2000 }]);
    const c = client();
    const inFlight = c.request({ method: 'GET', path: '/v1/routes' }).catch((e: unknown) => e);
    await until(() => emu.requests().length === 1);
    const started = performance.now();
    await c.close();
    const error = (await inFlight) as Error & { code?: string };
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('client_closed');
    expect(error.message).toMatch(/client was closed/);
    await expect(c.request({ method: 'GET', path: '/v1/account' })).rejects.toMatchObject({ code: 'client_closed' });
    await expect(c.routes.list()).rejects.toMatchObject({ code: 'client_closed' });
    await expect(c.authenticate()).rejects.toMatchObject({ code: 'client_closed' });
    await expect(c.ephemeral('http://127.0.0.1:9/x')).rejects.toMatchObject({ code: 'client_closed' });
    expect(emu.requests().map((r) => r.path)).toEqual(['/v1/routes']);
  });

  it('aborts a call waiting in a backoff sleep', async () => {
    emu.script('GET', '/v1/routes', [{ status: 429, headers: { 'retry-after': '20' }, body: {} }]);
    const c = client({ telemetry: { onRetry: () => void setTimeout(() => void c.close(), 10) } });
    const error = await c.request({ method: 'GET', path: '/v1/routes' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'client_closed' });
  });

  it('views share the root lifetime; closing a view does nothing', async () => {
    const c = client();
    const view = c.withOptions({ headers: { 'x-a': '1' } });
    await view.close();
    await expect(view.request({ method: 'GET', path: '/v1/routes' })).resolves.toBeTruthy();
    await c.close();
    await expect(view.request({ method: 'GET', path: '/v1/routes' })).rejects.toMatchObject({ code: 'client_closed' });
    await expect(c.withOptions({}).call('echo')).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('never closes a token store the caller passed; Symbol.asyncDispose closes the client', async () => {
    const closedCalls: string[] = [];
    class CountingStore extends MemoryTokenStore {
      quit() {
        closedCalls.push('quit');
      }
      disconnect() {
        closedCalls.push('disconnect');
      }
      close() {
        closedCalls.push('close');
      }
    }
    const store = new CountingStore();
    let escaped: KnoxCall | undefined;
    {
      await using c = client({ ...clientCredentials(), tokenStore: store });
      await c.authenticate();
      escaped = c;
    }
    await expect(escaped!.request({ method: 'GET', path: '/v1/routes' })).rejects.toMatchObject({ code: 'client_closed' });
    expect(closedCalls).toEqual([]);
    // The store still serves another client: the cached token is reused, no new mint.
    const other = client({ ...clientCredentials(), tokenStore: store });
    await other.request({ method: 'GET', path: '/v1/routes' });
    expect(tokenRequests()).toHaveLength(1);
  });
});

describe('withOptions() views (issue 3, request-scoped views)', () => {
  it('creating views does no I/O; views share the token cache (one mint for many cold views)', async () => {
    const c = client(clientCredentials());
    const views = Array.from({ length: 50 }, (_, i) => c.withOptions({ headers: { 'x-correlation-id': `c-${i}` } }));
    expect(emu.requests()).toHaveLength(0);
    await Promise.all(views.map((v) => v.request({ method: 'GET', path: '/v1/routes' })));
    expect(tokenRequests()).toHaveLength(1);
  });

  it('keeps each view’s headers and environment isolated under concurrency', async () => {
    const c = client({ environment: 'production' });
    const envs = ['staging', 'development', 'production'];
    const views = Array.from({ length: 30 }, (_, i) => c.withOptions({ headers: { 'X-Correlation-Id': `c-${i}` }, environment: envs[i % 3] }));
    await Promise.all(
      views.flatMap((v, i) => [
        v.request({ method: 'GET', path: '/v1/routes', query: { i } }),
        v.call('echo', { path: `/dp/${i}` }),
        v.routes.list({ page: 1, per_page: i + 1 }),
      ]),
    );
    const reqs = emu.requests();
    expect(reqs).toHaveLength(90);
    for (const r of reqs) {
      const i = r.path.startsWith('/dp/') ? Number(r.path.slice(4)) : Number(r.query.i ?? Number(r.query.per_page) - 1);
      expect(r.headers['x-correlation-id']).toBe(`c-${i}`);
      if (r.path.startsWith('/dp/')) expect(r.headers['x-knoxcall-environment']).toBe(envs[i % 3]);
    }
    // The root is untouched
    emu.clearRequests();
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(emu.requests()[0]!.headers['x-correlation-id']).toBeUndefined();
    expect(c.environment).toBe('production');
    expect(views[0]!.environment).toBe('staging');
  });

  it('per-call headers beat view headers; views of views merge', async () => {
    const view = client()
      .withOptions({ headers: { 'x-a': 'view', 'x-b': 'view' } })
      .withOptions({ headers: { 'X-B': 'inner' } });
    await view.request({ method: 'GET', path: '/v1/routes', headers: { 'x-c': 'call' } });
    await view.request({ method: 'GET', path: '/v1/routes', headers: { 'x-a': 'call' } });
    const [one, two] = emu.requests();
    expect(one!.headers).toMatchObject({ 'x-a': 'view', 'x-b': 'inner', 'x-c': 'call' });
    expect(two!.headers['x-a']).toBe('call');
  });

  it('a view’s signal aborts only its own calls; its timeout applies per attempt', async () => {
    const c = client();
    const controller = new AbortController();
    const aborted = c.withOptions({ signal: controller.signal });
    emu.script('GET', '/v1/account', [{ delayMs: 300 }, { delayMs: 300 }]);
    const pending = aborted.request({ method: 'GET', path: '/v1/account' }).catch((e: unknown) => e);
    const sibling = c.withOptions({ timeout: 5000 }).request({ method: 'GET', path: '/v1/routes' });
    await until(() => emu.requests().length === 2);
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
    await expect(sibling).resolves.toBeTruthy();
    await expect(aborted.routes.list()).rejects.toBeInstanceOf(APIUserAbortError);

    emu.script('GET', '/v1/routes', [{ delayMs: 300 }]);
    const timed = c.withOptions({ timeout: 50 });
    await timed.request({ method: 'GET', path: '/v1/routes' });
    expect(emu.requests().filter((r) => r.path === '/v1/routes').length).toBeGreaterThanOrEqual(3);
  });

  it('a view builds its own resource objects once, on first use', () => {
    const root = client();
    const view = root.withOptions({ headers: { 'x-a': '1' } });
    expect(Object.getOwnPropertyNames(view)).not.toContain('routes');
    const routes = view.routes;
    expect(view.routes).toBe(routes);
    expect(routes).not.toBe(root.routes);
    expect(Object.getOwnPropertyDescriptor(view, 'routes')!.writable).toBe(false);
    expect(typeof view.aiGateway.listGateways).toBe('function');
  });

  it('views see the tenant the root discovers', async () => {
    const c = client();
    const view = c.withOptions({});
    c.tenant = 'changed';
    expect(view.tenant).toBe('changed');
    expect(view.baseUrl).toBe(c.baseUrl);
  });
});
