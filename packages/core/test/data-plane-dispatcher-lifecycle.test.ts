/**
 * The life of a call() attempt that undici's dispatcher carries on Node (no AbortSignal of
 * its own: node/streaming-dispatch.ts): backpressure, aborts before the headers and mid-body,
 * cancel, the attempt timeout and its retry, failures and which of them are retried, a body
 * nobody reads, and the cases that stay with fetch. A raw node:http server, given as the proxy
 * base, plays the proxy; it records when each response's connection closes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, KnoxCall, type KnoxCallOptions } from '../src/index.js';
import { useScriptedServer } from './scripted-server-support.js';

const received: Array<{ method: string; url: string }> = [];
/** Resolves when the response to the request with that path has its connection closed. */
const closed = new Map<string, Promise<void>>();
const server = useScriptedServer({
  onRequest(req, res) {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    closed.set((req.url ?? '').split('?')[0] as string, new Promise((resolve) => res.once('close', () => resolve())));
  },
  notFound(_req, res) {
    res.writeHead(404);
    res.end('no answer scripted');
  },
});
const { answers } = server;
beforeEach(() => {
  received.length = 0;
  closed.clear();
});

const nodeFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = nodeFetch;
});

function client(extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({ baseUrl: server.base, proxyBaseUrl: server.base, apiKey: 'kc_test_key', retry: { maxAttempts: 1 }, ...extra });
}

function viaFetch(extra: KnoxCallOptions = {}): KnoxCall {
  return client({ fetchImpl: (input, init) => nodeFetch(input, init), ...extra });
}

/** True for a Response fetch built: the dispatcher's is a subclass of Response. */
function builtByFetch(response: Response): boolean {
  return Object.getPrototypeOf(response) === Response.prototype;
}

/** Headers and a first chunk, then nothing until the connection ends. */
function stall(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write('first chunk;');
}

/** Never answers: no headers. */
function silent(): void {}

async function readFirst(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  const rest = (async () => {
    for (;;) if ((await reader.read()).done) return 'ended';
  })();
  rest.catch(() => {});
  return { first: new TextDecoder().decode(value), rest };
}

const within = <T>(promise: Promise<T>, ms = 3000): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

describe('the body streams with backpressure', () => {
  it('a large body is not read ahead of the reader, and cancel() ends the dispatch', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 64 * 1024 * 1024;
    let written = 0;
    answers.set('/big', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (written >= total) res.end();
      };
      pump();
    });
    const response = await client().call('r', { path: '/big' });
    expect(builtByFetch(response)).toBe(false);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let read = (await reader.read()).value?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Socket buffers on both sides hold a few MiB at most; the body is 64 MiB.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    // Reading on lets the server go on.
    for (let i = 0; i < 200; i++) read += (await reader.read()).value?.length ?? 0;
    expect(read).toBeGreaterThan(200 * 1024);
    await reader.cancel();
    await within(closed.get('/big') as Promise<void>);
    expect(written).toBeLessThan(total);
  });
});

