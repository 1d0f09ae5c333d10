import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cloudProxyBase, isValidTenantSlug, normalizeBaseUrl, proxyShapeOf } from '../src/config/base-url.js';
import { apiPrefix } from '../src/data-plane/api-prefix.js';
import { stripProxyAuthHeaders } from '../src/data-plane/call-headers.js';
import { isRouteRefusal, isRouteRefusalResponse } from '../src/data-plane/route-refusal.js';
import { BootstrapError, KnoxCallError, RateLimitError, ServerError } from '../src/errors.js';
import { Redacted } from '../src/redacted.js';
import { toHeaderBag } from '../src/http/headers.js';
import { chooseIdempotencyKey } from '../src/transport/idempotency.js';
import { isInsecureRemoteUrl } from '../src/transport/insecure-url.js';
import { buildUrl, encodeQuery, stripQuery } from '../src/transport/query.js';
import { encodeJson, encodeRequestBody } from '../src/transport/request-body.js';
import { parseBodyText, successValue } from '../src/transport/response-body.js';
import { backoffDelayMs, managementRetryDelayMs, retryAfterDelayMs } from '../src/transport/retry-policy.js';
import { fireHook, telemetryHeaderValue } from '../src/transport/telemetry.js';
import { isConnectStageFailure } from '../src/transport/transport-failure.js';

describe('the /api entry-point rule (transport §8.2 table)', () => {
  it.each([
    'https://acme.knoxcall.com',
    'https://acme.knoxcall.com/',
    'https://ACME.KnoxCall.com',
    'https://sandbox-acme.knoxcall.com',
    'http://sandbox-acme.knoxcall.com:3100',
  ])('%s → /api', (base) => {
    expect(apiPrefix(base)).toBe('/api');
  });

  it.each([
    'https://acme.knoxcall.com/api',
    'https://acme.knoxcall.com/proxy',
    'https://api.knoxcall.com',
    'https://sandbox.knoxcall.com',
    'https://api-staging.knoxcall.com',
    'https://sandbox-staging.knoxcall.com',
    'https://www.knoxcall.com',
    'https://staging.knoxcall.com',
    'https://admin.knoxcall.com',
    'https://a.b.knoxcall.com',
    'https://knoxcall.com',
    'https://acme.knoxcall.com.evil.test',
    'http://localhost:3000',
    'https://knox.example.com',
    'not a url',
  ])('%s → no prefix', (base) => {
    expect(apiPrefix(base)).toBe('');
  });

  it('does not de-duplicate an upstream path that starts with /api', () => {
    const base = 'https://acme.knoxcall.com';
    expect(buildUrl(base + apiPrefix(base), '/api/v2/x')).toBe('https://acme.knoxcall.com/api/api/v2/x');
    expect(buildUrl(base + apiPrefix(base), 'users')).toBe('https://acme.knoxcall.com/api/users');
    expect(buildUrl(base + apiPrefix(base), '/')).toBe('https://acme.knoxcall.com/api/');
  });
});

describe('hosts and tenants (transport §2)', () => {
  it('derives the proxy shape by exact host match only', () => {
    expect(proxyShapeOf('https://api.knoxcall.com')).toBe('plain');
    expect(proxyShapeOf('https://API-STAGING.knoxcall.com')).toBe('plain');
    expect(proxyShapeOf('https://sandbox.knoxcall.com')).toBe('sandbox');
    expect(proxyShapeOf('https://sandbox-staging.knoxcall.com')).toBe('sandbox');
    expect(proxyShapeOf('https://api.knoxcall.com.evil.test')).toBe('self-hosted');
    expect(proxyShapeOf('http://127.0.0.1:3000')).toBe('self-hosted');
    expect(cloudProxyBase('plain', 'acme')).toBe('https://acme.knoxcall.com');
    expect(cloudProxyBase('sandbox', 'acme')).toBe('https://sandbox-acme.knoxcall.com');
  });

  it.each(['evil.com#', 'a/b', 'a b', '-lead', 'trail-', '', 'x'.repeat(64)])('rejects tenant slug %j', (slug) => {
    expect(isValidTenantSlug(slug)).toBe(false);
  });

  it.each(['acme', 'ACME', 'a', 'a-b-c', '0tenant9', 'x'.repeat(63)])('accepts tenant slug %j', (slug) => {
    expect(isValidTenantSlug(slug)).toBe(true);
  });

  it('normalises base URLs and names the option on malformed ones', () => {
    expect(normalizeBaseUrl('https://knox.example.com///', 'baseUrl')).toBe('https://knox.example.com');
    expect(() => normalizeBaseUrl('api.knoxcall.com', 'the baseUrl option')).toThrow(/the baseUrl option is not a valid URL/);
    expect(() => normalizeBaseUrl('ftp://x.test', 'KNOXCALL_BASE_URL')).toThrow(BootstrapError);
    expect(() => normalizeBaseUrl('https://u:p@x.test', 'baseUrl')).toThrow(/must not embed credentials/);
  });

  it('plaintext warning pins (transport §10)', () => {
    expect(isInsecureRemoteUrl('http://api.example.com')).toBe(true);
    expect(isInsecureRemoteUrl('http://10.0.0.5:3000')).toBe(true);
    expect(isInsecureRemoteUrl('HTTP://api.example.com')).toBe(true);
    for (const url of [
      'https://api.example.com',
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://foo.localhost',
      'http://[::1]:80',
      'http://0.0.0.0:8080',
      undefined,
    ]) {
      expect(isInsecureRemoteUrl(url)).toBe(false);
    }
  });
});

