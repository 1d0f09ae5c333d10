import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { Readable, Writable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { HttpStack, StackHooks } from '../wrap/node-support.js';

type RequestFn = typeof http.request;
type Callback = (res: http.IncomingMessage) => void;

interface Parsed {
  url: URL;
  method: string;
  headers: Record<string, string | string[]>;
  callback: Callback | undefined;
}

function lowerHeaders(headers: OutgoingHttpHeaders | readonly string[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (headers === undefined) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

/** The URL, method and headers of `http.request(...)`'s three call shapes; undefined when they cannot be read. */
function parseArgs(args: unknown[], defaultProtocol: string): Parsed | undefined {
  try {
    let url: URL | undefined;
    let options: RequestOptions = {};
    let callback: Callback | undefined;
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      url = new URL(String(args[0]));
      if (typeof args[1] === 'function') callback = args[1] as Callback;
      else {
        options = (args[1] as RequestOptions | undefined) ?? {};
        callback = args[2] as Callback | undefined;
      }
    } else {
      options = (args[0] as RequestOptions | undefined) ?? {};
      callback = args[1] as Callback | undefined;
    }
    if (url === undefined || options.hostname !== undefined || options.host !== undefined || options.path !== undefined) {
      const protocol = options.protocol ?? url?.protocol ?? defaultProtocol;
      const hostname = options.hostname ?? options.host?.replace(/:\d+$/, '') ?? url?.hostname ?? 'localhost';
      const port = options.port ?? url?.port ?? '';
      const path = options.path ?? (url ? url.pathname + url.search : '/');
      const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
      url = new URL(`${protocol}//${host}${port !== '' && port !== undefined && port !== null ? `:${port}` : ''}${path}`);
    }
    return { url, method: (options.method ?? 'GET').toUpperCase(), headers: lowerHeaders(options.headers), callback };
  } catch {
    return undefined;
  }
}

/**
 * The request object handed back for a request KnoxCall carries: buffers what is written,
 * sends it with fetch on `end()`, then emits `response` with a readable that has the usual
 * `statusCode`/`headers`. Enough of `http.ClientRequest` for SDKs built on node:http.
 */
class InterceptedRequest extends Writable {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly protocol: string;
  readonly #url: URL;
  readonly #headers: Record<string, string | string[]>;
  readonly #chunks: Buffer[] = [];
  readonly #hooks: StackHooks;
  readonly #abort = new AbortController();
  #responded = false;

  constructor(parsed: Parsed, hooks: StackHooks) {
    super();
    this.#url = parsed.url;
    this.#headers = parsed.headers;
    this.#hooks = hooks;
    this.method = parsed.method;
    this.path = parsed.url.pathname + parsed.url.search;
    this.host = parsed.url.hostname;
    this.protocol = parsed.url.protocol;
    if (parsed.callback) this.once('response', parsed.callback);
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.#headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    return this;
  }
  getHeader(name: string): string | string[] | undefined {
    return this.#headers[name.toLowerCase()];
  }
  getHeaders(): Record<string, string | string[]> {
    return { ...this.#headers };
  }
  hasHeader(name: string): boolean {
    return this.#headers[name.toLowerCase()] !== undefined;
  }
  removeHeader(name: string): void {
    delete this.#headers[name.toLowerCase()];
  }
  flushHeaders(): void {}
  setNoDelay(): void {}
  setSocketKeepAlive(): void {}
  setTimeout(_ms: number, callback?: () => void): this {
    if (callback) this.once('timeout', callback);
    return this;
  }
  abort(): void {
    this.destroy();
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.#headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
    const body = this.#chunks.length > 0 ? Buffer.concat(this.#chunks) : undefined;
    this.#hooks
      .send(this.#url.href, { method: this.method, headers, body: body === undefined ? null : new Uint8Array(body), signal: this.#abort.signal })
      .then((response) => {
        this.#responded = true;
        callback();
        this.emit('response', toIncomingMessage(response));
      })
      .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Finishing destroys a Writable too; only an early or failed end aborts the exchange (and the body being read).
    if (!this.#responded || error !== null) this.#abort.abort(error ?? undefined);
    callback(error);
  }
}

function toIncomingMessage(response: Response): http.IncomingMessage {
  const readable = response.body ? Readable.fromWeb(response.body as unknown as NodeReadableStream) : Readable.from([]);
  const headers: IncomingHttpHeaders = {};
  const rawHeaders: string[] = [];
  response.headers.forEach((value, name) => {
    rawHeaders.push(name, value);
    if (name === 'set-cookie') headers['set-cookie'] = response.headers.getSetCookie();
    else headers[name] = value;
  });
  return Object.assign(readable, {
    statusCode: response.status,
    statusMessage: response.statusText,
    headers,
    rawHeaders,
    httpVersion: '1.1',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    trailers: {},
    rawTrailers: [],
    url: '',
    method: null,
    complete: true,
  }) as unknown as http.IncomingMessage;
}

function patched(original: RequestFn, defaultProtocol: string, hooks: StackHooks, get: boolean): RequestFn {
  return function interceptedRequest(this: unknown, ...args: unknown[]) {
    const parsed = parseArgs(args, defaultProtocol);
    if (parsed === undefined || !hooks.takes(parsed.url, parsed.method, parsed.headers)) {
      return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    }
    const request = new InterceptedRequest(parsed, hooks);
    if (get) request.end();
    return request as unknown as http.ClientRequest;
  } as RequestFn;
}

/** Patches `request`/`get` of node:http and node:https (and their ESM named exports). */
export const nodeHttpStack: HttpStack = {
  install(hooks) {
    const saved = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };
    http.request = patched(saved.httpRequest, 'http:', hooks, false);
    http.get = patched(saved.httpGet as RequestFn, 'http:', hooks, true) as typeof http.get;
    https.request = patched(saved.httpsRequest as RequestFn, 'https:', hooks, false) as typeof https.request;
    https.get = patched(saved.httpsGet as RequestFn, 'https:', hooks, true) as typeof https.get;
    syncBuiltinESMExports();
    return () => {
      http.request = saved.httpRequest;
      http.get = saved.httpGet;
      https.request = saved.httpsRequest;
      https.get = saved.httpsGet;
      syncBuiltinESMExports();
    };
  },
};
