/**
 * The one function every resource method calls (contract resources §0: "resources are
 * data, not code"). The client implements it with its management request pipeline, so a
 * resource call gets auth, retries, idempotency keys, Retry-After, typed errors and
 * telemetry for free.
 *
 * It resolves to the parsed response body, NOT unwrapped: the resource layer decides
 * between `unwrap()` (single objects, plain arrays) and the whole `{data, meta}` page.
 */
export interface ResourceRequestOptions {
  /** HTTP method, any case (upper-cased on the wire). */
  method: string;
  /** Management path starting with `/v1/…`; placeholders already percent-encoded. */
  path: string;
  /** Query members; `undefined`/`null` dropped, arrays repeat the key (contract transport §3.4). */
  query?: Record<string, unknown>;
  /** JSON-encoded per contract transport §3.3; `undefined` sends no body. */
  body?: unknown;
  /** Overrides the auto ULID; sent even on GET when given. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export type ResourceRequester = <T>(opts: ResourceRequestOptions) => Promise<T>;
