import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { omit } from '../omit.js';
import { ok, paginate } from '../reply.js';
import { makeEnvConfig, makeRoute } from '../row-factories.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { RouteEnvConfigRow, RouteRow } from '../state.js';
import { validate } from '../validate.js';

/** `routes` (resources.md §1): CRUD, per-environment configs, request logs, field actions. */

const SLUG = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

function routeOr404(ctx: HandlerContext): RouteRow {
  const route = ctx.state.findRoute(ctx.params['id'] ?? '');
  if (!route) throw ApiError.notFound('Route');
  return route;
}

function baseConfig(route: RouteRow): RouteEnvConfigRow | undefined {
  return route.configs.get(route.base_environment);
}

function listItem(route: RouteRow) {
  const base = baseConfig(route);
  return {
    id: route.id,
    name: route.name,
    slug: route.slug,
    target_base_url: base?.target_base_url ?? null,
    base_environment: route.base_environment,
    enabled: route.enabled,
    requires_clients: route.requires_clients,
    collection_id: route.collection_id,
    created_at: route.created_at,
    environment_override_count: route.configs.size - (base ? 1 : 0),
    require_signature: base?.require_signature ?? null,
    rate_limit_enabled: base?.rate_limit_enabled ?? null,
    rate_limit_requests: base?.rate_limit_requests ?? null,
    rate_limit_window_sec: base?.rate_limit_window_sec ?? null,
    allowed_methods: base?.allowed_methods ?? null,
    intercept_enabled: route.intercept_enabled,
  };
}

function detail(route: RouteRow) {
  const base = baseConfig(route);
  return {
    ...omit(listItem(route), 'require_signature', 'rate_limit_enabled', 'rate_limit_requests', 'rate_limit_window_sec', 'allowed_methods'),
    mtls_certificate_id: route.mtls_certificate_id,
    configured_environments: [...route.configs.keys()].sort(),
    ...(base
      ? {
          payload_structure: base.payload_structure,
          injection_rules: base.injection_rules,
          ip_allowlist: base.ip_allowlist,
          data_plane_node_id: base.data_plane_node_id,
        }
      : {}),
  };
}

function record(route: RouteRow) {
  return {
    id: route.id,
    tenant_id: route.tenant_id,
    name: route.name,
    slug: route.slug,
    sandbox: route.sandbox,
    target_base_url: baseConfig(route)?.target_base_url ?? null,
    enabled: route.enabled,
    created_at: route.created_at,
    requires_clients: route.requires_clients,
    base_environment: route.base_environment,
    mtls_certificate_id: route.mtls_certificate_id,
    egress_server_id: route.egress_server_id,
    collection_id: route.collection_id,
    favicon_url: null,
    favicon_updated_at: null,
    favicon_data: null,
  };
}

function envSummary(cfg: RouteEnvConfigRow) {
  return {
    environment_name: cfg.environment_name,
    target_base_url: cfg.target_base_url,
    inject_headers_json: cfg.inject_headers_json,
    inject_body_json: cfg.inject_body_json,
    require_signature: cfg.require_signature,
    signature_tolerance_sec: cfg.signature_tolerance_sec,
    rate_limit_enabled: cfg.rate_limit_enabled,
    rate_limit_requests: cfg.rate_limit_requests,
    rate_limit_window_sec: cfg.rate_limit_window_sec,
    rate_limit_burst: cfg.rate_limit_burst,
    allowed_methods: cfg.allowed_methods,
    enabled: cfg.enabled,
    requires_clients: cfg.requires_clients,
    mtls_certificate_id: cfg.mtls_certificate_id,
  };
}

function assertSlugFree(ctx: HandlerContext, slug: string, self?: RouteRow): void {
  if (!SLUG.test(slug)) throw ApiError.validation({ slug: ['must be lower-case letters, digits and dashes'] });
  for (const r of ctx.state.routes.values())
    if (r !== self && r.slug === slug) throw ApiError.conflict(`Slug "${slug}" is already used by another route`, 'slug_taken');
}

