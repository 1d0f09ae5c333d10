import { ApiError } from './errors.js';
import type { HandlerContext } from './router.js';

/** What a handler returns; the server serialises it. `text` wins over `body` (raw, not JSON). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised when present. */
  body?: unknown;
  /** Raw text body (PEM, CRL, …). */
  text?: string;
  /** Content type for `text` (default `text/plain; charset=utf-8`). */
  contentType?: string;
  /** Raw bytes, sent verbatim with `headers` as given (proxied upstream answers). */
  raw?: Uint8Array;
}

/** `{data, meta: {request_id}}` — the single-object / plain-array envelope. */
export function ok(ctx: HandlerContext, data: unknown, status = 200, extraMeta: Record<string, unknown> = {}): Reply {
  return { status, body: { data, meta: { request_id: ctx.requestId, ...extraMeta } } };
}

/** Bare `{data}` without `meta` (oauth-clients), with optional top-level members (`warning`). */
export function bare(data: unknown, status = 200, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { data, ...extra } };
}

export function text(body: string, contentType = 'text/plain; charset=utf-8', status = 200): Reply {
  return { status, text: body, contentType };
}

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

function positiveInt(ctx: HandlerContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    throw ApiError.badRequest(`${name} must be a positive integer (got "${raw}")`, 'invalid_parameter');
  }
  return Number(raw);
}

/**
 * Page-number pagination as the server does it: 1-based `page`, `per_page` default 20 and
 * silently capped at 100, `total_pages = ceil(total / per_page)` (0 when empty). A page past the
 * end is an empty `data` with the true totals. Non-numeric or < 1 values are a 400.
 */
export function paginate<T>(ctx: HandlerContext, items: readonly T[]): Reply {
  const page = positiveInt(ctx, 'page', 1);
  const perPage = Math.min(positiveInt(ctx, 'per_page', DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const total = items.length;
  const start = (page - 1) * perPage;
  const data = items.slice(start, start + perPage);
  return {
    status: 200,
    body: {
      data,
      meta: { total, page, per_page: perPage, total_pages: Math.ceil(total / perPage), request_id: ctx.requestId },
    },
  };
}
