import { describe, expect, it } from 'vitest';
import { APIConnectionError, KnoxCall, KnoxCallError, type KnoxCallOptions, WrapSandboxMismatchError } from '../src/index.js';
import { closedPort, clientWithEnv } from './client-test-support.js';
import { useWrapServers } from './wrap-test-support.js';

// wrap.fetch() against the emulator and a real upstream: every decision of the per-request
// order, both credential modes, the shared manifest store, route refusals and the
// promoted-route hint.

const s = useWrapServers();
const { options, host, proxied } = s;
const client = (extra: KnoxCallOptions = {}) => new KnoxCall(options(extra));
const routed = () => s.emu.requests().filter((r) => r.headers['x-knoxcall-route'] !== undefined);
const manifestLoads = () => s.emu.requests().filter((r) => r.path === '/v1/wrap/intercept-manifest');
const echoed = async (res: Response) => (await res.json()) as { method: string; url: string; headers: Record<string, string>; body: string };

async function interceptRoute(knox: KnoxCall, slug: string, basePath: string): Promise<void> {
  await knox.routes.create({ name: slug, slug, target_base_url: `${s.upstream.url}${basePath}`, intercept_enabled: true });
}

describe('wrap.fetch(): the ephemeral proxy (routes off, the default)', () => {
  it('transit mode: body and Content-Type byte-verbatim, the SDK Authorization lifted into X-Knox-Upstream-Authorization', async () => {
    const knox = client();
    const wrapped = knox.wrap.fetch();
    await wrapped.ready;
    const res = await wrapped(`${s.upstream.url}/v1/customers?limit=3`, {
      method: 'POST',
      headers: { authorization: 'Bearer provider-key-1', 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'yes' },
      body: 'name=a%20b&email=c',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-knox-destination-status')).toBe('200');
    const seen = await echoed(res);
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/customers?limit=3', body: 'name=a%20b&email=c' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer provider-key-1', 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'yes' });
    const [sent] = proxied();
    expect(sent!.headers).toMatchObject({
      'x-knox-proxy-url': `${s.upstream.url}/v1/customers?limit=3`,
      'x-knox-proxy-mode': 'transparent',
      'x-knox-upstream-authorization': 'Bearer provider-key-1',
      authorization: `Bearer ${s.emu.credentials.apiKey}`,
    });
    expect(manifestLoads()).toHaveLength(0); // routes off: no manifest, no I/O besides the request
  });

  it('escrow mode: KnoxCall injects the escrowed key; the placeholder the SDK holds never leaves the process', async () => {
    const knox = client();
    await knox.wrap.escrow({ provider: 'acme', name: 'acme-key', value: 'escrowed-secret-9', hosts: [host()] });
    const wrapped = knox.wrap.fetch({ credential: { secret: 'acme-key' } });
    const res = await wrapped(`${s.upstream.url}/v1/things`, { headers: { authorization: 'Bearer placeholder' } });
    expect((await echoed(res)).headers.authorization).toBe('Bearer escrowed-secret-9');
    const [sent] = proxied();
    expect(sent!.headers['x-knox-upstream-auth-secret']).toBe('acme-key');
    expect(JSON.stringify(sent!.headers)).not.toContain('placeholder');
  });

  it('a Request object and a URL input work like (url, init)', async () => {
    const wrapped = client().wrap.fetch();
    const res = await wrapped(new Request(`${s.upstream.url}/r`, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    expect(await echoed(res)).toMatchObject({ method: 'PUT', url: '/r', body: '{"a":1}' });
    const res2 = await wrapped(new URL(`${s.upstream.url}/u?x=1`));
    expect((await echoed(res2)).url).toBe('/u?x=1');
  });
});

describe('wrap.fetch(): what goes direct', () => {
  it('the kill switch KNOXCALL_INTERCEPT=off sends everything direct, escrow mode included', async () => {
    const { client: knox } = clientWithEnv(options(), { KNOXCALL_INTERCEPT: 'off' });
    const res = await knox.wrap.fetch({ credential: { secret: 'anything' } })(`${s.upstream.url}/direct`);
    expect((await echoed(res)).url).toBe('/direct');
    expect(s.emu.requests()).toHaveLength(0);
  });

  it("non-http URLs and KnoxCall's own hosts go direct", async () => {
    const wrapped = client().wrap.fetch();
    expect(await (await wrapped('data:text/plain,hello')).text()).toBe('hello');
    const own = await wrapped(`${s.emu.url}/v1/wrap/intercept-manifest`);
    expect(own.status).toBe(401); // sent as-is: no KnoxCall credential added to direct traffic
    expect(proxied()).toHaveLength(0);
  });

  it('route-around rules go direct and are reported; DEFAULT_ROUTE_AROUND can be disabled', async () => {
    const seen: unknown[] = [];
    const wrapped = client().wrap.fetch({ routeAround: [{ host: host(), pathPrefix: '/v1/tokens', reason: 'pci' }], onRouteAround: (i) => seen.push(i) });
    await wrapped(`${s.upstream.url}/v1/tokens/tok_1`, { method: 'POST', body: 'card=4242' });
    expect(s.upstream.requests[0]).toMatchObject({ url: '/v1/tokens/tok_1', body: 'card=4242' });
    expect(proxied()).toHaveLength(0);
    expect(seen).toEqual([{ host: host(), url: `${s.upstream.url}/v1/tokens/tok_1`, rule: { host: host(), pathPrefix: '/v1/tokens', reason: 'pci' } }]);
    await wrapped(`${s.upstream.url}/v1/tokensx`);
    expect(proxied()).toHaveLength(1); // whole segments only
  });
});

describe('wrap.fetch(): KnoxCall unreachable', () => {
  it('fails closed by default; unavailable: "direct" (transit mode) falls back and reports it', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const knox = client({ baseUrl: down });
    await expect(knox.wrap.fetch()(`${s.upstream.url}/x`)).rejects.toBeInstanceOf(APIConnectionError);
    expect(s.upstream.requests).toHaveLength(0);
    const fallbacks: unknown[] = [];
    const res = await knox.wrap.fetch({ unavailable: 'direct', onFallback: (i) => fallbacks.push(i.url) })(`${s.upstream.url}/x`, {
      method: 'POST',
      headers: { authorization: 'Bearer own-key' },
      body: 'b',
    });
    expect(await echoed(res)).toMatchObject({ method: 'POST', url: '/x', body: 'b', headers: expect.objectContaining({ authorization: 'Bearer own-key' }) });
    expect(fallbacks).toEqual([`${s.upstream.url}/x`]);
  });

  it('unavailable: "direct" with a credential is refused when the fetch is made', () => {
    expect(() => client().wrap.fetch({ credential: { secret: 'k' }, unavailable: 'direct' })).toThrow(KnoxCallError);
  });
});

describe('wrap.fetch(): transit-mode Stripe key check', () => {
  it('refuses a test key through a live client, a live key through a sandbox client, and any publishable key — before sending', async () => {
    const live = client().wrap.fetch();
    await expect(live(`${s.upstream.url}/v1/charges`, { headers: { authorization: 'Bearer sk_test_abc' } })).rejects.toBeInstanceOf(WrapSandboxMismatchError);
    await expect(live(`${s.upstream.url}/v1/charges`, { headers: { authorization: 'Bearer pk_live_abc' } })).rejects.toThrow(/publishable/);
    const error = await live(`${s.upstream.url}/v1/charges`, { headers: { authorization: 'Bearer rk_test_secretvalue' } }).catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain('secretvalue');
    const sandbox = client({ sandbox: true }).wrap.fetch();
    await expect(sandbox(`${s.upstream.url}/v1/charges`, { headers: { authorization: 'Bearer sk_live_abc' } })).rejects.toBeInstanceOf(
      WrapSandboxMismatchError,
    );
    expect(s.emu.requests()).toHaveLength(0);
    const ok = await live(`${s.upstream.url}/v1/charges`, { headers: { authorization: 'Bearer sk_live_abc' } });
    expect(ok.status).toBe(200);
  });
});

describe('wrap.fetch({ routes: "auto" }): manifest routes', () => {
  it('sends covered requests through the route with the rebased path, longest base path winning', async () => {
    const knox = client();
    await interceptRoute(knox, 'api-all', '/api');
    await interceptRoute(knox, 'api-v2', '/api/v2');
    const wrapped = knox.wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    expect(
      wrapped
        .manifest()!
        .routes.map((r) => r.slug)
        .sort(),
    ).toEqual(['api-all', 'api-v2']);

    const res = await wrapped(`${s.upstream.url}/api/v2/items?page=2`, { method: 'POST', body: 'x', headers: { authorization: 'Bearer dropped' } });
    expect(await echoed(res)).toMatchObject({ method: 'POST', url: '/api/v2/items?page=2', body: 'x' });
    const [viaRoute] = routed();
    expect(viaRoute!.headers).toMatchObject({
      'x-knoxcall-route': 'api-v2',
      'x-knoxcall-origin': 'sdk-intercept',
      authorization: `Bearer ${s.emu.credentials.apiKey}`,
    });
    expect(viaRoute!.path).toBe('/items');
    expect(s.upstream.requests[0]!.headers.authorization).toBeUndefined();

    await wrapped(`${s.upstream.url}/api/v2x/y`);
    expect(routed().at(-1)!.headers['x-knoxcall-route']).toBe('api-all');
    expect(routed().at(-1)!.path).toBe('/v2x/y');

    const unmatched: string[] = [];
    const other = knox.wrap.fetch({ routes: 'auto', onUnmatchedPath: (i) => unmatched.push(i.url) });
    await other(`${s.upstream.url}/elsewhere`);
    expect(proxied()).toHaveLength(1);
    expect(unmatched).toEqual([`${s.upstream.url}/elsewhere`]);
  });

  it('one store per root client: every fetch and every view shares one manifest load', async () => {
    const knox = client();
    const fetches = [
      knox.wrap.fetch({ routes: 'auto' }),
      knox.withOptions({ headers: { 'x-request-id': 'r1' } }).wrap.fetch({ routes: 'auto' }),
      knox.wrap.fetch({ routes: 'auto' }),
    ];
    await Promise.all(fetches.map((f) => f.ready));
    expect(manifestLoads()).toHaveLength(1);
    expect(manifestLoads()[0]!.headers['x-request-id']).toBeUndefined(); // the root's defaults, not a view's
    await fetches[1]!.refresh();
    expect(manifestLoads()).toHaveLength(2);
    expect(manifestLoads()[1]!.headers['if-none-match']).toMatch(/^W\/"/);
    expect(fetches[0]!.manifest()).toBe(fetches[2]!.manifest());
    for (const f of fetches) f.stop();
  });

  it('a malformed manifest keeps the last good one and is reported to onManifestError', async () => {
    const knox = client();
    await interceptRoute(knox, 'svc', '/svc');
    const errors: unknown[] = [];
    const wrapped = knox.wrap.fetch({ routes: 'auto', onManifestError: (e) => errors.push(e) });
    await wrapped.ready;
    const good = wrapped.manifest();
    s.emu.script('GET', '/v1/wrap/intercept-manifest', [{ rawBody: '{"data":{"routes":"nope"}}' }]);
    await wrapped.refresh();
    expect(wrapped.manifest()).toBe(good);
    expect(errors).toHaveLength(1);
    expect((errors[0] as KnoxCallError).code).toBe('malformed_intercept_manifest');
    await wrapped(`${s.upstream.url}/svc/a`);
    expect(routed()).toHaveLength(1);
    wrapped.stop();
  });

  it('a 404 for the manifest warns once and behaves as empty', async () => {
    const { client: knox, platform } = clientWithEnv(options());
    s.emu.script('GET', '/v1/wrap/intercept-manifest', [{ status: 404, body: { error: { type: 'not_found', message: 'no' } } }]);
    const wrapped = knox.wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    expect(wrapped.manifest()!.routes).toEqual([]);
    expect(platform.warnings.map((w) => w.code)).toEqual(['KNOXCALL_WRAP_NO_MANIFEST']);
    await wrapped(`${s.upstream.url}/z`);
    expect(proxied()).toHaveLength(1);
    wrapped.stop();
  });

  it("polls at the manifest TTL on its own (unref'd timer)", async () => {
    s.emu.wrap.setManifestTtl(1);
    const knox = client();
    const wrapped = knox.wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    await new Promise((r) => setTimeout(r, 1400));
    expect(manifestLoads().length).toBeGreaterThanOrEqual(2);
    await knox.close();
    const after = manifestLoads().length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(manifestLoads()).toHaveLength(after); // close() stops the poll
  });
});

describe('wrap.fetch(): route refusals and promoted routes', () => {
  it('a refusal triggers one refresh and one re-decision (here: the ephemeral proxy)', async () => {
    const knox = client();
    await interceptRoute(knox, 'gone', '/gone');
    const refused: unknown[] = [];
    const wrapped = knox.wrap.fetch({ routes: 'auto', onRefused: (i) => refused.push(i) });
    await wrapped.ready;
    await knox.routes.delete('gone');
    s.emu.clearRequests();
    const res = await wrapped(`${s.upstream.url}/gone/x`, { method: 'POST', body: 'once' });
    expect(res.status).toBe(200);
    expect(await echoed(res)).toMatchObject({ url: '/gone/x', body: 'once' });
    expect(routed()).toHaveLength(1);
    expect(manifestLoads()).toHaveLength(1);
    expect(proxied()).toHaveLength(1);
    expect(refused).toEqual([{ host: host(), url: `${s.upstream.url}/gone/x`, slug: 'gone', status: 404, redecided: true }]);
    wrapped.stop();
  });

  it('never loops: a refusal the refreshed manifest does not explain is returned as is', async () => {
    const knox = client();
    await interceptRoute(knox, 'svc', '/svc');
    const refused: unknown[] = [];
    const wrapped = knox.wrap.fetch({ routes: 'auto', onRefused: (i) => refused.push(i) });
    await wrapped.ready;
    s.emu.clearRequests();
    s.emu.script('GET', '/a', [{ status: 404, body: { error: { type: 'route_not_found', message: 'Route "svc" does not exist' } } }]);
    const res = await wrapped(`${s.upstream.url}/svc/a`);
    expect(res.status).toBe(404);
    expect(routed()).toHaveLength(1);
    expect(manifestLoads()).toHaveLength(1);
    expect(refused).toEqual([{ host: host(), url: `${s.upstream.url}/svc/a`, slug: 'svc', status: 404, redecided: false }]);
    wrapped.stop();
  });

  it('X-Knox-Promoted-Route on an ephemeral answer refreshes the manifest; the next request takes the route', async () => {
    const knox = client();
    const promoted: unknown[] = [];
    const wrapped = knox.wrap.fetch({ routes: 'auto', onPromoted: (i) => promoted.push(i.slug) });
    await wrapped.ready;
    await interceptRoute(knox, 'new-route', '/n');
    const first = await wrapped(`${s.upstream.url}/n/1`);
    expect(first.headers.get('x-knox-promoted-route')).toBe('new-route');
    expect(promoted).toEqual(['new-route']);
    await wrapped.ready;
    for (let i = 0; i < 100 && wrapped.manifest()!.routes.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await wrapped(`${s.upstream.url}/n/2`);
    expect(routed().map((r) => r.path)).toEqual(['/2']);
    wrapped.stop();
  });

  it('autoSwitch turns routes on when KnoxCall promotes a route', async () => {
    const knox = client();
    await interceptRoute(knox, 'promo', '/p');
    const wrapped = knox.wrap.fetch({ autoSwitch: true });
    await wrapped(`${s.upstream.url}/p/1`);
    expect(proxied()).toHaveLength(1);
    for (let i = 0; i < 100 && wrapped.manifest() === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    await wrapped(`${s.upstream.url}/p/2`);
    expect(routed().map((r) => r.path)).toEqual(['/2']);
    wrapped.stop();
  });
});
