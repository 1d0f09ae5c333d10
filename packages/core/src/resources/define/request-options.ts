/**
 * The trailing per-call options every resource method accepts (contract resources §0).
 * `idempotencyKey` overrides the automatic ULID on mutating calls and is sent even on a GET;
 * `signal` aborts the call (an `APIUserAbortError`, never retried).
 */
export interface RequestOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}
