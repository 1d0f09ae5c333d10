import { describe, expect, it } from 'vitest';
import { type RequestViewSource, type ScopedClientOptions, lazyRequestView, scopedClientOptions } from '../src/adapter/index.js';
import { APIUserAbortError, KnoxCall } from '../src/index.js';
import { useEchoRouteClient } from './client-test-support.js';

// An adapter's per-request view made with lazyRequestView: the view object exists when the
// handler takes it, its options (forwarded headers, requestOptions' headers, the
// disconnect-signal factory) are asked of the adapter's per-request source only when the
// view's first call needs them. These tests pin what adapters rely on, against the emulator
// over HTTP: when and how often the source is asked, and that two requests' views never
// share headers, environment or signal, whatever order they are first used in.

const echo = useEchoRouteClient();

/** One request's source, as an adapter's per-request state would be: counts how often it is asked. */
function requestSource(incoming: Record<string, string>, custom?: { headers?: Record<string, string>; environment?: string }, signal?: () => AbortSignal) {
  const source = {
    asked: 0,
    viewEnvironment: custom?.environment,
    viewOptions(): ScopedClientOptions {
      source.asked++;
      return scopedClientOptions(incoming, custom, signal);
    },
  } satisfies RequestViewSource & { asked: number };
  return source;
}

const routeListings = () => echo.emu.requests().filter((r) => r.method === 'GET' && r.path === '/v1/routes');

describe('lazyRequestView', () => {
  it("asks the source nothing until the view's first call, then once for all its calls; the view's environment shows from the start", async () => {
    const source = requestSource({ 'x-request-id': 'rid-lazy' }, { headers: { 'X-Tenant': 'acme' }, environment: 'staging' });
    const view = lazyRequestView(echo.client, source);
    expect(view).not.toBe(echo.client);
    expect(view.environment).toBe('staging');
    expect(typeof view.routes.list).toBe('function');
    view.route('echo');
    expect(source.asked).toBe(0);

    await view.routes.list();
    await view.routes.list();
    await view.call('echo', { path: '/ping' });
    expect(source.asked).toBe(1);
    expect(routeListings().map((r) => [r.headers['x-request-id'], r.headers['x-tenant']])).toEqual([
      ['rid-lazy', 'acme'],
      ['rid-lazy', 'acme'],
    ]);
    const ping = echo.upstream.requests.find((r) => r.url === '/ping');
    expect(ping?.headers['x-tenant']).toBe('acme');
  });

  it("keeps the root's environment when the source brings none, and an empty one means the configured environment, as withOptions does", () => {
    const configured = new KnoxCall({ baseUrl: echo.emu.url, apiKey: echo.emu.credentials.apiKey, environment: 'production' });
    expect(lazyRequestView(configured, requestSource({})).environment).toBe('production');
    expect(lazyRequestView(configured, requestSource({}, { environment: '' })).environment).toBe(configured.withOptions({ environment: '' }).environment);
    expect(lazyRequestView(configured, requestSource({}, { environment: 'staging' })).environment).toBe('staging');
  });

  it('gives two concurrent requests views that share nothing, first used in the opposite order, after an await', async () => {
    const first = requestSource(
      { 'x-request-id': 'rid-a', traceparent: '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaa-01' },
      { headers: { 'x-tenant': 'tenant-a' }, environment: 'staging' },
    );
    const second = requestSource({ 'x-request-id': 'rid-b' }, { headers: { 'x-tenant': 'tenant-b' }, environment: 'development' });
    const viewA = lazyRequestView(echo.client, first);
    const viewB = lazyRequestView(echo.client, second);
    expect(viewA).not.toBe(viewB);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await viewB.call('echo', { path: '/b' });
    await Promise.all([viewA.call('echo', { path: '/a' }), viewB.routes.list(), viewA.routes.list()]);
    expect([first.asked, second.asked]).toEqual([1, 1]);

    const upstreamSeen = (path: string) =>
      echo.upstream.requests.filter((r) => r.url === path).map((r) => [r.headers['x-request-id'], r.headers['x-tenant'], r.headers.traceparent]);
    expect(upstreamSeen('/a')).toEqual([['rid-a', 'tenant-a', '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaa-01']]);
    expect(upstreamSeen('/b')).toEqual([['rid-b', 'tenant-b', undefined]]);
    const proxied = echo.emu.requests().filter((r) => r.headers['x-knoxcall-environment'] !== undefined);
    expect(proxied.map((r) => [r.headers['x-request-id'], r.headers['x-knoxcall-environment']]).sort()).toEqual([
      ['rid-a', 'staging'],
      ['rid-b', 'development'],
    ]);
    expect(
      routeListings()
        .map((r) => [r.headers['x-request-id'], r.headers['x-tenant']])
        .sort(),
    ).toEqual([
      ['rid-a', 'tenant-a'],
      ['rid-b', 'tenant-b'],
    ]);
  });

  it("aborts one request's calls when its caller leaves, while another request's view goes on", async () => {
    echo.upstream.handle('/hang', () => {}); // never answers
    const leaving = new AbortController();
    const staying = new AbortController();
    const gone = lazyRequestView(
      echo.client,
      requestSource({ 'x-request-id': 'rid-gone' }, undefined, () => leaving.signal),
    );
    const kept = lazyRequestView(
      echo.client,
      requestSource({ 'x-request-id': 'rid-kept' }, undefined, () => staying.signal),
    );
    const hanging = gone.call('echo', { path: '/hang' });
    setTimeout(() => leaving.abort(new Error('the client disconnected')), 50);
    await expect(hanging).rejects.toBeInstanceOf(APIUserAbortError);
    // The other request's view was made before, and is first used after, the abort.
    await kept.routes.list();
    expect(routeListings().map((r) => r.headers['x-request-id'])).toEqual(['rid-kept']);
    expect(staying.signal.aborted).toBe(false);
    // A caller that left before its view's first call: that call fails at once, sending nothing.
    await expect(gone.routes.list()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(routeListings().map((r) => r.headers['x-request-id'])).toEqual(['rid-kept']);
  });

  it("makes a view of a lazy view with both views' options, asking the parent's source once", async () => {
    const source = requestSource({ 'x-request-id': 'rid-parent' }, { headers: { 'x-tenant': 'acme' } });
    const parent = lazyRequestView(echo.client, source);
    const child = parent.withOptions({ headers: { 'x-child': '1' } });
    await child.routes.list();
    await parent.routes.list();
    expect(source.asked).toBe(1);
    expect(routeListings().map((r) => [r.headers['x-request-id'], r.headers['x-tenant'], r.headers['x-child']])).toEqual([
      ['rid-parent', 'acme', '1'],
      ['rid-parent', 'acme', undefined],
    ]);
  });

  it('falls back to a withOptions view, made at once, for a client that cannot defer (another build without it)', async () => {
    const made: ScopedClientOptions[] = [];
    const foreign = {
      withOptions(options: ScopedClientOptions) {
        made.push(options);
        return echo.client.withOptions(options);
      },
    };
    const source = requestSource({ 'x-request-id': 'rid-foreign' });
    const view = lazyRequestView(foreign, source);
    expect(source.asked).toBe(1);
    expect(made).toHaveLength(1);
    await view.routes.list();
    expect(routeListings()[0]!.headers['x-request-id']).toBe('rid-foreign');
  });
});