describe('query encoding (transport §3.4)', () => {
  it('drops null/undefined, renders scalars, repeats arrays', () => {
    const q = encodeQuery({
      a: undefined,
      b: null,
      t: true,
      f: false,
      n: 2,
      big: 12345678901234567890n,
      d: new Date('2026-06-10T12:30:00Z'),
      arr: ['x', 'y z', null],
      s: 'a&b=c',
    });
    expect(q).toBe('t=true&f=false&n=2&big=12345678901234567890&d=2026-06-10T12%3A30%3A00.000Z&arr=x&arr=y+z&s=a%26b%3Dc');
  });

  it('sends no ? when nothing is set and merges with a query already in the path', () => {
    expect(buildUrl('https://h', '/v1/routes', { page: undefined })).toBe('https://h/v1/routes');
    expect(buildUrl('https://h', 'v1/routes', { page: 2 })).toBe('https://h/v1/routes?page=2');
    expect(buildUrl('https://h', '/v1/routes?enabled=true', { page: 2 })).toBe('https://h/v1/routes?enabled=true&page=2');
    expect(stripQuery('https://h/v1/routes?enabled=true#x')).toBe('https://h/v1/routes');
  });

  it('rejects values it cannot represent, naming the parameter', () => {
    expect(() => encodeQuery({ page: Number.NaN })).toThrow(/query parameter "page"/);
    expect(() => encodeQuery({ filter: { nested: 1 } })).toThrow(KnoxCallError);
  });
});

describe('request body encoding (transport §3.3)', () => {
  it('maps Date, bigint, Set, Map and URL the contract way, compact', () => {
    const text = encodeJson({
      at: new Date('2026-06-10T12:30:00Z'),
      big: 12345678901234567890n,
      set: new Set(['a', 'b']),
      map: new Map<unknown, unknown>([
        [1, 'one'],
        ['k', new Set([1])],
      ]),
      url: new URL('https://x.test/a?b=1'),
      gone: undefined,
      fn: () => 1,
      arr: [undefined, null, 'é'],
      nil: null,
    });
    expect(text).toBe(
      '{"at":"2026-06-10T12:30:00.000Z","big":"12345678901234567890","set":["a","b"],"map":{"1":"one","k":[1]},"url":"https://x.test/a?b=1","arr":[null,null,"é"],"nil":null}',
    );
  });

  it('honours toJSON and class instances (own enumerable properties)', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    expect(encodeJson({ p: new Point(1, 2), t: { toJSON: () => 'custom' } })).toBe('{"p":{"x":1,"y":2},"t":"custom"}');
  });

  it.each([
    [{ n: Number.NaN }, /member "n" is NaN/],
    [{ n: Number.POSITIVE_INFINITY }, /Infinity/],
    [{ when: new Date('nope') }, /member "when" is an invalid Date/],
    [{ bytes: new Uint8Array([1]) }, /member "bytes" is binary data/],
    [{ buf: Buffer.from('x') }, /member "buf" is binary data/],
    [{ ab: new ArrayBuffer(2) }, /binary data/],
  ])('refuses %o before sending', (value, message) => {
    expect(() => encodeRequestBody(value)).toThrow(message);
    expect(() => encodeRequestBody(value)).toThrow(KnoxCallError);
  });

  it('refuses circular structures with a KnoxCallError', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => encodeRequestBody(a)).toThrow(KnoxCallError);
  });

  it('chains the jsonReplacer before the built-in conversions', () => {
    const seen: string[] = [];
    const text = encodeJson({ secret: 'x', big: 5n, when: new Date(0) }, (key, value) => {
      seen.push(key);
      if (key === 'secret') return new Set(['replaced']);
      return value;
    });
    expect(text).toBe('{"secret":["replaced"],"big":"5","when":"1970-01-01T00:00:00.000Z"}');
    expect(seen).toEqual(['', 'secret', '0', 'big', 'when']);
  });

  it('classifies top-level bodies', () => {
    expect(encodeRequestBody(undefined)).toMatchObject({ body: undefined, defaultContentType: undefined });
    expect(encodeRequestBody(null)).toMatchObject({ body: undefined, defaultContentType: undefined });
    expect(encodeRequestBody('{"raw":1}')).toMatchObject({ body: '{"raw":1}', defaultContentType: 'application/json' });
    const bytes = new Uint8Array([1, 2, 3]);
    expect(encodeRequestBody(bytes)).toMatchObject({ body: bytes, defaultContentType: undefined, replayable: true });
    const form = new URLSearchParams({ a: '1' });
    expect(encodeRequestBody(form)).toMatchObject({ body: form, defaultContentType: undefined });
    const stream = new ReadableStream();
    expect(encodeRequestBody(stream)).toMatchObject({ replayable: false });
    expect(encodeRequestBody([1, 2])).toMatchObject({ body: '[1,2]', serializedJson: true });
  });
});

