/**
 * On Node, call() sends through undici's dispatcher and builds the Response itself
 * (node/streaming-dispatch.ts). What a caller sees must be what fetch would have handed them:
 * a raw node:http server, given as the proxy base, answers what the emulator never would
 * (compressed, repeated and cookie headers, null bodies, redirects, a cut or stalled body),
 * and each answer is requested once through the dispatcher and once through fetch
 * (`fetchImpl`), then compared.
 */
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall, type KnoxCallOptions } from '../src/index.js';
import { useScriptedServer } from './scripted-server-support.js';

const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }> = [];
const server = useScriptedServer({
  onRequest(req) {
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.alloc(0) };
    received.push(seen);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks);
    });
  },
  notFound(_req, res) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no answer scripted');
  },
});
const { answers } = server;
beforeEach(() => {
  received.length = 0;
});

const nodeFetch = globalThis.fetch;

function client(transport: 'dispatcher' | 'fetch', extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({
    baseUrl: server.base,
    proxyBaseUrl: server.base,
    apiKey: 'kc_test_key',
    retry: { maxAttempts: 1 },
    ...(transport === 'fetch' ? { fetchImpl: (input, init) => nodeFetch(input, init) } : {}),
    ...extra,
  });
}

/** True for a Response fetch built: the dispatcher's is a subclass of Response. */
function builtByFetch(response: Response): boolean {
  return Object.getPrototypeOf(response) === Response.prototype;
}

/** What a caller can observe of a Response (its body read as text), or of the error. */
async function observe(call: Promise<Response>): Promise<unknown> {
  try {
    const response = await call;
    const seen = {
      status: response.status,
      statusText: response.statusText,
      ok: response.ok,
      url: response.url,
      redirected: response.redirected,
      headers: [...response.headers],
      setCookie: response.headers.getSetCookie(),
      hasBody: response.body !== null,
      bodyUsed: response.bodyUsed,
    };
    const text = await response.text();
    return { ...seen, text, bodyUsedAfter: response.bodyUsed };
  } catch (error) {
    const e = error as Error & { code?: string; cause?: Error };
    return { error: e.constructor.name, message: e.message, code: e.code };
  }
}

async function bothWays(path: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const viaDispatcher = await observe(client('dispatcher').call('r', { path, ...options }));
  const viaFetch = await observe(client('fetch').call('r', { path, ...options }));
  return { viaDispatcher, viaFetch };
}

describe('call() through the dispatcher answers as fetch does', () => {
  it('status, reason, url, headers (repeated joined, set-cookie apart, latin1), body and bodyUsed', async () => {
    answers.set('/headers', (_req, res) => {
      res.statusMessage = 'Created It';
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2']);
      res.setHeader('x-many', ['one', 'two']);
      res.setHeader('x-latin1', Buffer.from('caf\xe9', 'latin1').toString('latin1'));
      res.writeHead(201);
      res.end('{"ok":true,"name":"ünï ☃"}');
    });
    const { viaDispatcher, viaFetch } = await bothWays('/headers?q=1');
    expect(viaDispatcher).toEqual(viaFetch);
    expect(viaDispatcher).toMatchObject({
      status: 201,
      statusText: 'Created It',
      url: `${server.base}/headers?q=1`,
      redirected: false,
      setCookie: ['a=1; Path=/', 'b=2'],
      text: '{"ok":true,"name":"ünï ☃"}',
      bodyUsed: false,
      bodyUsedAfter: true,
    });
    expect((viaDispatcher as { headers: string[][] }).headers).toContainEqual(['x-many', 'one, two']);
    // The same request reached the server both ways, fetch's default headers included.
    const [a, b] = received;
    expect(a!.headers).toEqual(b!.headers);
    expect(a!.headers['sec-fetch-mode']).toBe('cors');
  });

  // The upstream is the caller's own service: it must receive what fetch would have sent.
  const bodies: Array<[string, () => unknown]> = [
    ['a JSON value', () => ({ amount: 1250, note: 'ünï ☃', at: new Date(0) })],
    ['a string', () => 'plain text, not JSON ☃'],
    ['a Uint8Array', () => new Uint8Array([0, 1, 2, 250, 255])],
    ['a view into a larger buffer', () => new Uint8Array([9, 9, 1, 2, 3, 9]).subarray(2, 5)],
    ['an ArrayBuffer', () => new Uint8Array([7, 8, 9]).buffer],
    ['a DataView', () => new DataView(new Uint8Array([5, 6, 7, 8]).buffer, 1, 2)],
    ['a Float64Array', () => new Float64Array([1.5, -2])],
    ['an empty string', () => ''],
    ['no body', () => undefined],
  ];
  for (const [name, body] of bodies) {
    it(`the upstream receives the same request for ${name}: method, path, headers and bytes`, async () => {
      answers.set('/echo', (_req, res) => res.end('ok'));
      const { viaDispatcher, viaFetch } = await bothWays('/echo?x=1', { method: 'POST', body: body(), headers: { 'x-caller': 'yes' } });
      expect(viaDispatcher).toEqual(viaFetch);
      const [a, b] = received;
      expect(a).toBeDefined();
      expect({ ...a, headers: { ...a!.headers } }).toEqual({ ...b, headers: { ...b!.headers } });
      expect(a!.headers['x-caller']).toBe('yes');
    });
  }

  it('a status past 599 (HTTP allows any three digits) is handed over as fetch hands it, never ok, kept by clone()', async () => {
    answers.set('/odd', (_req, res) => {
      res.writeHead(999, 'Weird');
      res.end('odd');
    });
    const { viaDispatcher, viaFetch } = await bothWays('/odd');
    expect(viaDispatcher).toEqual(viaFetch);
    expect(viaDispatcher).toMatchObject({ status: 999, statusText: 'Weird', ok: false, text: 'odd' });
    const response = await client('dispatcher').call('r', { path: '/odd' });
    const copy = response.clone();
    expect([copy.status, copy.ok, await copy.text(), await response.text()]).toEqual([999, false, 'odd', 'odd']);
  });

  it('json(), arrayBuffer() and a reader, each on its own response', async () => {
    answers.set('/json', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"n":1}');
    });
    const c = client('dispatcher');
    const json = await c.call('r', { path: '/json' });
    expect(builtByFetch(json)).toBe(false);
    expect(await json.json()).toEqual({ n: 1 });
    expect(new TextDecoder().decode(await (await c.call('r', { path: '/json' })).arrayBuffer())).toBe('{"n":1}');
    const reader = ((await c.call('r', { path: '/json' })).body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(first.value)).toBe('{"n":1}');
    expect((await reader.read()).done).toBe(true);
    // clone() keeps the url.
    const original = await c.call('r', { path: '/json' });
    const copy = original.clone();
    expect(copy.url).toBe(`${server.base}/json`);
    expect(await copy.text()).toBe(await original.text());
  });

  it('no body for HEAD and for 204, 205 and 304; a 3xx is returned as is, not followed', async () => {
    answers.set('/head', (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.setHeader('content-length', '5');
      res.end();
    });
    for (const status of [204, 205, 304]) {
      answers.set(`/s${status}`, (_req, res) => {
        res.writeHead(status, { etag: '"x"' });
        res.end();
      });
    }
    answers.set('/redirect', (_req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end('moved');
    });
    for (const [path, method] of [
      ['/head', 'HEAD'],
      ['/s204', 'GET'],
      ['/s205', 'GET'],
      ['/s304', 'GET'],
      ['/redirect', 'GET'],
    ] as const) {
      const { viaDispatcher, viaFetch } = await bothWays(path, { method });
      expect(viaDispatcher).toEqual(viaFetch);
      if (path !== '/redirect') expect(viaDispatcher).toMatchObject({ hasBody: false, text: '' });
    }
    const { viaDispatcher } = await bothWays('/redirect');
    expect(viaDispatcher).toMatchObject({ status: 302, text: 'moved', redirected: false });
    expect(received.some((r) => r.url === '/elsewhere')).toBe(false);
  });
});

