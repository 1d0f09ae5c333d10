import { ApiError } from '../../../errors.js';
import { ok, paginate } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { validate } from '../../../validate.js';
import { applyGiven, found, rowsOf } from '../patch.js';
import { archive } from './gateways-agents.js';
import { aiStore, live, type Row, tenantHost } from './store.js';

/**
 * MCP servers, tool rows and delegated-OAuth grants (resources.md §16.3). Grants are created
 * by a person's consent in the admin console, which the emulator cannot drive; so every new
 * MCP server starts with ONE active grant, letting grant listing and revocation be exercised.
 */

const POLICY_FIELDS = [
  'pii_redact_policy_id',
  'firewall_policy_id',
  'guardrail_webhook_url',
  'guardrail_webhook_secret_id',
  'guardrail_webhook_mode',
  'guardrail_webhook_timeout_ms',
  'guardrail_webhook_failure_action',
];
const UPDATABLE = ['name', 'description', 'upstream_url', 'transport', 'allowed_tools', 'pii_inspection', 'auth', 'status', ...POLICY_FIELDS];
const TRANSPORTS = ['streamable_http', 'sse'];
const SECRET_REF = /\{\{\s*secret_id\s*:\s*[0-9a-f-]{36}\s*\}\}/i;

function checkUpstream(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ApiError.badRequest('upstream_url must be an absolute https:// URL', 'invalid_request');
  }
  const host = parsed.hostname;
  if (parsed.protocol !== 'https:') throw ApiError.badRequest('upstream_url must use https://', 'invalid_request');
  if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|0\.0\.0\.0|\[?::1)/i.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host)) {
    throw ApiError.badRequest('upstream_url must be a public address (private, loopback, link-local and metadata addresses are refused)', 'ssrf_blocked');
  }
}

function checkAuth(auth: Record<string, unknown> | undefined): void {
  const headers = auth?.['headers'];
  if (headers === undefined) return;
  if (headers === null || typeof headers !== 'object') throw ApiError.validation({ 'auth.headers': ['must be an object'] });
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || !SECRET_REF.test(value)) {
      throw ApiError.validation({ [`auth.headers.${name}`]: ['must reference a secret ({{secret_id:<uuid>}}), never a literal credential'] });
    }
  }
}

function serverView(ctx: HandlerContext, row: Row): Row {
  const slug = String(row['slug']);
  return { ...row, connect_url: `${tenantHost(ctx)}/v1/mcp/${slug}`, resource: `https://api.knoxcall.com/v1/mcp/${ctx.state.account.slug}/${slug}` };
}