describe('response bodies (transport §3.5)', () => {
  it('parses JSON, keeps text, maps empty to null', () => {
    expect(parseBodyText('', 'application/json').value).toBeNull();
    expect(parseBodyText('{"a":1}', '').value).toEqual({ a: 1 });
    expect(parseBodyText('-----BEGIN CERTIFICATE-----', 'text/x-pem-file').value).toBe('-----BEGIN CERTIFICATE-----');
  });

  it('names truncated JSON and HTML from a proxy', () => {
    const truncated = parseBodyText('{"data":{"id":', 'application/json');
    expect(truncated.malformedJson).toBe(true);
    expect(() => successValue(truncated, 'https://h/v1/x', 200, {})).toThrow(/not valid JSON \(truncated or malformed body\)/);
    const html = parseBodyText('<html>gateway</html>', 'text/html');
    expect(() => successValue(html, 'https://h/v1/x', 200, {})).toThrow('expected JSON from https://h/v1/x but got text/html (a proxy in between?)');
    const pem = parseBodyText('-----BEGIN X509 CRL-----', 'text/plain');
    expect(successValue(pem, 'https://h/v1/x', 200, {})).toBe('-----BEGIN X509 CRL-----');
  });
});

describe('retry timing (transport §6)', () => {
  const settings = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };

  it('half jitter: base × 2^(n−1) × [0.5, 1), capped', () => {
    expect(backoffDelayMs(1, settings, () => 0)).toBe(50);
    expect(backoffDelayMs(1, settings, () => 0.999999)).toBeCloseTo(100, 3);
    expect(backoffDelayMs(2, settings, () => 0)).toBe(100);
    expect(backoffDelayMs(2, settings, () => 0.5)).toBe(150);
    expect(backoffDelayMs(10, settings, () => 0.5)).toBe(5000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(1, settings);
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThan(100);
    }
  });

  it('Retry-After wins over backoff, capped at 30 s, not below 0', () => {
    expect(retryAfterDelayMs(new RateLimitError('x', { retryAfter: 2 }))).toBe(2000);
    expect(retryAfterDelayMs(new ServerError('x', { retryAfter: 600 }))).toBe(30_000);
    expect(retryAfterDelayMs(new ServerError('x', { retryAfter: 0 }))).toBeUndefined();
    expect(retryAfterDelayMs(new ServerError('x', {}))).toBeUndefined();
    expect(retryAfterDelayMs(new KnoxCallError('x', { status: 408 }))).toBeUndefined();
    expect(managementRetryDelayMs(new ServerError('x', { retryAfter: 5 }), 1, settings)).toBe(5000);
    expect(managementRetryDelayMs(new ServerError('x', {}), 1, settings)).toBeLessThanOrEqual(settings.maxDelayMs);
    // The cap does not apply to Retry-After
    expect(managementRetryDelayMs(new RateLimitError('x', { retryAfter: 10 }), 1, settings)).toBe(10_000);
  });
});

