import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BootstrapError,
  ConflictError,
  KnoxCallError,
  type KnoxCallOptions,
  NotAuthenticatedError,
  NotFoundError,
  type RateLimitError,
  ServerError,
  type TelemetryRequestInfo,
  type TelemetryResponseInfo,
  type TelemetryRetryInfo,
  ValidationError,
} from '../src/index.js';
import { KnoxCall } from '../src/index.js';
import { NOT_MODIFIED } from '../src/management-plane/management-request.js';
import { abortWhen, clientWithEnv } from './client-test-support.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
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
const apiRequests = (path: string) => emu.requests().filter((r) => r.path === path);
const tokenRequests = () => emu.requests().filter((r) => r.path === '/oauth/token');

describe('headers (transport §3.2)', () => {
  it('sends Accept, User-Agent, KnoxCall-Version and the Bearer token; no body headers on GET', async () => {
    await client().request({ method: 'get', path: '/v1/routes' });
    const [req] = apiRequests('/v1/routes');
    expect(req!.method).toBe('GET');
    expect(req!.headers.accept).toBe('application/json');
    expect(req!.headers['user-agent']).toBe('knoxcall-node/0.1.0');
    expect(req!.headers['knoxcall-version']).toBe('2026-08-05');
    expect(req!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(req!.headers['content-type']).toBeUndefined();
    expect(req!.headers['x-idempotency-key']).toBeUndefined();
  });

  it('keeps caller Accept/User-Agent/KnoxCall-Version (any case) but never a caller Authorization', async () => {
    await client({ userAgent: 'my-app/1.0' }).request({
      method: 'GET',
      path: 'v1/routes',
      headers: { 'knoxcall-VERSION': '2026-08-05', Authorization: 'Bearer stolen', 'X-Trace': 't1' },
    });
    const [req] = apiRequests('/v1/routes');
    expect(req!.headers['user-agent']).toBe('my-app/1.0');
    expect(req!.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(req!.headers['x-trace']).toBe('t1');
    emu.clearRequests();
    await client().request({ method: 'GET', path: '/v1/routes', headers: { 'KnoxCall-Version': '2026-01-01', ACCEPT: 'application/vnd.x+json' } });
    const [second] = apiRequests('/v1/routes');
    expect(second!.headers['knoxcall-version']).toBe('2026-01-01');
    expect(second!.headers.accept).toBe('application/vnd.x+json');
  });

  it('JSON-encodes object bodies with the contract mapping and Content-Type', async () => {
    emu.script('POST', '/v1/echo', [{ status: 200, body: { ok: true } }]);
    await client().request({
      method: 'POST',
      path: '/v1/echo',
      body: { at: new Date('2026-06-10T12:30:00Z'), big: 12345678901234567890n, tags: new Set(['a']), site: new URL('https://x.test/') },
    });
    const [req] = apiRequests('/v1/echo');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.body).toBe('{"at":"2026-06-10T12:30:00.000Z","big":"12345678901234567890","tags":["a"],"site":"https://x.test/"}');
  });

  it('sends binary bodies and their Content-Type untouched', async () => {
    emu.script('POST', '/v1/blob', [{ status: 200, body: { ok: true } }]);
    const bytes = new TextEncoder().encode('%PDF-1.7 binary');
    await client().request({ method: 'POST', path: '/v1/blob', body: bytes, headers: { 'Content-Type': 'application/pdf' } });
    const [req] = apiRequests('/v1/blob');
    expect(req!.headers['content-type']).toBe('application/pdf');
    expect(req!.body).toBe('%PDF-1.7 binary');
  });

  it('refuses an unencodable body before sending anything', async () => {
    await expect(client().request({ method: 'POST', path: '/v1/routes', body: { n: Number.NaN } })).rejects.toThrow(/NaN/);
    expect(emu.requests()).toHaveLength(0);
  });
});

describe('idempotency keys (transport §7)', () => {
  it('only mutating requests carry a 26-character ULID; a caller key is sent verbatim, even on GET', async () => {
    const c = client();
    await c.request({ method: 'GET', path: '/v1/routes' });
    emu.script('POST', '/v1/echo', [
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    await c.request({ method: 'POST', path: '/v1/echo', body: {} });
    await c.request({ method: 'POST', path: '/v1/echo', body: {}, idempotencyKey: 'my-key-123' });
    await c.request({ method: 'GET', path: '/v1/routes', idempotencyKey: 'get-key' });
    const [get1, post1, post2, get2] = emu.requests();
    expect(get1!.headers['x-idempotency-key']).toBeUndefined();
    expect(post1!.headers['x-idempotency-key']).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{26}$/);
    expect(post2!.headers['x-idempotency-key']).toBe('my-key-123');
    expect(get2!.headers['x-idempotency-key']).toBe('get-key');
  });

  it('reuses the same key on every retry and on the 401 re-auth attempt', async () => {
    emu.script('POST', '/v1/echo', [
      { status: 503, body: { error: { type: 'unavailable' } } },
      { status: 401, body: { error: 'invalid_token' } },
      { reset: true },
      { status: 201, body: { data: { id: 'x' } } },
    ]);
    const result = await client({ retry: { ...fast, maxAttempts: 4 } }).request<{ data: { id: string } }>({
      method: 'POST',
      path: '/v1/echo',
      body: { a: 1 },
    });
    expect(result).toEqual({ data: { id: 'x' } });
    const keys = apiRequests('/v1/echo').map((r) => r.headers['x-idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toHaveLength(26);
  });
});

describe('retries (transport §6)', () => {
  it('503, 503, 200 with three attempts → the 200 result', async () => {
    emu.script('GET', '/v1/routes', [
      { status: 503, body: {} },
      { status: 503, body: {} },
    ]);
    const page = await client().request<{ data: unknown[] }>({ method: 'GET', path: '/v1/routes' });
    expect(Array.isArray(page.data)).toBe(true);
    expect(apiRequests('/v1/routes')).toHaveLength(3);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', async (status) => {
    emu.script('GET', '/v1/routes', [{ status, body: { error: { type: 'x' } } }]);
    await client().request({ method: 'GET', path: '/v1/routes' });
    expect(apiRequests('/v1/routes')).toHaveLength(2);
  });

  it.each([
    [400, KnoxCallError],
    [402, KnoxCallError],
    [403, KnoxCallError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, ValidationError],
  ])('never retries %i (exactly one call with 5 attempts allowed)', async (status, cls) => {
    emu.script('POST', '/v1/echo', [{ status, body: { error: { type: 'request_in_progress', message: 'nope' } } }]);
    const error = await client({ retry: { ...fast, maxAttempts: 5 } })
      .request({ method: 'POST', path: '/v1/echo', body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    expect((error as KnoxCallError).status).toBe(status);
    expect(apiRequests('/v1/echo')).toHaveLength(1);
  });

  it('gives up after maxAttempts and throws the last typed error', async () => {
    emu.script('GET', '/v1/routes', [
      { status: 503, headers: { 'x-request-id': 'r1' }, body: {} },
      { status: 503, body: {} },
      { status: 503, headers: { 'x-request-id': 'req_last' }, body: { error: { type: 'dependency_unavailable', message: 'db down' } } },
    ]);
    const error = (await client()
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('dependency_unavailable');
    expect(error.requestId).toBe('req_last');
    expect(error.retryAfter).toBeUndefined();
    expect(apiRequests('/v1/routes')).toHaveLength(3);
  });

  it('maxAttempts 1 disables retries', async () => {
    emu.script('GET', '/v1/routes', [{ status: 503, body: {} }]);
    await expect(client({ retry: { maxAttempts: 1 } }).request({ method: 'GET', path: '/v1/routes' })).rejects.toBeInstanceOf(ServerError);
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('retries connection resets for any method (idempotency keys protect mutations)', async () => {
    emu.script('POST', '/v1/echo', [{ reset: true }, { status: 200, body: { ok: 1 } }]);
    await expect(client().request({ method: 'POST', path: '/v1/echo', body: {} })).resolves.toEqual({ ok: 1 });
    expect(apiRequests('/v1/echo')).toHaveLength(2);
  });

  it('a persistent reset ends in APIConnectionError("network error: …") after maxAttempts attempts', async () => {
    // Bun and Deno re-send a reset GET once by themselves, so the emulator may see more
    // requests than we made attempts: reset every one of them, and count OUR attempts.
    emu.script(
      'GET',
      '/v1/routes',
      Array.from({ length: 12 }, () => ({ reset: true as const })),
    );
    let attempts = 0;
    const error = await client({ telemetry: { onRequest: () => void attempts++ } })
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e);
    emu.script('GET', '/v1/routes', []);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^network error: /);
    expect((error as KnoxCallError).status).toBeUndefined();
    expect(attempts).toBe(3);
    expect(apiRequests('/v1/routes').length).toBeGreaterThanOrEqual(3);
  });

  it('uses backoff within maxDelayMs for a plain 5xx and reports it to onRetry', async () => {
    const retries: TelemetryRetryInfo[] = [];
    emu.script('GET', '/v1/routes', [
      { status: 500, body: {} },
      { status: 429, body: {} },
    ]);
    await client({ retry: { maxAttempts: 3, baseDelayMs: 4, maxDelayMs: 6 }, telemetry: { onRetry: (i) => retries.push(i) } }).request({
      method: 'GET',
      path: '/v1/routes',
      query: { page: 1 },
    });
    expect(retries.map((r) => r.status)).toEqual([500, 429]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(2);
    expect(retries[0]!.delayMs).toBeLessThan(4);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(4);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(6);
    expect(retries[0]!.url).toBe(`${emu.url}/v1/routes`);
    expect(retries[0]!.attempt).toBe(1);
    expect(retries[0]!.plane).toBe('management');
  });
});

describe('Retry-After (transport §6.3)', () => {
  async function retryDelayFor(status: number, retryAfter: string): Promise<{ delayMs: number; error: unknown; elapsed: number }> {
    emu.script('GET', '/v1/routes', [{ status, headers: { 'retry-after': retryAfter }, body: {} }]);
    const controller = new AbortController();
    let delayMs = -1;
    const started = performance.now();
    const error = await client({
      telemetry: {
        onRetry: (info) => {
          delayMs = info.delayMs;
          // End the long sleep at once: this also proves an abort interrupts the backoff wait.
          setTimeout(() => controller.abort(), 20);
        },
      },
    })
      .request({ method: 'GET', path: '/v1/routes', signal: controller.signal })
      .catch((e: unknown) => e);
    return { delayMs, error, elapsed: performance.now() - started };
  }

  it('Retry-After: 2 → sleeps 2000 ms; an abort during the sleep ends it at once', async () => {
    const { delayMs, error, elapsed } = await retryDelayFor(429, '2');
    expect(delayMs).toBe(2000);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(elapsed).toBeLessThan(1500);
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('Retry-After: 600 → capped at 30 000 ms (the error keeps 600)', async () => {
    const { delayMs } = await retryDelayFor(503, '600');
    expect(delayMs).toBe(30_000);
    emu.script('GET', '/v1/routes', [{ status: 429, headers: { 'retry-after': '600' }, body: {} }]);
    const error = await client({ retry: { maxAttempts: 1 } })
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e);
    expect((error as RateLimitError).retryAfter).toBe(600);
  });

  it('an HTTP-date Retry-After becomes the seconds until then', async () => {
    const inTwoSeconds = new Date(Date.now() + 1500).toUTCString();
    const { delayMs } = await retryDelayFor(503, inTwoSeconds);
    expect([1000, 2000]).toContain(delayMs);
  });

  it('Retry-After: 0 falls back to backoff', async () => {
    emu.script('GET', '/v1/routes', [{ status: 503, headers: { 'retry-after': '0' }, body: {} }]);
    const delays: number[] = [];
    await client({ telemetry: { onRetry: (i) => delays.push(i.delayMs) } }).request({ method: 'GET', path: '/v1/routes' });
    expect(delays[0]).toBeLessThan(1);
  });
});

describe('401 handling (transport §6.1 / auth §4)', () => {
  it('a 401 purges the token, re-mints and succeeds (client credentials: two mints)', async () => {
    const c = client({ apiKey: undefined, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret });
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(tokenRequests()).toHaveLength(1);
    emu.script('GET', '/v1/routes', [{ status: 401, body: { error: 'invalid_token' } }]);
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests('/v1/routes')).toHaveLength(3);
  });

  it('maxAttempts 1 → AuthenticationError at once', async () => {
    emu.script('GET', '/v1/routes', [{ status: 401, body: { error: 'invalid_token' } }]);
    const error = await client({ retry: { maxAttempts: 1 } })
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as KnoxCallError).code).toBe('invalid_token');
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('a second 401 is thrown (only one re-auth), and the error never contains the token', async () => {
    const apiKey = 'kc_test_definitely_wrong_key_0123456789';
    const error = await client({ apiKey, retry: { ...fast, maxAttempts: 5 } })
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(apiRequests('/v1/routes')).toHaveLength(2);
    const dump = JSON.stringify(error) + String(error) + (error as Error).stack + JSON.stringify((error as KnoxCallError).body);
    expect(dump).not.toContain(apiKey);
  });
});

describe('errors while obtaining the token (transport §6.1, §8.5)', () => {
  const cc = () => ({ apiKey: undefined, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret });

  it('management: a token-endpoint 503 goes through the retry rules', async () => {
    emu.script('POST', '/oauth/token', [{ status: 503, body: { error: 'temporarily_unavailable' } }]);
    await client(cc()).request({ method: 'GET', path: '/v1/routes' });
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('data plane: the same error is typed but not retried', async () => {
    emu.script('POST', '/oauth/token', [{ status: 503, body: { error: 'temporarily_unavailable' } }]);
    const error = await client({ ...cc(), proxyBaseUrl: emu.url })
      .call('echo')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe('temporarily_unavailable');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('no credential anywhere → NotAuthenticatedError at first use, nothing sent', async () => {
    const { client: bare } = clientWithEnv({ baseUrl: emu.url });
    const error = await bare.request({ method: 'GET', path: '/v1/routes' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(emu.requests()).toHaveLength(0);
  });

  it('conflicting credentials → BootstrapError at construction', () => {
    expect(() => client({ clientId: 'kc_client' })).toThrow(BootstrapError);
  });
});

describe('bodies that are not what the API answers (transport §3.5)', () => {
  it('an HTML 200 from a proxy in between → typed error naming the cause, not retried', async () => {
    emu.script('GET', '/v1/routes', [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, rawBody: '<html>login</html>' }]);
    const error = (await client()
      .request({ method: 'GET', path: '/v1/routes', query: { q: 'secret-query' } })
      .catch((e: unknown) => e)) as KnoxCallError;
    expect(error).toBeInstanceOf(KnoxCallError);
    expect(error.message).toBe(`expected JSON from ${emu.url}/v1/routes but got text/html (a proxy in between?)`);
    expect(error.code).toBe('invalid_response');
    expect(error.body).toBe('<html>login</html>');
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('an HTML 502 error page → ServerError whose message names the proxy, retried', async () => {
    emu.script('GET', '/v1/routes', [
      { status: 502, headers: { 'content-type': 'text/html' }, rawBody: '<html>Bad Gateway</html>' },
      { status: 502, headers: { 'content-type': 'text/html' }, rawBody: '<html>Bad Gateway</html>' },
      { status: 502, headers: { 'content-type': 'text/html' }, rawBody: '<html>Bad Gateway</html>' },
    ]);
    const error = (await client()
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain('HTTP 502: expected JSON from');
    expect(error.message).toContain('(a proxy in between?)');
    expect(apiRequests('/v1/routes')).toHaveLength(3);
  });

  it('JSON that does not parse → typed error naming truncation', async () => {
    emu.script('GET', '/v1/routes', [{ status: 200, rawBody: '{"data":[{"id":"r1",' }]);
    await expect(client().request({ method: 'GET', path: '/v1/routes' })).rejects.toThrow(
      /is labelled application\/json but is not valid JSON \(truncated or malformed body\)/,
    );
  });

  it('a body cut short on the wire → APIConnectionError, retried', async () => {
    // A server that promises 100 bytes and hangs up after 14.
    let hits = 0;
    const server = createServer((socket) => {
      socket.once('data', () => {
        hits++;
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"data":[{"id"');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const error = await new KnoxCall({ baseUrl: base, apiKey: 'kc_x', retry: fast }).request({ method: 'GET', path: '/v1/routes' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(hits).toBe(3);
    } finally {
      server.close();
    }
  });

  it('plain-text bodies (PEM) are returned as strings; 204 as null', async () => {
    emu.script('GET', '/v1/pem', [{ status: 200, headers: { 'content-type': 'text/x-pem-file' }, rawBody: '-----BEGIN CERTIFICATE-----\n' }]);
    emu.script('DELETE', '/v1/thing', [{ status: 204 }]);
    const c = client();
    await expect(c.request({ method: 'GET', path: '/v1/pem' })).resolves.toBe('-----BEGIN CERTIFICATE-----\n');
    await expect(c.request({ method: 'DELETE', path: '/v1/thing' })).resolves.toBeNull();
  });
});

describe('redirects and 304 (transport §3.5)', () => {
  it('does not follow a redirect: KnoxCallError with status and headers, never retried', async () => {
    emu.script('GET', '/v1/routes', [{ status: 302, headers: { location: `${emu.url}/v1/account` }, body: {} }]);
    const error = (await client()
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e)) as KnoxCallError;
    expect(error.constructor).toBe(KnoxCallError);
    expect(error.status).toBe(302);
    expect(error.code).toBe('unexpected_redirect');
    expect(error.headers.location).toBe(`${emu.url}/v1/account`);
    expect(emu.requests().map((r) => r.path)).toEqual(['/v1/routes']);
  });

  it('304 resolves to the not-modified sentinel only when opted in', async () => {
    emu.script('GET', '/v1/manifest', [{ status: 304 }, { status: 304 }]);
    const c = client();
    await expect(c.request({ method: 'GET', path: '/v1/manifest', allowNotModified: true })).resolves.toBe(NOT_MODIFIED);
    await expect(c.request({ method: 'GET', path: '/v1/manifest' })).rejects.toMatchObject({ status: 304 });
  });
});

describe('timeouts and aborts (transport §3.6)', () => {
  it('each attempt has its own timer: a slow first attempt times out, the retry succeeds', async () => {
    emu.script('GET', '/v1/routes', [{ delayMs: 400 }]);
    await client({ timeout: { total: 100 } }).request({ method: 'GET', path: '/v1/routes' });
    expect(apiRequests('/v1/routes')).toHaveLength(2);
  });

  it('APIConnectionTimeoutError when every attempt times out', async () => {
    emu.script('GET', '/v1/routes', [{ delayMs: 300 }, { delayMs: 300 }]);
    const error = await client({ timeout: { total: 50 }, retry: { ...fast, maxAttempts: 2 } })
      .request({ method: 'GET', path: '/v1/routes' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe('Request timed out');
  });

  it('an already-aborted signal sends nothing', async () => {
    const error = await client()
      .request({ method: 'GET', path: '/v1/routes', signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(emu.requests()).toHaveLength(0);
  });

  it('an abort while in flight → APIUserAbortError, never retried', async () => {
    emu.script('GET', '/v1/routes', [{ delayMs: 1000 }]);
    const controller = new AbortController();
    abortWhen(controller, () => apiRequests('/v1/routes').length === 1);
    const error = await client()
      .request({ method: 'GET', path: '/v1/routes', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(apiRequests('/v1/routes')).toHaveLength(1);
  });

  it('an abort while the token is being minted → APIUserAbortError at once', async () => {
    emu.script('POST', '/oauth/token', [{ delayMs: 2000 }]);
    const controller = new AbortController();
    abortWhen(controller, () => tokenRequests().length === 1);
    const started = performance.now();
    const error = await client({ apiKey: undefined, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret })
      .request({ method: 'GET', path: '/v1/routes', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(apiRequests('/v1/routes')).toHaveLength(0);
  });

  it('a stream body is sent once and never retried', async () => {
    emu.script('POST', '/v1/echo', [{ status: 503, body: {} }]);
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"streamed":true}'));
        c.close();
      },
    });
    await expect(client().request({ method: 'POST', path: '/v1/echo', body })).rejects.toBeInstanceOf(ServerError);
    const reqs = apiRequests('/v1/echo');
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.body).toBe('{"streamed":true}');
  });
});

describe('telemetry (transport §9)', () => {
  it('hooks see each attempt with plane, url with query, attempt, key, status, duration, request id', async () => {
    const requests: TelemetryRequestInfo[] = [];
    const responses: TelemetryResponseInfo[] = [];
    emu.script('POST', '/v1/echo', [
      { status: 503, body: {} },
      { status: 200, headers: { 'x-request-id': 'req_ok' }, body: {} },
    ]);
    await client({ telemetry: { onRequest: (i) => requests.push(i), onResponse: (i) => responses.push(i) } }).request({
      method: 'POST',
      path: '/v1/echo',
      query: { dry: true },
      body: {},
    });
    expect(requests.map((r) => r.attempt)).toEqual([1, 2]);
    expect(requests[0]).toMatchObject({ plane: 'management', method: 'POST', url: `${emu.url}/v1/echo?dry=true` });
    expect(requests[0]!.idempotencyKey).toHaveLength(26);
    expect(requests[1]!.idempotencyKey).toBe(requests[0]!.idempotencyKey);
    expect(responses.map((r) => r.status)).toEqual([503, 200]);
    expect(responses[1]!.requestId).toBe('req_ok');
    expect(responses[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('throwing or rejecting hooks change nothing', async () => {
    emu.script('GET', '/v1/routes', [{ status: 500, body: {} }]);
    const boom = () => {
      throw new Error('sink down');
    };
    const page = await client({
      telemetry: { onRequest: boom, onResponse: () => Promise.reject(new Error('async sink down')), onRetry: boom },
    }).request<{ data: unknown[] }>({ method: 'GET', path: '/v1/routes' });
    expect(Array.isArray(page.data)).toBe(true);
  });

  it('X-KnoxCall-Telemetry describes the previous request (no query), absent on the first, can be disabled', async () => {
    const c = client();
    await c.request({ method: 'GET', path: '/v1/routes', query: { page: 1 } });
    await c.request({ method: 'GET', path: '/v1/account' });
    const [first, second] = emu.requests();
    expect(first!.headers['x-knoxcall-telemetry']).toBeUndefined();
    const header = JSON.parse(second!.headers['x-knoxcall-telemetry']!);
    expect(header.lr).toMatchObject({ m: 'GET', p: '/v1/routes', s: 200 });
    expect(typeof header.lr.d).toBe('number');

    emu.clearRequests();
    const quiet = client({ telemetryHeader: false });
    await quiet.request({ method: 'GET', path: '/v1/routes' });
    await quiet.request({ method: 'GET', path: '/v1/routes' });
    expect(emu.requests().every((r) => r.headers['x-knoxcall-telemetry'] === undefined)).toBe(true);
  });
});
