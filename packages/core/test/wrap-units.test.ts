import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CREDENTIAL_HEADER_ALLOWLIST,
  CREDENTIAL_HEADER_SUFFIXES,
  credentialHeaderName,
  DEFAULT_ROUTE_AROUND,
  type EgressObservation,
  EgressObservationReporter,
  firstSegmentLooksLikeCredential,
  isCredentialHeaderName,
  observationFirstSegment,
  observationFor,
  observeUncoveredDisabledByEnv,
  type InterceptManifest,
  InterceptManifestStore,
  interceptKillSwitch,
  KnoxCallError,
  manifestEtag,
  rebaseInterceptPath,
  resolveIntercept,
} from '../src/index.js';
import { readRequestParts } from '../src/wrap/request-parts.js';

// The pure parts of wrap: the per-request decision and the manifest store's schedule. The
// store is driven by fake timers here because its schedule (TTL ±10 %, back-off to 8 × TTL,
// 10 × TTL after a 404) spans minutes; the emulator tests cover it over HTTP.

const manifest = (routes: Array<{ host: string; base_path: string; slug: string }>): InterceptManifest => ({
  version: 'v1',
  ttl_seconds: 60,
  environment: 'production',
  sandbox: false,
  routes: routes.map((r) => ({ ...r, route_id: r.slug, requires_clients: false, allowed_methods: null, updated_at: '' })),
});

describe('resolveIntercept', () => {
  const m = manifest([
    { host: 'api.example.com', base_path: '/v1', slug: 'b-v1' },
    { host: 'api.example.com', base_path: '/v1', slug: 'a-v1' },
    { host: 'api.example.com', base_path: '/v1/special', slug: 'special' },
    { host: 'root.example.com', base_path: '/', slug: 'root' },
  ]);

  it('decides in the contract order', () => {
    expect(resolveIntercept('https://api.example.com/v1/x', { killSwitch: true, manifest: m }).reason).toBe('kill_switch');
    expect(resolveIntercept('not a url', { manifest: m }).reason).toBe('unparseable');
    expect(resolveIntercept('ftp://api.example.com/v1', { manifest: m }).reason).toBe('unparseable');
    expect(resolveIntercept('https://acme.knoxcall.com/api/x', { manifest: m }).reason).toBe('own_host');
    expect(resolveIntercept('http://127.0.0.1:9/x', { ownHosts: new Set(['127.0.0.1:9']) }).reason).toBe('own_host');
    expect(resolveIntercept('https://api.stripe.com/v1/tokens', { routeAround: DEFAULT_ROUTE_AROUND }).reason).toBe('route_around');
    expect(resolveIntercept('https://api.stripe.com/v1/sources/src_1', { routeAround: DEFAULT_ROUTE_AROUND }).reason).toBe('route_around');
    expect(resolveIntercept('https://api.stripe.com/v1/charges', { routeAround: DEFAULT_ROUTE_AROUND }).reason).toBe('no_route');
    expect(resolveIntercept('https://api.example.com/v1/x', { inContext: false, manifest: m }).reason).toBe('outside_context');
    expect(resolveIntercept('https://api.example.com/v2/x', { manifest: m }).reason).toBe('no_base_path_match');
    expect(resolveIntercept('https://other.example.com/x', { manifest: m, isListed: () => false }).reason).toBe('unlisted');
    expect(resolveIntercept('https://other.example.com/x', { manifest: m, isListed: (h) => h === 'other.example.com' }).reason).toBe('no_route');
  });

  it('matches whole segments, longest base path first, ties to the lowest slug, and rebases the path', () => {
    const special = resolveIntercept('https://api.example.com/v1/special/a?q=1', { manifest: m });
    expect(special).toMatchObject({ action: 'route', route: { slug: 'special' }, path: '/a?q=1' });
    const tie = resolveIntercept('https://api.example.com/v1/specialx', { manifest: m });
    expect(tie).toMatchObject({ action: 'route', route: { slug: 'a-v1' }, path: '/specialx' });
    expect(resolveIntercept('https://api.example.com/v1', { manifest: m })).toMatchObject({ route: { slug: 'a-v1' }, path: '/' });
    expect(resolveIntercept('https://api.example.com/v10', { manifest: m }).reason).toBe('no_base_path_match');
    expect(resolveIntercept('https://root.example.com/any/thing', { manifest: m })).toMatchObject({ route: { slug: 'root' }, path: '/any/thing' });
  });

  it('the string fast path for unknown hosts decides exactly like the full parse', () => {
    const options = {
      manifest: m,
      ownHosts: new Set(['127.0.0.1:4000']),
      routeAround: DEFAULT_ROUTE_AROUND,
      isListed: (h: string) => h === 'listed.example.com' || h === 'listed.example.com:8443',
    };
    const urls = [
      'https://unknown.example.com/v1/x?y=1',
      'https://UNKNOWN.example.com/v1',
      'https://api.example.com/v1/a',
      'https://api.example.com:443/v1/a',
      'http://api.example.com:80/v1/a',
      'https://api.stripe.com/v1/tokens',
      'https://listed.example.com/a',
      'https://listed.example.com:8443/a',
      'https://listed.example.com:443/a',
      'http://127.0.0.1:4000/x',
      'https://acme.knoxcall.com/api',
      'https://user:pw@listed.example.com/a',
      'http://[::1]:9/x',
      'https://unknown.example.com',
      'https://unknown.example.com#frag',
    ];
    for (const url of urls) expect(resolveIntercept(url, options).reason, url).toBe(resolveIntercept(new URL(url), options).reason);
  });

  it('rebaseInterceptPath, manifestEtag and interceptKillSwitch', () => {
    expect(rebaseInterceptPath('/v1/', '/v1/a', '?x=1')).toBe('/a?x=1');
    expect(rebaseInterceptPath('/', '/a')).toBe('/a');
    expect(rebaseInterceptPath('/v1', '/v1')).toBe('/');
    expect(manifestEtag('abc')).toBe('W/"abc"');
    for (const v of ['off', '0', 'false', 'OFF']) expect(interceptKillSwitch({ KNOXCALL_INTERCEPT: v })).toBe(true);
    for (const v of [undefined, 'on', '1', '']) expect(interceptKillSwitch({ KNOXCALL_INTERCEPT: v })).toBe(false);
  });
});

