/**
 * `client.auditLogs` (contract resources §9): the offset-paged console list, and the keyset
 * `events` feed for SIEM export (at-least-once; dedupe on `id`).
 */
import type { CursorPage, Page } from '../transport/pagination.js';
import type { AuditLogEntry, AuditLogEventsParams, ListAuditLogsParams } from './audit-logs.types.js';
import type { Endpoints, RequestOptions } from './define/index.js';

export interface AuditLogsResource {
  /** Newest first; may skip/repeat rows under concurrent writes. */
  list(params?: ListAuditLogsParams, opts?: RequestOptions): Promise<Page<AuditLogEntry>>;
  iterate(params?: ListAuditLogsParams, opts?: RequestOptions): AsyncIterableIterator<AuditLogEntry>;
  /** One page of the keyset feed. */
  events(params?: AuditLogEventsParams, opts?: RequestOptions): Promise<CursorPage<AuditLogEntry>>;
  /** Every event up to the current watermark, following `meta.next_cursor`. */
  iterateEvents(params?: AuditLogEventsParams, opts?: RequestOptions): AsyncIterableIterator<AuditLogEntry>;
}

export function createAuditLogs(api: Endpoints): AuditLogsResource {
  return {
    list: (params, opts) => api.listPage('/v1/audit-logs', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/audit-logs', params, opts),
    events: (params, opts) => api.listCursor('/v1/audit-logs/events', params, opts),
    iterateEvents: (params, opts) => api.iterateCursor('/v1/audit-logs/events', params, opts),
  };
}
