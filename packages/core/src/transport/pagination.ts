/**
 * Envelope shapes and the lazy iterators over page-numbered and cursor lists
 * (contract transport §4). Pages are plain `{data, meta}` objects, exactly as parsed.
 */

/** `meta` of a page-numbered list. */
export interface PageMeta {
  total: number;
  page: number;
  per_page: number;
  total_pages: number;
  request_id?: string;
  [key: string]: unknown;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

export interface PageParams {
  page?: number;
  per_page?: number;
}

/** `meta` of a keyset (cursor) feed: `/v1/logs`, `/v1/audit-logs/events`. */
export interface CursorMeta {
  /** Null means drained up to the current watermark, not end of feed. */
  next_cursor: string | null;
  limit: number;
  delivery?: 'at_least_once' | (string & {});
  /** Field to de-duplicate on (`request_id` for logs, `id` for audit events). */
  dedupe_on?: string;
  watermark_seconds?: number;
  request_id?: string;
  _redacted?: string[];
  [key: string]: unknown;
}

export interface CursorPage<T> {
  data: T[];
  meta: CursorMeta;
}

export interface CursorParams {
  cursor?: string;
  limit?: number;
}

/** `{data, meta}` as the server sends single objects. */
export interface ResponseMeta {
  request_id?: string;
  [key: string]: unknown;
}

export interface Envelope<T> {
  data: T;
  meta?: ResponseMeta;
}

/**
 * If `value` is a non-null object with a `data` key, its `data`; otherwise `value` itself
 * (raw text and null pass through). Contract transport §4.2.
 */
export function unwrap<T = unknown>(value: unknown): T {
  if (typeof value === 'object' && value !== null && 'data' in value) {
    return (value as { data: T }).data;
  }
  return value as T;
}

function integerOrZero(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function itemsOf<T>(page: unknown): T[] {
  const data = typeof page === 'object' && page !== null ? (page as { data?: unknown }).data : undefined;
  return Array.isArray(data) ? (data as T[]) : [];
}

function metaOf(page: unknown): Record<string, unknown> {
  const meta = typeof page === 'object' && page !== null ? (page as { meta?: unknown }).meta : undefined;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
}

/**
 * Lazily walks a page-numbered list (contract transport §4.3): starts at `params.page ?? 1`
 * (always sent explicitly), re-sends every other param on each page, and stops on an empty
 * page or once `page >= total_pages` (missing/non-numeric `total_pages` counts as 0).
 * Page N+1 is fetched only after page N's items were consumed; breaking out stops it.
 */
export async function* iteratePages<T, P extends PageParams = PageParams>(
  fetchPage: (params: P & { page: number }) => Promise<Page<T>>,
  params?: P,
): AsyncGenerator<T, void, undefined> {
  let current = params?.page ?? 1;
  for (;;) {
    const page: unknown = await fetchPage({ ...(params as P), page: current });
    const data = itemsOf<T>(page);
    for (const item of data) yield item;
    const totalPages = integerOrZero(metaOf(page).total_pages);
    if (data.length === 0 || current >= totalPages) return;
    current += 1;
  }
}

/**
 * Lazily walks a cursor feed (contract transport §4.4): yields every row, then continues
 * with `meta.next_cursor` verbatim. Stops when `next_cursor` is null, absent or empty, or
 * when an empty page came back for the very cursor just sent (no progress).
 */
export async function* iterateCursor<T, P extends CursorParams = CursorParams>(
  fetchPage: (params: P) => Promise<CursorPage<T>>,
  params?: P,
): AsyncGenerator<T, void, undefined> {
  let cursor = params?.cursor;
  for (;;) {
    const request = { ...(params as P) };
    if (cursor === undefined) delete request.cursor;
    else request.cursor = cursor;
    const page: unknown = await fetchPage(request);
    const data = itemsOf<T>(page);
    for (const item of data) yield item;
    const next = metaOf(page).next_cursor;
    if (typeof next !== 'string' || next === '') return;
    if (data.length === 0 && next === cursor) return;
    cursor = next;
  }
}