describe('InterceptManifestStore schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('backs off to at most 8 × TTL on errors, keeping the last good manifest; 10 × TTL after a 404', async () => {
    vi.useFakeTimers();
    const answers: Array<() => unknown> = [() => manifest([])];
    for (let i = 0; i < 5; i++)
      answers.push(() => {
        throw new Error('boom');
      });
    answers.push(() => {
      throw new KnoxCallError('gone', { status: 404 });
    });
    answers.push(() => manifest([]));
    const at: number[] = [];
    const start = Date.now();
    const warnings: string[] = [];
    const store = new InterceptManifestStore({
      load: async () => {
        at.push(Math.round((Date.now() - start) / 1000));
        return answers.shift()!();
      },
      random: () => 0.5, // no jitter
      warnOnce: (code) => warnings.push(code),
    });
    store.start();
    await store.ready;
    const good = store.current;
    for (let i = 0; i < 7; i++) await vi.advanceTimersToNextTimerAsync();
    // loads at 0, +60 (error → 2×), +120 (4×), +240 (8×), +480 (8×), +480 (8×, then 404 → 10×), +600
    expect(at).toEqual([0, 60, 180, 420, 900, 1380, 1860, 2460]);
    expect(warnings).toEqual(['KNOXCALL_WRAP_NO_MANIFEST']);
    expect(store.current).not.toBe(good);
    store.stop();
  });

  it('polls while any user holds a claim: one fetch stopping leaves the others their polling', async () => {
    vi.useFakeTimers();
    let loads = 0;
    const store = new InterceptManifestStore({
      load: async () => {
        loads += 1;
        return manifest([]);
      },
      random: () => 0.5,
    });
    store.acquire();
    store.acquire();
    await store.ready;
    store.release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(loads).toBe(2);
    store.release();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(loads).toBe(2);
    store.acquire(); // the manifest is older than its TTL: reloaded at once
    await vi.advanceTimersByTimeAsync(0);
    expect(loads).toBe(3);
    const closed = new AbortController();
    const owned = new InterceptManifestStore({ load: async () => manifest([]), closed: closed.signal });
    closed.abort();
    owned.acquire();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(owned.current).toBeUndefined();
    store.release();
  });

  it('out-of-cycle refreshes are at least 5 s apart; concurrent refreshes share one load', async () => {
    let loads = 0;
    const store = new InterceptManifestStore({
      load: async () => {
        loads += 1;
        return manifest([]);
      },
    });
    await Promise.all([store.refresh(), store.refresh()]);
    expect(loads).toBe(1);
    expect(await store.refreshOutOfCycle()).toBe(true);
    expect(await store.refreshOutOfCycle()).toBe(false);
    expect(loads).toBe(2);
  });
});

