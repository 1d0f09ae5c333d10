import { ApiError } from '../../errors.js';
import { ok, paginate } from '../../reply.js';
import { makeRoute } from '../../row-factories.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import { validate } from '../../validate.js';
import { found, rowsOf } from './patch.js';

/**
 * `opportunities` (resources.md §18). Every emulated tenant starts with three suggestions
 * (as if client agents and proxy traffic had been observed), so list/accept/dismiss have
 * something to act on. `accept` really promotes: it creates a route (visible through
 * `routes.*` and proxyable) and moves the suggestion to `onboarded`.
 */

interface OpportunityRow {
  id: string;
  source: string;
  service: string;
  destination_host: string | null;
  status: string;
  confidence: number | null;
  suggested_route_json: Record<string, unknown> | null;
  evidence_json: Record<string, unknown> | null;
  accepted_route_id: string | null;
  created_at: string;
  updated_at: string;
  acted_at: string | null;
}

const SUGGESTIONS: ReadonlyArray<Pick<OpportunityRow, 'source' | 'service' | 'destination_host' | 'confidence'> & { collection?: string }> = [
  { source: 'agent_monitor', service: 'Stripe', destination_host: 'api.stripe.com', confidence: 0.97, collection: 'Payments' },
  { source: 'gateway_traffic', service: 'OpenAI', destination_host: 'api.openai.com', confidence: 0.91 },
  { source: 'agent_monitor', service: 'GitHub', destination_host: 'api.github.com', confidence: 0.64 },
];

const STATUSES = ['pending', 'snoozed', 'onboarded', 'dismissed'];

function store(ctx: HandlerContext): Map<string, OpportunityRow> {
  return ctx.state.store('ext:opportunities', () => {
    const now = ctx.nowIso();
    const rows = new Map<string, OpportunityRow>();
    for (const s of SUGGESTIONS) {
      const id = crypto.randomUUID();
      rows.set(id, {
        id,
        source: s.source,
        service: s.service,
        destination_host: s.destination_host,
        status: 'pending',
        confidence: s.confidence,
        suggested_route_json: { name: s.service, target_base_url: `https://${s.destination_host}`, ...(s.collection ? { collection_name: s.collection } : {}) },
        evidence_json: { requests_seen: 42, first_seen: now },
        accepted_route_id: null,
        created_at: now,
        updated_at: now,
        acted_at: null,
      });
    }
    return rows;
  });
}

/** Collection ids by name, so accepting into the same collection twice gives the same id. */
const collections = (ctx: HandlerContext) => ctx.state.store('ext:opportunity-collections', () => new Map<string, string>());

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'route'
  );
}

function uniqueSlug(ctx: HandlerContext, base: string): string {
  const taken = new Set([...ctx.state.routes.values()].map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
  return slug;
}

function actionable(row: OpportunityRow): void {
  if (row.status !== 'pending' && row.status !== 'snoozed') {
    throw ApiError.conflict(`Opportunity is already ${row.status}`, 'opportunity_not_pending');
  }
}

function accept(ctx: HandlerContext) {
  const row = found(store(ctx), ctx.params['id'], 'Opportunity');
  const v = validate(ctx.json());
  const collectionName = v.string('collection_name');
  const envName = v.string('environment');
  const secretRef = v.string('secret');
  const headerName = v.string('header_name');
  const valuePrefix = v.string('value_prefix');
  v.done();
  actionable(row);
  const environment = envName ?? ctx.state.defaultEnvironment()?.name ?? 'production';
  if (!ctx.state.environmentByName(environment)) throw ApiError.notFound(`Environment "${environment}"`);
  let secretName: string | undefined;
  if (secretRef !== undefined) {
    const secret = ctx.state.secrets.get(secretRef) ?? ctx.state.findSecretByName(secretRef);
    if (!secret) throw ApiError.notFound(`Secret "${secretRef}"`);
    secretName = secret.name;
  }
  const suggested = row.suggested_route_json ?? {};
  const collection = collectionName ?? (typeof suggested['collection_name'] === 'string' ? suggested['collection_name'] : 'Wrapped APIs');
  const byName = collections(ctx);
  const collectionId = byName.get(collection) ?? crypto.randomUUID();
  byName.set(collection, collectionId);
  // Without an explicit secret the server binds an escrowed wrap credential for the host.
  const credential = secretName !== undefined ? `{{secret:${secretName}}}` : `{{secret:wrap-${row.destination_host ?? 'upstream'}}}`;
  const route = makeRoute(ctx.state, {
    name: row.service,
    slug: uniqueSlug(ctx, slugify(row.service)),
    target_base_url: `https://${row.destination_host ?? 'upstream.invalid'}`,
    base_environment: environment,
    collection_id: collectionId,
    inject_headers_json: { [headerName ?? 'Authorization']: `${valuePrefix ?? 'Bearer '}${credential}` },
  });
  ctx.state.routes.set(route.id, route);
  const now = ctx.nowIso();
  Object.assign(row, { status: 'onboarded', accepted_route_id: route.id, acted_at: now, updated_at: now });
  return ok(ctx, { opportunity_id: row.id, route: { id: route.id, slug: route.slug, name: route.name }, collection_id: collectionId, environment });
}

function dismiss(ctx: HandlerContext) {
  const row = found(store(ctx), ctx.params['id'], 'Opportunity');
  actionable(row);
  const now = ctx.nowIso();
  Object.assign(row, { status: 'dismissed', acted_at: now, updated_at: now });
  return ok(ctx, { opportunity_id: row.id, status: row.status });
}

export const opportunityRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/opportunities',
    handler: (ctx) => {
      const status = ctx.query.get('status');
      if (status !== null && !STATUSES.includes(status)) {
        throw ApiError.badRequest(`status must be one of: ${STATUSES.join(', ')}`, 'invalid_parameter');
      }
      return paginate(
        ctx,
        rowsOf(store(ctx), (r) => status === null || r.status === status),
      );
    },
  },
  { method: 'POST', path: '/v1/opportunities/:id/accept', handler: accept },
  { method: 'POST', path: '/v1/opportunities/:id/dismiss', handler: dismiss },
];
