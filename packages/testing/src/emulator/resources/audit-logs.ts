import { ApiError } from '../errors.js';
import { paginate } from '../reply.js';
import type { RouteRegistration } from '../router.js';
import type { AuditRow } from '../state.js';

/**
 * `auditLogs` (resources.md §9): the offset-paged list (newest first) and the keyset feed
 * `/v1/audit-logs/events` (ascending, opaque cursor, at-least-once, dedupe on `id`).
 * Every mutating call in the emulator appends an entry.
 */

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function view(r: AuditRow) {
  return {
    id: r.id,
    action: r.action,
    resource_type: r.resource_type,
    resource_id: r.resource_id,
    details: r.details,
    ip_address: r.ip_address,
    created_at: r.created_at,
  };
}

const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^seq:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw ApiError.badRequest('cursor is not a cursor this server issued', 'invalid_cursor');
  return Number(m[1]);
}

export const auditLogRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/audit-logs',
    handler: (ctx) => {
      const action = ctx.query.get('action');
      const type = ctx.query.get('resource_type');
      const rows = [...ctx.state.auditLog].reverse().filter((r) => (action === null || r.action === action) && (type === null || r.resource_type === type));
      return paginate(ctx, rows.map(view));
    },
  },
  {
    method: 'GET',
    path: '/v1/audit-logs/events',
    handler: (ctx) => {
      const q = ctx.query;
      const rawLimit = q.get('limit');
      if (rawLimit !== null && !/^\d+$/.test(rawLimit)) throw ApiError.badRequest('limit must be a positive integer', 'invalid_parameter');
      const limit = Math.min(Math.max(rawLimit === null ? DEFAULT_LIMIT : Number(rawLimit), 1), MAX_LIMIT);
      const after = q.get('cursor') ? decodeCursor(q.get('cursor')!) : 0;
      const action = q.get('action');
      const prefix = q.get('action_prefix');
      const type = q.get('resource_type');
      const matching = ctx.state.auditLog.filter(
        (r) =>
          r.seq > after &&
          (action === null || r.action === action) &&
          (prefix === null || r.action.startsWith(prefix)) &&
          (type === null || r.resource_type === type),
      );
      const page = matching.slice(0, limit);
      const last = page[page.length - 1];
      // A full page may have more behind it; a short page means "drained to the watermark".
      const next = page.length === limit && last ? encodeCursor(last.seq) : null;
      return {
        status: 200,
        body: {
          data: page.map(view),
          meta: { next_cursor: next, limit, delivery: 'at_least_once', dedupe_on: 'id', watermark_seconds: 0, request_id: ctx.requestId },
        },
      };
    },
  },
];