describe('egress observation helpers', () => {
  it('credential header names: the 19-name allow-list and the suffixes', () => {
    expect(CREDENTIAL_HEADER_ALLOWLIST).toHaveLength(19);
    expect(CREDENTIAL_HEADER_ALLOWLIST).toEqual(expect.arrayContaining(['authorization', 'x-api-key']));
    expect(CREDENTIAL_HEADER_SUFFIXES).toEqual(['-api-key', '-token', '-secret', '-auth']);
    for (const name of ['Authorization', 'X-API-Key', 'x-acme-api-key', 'x-github-token', 'x-client-secret', 'x-basic-auth'])
      expect(isCredentialHeaderName(name), name).toBe(true);
    for (const name of ['content-type', 'x-request-id', 'x-tokens', 'user-agent']) expect(isCredentialHeaderName(name), name).toBe(false);
    expect(credentialHeaderName('X-Api-Key')).toBe('x-api-key');
    expect(credentialHeaderName('Accept')).toBeUndefined();
  });

  it('first segment only, credential-looking segments as /', () => {
    expect(observationFirstSegment('/v1/charges/ch_1')).toBe('/v1');
    expect(observationFirstSegment('/')).toBe('/');
    expect(observationFirstSegment('')).toBe('/');
    expect(observationFirstSegment('/sk_live_abc/charges')).toBe('/');
    expect(observationFirstSegment('/a1b2c3d4e5f6g7h8i9j0k1/x')).toBe('/');
    expect(firstSegmentLooksLikeCredential('eyJhbGciOi')).toBe(true);
    expect(firstSegmentLooksLikeCredential('v1')).toBe(false);
    expect(observationFor('https://api.x.com/v2/y?key=secret', 'post', 'X-Api-Key', new Date(0))).toEqual({
      host: 'api.x.com',
      first_segment: '/v2',
      method: 'POST',
      header_name: 'x-api-key',
      count: 1,
      first_seen: '1970-01-01T00:00:00.000Z',
      last_seen: '1970-01-01T00:00:00.000Z',
    });
    expect(observeUncoveredDisabledByEnv({ KNOXCALL_OBSERVE_UNCOVERED: '0' })).toBe(true);
    expect(observeUncoveredDisabledByEnv({})).toBe(false);
  });
});

describe('EgressObservationReporter', () => {
  const headers = { authorization: 'Bearer value' };
  const keyUrl = (i: number) => new URL(`https://h${i}.example.com/v1`);

  it('flushes as soon as 200 keys are pending, in reports of at most 200, and holds at most 1000 keys', async () => {
    const reports: EgressObservation[][] = [];
    const reporter = new EgressObservationReporter({
      report: async (o) => {
        reports.push(o);
        return { accepted: o.length, dropped: 0, reasons: {} };
      },
    });
    for (let i = 0; i < 199; i++) reporter.record(keyUrl(i), 'GET', headers);
    expect(reports).toHaveLength(0);
    reporter.record(keyUrl(199), 'GET', headers);
    await reporter.flush();
    expect(reports.map((r) => r.length)).toEqual([200]);

    // Recording while a flush is running: keys beyond 1000 pending are dropped.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const gated = new EgressObservationReporter({
      report: async (o) => {
        await gate;
        reports.push(o);
        return { accepted: o.length, dropped: 0, reasons: {} };
      },
    });
    for (let i = 0; i < 1500; i++) gated.record(keyUrl(i), 'GET', headers);
    expect(gated.pendingKeys).toBeLessThanOrEqual(1000);
    release();
    await gated.flush();
  });

  it('counts repeats under one key and stops for good on a 403', async () => {
    let calls = 0;
    const reporter = new EgressObservationReporter({
      report: async () => {
        calls += 1;
        throw new KnoxCallError('forbidden', { status: 403 });
      },
    });
    reporter.record(keyUrl(1), 'GET', headers);
    reporter.record(keyUrl(1), 'GET', { Authorization: 'other' });
    expect(reporter.pendingKeys).toBe(1);
    await reporter.flush();
    expect(reporter.stopped).toBe(true);
    reporter.record(keyUrl(2), 'GET', headers);
    await reporter.flush();
    expect(calls).toBe(1);
  });
});

describe('readRequestParts: fetch(url, init) read without a Request, as a Request reads it', () => {
  const url = 'https://api.provider.example/v1/things';
  const inits: Array<[string, RequestInit | undefined]> = [
    ['no init', undefined],
    [
      'a record with mixed-case names and padded values',
      { method: 'post', headers: { 'Content-Type': ' application/json ', Authorization: 'Bearer sk_test_x' }, body: '{"a":1}' },
    ],
    ['a string body without a content type', { method: 'POST', body: 'plain words' }],
    [
      'pairs with a repeated name',
      {
        method: 'PUT',
        headers: [
          ['X-Tag', 'a'],
          ['x-tag', 'b'],
        ],
        body: new Uint8Array([1, 2, 3]),
      },
    ],
    ['Headers and an ArrayBuffer body', { method: 'PATCH', headers: new Headers({ Accept: 'application/json' }), body: new Uint8Array([9, 8]).buffer }],
    ['a view into a larger buffer', { method: 'POST', body: new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 3) }],
    ['framing headers dropped', { method: 'DELETE', headers: { 'Content-Length': '0', Connection: 'keep-alive', 'X-Keep': '1' } }],
    ['an empty string body', { method: 'POST', body: '' }],
    ['URLSearchParams (left to a Request)', { method: 'POST', body: new URLSearchParams({ q: '1' }) }],
  ];
  it.each(inits)('%s', async (_, init) => {
    const plain = await readRequestParts(url, init);
    const viaRequest = await readRequestParts(new Request(url, init), undefined);
    expect({ ...plain, signal: undefined }).toEqual({ ...viaRequest, signal: undefined });
  });
});