/** The config fields shared by the route PATCH and the environment upsert. */
function applyConfigFields(v: ReturnType<typeof validate>, cfg: RouteEnvConfigRow): void {
  const target = v.url('target_base_url');
  if (target !== undefined) cfg.target_base_url = target;
  const ih = v.object('inject_headers_json');
  if (ih !== undefined) cfg.inject_headers_json = ih;
  const ib = v.object('inject_body_json');
  if (ib !== undefined) cfg.inject_body_json = ib;
  const ip = v.stringArray('ip_allowlist');
  if (ip !== undefined) cfg.ip_allowlist = ip;
  const bools = ['require_signature', 'rate_limit_enabled', 'intercept_enabled', 'enabled', 'http_method_restrictions_enabled'] as const;
  for (const b of bools) {
    const val = v.bool(b);
    if (val !== undefined) cfg[b] = val;
  }
  const ints = ['signature_tolerance_sec', 'rate_limit_requests', 'rate_limit_window_sec', 'rate_limit_burst'] as const;
  for (const n of ints) {
    const val = v.int(n, { min: 0, nullable: true });
    if (val !== undefined) cfg[n] = val;
  }
  const methods = v.stringArray('allowed_methods');
  if (methods !== undefined) cfg.allowed_methods = methods.map((m) => m.toUpperCase());
}

