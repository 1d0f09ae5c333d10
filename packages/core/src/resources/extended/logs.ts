/**
 * `client.logs` (contract resources §11): the per-request proxy log, a keyset feed. `null`
 * `next_cursor` means "drained to the watermark", not end of feed; delivery is
 * at-least-once, so dedupe on `request_id`.
 */
import type { CursorPage } from '../../transport/pagination.js';
import { type Endpoints, path, type RequestOptions } from '../define/index.js';
import type { ListRequestLogsParams, RequestLog, RequestLogProof } from './types/logs.js';

export interface LogsResource {
  list(params?: ListRequestLogsParams, opts?: RequestOptions): Promise<CursorPage<RequestLog>>;
  /** Follows `meta.next_cursor` until the feed is drained to its current watermark. */
  iterate(params?: ListRequestLogsParams, opts?: RequestOptions): AsyncIterableIterator<RequestLog>;
  /** `requestId` is the proxied call's `X-Request-Id`. */
  get(requestId: string, opts?: RequestOptions): Promise<RequestLog>;
  /** Merkle inclusion proof; every outcome is HTTP 200 — read `anchored` and `verified`. */
  proof(requestId: string, opts?: RequestOptions): Promise<RequestLogProof>;
}

export function createLogs(api: Endpoints): LogsResource {
  return {
    list: (params, opts) => api.listCursor('/v1/logs', params, opts),
    iterate: (params, opts) => api.iterateCursor('/v1/logs', params, opts),
    get: (requestId, opts) => api.getOne(path`/v1/logs/${requestId}`, undefined, opts),
    proof: (requestId, opts) => api.getOne(path`/v1/logs/${requestId}/proof`, undefined, opts),
  };
}
