/**
 * A management call carried by undici's dispatcher ends exactly as the same call carried by
 * fetch: same value, or same error class, message, status, code, header record and body.
 * A raw node:http server answers what the emulator never would (compressed bodies, a BOM,
 * invalid UTF-8, repeated and latin1 headers, a socket cut mid-body, a stalled body), and
 * each answer is requested once through the dispatcher (Node's own fetch in place) and once
 * through fetch (`fetchImpl`), then compared.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { APIConnectionTimeoutError, APIUserAbortError, KnoxCall, type KnoxCallOptions } from '../src/index.js';
import { type Answer, useScriptedServer } from './scripted-server-support.js';

const received: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
const closedRequests: string[] = [];
const server = useScriptedServer({
  onRequest(req) {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.socket.once('close', () => closedRequests.push(req.url ?? ''));
  },
  notFound(_req, res) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"code":"not_found","message":"no answer scripted"}}');
  },
});
const { answers } = server;
beforeEach(() => {
  received.length = 0;
  closedRequests.length = 0;
});

const nodeFetch = globalThis.fetch;

function client(transport: 'dispatcher' | 'fetch', extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({
    baseUrl: server.base,
    apiKey: 'kc_test_key',
    retry: { maxAttempts: 1 },
    ...(transport === 'fetch' ? { fetchImpl: (input, init) => nodeFetch(input, init) } : {}),
    ...extra,
  });
}

/** What a caller can observe of how a call ended. */
function outcome(settled: PromiseSettledResult<unknown>): unknown {
  if (settled.status === 'fulfilled') return { value: settled.value };
  const error = settled.reason as Error & { status?: number; code?: string; headers?: unknown; body?: unknown };
  return { error: error.constructor.name, message: error.message, status: error.status, code: error.code, headers: error.headers, body: error.body };
}

async function bothWays(path: string, method = 'GET', headers?: Record<string, string>): Promise<{ dispatcher: unknown; fetch: unknown }> {
  const viaDispatcher = await Promise.allSettled([client('dispatcher').request({ method, path, headers })]);
  const viaFetch = await Promise.allSettled([client('fetch').request({ method, path, headers })]);
  // Told apart by the header fetch adds on its own.
  expect(received.map((r) => r.headers['sec-fetch-mode'])).toEqual([undefined, 'cors']);
  return { dispatcher: outcome(viaDispatcher[0]!), fetch: outcome(viaFetch[0]!) };
}

const json = JSON.stringify({ data: { id: 'r_1', name: 'ünï ☃' } });

function compressed(encoding: string, body: Buffer): Answer {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
    res.end(body);
  };
}