export const routeRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/routes',
    handler: (ctx) => {
      let rows = [...ctx.state.routes.values()];
      const enabled = ctx.query.get('enabled');
      if (enabled === 'true' || enabled === 'false') rows = rows.filter((r) => r.enabled === (enabled === 'true'));
      return paginate(ctx, rows.map(listItem));
    },
  },
  { method: 'GET', path: '/v1/routes/:id', handler: (ctx) => ok(ctx, detail(routeOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/routes',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const target = v.url('target_base_url', { required: true });
      const slug = v.nullableString('slug');
      const baseEnv = v.string('base_environment');
      const ih = v.object('inject_headers_json');
      const ib = v.object('inject_body_json');
      const ip = v.stringArray('ip_allowlist');
      const intercept = v.bool('intercept_enabled');
      const collection = v.nullableString('collection_id');
      v.done();
      if (slug) assertSlugFree(ctx, slug);
      if (baseEnv !== undefined && !ctx.state.environmentByName(baseEnv)) throw ApiError.validation({ base_environment: [`unknown environment "${baseEnv}"`] });
      const route = makeRoute(ctx.state, {
        name: name!,
        slug: slug ?? null,
        target_base_url: target!,
        ...(baseEnv !== undefined ? { base_environment: baseEnv } : {}),
        ...(ih !== undefined ? { inject_headers_json: ih } : {}),
        ...(ib !== undefined ? { inject_body_json: ib } : {}),
        ...(ip !== undefined ? { ip_allowlist: ip } : {}),
        ...(intercept !== undefined ? { intercept_enabled: intercept } : {}),
        ...(collection !== undefined ? { collection_id: collection } : {}),
      });
      ctx.state.routes.set(route.id, route);
      ctx.state.audit('route.created', 'route', route.id, { name: route.name });
      return ok(ctx, record(route), 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/routes/:id',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      const body = ctx.json();
      const v = validate(body);
      const name = v.string('name');
      const slug = v.string('slug');
      const enabled = v.bool('enabled');
      const requiresClients = v.bool('requires_clients');
      const mtls = v.nullableString('mtls_certificate_id');
      const egress = v.nullableString('egress_server_id');
      const node = v.nullableString('data_plane_node_id');
      if (Array.isArray(body['injection_rules']) && body['injection_rules'].length > 0) {
        throw ApiError.badRequest(
          'injection_rules is deprecated and never applied; use {{secret:<name>}} placeholders in inject_headers_json / inject_body_json',
        );
      }
      const base = baseConfig(route) ?? makeEnvConfig(route.id, route.base_environment, ctx.nowIso());
      const draft = { ...base };
      applyConfigFields(v, draft);
      v.done();
      if (slug !== undefined && slug !== route.slug) {
        if (route.slug !== null) throw ApiError.conflict('A route slug is write-once and cannot be changed', 'slug_immutable');
        assertSlugFree(ctx, slug, route);
        route.slug = slug;
      }
      if (name !== undefined) route.name = name;
      if (enabled !== undefined) route.enabled = enabled;
      if (draft.intercept_enabled !== base.intercept_enabled) route.intercept_enabled = draft.intercept_enabled;
      if (egress !== undefined) route.egress_server_id = egress;
      if (node !== undefined) draft.data_plane_node_id = node;
      // requires_clients and mtls_certificate_id fan out to every environment (resources.md §1).
      for (const cfg of route.configs.values()) {
        if (requiresClients !== undefined) cfg.requires_clients = requiresClients;
        if (mtls !== undefined) cfg.mtls_certificate_id = mtls;
      }
      if (requiresClients !== undefined) {
        route.requires_clients = requiresClients;
        draft.requires_clients = requiresClients;
      }
      if (mtls !== undefined) {
        route.mtls_certificate_id = mtls;
        draft.mtls_certificate_id = mtls;
      }
      draft.updated_at = ctx.nowIso();
      route.configs.set(route.base_environment, draft);
      ctx.state.audit('route.updated', 'route', route.id, { fields: Object.keys(body) });
      return ok(ctx, record(route));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/routes/:id',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      ctx.state.routes.delete(route.id);
      ctx.state.audit('route.deleted', 'route', route.id);
      return ok(ctx, { deleted: true });
    },
  },
  {
    method: 'GET',
    path: '/v1/routes/:id/logs',
    handler: (ctx) => paginate(ctx, [...routeOr404(ctx).logs].reverse()),
  },
  {
    method: 'GET',
    path: '/v1/routes/:id/environments',
    handler: (ctx) => ok(ctx, [...routeOr404(ctx).configs.values()].sort((a, b) => a.environment_name.localeCompare(b.environment_name)).map(envSummary)),
  },
  {
    method: 'PUT',
    path: '/v1/routes/:id/environments/:env',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      const envName = ctx.params['env'] ?? '';
      if (!ctx.state.environmentByName(envName)) throw ApiError.notFound(`Environment "${envName}"`, 'environment_not_found');
      const body = ctx.json();
      if (Array.isArray(body['injection_rules']) && body['injection_rules'].length > 0) {
        throw ApiError.badRequest(
          'injection_rules is deprecated and never applied; use {{secret:<name>}} placeholders in inject_headers_json / inject_body_json',
        );
      }
      const v = validate(body);
      const existing = route.configs.get(envName);
      const cfg = existing ? { ...existing } : makeEnvConfig(route.id, envName, ctx.nowIso());
      applyConfigFields(v, cfg);
      v.done();
      cfg.updated_at = ctx.nowIso();
      route.configs.set(envName, cfg);
      ctx.state.audit('route.environment_upserted', 'route', route.id, { environment: envName });
      return ok(ctx, cfg);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/routes/:id/environments/:env',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      const envName = ctx.params['env'] ?? '';
      if (envName === route.base_environment) throw ApiError.conflict('The base environment of a route cannot be deleted', 'base_environment');
      if (!route.configs.delete(envName)) throw ApiError.notFound(`Environment override "${envName}"`);
      return ok(ctx, { deleted: true });
    },
  },
  { method: 'GET', path: '/v1/routes/:id/actions', handler: (ctx) => ok(ctx, routeOr404(ctx).actions) },
  {
    method: 'POST',
    path: '/v1/routes/:id/actions',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      const v = validate(ctx.json());
      const direction = v.string('direction', { required: true, oneOf: ['request', 'response'] });
      const action = v.string('action', { required: true, oneOf: ['encrypt', 'decrypt', 'tokenize', 'detokenize'] });
      const selectors = v.stringArray('selectors', { required: true });
      const keyName = v.nullableString('key_name');
      const dataRole = v.nullableString('data_role');
      const contentType = v.string('content_type');
      const sortOrder = v.int('sort_order');
      if (selectors !== undefined && selectors.length === 0) v.error('selectors', 'must not be empty');
      v.done();
      const row = {
        id: newId(),
        route_id: route.id,
        tenant_id: route.tenant_id,
        direction: direction!,
        action: action!,
        selectors: selectors!,
        key_name: keyName ?? null,
        data_role: dataRole ?? null,
        content_type: contentType ?? 'application/json',
        sort_order: sortOrder ?? route.actions.length,
        enabled: true,
      };
      route.actions.push(row);
      return ok(ctx, row, 201);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/routes/:id/actions/:actionId',
    handler: (ctx) => {
      const route = routeOr404(ctx);
      const i = route.actions.findIndex((a) => a.id === ctx.params['actionId']);
      if (i < 0) throw ApiError.notFound('Route action');
      route.actions.splice(i, 1);
      return ok(ctx, { deleted: true });
    },
  },
];