describe('idempotency keys (transport §7)', () => {
  it('ULID for mutating methods, none for GET/HEAD, the caller key always', () => {
    const key = chooseIdempotencyKey('POST', undefined)!;
    expect(key).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{26}$/);
    expect(chooseIdempotencyKey('DELETE', undefined)).toHaveLength(26);
    expect(chooseIdempotencyKey('OPTIONS', undefined)).toHaveLength(26);
    expect(chooseIdempotencyKey('GET', undefined)).toBeUndefined();
    expect(chooseIdempotencyKey('HEAD', undefined)).toBeUndefined();
    expect(chooseIdempotencyKey('GET', 'my-key-123')).toBe('my-key-123');
    expect(chooseIdempotencyKey('POST', '')).toHaveLength(26);
    expect(chooseIdempotencyKey('POST', undefined)).not.toBe(key);
  });

  it('encodes the current time in the first 10 characters', () => {
    const before = Date.now();
    const key = chooseIdempotencyKey('POST', undefined)!;
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let ms = 0;
    for (const ch of key.slice(0, 10)) ms = ms * 32 + alphabet.indexOf(ch);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});

describe('route refusals (transport §8.6 table)', () => {
  const envelope = (type: string) => JSON.stringify({ error: { type, message: '…' } });
  it.each([
    [1, 401, {}, 'anything', true],
    [2, 401, { 'X-Knox-Upstream-Status': '401' }, 'anything', false],
    [3, 401, { 'X-Knox-Destination-Status': '401' }, 'anything', false],
    [4, 401, { 'X-Knox-Upstream-Status': '' }, 'anything', true],
    [5, 404, {}, envelope('route_not_found'), true],
    [6, 404, {}, envelope('environment_not_configured'), false],
    [7, 404, {}, envelope('environment_disabled'), false],
    [8, 404, {}, '<html>Not Found</html>', false],
    [9, 404, {}, '{"error":"route_not_found"}', false],
    [10, 404, { 'X-Knox-Upstream-Status': '404' }, envelope('route_not_found'), false],
    [11, 404, {}, envelope('not_found'), false],
    [12, 403, {}, envelope('route_not_found'), false],
    [12, 429, {}, 'x', false],
    [12, 500, {}, 'x', false],
    [12, 200, {}, envelope('route_not_found'), false],
  ])('case %i: %i %o → %s', async (_n, status, headers, body, expected) => {
    expect(isRouteRefusal(status, headers as Record<string, string>, body)).toBe(expected);
    const response = new Response(status === 200 || status === 401 ? body : body, { status, headers });
    expect(await isRouteRefusalResponse(response)).toBe(expected);
    // the caller's body is untouched
    expect(await response.text()).toBe(body);
  });
});

describe('header hygiene (transport §8.3)', () => {
  it('strips proxy credentials and the origin marker, any case, keeps the rest', () => {
    const bag = toHeaderBag({
      Authorization: 'Bearer end-user',
      DPoP: 'x',
      'X-KnoxCall-Key': 'tk_other',
      'x-knoxcall-agent-id': 'a',
      'X-KNOXCALL-AGENT-TOKEN': 't',
      'X-KnoxCall-Origin': 'sdk-intercept',
      'X-Custom': 'kept',
    });
    expect(stripProxyAuthHeaders(bag)).toEqual({ 'x-custom': 'kept' });
  });
});

describe('transport failures', () => {
  it('recognises connect-stage codes anywhere in the cause chain', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(isConnectStageFailure(refused)).toBe(true);
    const nested = new Error('outer', { cause: new Error('mid', { cause: { code: 'UND_ERR_CONNECT_TIMEOUT' } }) });
    expect(isConnectStageFailure(nested)).toBe(true);
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(isConnectStageFailure(reset)).toBe(false);
    expect(isConnectStageFailure(new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('telemetry helpers (transport §9)', () => {
  it('a hook that throws or rejects is swallowed', async () => {
    expect(() =>
      fireHook(
        () => {
          throw new Error('sink down');
        },
        undefined,
        {},
      ),
    ).not.toThrow();
    fireHook(() => Promise.reject(new Error('async sink down')), undefined, {});
    await new Promise((r) => setTimeout(r, 5));
  });

  it('builds the compact X-KnoxCall-Telemetry value', () => {
    expect(telemetryHeaderValue({ method: 'GET', path: '/v1/routes', status: 200, durationMs: 12 })).toBe('{"lr":{"m":"GET","p":"/v1/routes","s":200,"d":12}}');
  });

  it('the hand-built value is exactly JSON.stringify of the same object, whatever the path holds', () => {
    for (const last of [
      { method: 'POST', path: '/v1/secrets/a"b\\c', status: 201, durationMs: 0 },
      { method: 'DELETE', path: '/v1/vaults/\u00e9t\u00e9/\u2028x\n', status: 404, durationMs: 30_123 },
    ]) {
      expect(telemetryHeaderValue(last)).toBe(JSON.stringify({ lr: { m: last.method, p: last.path, s: last.status, d: last.durationMs } }));
    }
  });
});

describe('Redacted (transport §10)', () => {
  it('never prints its value', () => {
    const token = new Redacted('kc_live_supersecret');
    expect(String(token)).toBe('[REDACTED]');
    expect(`${token}`).toBe('[REDACTED]');
    expect(JSON.stringify({ token })).toBe('{"token":"[REDACTED]"}');
    expect(inspect(token)).toBe('[REDACTED]');
    expect(inspect({ nested: { token } }, { depth: 5 })).not.toContain('supersecret');
    expect(token.expose()).toBe('kc_live_supersecret');
  });
});
