import { defaultAcceptEncoding } from './content-codings.js';
import type { RawHeaderLines } from './raw-response-headers.js';
import { isNodeOwnFetch } from './runtime-fetch.js';

/**
 * What the two dispatcher senders (management: dispatcher-sender.ts, data plane:
 * streaming-dispatch.ts) share: which dispatcher, when it may be used, how a URL becomes a
 * dispatch target, the request headers fetch would add, and how failures read.
 *
 * The dispatcher is the process's global one, registered under the symbol every copy of
 * undici shares (Node's bundled copy, and the npm package's `setGlobalDispatcher`). So a
 * user's `setGlobalDispatcher(new ProxyAgent(…))`, undici's MockAgent, Node's
 * NODE_USE_ENV_PROXY and undici's diagnostics channels (OpenTelemetry) apply here exactly as
 * they apply to fetch. Reading the symbol needs no copy of undici in the process: loading
 * the npm package would cost every process ~100 ms of CPU on its first call.
 */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** The legacy dispatch handler protocol, which every undici version's dispatcher accepts. */
export interface DispatchHandler {
  onConnect(abort: (reason?: unknown) => void): void;
  onHeaders(status: number, lines: RawHeaderLines, resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: unknown): void;
  onError(error: unknown): void;
}

/** A body the dispatcher sends as it is: bytes or text. */
export type DispatchBody = string | ArrayBuffer | ArrayBufferView | undefined;

export interface Dispatcher {
  dispatch(
    options: {
      origin: string;
      path: string;
      method: string;
      headers: Readonly<Record<string, string>>;
      body: DispatchBody | null;
      maxRedirections: 0;
    },
    handler: DispatchHandler,
  ): boolean;
}

export function globalDispatcher(): Dispatcher | undefined {
  const registered = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  return typeof (registered as Dispatcher | undefined)?.dispatch === 'function' ? (registered as Dispatcher) : undefined;
}

/**
 * Whether this attempt may skip fetch: not on Bun and Deno (which run the Node build but are
 * not Node), not when `globalThis.fetch` is not Node's own (a mock or a wrapper must see the
 * call), and not while no global dispatcher is registered.
 */
export function dispatcherUsable(): boolean {
  if (process.versions.bun !== undefined || process.versions.deno !== undefined) return false;
  if (!isNodeOwnFetch(globalThis.fetch)) return false;
  if (globalDispatcher() === undefined) {
    // Node's undici bundle registers its Agent when it loads, which fetch or any of its
    // globals triggers; before the process's first fetch nothing is registered yet.
    void globalThis.Headers;
    if (globalDispatcher() === undefined) return false;
  }
  return true;
}

export interface Target {
  url: string;
  origin: string;
  path: string;
  secure: boolean;
}

// A client calls the same few URLs over and over: the last one parsed is kept.
let lastTarget: Target | undefined;

/** The dispatch target of `url`, with fetch's errors for a URL it would refuse. */
export function targetOf(url: string): Target {
  if (lastTarget?.url === url) return lastTarget;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TypeError(`Failed to parse URL from ${url}`, { cause: error });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url}`);
  }
  // As fetch: the path and query as parsed (normalised, percent-encoded), a bare trailing "?" kept.
  const path = parsed.pathname + parsed.search;
  const bareQuestionMark = parsed.search === '' && url.slice(0, url.length - parsed.hash.length).endsWith('?');
  lastTarget = { url, origin: parsed.origin, path: bareQuestionMark ? `${path}?` : path, secure: parsed.protocol === 'https:' };
  return lastTarget;
}

/** The headers to send: the caller's, plus fetch's default Accept-Encoding when they set none. */
export function dispatchHeaders(headers: Readonly<Record<string, string>>, target: Target): Readonly<Record<string, string>> {
  // undici reads the record and keeps nothing of it; a copy only when a header is added.
  return headers['accept-encoding'] === undefined ? { ...headers, 'accept-encoding': defaultAcceptEncoding(target.secure) } : headers;
}

/**
 * The headers fetch would send (a data-plane request reaches the caller's upstream, which sees
 * every header): the caller's, plus each default fetch adds where they set none — Accept,
 * Accept-Language, Sec-Fetch-Mode and Accept-Encoding. (User-Agent: the client always sets it.)
 */
export function fetchLikeHeaders(headers: Readonly<Record<string, string>>, target: Target): Readonly<Record<string, string>> {
  const sent: Record<string, string> = { ...headers };
  sent.accept ??= '*/*';
  sent['accept-language'] ??= '*';
  sent['sec-fetch-mode'] ??= 'cors';
  sent['accept-encoding'] ??= defaultAcceptEncoding(target.secure);
  return sent;
}

/**
 * A dispatch failure as fetch reports it (so `transportFailure` describes it the same way):
 * before the headers a TypeError "fetch failed", once the body streams a TypeError
 * "terminated", each with undici's error as the cause.
 */
export function dispatchFailure(error: unknown, headersReceived: boolean): TypeError {
  return new TypeError(headersReceived ? 'terminated' : 'fetch failed', { cause: error });
}

/**
 * Sends one attempt through the global dispatcher: the URL made a target (a URL fetch would
 * refuse rejects as fetch's does), `headersFor` the headers to send, `handlerFor` the handler
 * that settles the promise. Redirects are answers, never followed (maxRedirections 0, as
 * fetch's own dispatch with redirect: 'manual').
 */
export function dispatchAttempt<T>(
  request: { url: string; method: string; headers: Readonly<Record<string, string>>; body: DispatchBody },
  headersFor: (headers: Readonly<Record<string, string>>, target: Target) => Readonly<Record<string, string>>,
  handlerFor: (resolve: (value: T) => void, reject: (error: unknown) => void) => DispatchHandler,
): Promise<T> {
  const dispatcher = globalDispatcher();
  let target: Target;
  try {
    if (dispatcher === undefined) throw new TypeError('no global undici dispatcher is registered');
    target = targetOf(request.url);
  } catch (error) {
    return Promise.reject(error);
  }
  const headers = headersFor(request.headers, target);
  return new Promise<T>((resolve, reject) => {
    const handler = handlerFor(resolve, reject);
    dispatcher.dispatch({ origin: target.origin, path: target.path, method: request.method, headers, body: request.body ?? null, maxRedirections: 0 }, handler);
  });
}