describe('content decoding, streaming, as fetch does', () => {
  const text = `${'the quick brown fox ünï ☃ '.repeat(4000)}end`;
  const plain = Buffer.from(text);
  const codings: Array<[string, Buffer]> = [
    ['gzip', zlib.gzipSync(plain)],
    ['x-gzip', zlib.gzipSync(plain)],
    ['deflate', zlib.deflateSync(plain)],
    ['deflate', zlib.deflateRawSync(plain)],
    ['br', zlib.brotliCompressSync(plain)],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(plain))],
    ['deflate, gzip', zlib.gzipSync(zlib.deflateRawSync(plain))],
    ['identity-ish', plain],
    ['gzip, gzip, gzip, gzip, gzip, gzip', zlib.gzipSync(plain)],
  ];
  const zstd = (zlib as { zstdCompressSync?: (body: Buffer) => Buffer }).zstdCompressSync;
  if (zstd !== undefined) codings.push(['zstd', zstd(plain)]);

  for (const [coding, body] of codings) {
    it(`Content-Encoding: ${coding} (${body.length} bytes)`, async () => {
      answers.set('/coded', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': coding });
        // In several writes, so the body arrives in chunks.
        for (let i = 0; i < body.length; i += 4096) res.write(body.subarray(i, i + 4096));
        res.end();
      });
      const { viaDispatcher, viaFetch } = await bothWays('/coded');
      expect(viaDispatcher).toEqual(viaFetch);
      if (coding === 'identity-ish') expect(viaDispatcher).toMatchObject({ text });
      else if (!coding.startsWith('gzip, gzip')) expect(viaDispatcher).toMatchObject({ text });
    });
  }

  it('a truncated gzip body decodes as far as it goes', async () => {
    const gz = zlib.gzipSync(plain);
    answers.set('/truncated', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gz.subarray(0, gz.length - 100));
    });
    const { viaDispatcher, viaFetch } = await bothWays('/truncated');
    expect(viaDispatcher).toEqual(viaFetch);
  });

  it('a body that is not what its coding says fails the read, as fetch', async () => {
    answers.set('/garbage', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end('this is not gzip at all');
    });
    const viaDispatcher = await client('dispatcher').call('r', { path: '/garbage' });
    const viaFetch = await client('fetch').call('r', { path: '/garbage' });
    const [a, b] = await Promise.allSettled([viaDispatcher.text(), viaFetch.text()]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect((a as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect(((a as PromiseRejectedResult).reason as Error).message).toBe('terminated');
  });
});
