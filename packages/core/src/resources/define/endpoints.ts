import type { ResourceRequester } from '../../transport/resource-request.js';
import type { CursorPage, CursorParams, Page, PageParams } from '../../transport/pagination.js';
import { iterateCursor, iteratePages, unwrap } from '../../transport/pagination.js';
import { type PathLike, renderPath } from './path.js';
import type { RequestOptions } from './request-options.js';
import type { WireBody } from './wire-body.js';

/** Query members as the caller gave them; the transport drops undefined/null (transport §3.4). */
export type QueryParams = object;

/** Methods that carry a body (or explicitly none, via `NO_BODY`). */
export type MutatingMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The return-shape helpers a resource declares its methods with. Each one is a single call
 * of the shared requester (auth, retries, idempotency, errors live there) plus the contract's
 * unwrap rule for that shape (transport §4.2). Bound once per client by `bindEndpoints`.
 */
export interface Endpoints {
  /** GET → the unwrapped `data` object (`T`). */
  getOne<T>(path: PathLike, query?: QueryParams, opts?: RequestOptions): Promise<T>;
  /** GET → the unwrapped `data` array of a plain-array endpoint (`T[]`, no pagination). */
  plainArray<T>(path: PathLike, query?: QueryParams, opts?: RequestOptions): Promise<T[]>;
  /** GET → the whole `{data, meta}` page (`Page<T>`, not unwrapped). */
  listPage<T>(path: PathLike, params?: PageParams & QueryParams, opts?: RequestOptions): Promise<Page<T>>;
  /** GET × n → every item of every page, lazily, `page` sent explicitly from `params.page ?? 1`. */
  iteratePage<T>(path: PathLike, params?: PageParams & QueryParams, opts?: RequestOptions): AsyncIterableIterator<T>;
  /** GET → the whole `{data, meta}` of a keyset feed (`CursorPage<T>`). */
  listCursor<T>(path: PathLike, params?: CursorParams & QueryParams, opts?: RequestOptions): Promise<CursorPage<T>>;
  /** GET × n → every row of a keyset feed, following `meta.next_cursor`. */
  iterateCursor<T>(path: PathLike, params?: CursorParams & QueryParams, opts?: RequestOptions): AsyncIterableIterator<T>;
  /** GET → the raw response text (PEM, CRL), never unwrapped; an empty body is `""`. */
  rawText(path: PathLike, opts?: RequestOptions): Promise<string>;
  /**
   * POST/PUT/PATCH/DELETE → the unwrapped `data`. `body` is a `fields(input)` object, or
   * `NO_BODY` for "no body, no Content-Type".
   */
  mutate<T>(method: MutatingMethod, path: PathLike, body: WireBody | undefined, opts?: RequestOptions, query?: QueryParams): Promise<T>;
  /** Any method → the parsed body as the server sent it (for the few envelope exceptions). */
  envelope<T>(method: 'GET' | MutatingMethod, path: PathLike, body: WireBody | undefined, opts?: RequestOptions, query?: QueryParams): Promise<T>;
}

function callOptions(opts: RequestOptions | undefined): { idempotencyKey?: string; signal?: AbortSignal } {
  const out: { idempotencyKey?: string; signal?: AbortSignal } = {};
  if (opts?.idempotencyKey !== undefined) out.idempotencyKey = opts.idempotencyKey;
  if (opts?.signal !== undefined) out.signal = opts.signal;
  return out;
}

function queryOf(params: QueryParams | undefined): Record<string, unknown> | undefined {
  return params === undefined ? undefined : { ...(params as Record<string, unknown>) };
}

/**
 * The options for each page request of an iterator: the signal applies to every page, the
 * caller's idempotency key only to the first (one key names one request; re-sending it with
 * other query parameters would look like a key reused for a different request).
 */
function onePageAtATime(opts: RequestOptions | undefined): () => RequestOptions | undefined {
  let first = true;
  return () => {
    if (first) {
      first = false;
      return opts;
    }
    return opts?.signal === undefined ? undefined : { signal: opts.signal };
  };
}

/** @internal Binds the return-shape helpers to one requester. */
export function bindEndpoints(requester: ResourceRequester): Endpoints {
  async function send<T>(method: string, p: PathLike, body: WireBody | undefined, opts: RequestOptions | undefined, query?: QueryParams): Promise<T> {
    const request: Parameters<ResourceRequester>[0] = { method, path: renderPath(p), ...callOptions(opts) };
    const q = queryOf(query);
    if (q !== undefined) request.query = q;
    if (body !== undefined) request.body = body;
    return requester<T>(request);
  }

  const endpoints: Endpoints = {
    async getOne<T>(p: PathLike, query?: QueryParams, opts?: RequestOptions) {
      return unwrap<T>(await send<unknown>('GET', p, undefined, opts, query));
    },
    async plainArray<T>(p: PathLike, query?: QueryParams, opts?: RequestOptions) {
      return unwrap<T[]>(await send<unknown>('GET', p, undefined, opts, query));
    },
    listPage<T>(p: PathLike, params?: QueryParams, opts?: RequestOptions) {
      return send<Page<T>>('GET', p, undefined, opts, params);
    },
    iteratePage<T>(p: PathLike, params?: PageParams & QueryParams, opts?: RequestOptions) {
      const perPage = onePageAtATime(opts);
      return iteratePages<T, PageParams>((pageParams) => endpoints.listPage<T>(p, pageParams, perPage()), params);
    },
    listCursor<T>(p: PathLike, params?: QueryParams, opts?: RequestOptions) {
      return send<CursorPage<T>>('GET', p, undefined, opts, params);
    },
    iterateCursor<T>(p: PathLike, params?: CursorParams & QueryParams, opts?: RequestOptions) {
      const perPage = onePageAtATime(opts);
      return iterateCursor<T, CursorParams>((cursorParams) => endpoints.listCursor<T>(p, cursorParams, perPage()), params);
    },
    async rawText(p: PathLike, opts?: RequestOptions) {
      const body = await send<unknown>('GET', p, undefined, opts);
      // The transport hands back non-JSON text as a string and an empty body as null.
      if (body === null || body === undefined) return '';
      return typeof body === 'string' ? body : JSON.stringify(body);
    },
    async mutate<T>(method: MutatingMethod, p: PathLike, body: WireBody | undefined, opts?: RequestOptions, query?: QueryParams) {
      return unwrap<T>(await send<unknown>(method, p, body, opts, query));
    },
    envelope<T>(method: 'GET' | MutatingMethod, p: PathLike, body: WireBody | undefined, opts?: RequestOptions, query?: QueryParams) {
      return send<T>(method, p, body, opts, query);
    },
  };
  return endpoints;
}