describe('the same answer through the dispatcher and through fetch', () => {
  const cases: Array<[string, Answer]> = [
    ['gzip', compressed('gzip', gzipSync(json))],
    ['deflate (zlib)', compressed('deflate', deflateSync(json))],
    ['deflate (raw)', compressed('deflate', deflateRawSync(json))],
    ['br', compressed('br', brotliCompressSync(json))],
    ['gzip then br', compressed('gzip, br', brotliCompressSync(gzipSync(json)))],
    ['an unknown coding (left as sent)', compressed('x-custom', Buffer.from(json))],
    [
      'a UTF-8 BOM',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
      },
    ],
    [
      'invalid UTF-8 in a text body',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(Buffer.from([0x61, 0xff, 0xc3, 0x28, 0x62]));
      },
    ],
    [
      'a body in several chunks',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const bytes = Buffer.from(json);
        res.write(bytes.subarray(0, 5));
        setTimeout(() => res.end(bytes.subarray(5)), 5);
      },
    ],
    [
      'an error with repeated, set-cookie and latin1 headers',
      (_req, res) => {
        res.writeHead(404, [
          ['Content-Type', 'application/json'],
          ['X-Dup', 'one'],
          ['x-dup', 'two'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
          ['X-Latin', Buffer.from('caf\xe9', 'latin1').toString('latin1')],
          ['X-Request-Id', 'req_404'],
        ] as unknown as string[]);
        res.end('{"error":{"code":"route_not_found","message":"no such route"}}');
      },
    ],
    [
      'an HTML page from a proxy',
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html>bad gateway</html>');
      },
    ],
    [
      'truncated JSON on a 200',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{"id":');
      },
    ],
    [
      'a 204',
      (_req, res) => {
        res.writeHead(204);
        res.end();
      },
    ],
    [
      'a redirect (never followed)',
      (_req, res) => {
        res.writeHead(302, { location: `${server.base}/v1/elsewhere?token=x` });
        res.end();
      },
    ],
    [
      'a socket closed before the headers',
      (req) => {
        req.socket.destroy();
      },
    ],
    [
      'a socket closed mid-body',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data":');
        setTimeout(() => res.socket?.destroy(), 5);
      },
    ],
    ['a body that does not decode', compressed('gzip', Buffer.from('not gzip at all'))],
  ];

  it.each(cases)('%s', async (_name, answer) => {
    answers.set('/v1/thing', answer);
    const { dispatcher, fetch } = await bothWays('/v1/thing');
    expect(dispatcher).toEqual(fetch);
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const extra = { baseUrl: `http://127.0.0.1:${port}` };
    const viaDispatcher = outcome((await Promise.allSettled([client('dispatcher', extra).request({ method: 'GET', path: '/v1/x' })]))[0]!);
    const viaFetch = outcome((await Promise.allSettled([client('fetch', extra).request({ method: 'GET', path: '/v1/x' })]))[0]!);
    expect(viaDispatcher).toEqual(viaFetch);
    expect(viaDispatcher).toMatchObject({ error: 'APIConnectionError', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('the request line: a path and query with characters that need encoding', async () => {
    answers.set('/v1/caf%C3%A9%20x', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await client('dispatcher').request({ method: 'GET', path: '/v1/café x', query: { q: 'a b/ü' } });
    await client('fetch').request({ method: 'GET', path: '/v1/café x', query: { q: 'a b/ü' } });
    expect(received).toHaveLength(2);
    expect(received[0]!.url).toBe(received[1]!.url);
  });

  it('the request headers: the same apart from the ones fetch adds on its own', async () => {
    answers.set('/v1/thing', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await bothWays('/v1/thing', 'POST', { 'x-extra': 'yes' });
    const [viaDispatcher, viaFetch] = received.map((r) => r.headers) as [IncomingMessage['headers'], IncomingMessage['headers']];
    const { 'sec-fetch-mode': _mode, 'accept-language': _language, ...fetchOwnRemoved } = viaFetch;
    // The idempotency key is per call, so it differs; everything else is equal.
    expect(viaDispatcher['x-idempotency-key']).toMatch(/.+/);
    expect(viaDispatcher['x-extra']).toBe('yes');
    expect({ ...viaDispatcher, 'x-idempotency-key': 'k' }).toEqual({ ...fetchOwnRemoved, 'x-idempotency-key': 'k' });
  });

  it('a caller’s own Accept-Encoding is sent as given', async () => {
    answers.set('/v1/thing', compressed('identity', Buffer.from(json)));
    const { dispatcher, fetch } = await bothWays('/v1/thing', 'GET', { 'accept-encoding': 'identity' });
    expect(dispatcher).toEqual(fetch);
    expect(received.map((r) => r.headers['accept-encoding'])).toEqual(['identity', 'identity']);
  });
});

describe('stalls and aborts through the dispatcher', () => {
  function stallMidBody(): void {
    answers.set('/v1/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":'); // and nothing more
    });
  }

  it('a server that stalls mid-body times the attempt out, and the retry is a new attempt', async () => {
    stallMidBody();
    const error = await client('dispatcher', { timeout: { total: 100 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } })
      .request({ method: 'GET', path: '/v1/slow' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe('Request timed out');
    expect(received.map((r) => r.url)).toEqual(['/v1/slow', '/v1/slow']);
    expect(received[0]!.headers['sec-fetch-mode']).toBeUndefined();
    // Each timed-out attempt closed its connection (a stalled body cannot be reused).
    await expect.poll(() => closedRequests.filter((url) => url === '/v1/slow')).toHaveLength(2);
  });

  it('a caller abort mid-body → APIUserAbortError and the connection is closed', async () => {
    stallMidBody();
    const controller = new AbortController();
    const pending = client('dispatcher').request({ method: 'GET', path: '/v1/slow', signal: controller.signal });
    await expect.poll(() => received.length).toBe(1);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await expect.poll(() => closedRequests.filter((url) => url === '/v1/slow')).toHaveLength(1);
  });

  it('close() mid-body → the client-closed error and the connection is closed', async () => {
    stallMidBody();
    const c = client('dispatcher');
    const pending = c.request({ method: 'GET', path: '/v1/slow' });
    await expect.poll(() => received.length).toBe(1);
    setTimeout(() => void c.close(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' });
    await expect.poll(() => closedRequests.filter((url) => url === '/v1/slow')).toHaveLength(1);
  });
});
