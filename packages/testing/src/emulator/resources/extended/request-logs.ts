import { ApiError } from '../../errors.js';
import { ok } from '../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import type { EmulatorState, RouteLogRow, RouteRow } from '../../state.js';

/**
 * `logs` (resources.md §11): the per-request proxy log as a keyset feed. Rows are the calls
 * the emulator's data plane actually proxied (each route's `logs`), numbered in the order
 * the feed first sees them — so a call made after a drained read appears behind the last
 * cursor, exactly the "null = drained to the watermark, not end of feed" semantics.
 *
 * Identity-tier fields (`src_ip`, `matched_client_id`, `identification_method`) are left
 * OUT unless the credential's scope holds `log:read_identity`; `meta._redacted` says so.
 */

interface FeedEntry {
  seq: number;
  route: RouteRow;
  row: RouteLogRow;
}

interface FeedStore {
  seqOf: WeakMap<RouteLogRow, number>;
  entries: FeedEntry[];
  next: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const IDENTITY_SCOPE = 'log:read_identity';

function feed(state: EmulatorState): FeedEntry[] {
  const store = state.store<FeedStore>('ext:request-log-feed', () => ({ seqOf: new WeakMap(), entries: [], next: 1 }));
  const unseen: Array<{ route: RouteRow; row: RouteLogRow }> = [];
  for (const route of state.routes.values()) {
    for (const row of route.logs) if (!store.seqOf.has(row)) unseen.push({ route, row });
  }
  // Within a route the array is chronological; across routes only `ts` (ms) orders them, so
  // calls on two routes in the same millisecond are numbered in route order — still a valid
  // ascending keyset feed.
  unseen.sort((a, b) => a.row.ts.localeCompare(b.row.ts));
  for (const { route, row } of unseen) {
    const seq = store.next++;
    store.seqOf.set(row, seq);
    store.entries.push({ seq, route, row });
  }
  return store.entries;
}

/** Opaque to clients; the emulator only needs to read its own cursors back. */
const cursorOf = (seq: number) => `lc_${seq.toString(36).padStart(8, '0')}`;

function seqFromCursor(cursor: string): number {
  const m = /^lc_([0-9a-z]{8,})$/.exec(cursor);
  if (!m) throw ApiError.badRequest('cursor is not a cursor this feed issued', 'invalid_cursor');
  return Number.parseInt(m[1]!, 36);
}

function canReadIdentity(ctx: HandlerContext): boolean {
  return (ctx.auth?.scope ?? '').split(/\s+/).includes(IDENTITY_SCOPE);
}

function project(ctx: HandlerContext, entry: FeedEntry): Record<string, unknown> {
  const { row, route, seq } = entry;
  const identity = canReadIdentity(ctx);
  // The first twelve members are the Merkle leaf fields, in the contract's order.
  const out: Record<string, unknown> = {
    id: String(seq),
    request_id: row.request_id,
    tenant_id: ctx.state.account.id,
    route_id: route.id,
  };
  if (identity) {
    out.matched_client_id = null;
    out.identification_method = 'api_key';
  }
  out.method = row.method;
  out.status_code = row.status_code;
  if (identity) out.src_ip = row.src_ip;
  Object.assign(out, {
    environment: row.environment,
    sandbox: route.sandbox,
    ts: row.ts,
    path: row.path,
    latency_ms: row.latency_ms,
    upstream_host: row.upstream_host,
    error: row.error,
    rate_limited: row.rate_limited,
    proxy_mode: 'route',
    client_origin: 'direct',
    cursor: cursorOf(seq),
  });
  return out;
}

function intParam(ctx: HandlerContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw ApiError.badRequest(`${name} must be an integer (got "${raw}")`, 'invalid_parameter');
  return Number(raw);
}

function list(ctx: HandlerContext) {
  const cursor = ctx.query.get('cursor');
  const after = cursor === null || cursor === '' ? 0 : seqFromCursor(cursor);
  const limit = Math.min(Math.max(intParam(ctx, 'limit') ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const routeId = ctx.query.get('route_id');
  const status = intParam(ctx, 'status_code');
  const matching = feed(ctx.state).filter(
    (e) => e.seq > after && (routeId === null || e.route.id === routeId) && (status === undefined || e.row.status_code === status),
  );
  const page = matching.slice(0, limit);
  const last = page[page.length - 1];
  const meta: Record<string, unknown> = {
    next_cursor: matching.length > limit && last ? cursorOf(last.seq) : null,
    limit,
    delivery: 'at_least_once',
    dedupe_on: 'request_id',
    watermark_seconds: 0,
    request_id: ctx.requestId,
  };
  if (!canReadIdentity(ctx)) meta._redacted = ['identity'];
  return { status: 200, body: { data: page.map((e) => project(ctx, e)), meta } };
}

function entryFor(ctx: HandlerContext): FeedEntry {
  const requestId = ctx.params['requestId'] ?? '';
  const entry = feed(ctx.state).find((e) => e.row.request_id === requestId);
  if (!entry) throw ApiError.notFound('Request log');
  return entry;
}

/** No anchoring runs in the emulator, so every proof reports `not_yet_anchored` (HTTP 200). */
function proof(ctx: HandlerContext) {
  const entry = entryFor(ctx);
  return ok(ctx, {
    ...project(ctx, entry),
    anchored: false,
    verified: false,
    reason: 'not_yet_anchored',
    detail: 'The row has not been included in an anchored Merkle range yet.',
    verification: {
      algo: 'sha256-merkle',
      leaf_fields: [
        'id',
        'request_id',
        'tenant_id',
        'route_id',
        'matched_client_id',
        'identification_method',
        'method',
        'status_code',
        'src_ip',
        'environment',
        'sandbox',
        'ts',
      ],
      note: 'The leaf is built from the first twelve RequestLog fields in this order.',
    },
  });
}

export const requestLogRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/logs', handler: list },
  { method: 'GET', path: '/v1/logs/:requestId', handler: (ctx) => ok(ctx, project(ctx, entryFor(ctx))) },
  { method: 'GET', path: '/v1/logs/:requestId/proof', handler: proof },
];