describe('aborts reach the dispatch', () => {
  it("the caller's signal and close() before the headers: the same errors as today, and the request stops", async () => {
    answers.set('/silent', silent);
    const c = client();
    const controller = new AbortController();
    const pending = c.call('r', { path: '/silent', signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await within(closed.get('/silent') as Promise<void>);

    const closing = c.call('r', { path: '/silent' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await c.close();
    await expect(closing).rejects.toMatchObject({ code: 'client_closed' });
    await within(closed.get('/silent') as Promise<void>);
  });

  it("mid-body, after call() returned: the reader rejects with the signal's own reason and the connection ends", async () => {
    answers.set('/stall', stall);
    const c = client();
    const controller = new AbortController();
    const response = await c.call('r', { path: '/stall', signal: controller.signal });
    expect(builtByFetch(response)).toBe(false);
    const { first, rest } = await readFirst(response);
    expect(first).toBe('first chunk;');
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(rest).rejects.toBe(reason);
    await within(closed.get('/stall') as Promise<void>);

    const second = await readFirst(await c.call('r', { path: '/stall' }));
    await c.close();
    await expect(second.rest).rejects.toMatchObject({ code: 'client_closed' });
    await within(closed.get('/stall') as Promise<void>);
  });

  it('response.body.cancel() ends the dispatch', async () => {
    answers.set('/stall', stall);
    const response = await client().call('r', { path: '/stall' });
    await response.body?.cancel();
    await within(closed.get('/stall') as Promise<void>);
  });

  it('a returned body nobody reads: once the Response is garbage, its dispatch ends', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    answers.set('/stall', stall);
    const c = client();
    await (async () => {
      const response = await c.call('r', { path: '/stall' });
      expect(builtByFetch(response)).toBe(false);
    })();
    let ended = false;
    void (closed.get('/stall') as Promise<void>).then(() => {
      ended = true;
    });
    for (let i = 0; i < 20 && !ended; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(ended).toBe(true);
    await c.close();
  });
});

describe('the attempt timeout, failures and retries read as today', () => {
  it('a GET whose headers do not come in time times out and is retried; a POST is not re-sent', async () => {
    let calls = 0;
    answers.set('/slow-once', (_req, res) => {
      calls += 1;
      if (calls === 1) return;
      res.end('second attempt');
    });
    const retrying = client({ timeout: 200, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const response = await retrying.call('r', { path: '/slow-once' });
    expect(builtByFetch(response)).toBe(false);
    expect(await response.text()).toBe('second attempt');
    expect(received.map((r) => r.method)).toEqual(['GET', 'GET']);

    received.length = 0;
    answers.set('/slow', silent);
    await expect(retrying.call('r', { path: '/slow', method: 'POST', body: { a: 1 } })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(received.map((r) => r.method)).toEqual(['POST']);
    await retrying.close();
  });

  it('the attempt timeout stops at the headers: a slow body is the caller’s to wait for', async () => {
    answers.set('/stall', stall);
    const c = client({ timeout: 100 });
    const { first, rest } = await readFirst(await c.call('r', { path: '/stall' }));
    expect(first).toBe('first chunk;');
    const outcome = await Promise.race([
      rest.then(
        () => 'ended',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still reading'), 400)),
    ]);
    expect(outcome).toBe('still reading');
    await c.close();
  });

  it('a connection cut mid-body errors the reader as fetch does: TypeError "terminated" with the cause', async () => {
    answers.set('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const outcomes = [];
    for (const c of [client(), viaFetch()]) {
      const { rest } = await readFirst(await c.call('r', { path: '/cut' }));
      const error = (await rest.then(
        () => undefined,
        (e: unknown) => e,
      )) as Error;
      outcomes.push({ type: error.constructor.name, message: error.message, hasCause: error.cause !== undefined });
    }
    expect(outcomes[0]).toEqual({ type: 'TypeError', message: 'terminated', hasCause: true });
    expect(outcomes[0]).toEqual(outcomes[1]);
  });

  it('a refused connection is retried even for a POST (connect stage); errors match fetch', async () => {
    const refused = createServer();
    await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
    const port = (refused.address() as AddressInfo).port;
    await new Promise<void>((resolve) => refused.close(() => resolve()));
    const errors = [];
    for (const fetchImpl of [undefined, (input: RequestInfo | URL, init?: RequestInit) => nodeFetch(input, init)]) {
      const retries: number[] = [];
      const c = new KnoxCall({
        baseUrl: server.base,
        proxyBaseUrl: `http://127.0.0.1:${port}`,
        apiKey: 'kc_test_key',
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        telemetry: { onRetry: (info) => retries.push(info.attempt) },
        ...(fetchImpl ? { fetchImpl } : {}),
      });
      const error = (await c.call('r', { path: '/x', method: 'POST', body: { a: 1 } }).catch((e: unknown) => e)) as Error;
      errors.push({ type: error.constructor.name, message: error.message, retries });
      expect(error).toBeInstanceOf(APIConnectionError);
    }
    expect(errors[0]).toEqual(errors[1]);
    expect(errors[0]?.retries).toEqual([1, 2]);
  });

  it('a POST whose connection drops before the headers is not re-sent; a GET is', async () => {
    answers.set('/drop', (req) => req.socket.destroy());
    const c = client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const post = (await c.call('r', { path: '/drop', method: 'POST', body: { a: 1 } }).catch((e: unknown) => e)) as Error;
    expect(post).toBeInstanceOf(APIConnectionError);
    expect(post.message).toMatch(/^network error: fetch failed/);
    expect(received.map((r) => r.method)).toEqual(['POST']);
    received.length = 0;
    await expect(c.call('r', { path: '/drop' })).rejects.toBeInstanceOf(APIConnectionError);
    expect(received.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });
});

describe('what stays with fetch', () => {
  beforeEach(() => {
    answers.set('/ok', (_req, res) => res.end('ok'));
  });

  it('a fetchImpl, a replaced globalThis.fetch, and bodies that need fetch (Blob, FormData, URLSearchParams, streams)', async () => {
    expect(builtByFetch(await viaFetch().call('r', { path: '/ok' }))).toBe(true);
    expect(builtByFetch(await client().call('r', { path: '/ok', method: 'POST', body: new Blob(['b']) }))).toBe(true);
    expect(builtByFetch(await client().call('r', { path: '/ok', method: 'POST', body: new URLSearchParams({ a: '1' }) }))).toBe(true);
    const form = new FormData();
    form.set('a', '1');
    expect(builtByFetch(await client().call('r', { path: '/ok', method: 'POST', body: form }))).toBe(true);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('s'));
        controller.close();
      },
    });
    expect(builtByFetch(await client().call('r', { path: '/ok', method: 'POST', body: stream }))).toBe(true);
    // Strings and bytes go through the dispatcher.
    expect(builtByFetch(await client().call('r', { path: '/ok', method: 'POST', body: new Uint8Array([1, 2]) }))).toBe(false);

    const seen: string[] = [];
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(String(input));
      return nodeFetch(input, init);
    }) as typeof fetch;
    expect(await (await client().call('r', { path: '/ok' })).text()).toBe('ok');
    expect(seen).toEqual([`${server.base}/ok`]);
  });

  it("undici's MockAgent set as the global dispatcher answers call() (the dispatcher is read per attempt)", async () => {
    const previous = getGlobalDispatcher();
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get(server.base)
      .intercept({ path: '/mocked', method: 'GET' })
      .reply(200, 'from the mock', { headers: { 'x-mock': 'yes' } });
    setGlobalDispatcher(agent);
    try {
      const response = await client().call('r', { path: '/mocked' });
      expect(response.headers.get('x-mock')).toBe('yes');
      expect(await response.text()).toBe('from the mock');
    } finally {
      setGlobalDispatcher(previous);
      await agent.close();
    }
    expect(received).toEqual([]);
  });
});
