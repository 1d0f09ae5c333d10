import type { DirectRequest, DirectResponse, DirectSender } from '../transport/direct-sender.js';
import { decodeContent, defaultAcceptEncoding } from './decode-content.js';
import { type RawHeaderLines, RawResponseHeaders } from './raw-response-headers.js';
import { isNodeOwnFetch } from './runtime-fetch.js';

/**
 * Management attempts through undici's dispatcher: the HTTP client under Node's own fetch,
 * without fetch's WHATWG Request/Response/Headers objects and body streams. A management
 * call reads its whole answer as text, so nothing of those is needed.
 *
 * The dispatcher is the process's global one, registered under the symbol every copy of
 * undici shares (Node's bundled copy, and the npm package's `setGlobalDispatcher`). So a
 * user's `setGlobalDispatcher(new ProxyAgent(…))`, undici's MockAgent, Node's
 * NODE_USE_ENV_PROXY and undici's diagnostics channels (OpenTelemetry) apply here exactly as
 * they apply to fetch. Reading the symbol needs no copy of undici in the process: loading
 * the npm package would cost every process ~100 ms of CPU on its first management call.
 */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** The legacy dispatch handler protocol, which every undici version's dispatcher accepts. */
interface DispatchHandler {
  onConnect(abort: (reason?: unknown) => void): void;
  onHeaders(status: number, lines: RawHeaderLines, resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: unknown): void;
  onError(error: unknown): void;
}

interface Dispatcher {
  dispatch(
    options: {
      origin: string;
      path: string;
      method: string;
      headers: Readonly<Record<string, string>>;
      body: DirectRequest['body'] | null;
      maxRedirections: 0;
    },
    handler: DispatchHandler,
  ): boolean;
}

function globalDispatcher(): Dispatcher | undefined {
  const registered = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  return typeof (registered as Dispatcher | undefined)?.dispatch === 'function' ? (registered as Dispatcher) : undefined;
}

/**
 * The sender for this attempt, or undefined when fetch must carry it: on Bun and Deno (which
 * run the Node build but are not Node), when `globalThis.fetch` is not Node's own (a mock or
 * a wrapper must see the call), and when no global dispatcher is registered.
 */
export function dispatcherSender(): DirectSender | undefined {
  if (process.versions.bun !== undefined || process.versions.deno !== undefined) return undefined;
  if (!isNodeOwnFetch(globalThis.fetch)) return undefined;
  if (globalDispatcher() === undefined) {
    // Node's undici bundle registers its Agent when it loads, which fetch or any of its
    // globals triggers; before the process's first fetch nothing is registered yet.
    void globalThis.Headers;
    if (globalDispatcher() === undefined) return undefined;
  }
  return sendThroughDispatcher;
}

interface Target {
  url: string;
  origin: string;
  path: string;
  secure: boolean;
}

// A client calls the same few URLs over and over: the last one parsed is kept.
let lastTarget: Target | undefined;

function targetOf(url: string): Target {
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

function sendThroughDispatcher(request: DirectRequest): Promise<DirectResponse> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  const dispatcher = globalDispatcher();
  let target: Target;
  try {
    if (dispatcher === undefined) throw new TypeError('no global undici dispatcher is registered');
    target = targetOf(request.url);
  } catch (error) {
    return Promise.reject(error);
  }
  // undici reads the record and keeps nothing of it; a copy only when a header is added.
  const headers =
    request.headers['accept-encoding'] === undefined ? { ...request.headers, 'accept-encoding': defaultAcceptEncoding(target.secure) } : request.headers;
  return new Promise<DirectResponse>((resolve, reject) => {
    const handler = new CollectingHandler(request.method, signal, resolve, reject);
    // Redirects are answers here, never followed (maxRedirections 0, as fetch's own dispatch).
    dispatcher.dispatch({ origin: target.origin, path: target.path, method: request.method, headers, body: request.body ?? null, maxRedirections: 0 }, handler);
  });
}

const utf8 = new TextDecoder();

/**
 * Collects one response whole. Failures read as fetch's do (so `transportFailure` describes
 * them the same way): before the headers a TypeError "fetch failed", while the body streams
 * in a TypeError "terminated", each with undici's error as the cause; an abort rejects with
 * the signal's reason and stops the request, mid-body included. Listens to the signal as an
 * event-listener object: no closure per attempt.
 */
class CollectingHandler implements DispatchHandler {
  readonly #method: string;
  readonly #signal: AbortSignal;
  readonly #resolve: (response: DirectResponse) => void;
  readonly #reject: (error: unknown) => void;
  #abort: ((reason?: unknown) => void) | undefined;
  #settled = false;
  #status = 0;
  #lines: RawHeaderLines | undefined;
  readonly #chunks: Buffer[] = [];
  #length = 0;

  constructor(method: string, signal: AbortSignal, resolve: (response: DirectResponse) => void, reject: (error: unknown) => void) {
    this.#method = method;
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    signal.addEventListener('abort', this);
  }

  /** The signal aborted: reject now, and stop the request if it has started. */
  handleEvent(): void {
    const reason = this.#signal.reason;
    this.#settle();
    this.#reject(reason);
    this.#abort?.(reason);
  }

  onConnect(abort: (reason?: unknown) => void): void {
    if (this.#settled) abort(this.#signal.reason);
    else this.#abort = abort;
  }

  onHeaders(status: number, lines: RawHeaderLines): boolean {
    // 1xx interim answers (100 Continue, 103 Early Hints) are not the response.
    if (status < 200) return true;
    this.#status = status;
    this.#lines = lines;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settle();
    let response: DirectResponse;
    try {
      const headers = new RawResponseHeaders(this.#lines ?? []);
      const chunks = this.#chunks;
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#length);
      const body = decodeContent(raw, headers.get('content-encoding'), this.#method, this.#status);
      response = { status: this.#status, headers, text: utf8.decode(body) };
    } catch (error) {
      this.#reject(new TypeError('terminated', { cause: error }));
      return;
    }
    this.#resolve(response);
  }

  onError(error: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#reject(new TypeError(this.#lines === undefined ? 'fetch failed' : 'terminated', { cause: error }));
  }

  #settle(): void {
    this.#settled = true;
    this.#signal.removeEventListener('abort', this);
  }
}