function createServer(ctx: HandlerContext) {
  const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
  const body = ctx.json();
  const v = validate(body);
  v.string('name', { required: true });
  const slug = v.string('slug', { required: true });
  const upstream = v.string('upstream_url', { required: true });
  v.string('transport', { oneOf: TRANSPORTS });
  v.stringArray('allowed_tools');
  v.bool('pii_inspection');
  const auth = v.object('auth');
  v.done();
  if (body['server_type'] === 'collection') throw ApiError.badRequest('server_type collection is not creatable', 'invalid_request');
  checkUpstream(upstream!);
  checkAuth(auth);
  const { mcpServers, grants } = aiStore(ctx);
  if (rowsOf(mcpServers, live).some((s) => s['slug'] === slug)) throw ApiError.conflict(`An MCP server with slug "${slug}" already exists`, 'slug_taken');
  const now = ctx.nowIso();
  const row: Row = {
    id: crypto.randomUUID(),
    gateway_id: gateway.id,
    name: '',
    slug: '',
    description: null,
    server_type: 'upstream',
    transport: 'streamable_http',
    upstream_url: null,
    allowed_tools: [],
    pii_inspection: false,
    auth: {},
    pii_redact_policy_id: null,
    firewall_policy_id: null,
    guardrail_webhook_url: null,
    guardrail_webhook_secret_id: null,
    guardrail_webhook_mode: 'off',
    guardrail_webhook_timeout_ms: 2000,
    guardrail_webhook_failure_action: 'fail_open',
    sandbox: false,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
  applyGiven(row, body, ['slug', ...UPDATABLE.filter((k) => k !== 'status')]);
  mcpServers.set(row.id, row);
  const grantId = crypto.randomUUID();
  grants.set(grantId, {
    id: grantId,
    mcp_server_id: row.id,
    attributed_user_id: crypto.randomUUID(),
    external_id: 'user-1@upstream',
    display_name: 'Seeded consent',
    scopes: ['read'],
    status: 'active',
    created_at: now,
    last_refreshed_at: null,
    last_used_at: null,
    has_refresh_token: true,
  });
  const note = (row['allowed_tools'] as string[]).length === 0 ? 'allowed_tools is empty: the server advertises no tools until you list them' : undefined;
  return ok(ctx, serverView(ctx, row), 201, note ? { note } : {});
}

function updateServer(ctx: HandlerContext) {
  const row = found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server');
  const body = ctx.json();
  const v = validate(body);
  v.string('transport', { oneOf: TRANSPORTS });
  v.string('status', { oneOf: ['active', 'paused'] });
  v.stringArray('allowed_tools');
  v.bool('pii_inspection');
  const auth = v.object('auth');
  const upstream = v.string('upstream_url');
  v.done();
  if (upstream !== undefined) checkUpstream(upstream);
  checkAuth(auth);
  applyGiven(row, body, UPDATABLE);
  row['updated_at'] = ctx.nowIso();
  return ok(ctx, serverView(ctx, row));
}

// ── Tool rows ──────────────────────────────────────────────────────────────────────────

function toolsOf(ctx: HandlerContext, serverId: string): Row[] {
  return rowsOf(aiStore(ctx).tools, (t) => t['mcp_server_id'] === serverId);
}

function upsertTool(ctx: HandlerContext) {
  const server = found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server');
  const body = ctx.json();
  const v = validate(body);
  const name = v.string('tool_name', { required: true });
  v.nullableString('description');
  v.object('input_schema');
  v.bool('enabled');
  v.done();
  const now = ctx.nowIso();
  let row = toolsOf(ctx, server.id).find((t) => t['tool_name'] === name);
  const created = row === undefined;
  if (row === undefined) {
    row = {
      id: crypto.randomUUID(),
      tenant_id: ctx.state.account.id,
      mcp_server_id: server.id,
      tool_name: name,
      route_id: null,
      description: null,
      input_schema: {},
      enabled: true,
      created_at: now,
      updated_at: now,
    };
    aiStore(ctx).tools.set(row.id, row);
  }
  applyGiven(row, body, ['description', 'input_schema', 'enabled']);
  row['updated_at'] = now;
  return ok(ctx, row, created ? 201 : 200);
}

function toolOf(ctx: HandlerContext): Row {
  const server = found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server');
  const tool = found(aiStore(ctx).tools, ctx.params['toolId'], 'MCP tool');
  if (tool['mcp_server_id'] !== server.id) throw ApiError.notFound('MCP tool');
  return tool;
}

// ── Grants ─────────────────────────────────────────────────────────────────────────────

function grantsOf(ctx: HandlerContext, serverId: string) {
  return rowsOf(aiStore(ctx).grants, (g) => g.mcp_server_id === serverId);
}

const grantView = (g: Row) => {
  const { mcp_server_id, ...rest } = g;
  void mcp_server_id;
  return rest;
};

export const mcpRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/ai-gateway/gateways/:gatewayId/mcp-servers',
    handler: (ctx) => {
      const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
      return paginate(
        ctx,
        rowsOf(aiStore(ctx).mcpServers, (s) => live(s) && s['gateway_id'] === gateway.id).map((s) => serverView(ctx, s)),
      );
    },
  },
  { method: 'POST', path: '/v1/ai-gateway/gateways/:gatewayId/mcp-servers', handler: createServer },
  {
    method: 'GET',
    path: '/v1/ai-gateway/mcp-servers/:serverId',
    handler: (ctx) => ok(ctx, serverView(ctx, found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server'))),
  },
  { method: 'PATCH', path: '/v1/ai-gateway/mcp-servers/:serverId', handler: updateServer },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/mcp-servers/:serverId',
    handler: (ctx) => archive(ctx, found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server')),
  },
  {
    method: 'GET',
    path: '/v1/ai-gateway/mcp-servers/:serverId/tools',
    handler: (ctx) => paginate(ctx, toolsOf(ctx, found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server').id)),
  },
  { method: 'POST', path: '/v1/ai-gateway/mcp-servers/:serverId/tools', handler: upsertTool },
  {
    method: 'PATCH',
    path: '/v1/ai-gateway/mcp-servers/:serverId/tools/:toolId',
    handler: (ctx) => {
      const tool = toolOf(ctx);
      const body = ctx.json();
      const v = validate(body);
      v.nullableString('description');
      v.object('input_schema');
      v.bool('enabled');
      v.done();
      applyGiven(tool, body, ['description', 'input_schema', 'enabled']);
      tool['updated_at'] = ctx.nowIso();
      return ok(ctx, tool);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/mcp-servers/:serverId/tools/:toolId',
    handler: (ctx) => {
      const tool = toolOf(ctx);
      aiStore(ctx).tools.delete(tool.id);
      return ok(ctx, { id: tool.id, deleted: true });
    },
  },
  {
    method: 'GET',
    path: '/v1/ai-gateway/mcp-servers/:serverId/grants',
    handler: (ctx) => paginate(ctx, grantsOf(ctx, found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server').id).map(grantView)),
  },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/mcp-servers/:serverId/grants/:grantId',
    handler: (ctx) => {
      const server = found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server');
      const grant = found(aiStore(ctx).grants, ctx.params['grantId'], 'Grant');
      if (grant.mcp_server_id !== server.id) throw ApiError.notFound('Grant');
      grant['status'] = 'revoked';
      return ok(ctx, { id: grant.id, status: 'revoked' });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/mcp-servers/:serverId/grants',
    handler: (ctx) => {
      const server = found(aiStore(ctx).mcpServers, ctx.params['serverId'], 'MCP server');
      const active = grantsOf(ctx, server.id).filter((g) => g['status'] === 'active');
      for (const g of active) g['status'] = 'revoked';
      return ok(ctx, { id: server.id, revoked: active.length });
    },
  },
];
