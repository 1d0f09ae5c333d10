import { ApiError } from '../../../errors.js';
import { ok, paginate } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { validate } from '../../../validate.js';
import { applyGiven, found, rowsOf, unknownKeys } from '../patch.js';
import { aiStore, live, type Row, tenantHost } from './store.js';

/** Gateways and agents (resources.md §16.1–16.2). */

const GATEWAY_OVERAGE = ['block', 'warn'];
const GATEWAY_UPDATABLE = ['name', 'description', 'budget_daily_usd', 'budget_monthly_usd', 'budget_overage_action'];

function createGateway(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  v.string('name', { required: true });
  const slug = v.string('slug', { required: true });
  v.string('budget_overage_action', { oneOf: GATEWAY_OVERAGE });
  v.done();
  const { gateways } = aiStore(ctx);
  if (rowsOf(gateways, live).some((g) => g['slug'] === slug)) throw ApiError.conflict(`A gateway with slug "${slug}" already exists`, 'slug_taken');
  const now = ctx.nowIso();
  const row: Row = {
    id: crypto.randomUUID(),
    tenant_id: ctx.state.account.id,
    name: '',
    slug: '',
    description: null,
    budget_daily_usd: null,
    budget_monthly_usd: null,
    budget_overage_action: 'block',
    status: 'active',
    paused_reason: null,
    sandbox: false,
    created_by: null,
    created_at: now,
    updated_at: now,
  };
  applyGiven(row, body, ['name', 'slug', ...GATEWAY_UPDATABLE]);
  gateways.set(row.id, row);
  return ok(ctx, row, 201);
}

function updateGateway(ctx: HandlerContext) {
  const row = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
  const body = ctx.json();
  const v = validate(body);
  v.string('budget_overage_action', { oneOf: GATEWAY_OVERAGE });
  v.done();
  applyGiven(row, body, GATEWAY_UPDATABLE);
  row['updated_at'] = ctx.nowIso();
  return ok(ctx, row);
}

/** Soft delete shared by gateways, agents and MCP servers. */
export function archive(ctx: HandlerContext, row: Row) {
  row['status'] = 'archived';
  row['updated_at'] = ctx.nowIso();
  return ok(ctx, { id: row.id, status: 'archived' });
}

// ── Agents ─────────────────────────────────────────────────────────────────────────────

/** The server's updatable agent columns (38 keys). */
export const AGENT_UPDATABLE = [
  'name',
  'slug',
  'description',
  'primary_route_id',
  'fallback_route_ids',
  'model_allowlist',
  'model_denylist',
  'default_model',
  'model_rewrite',
  'budget_daily_usd',
  'budget_monthly_usd',
  'budget_per_call_max_tokens',
  'budget_overage_action',
  'fallback_agent_id',
  'pii_redact_policy_id',
  'pii_detokenize_response',
  'pii_request_mode',
  'pii_response_mode',
  'pii_streaming_holdback_chars',
  'pii_streaming_mode',
  'tags',
  'cache_mode',
  'cache_ttl_seconds',
  'cache_similarity_threshold',
  'cache_embedding_model',
  'streaming_enabled',
  'firewall_policy_id',
  'tool_allowlist',
  'output_schema',
  'output_validation_action',
  'data_residency_region',
  'cmek_key_id',
  'routing_policy',
  'guardrail_webhook_url',
  'guardrail_webhook_secret_id',
  'guardrail_webhook_mode',
  'guardrail_webhook_timeout_ms',
  'guardrail_webhook_failure_action',
] as const;
const CREATE_ONLY = ['provider', 'upstream_secret_id', 'upstream'] as const;
const NEEDS_UPSTREAM = ['azure-openai', 'ollama', 'bedrock', 'openai-compatible'];
const DEFAULT_MODELS: Record<string, string> = {
  anthropic: 'claude-3-5-haiku-latest',
  openai: 'gpt-4o-mini',
  gemini: 'gemini-1.5-flash',
  mistral: 'mistral-small-latest',
  groq: 'llama-3.1-8b-instant',
};
const REGIONS = ['us', 'eu', 'uk', 'ca', 'au', 'jp', 'in'];

/** Enumerations the server checks; values outside them are a 400 naming the valid set. */
const AGENT_ENUMS: Record<string, readonly string[]> = {
  budget_overage_action: ['block', 'warn', 'fallback'],
  pii_request_mode: ['off', 'tokenize'],
  pii_response_mode: ['redact', 'detokenize'],
  pii_streaming_mode: ['holdback', 'buffer', 'monitor'],
  cache_mode: ['off', 'exact', 'semantic'],
  output_validation_action: ['block', 'retry', 'warn'],
  guardrail_webhook_mode: ['off', 'request', 'response', 'both'],
};

function checkAgentBody(body: Record<string, unknown>): void {
  for (const [key, allowed] of Object.entries(AGENT_ENUMS)) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      throw ApiError.badRequest(`${key} must be one of: ${allowed.join(', ')}`, 'invalid_request');
    }
  }
  const region = body['data_residency_region'];
  if (region !== undefined && region !== null && (typeof region !== 'string' || !REGIONS.includes(region))) {
    throw ApiError.badRequest(`data_residency_region must be one of: ${REGIONS.join(', ')}`, 'invalid_request');
  }
  const legacy = body['pii_detokenize_response'];
  const mode = body['pii_response_mode'];
  if (typeof legacy === 'boolean' && typeof mode === 'string' && legacy !== (mode === 'detokenize')) {
    throw ApiError.badRequest('pii_detokenize_response contradicts pii_response_mode; send only pii_response_mode', 'invalid_request');
  }
  const hook = body['guardrail_webhook_url'];
  if (typeof hook === 'string' && /^https?:\/\/(localhost|127\.|10\.|192\.168\.|169\.254\.|\[?::1)/i.test(hook)) {
    throw ApiError.badRequest('guardrail_webhook_url must be a public address', 'ssrf_blocked');
  }
}

function agentView(ctx: HandlerContext, row: Row): Row {
  return { ...row, agent_url: `${tenantHost(ctx)}/v1/ai/${String(row['slug'])}` };
}

function createAgent(ctx: HandlerContext) {
  const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
  const body = ctx.json();
  const v = validate(body);
  v.string('name', { required: true });
  const slug = v.string('slug', { required: true });
  const provider = v.string('provider');
  v.string('upstream_secret_id');
  v.object('upstream');
  v.done();
  const extra = unknownKeys(body, [...AGENT_UPDATABLE, ...CREATE_ONLY]);
  if (extra.length > 0) throw ApiError.badRequest(`Unknown agent fields: ${extra.join(', ')}`, 'invalid_request');
  if (provider !== undefined && body['primary_route_id'] !== undefined && body['primary_route_id'] !== null) {
    throw ApiError.badRequest('Give either provider (+ upstream_secret_id) or primary_route_id, not both', 'invalid_request');
  }
  if (provider !== undefined && NEEDS_UPSTREAM.includes(provider) && body['upstream'] === undefined) {
    throw ApiError.badRequest(`provider ${provider} requires upstream`, 'invalid_request');
  }
  if (provider === 'openai-compatible' && body['default_model'] === undefined) {
    throw ApiError.badRequest('provider openai-compatible requires default_model', 'invalid_request');
  }
  checkAgentBody(body);
  const { agents } = aiStore(ctx);
  if (rowsOf(agents, live).some((a) => a['slug'] === slug)) throw ApiError.conflict(`An agent with slug "${slug}" already exists`, 'slug_taken');
  const now = ctx.nowIso();
  const row: Row = {
    id: crypto.randomUUID(),
    tenant_id: ctx.state.account.id,
    gateway_id: gateway.id,
    name: '',
    slug: '',
    description: null,
    primary_route_id: null,
    fallback_route_ids: [],
    model_allowlist: null,
    model_denylist: null,
    default_model: provider !== undefined ? (DEFAULT_MODELS[provider] ?? null) : null,
    model_rewrite: {},
    budget_daily_usd: null,
    budget_monthly_usd: null,
    budget_per_call_max_tokens: null,
    budget_overage_action: 'block',
    fallback_agent_id: null,
    pii_redact_policy_id: null,
    pii_detokenize_response: true,
    pii_request_mode: 'tokenize',
    pii_response_mode: 'detokenize',
    pii_streaming_holdback_chars: 64,
    pii_streaming_mode: 'holdback',
    tags: {},
    provider: provider ?? null,
    cache_mode: 'off',
    cache_ttl_seconds: 300,
    // The server sends this decimal column as a string.
    cache_similarity_threshold: '0.950',
    cache_embedding_model: null,
    streaming_enabled: true,
    firewall_policy_id: null,
    tool_allowlist: [],
    output_schema: null,
    output_validation_action: 'warn',
    data_residency_region: null,
    cmek_key_id: null,
    status: 'active',
    paused_reason: null,
    routing_policy: {},
    guardrail_webhook_url: null,
    guardrail_webhook_secret_id: null,
    guardrail_webhook_mode: 'off',
    guardrail_webhook_timeout_ms: 2000,
    guardrail_webhook_failure_action: 'fail_open',
    created_at: now,
    updated_at: now,
    created_by: null,
  };
  applyGiven(row, body, AGENT_UPDATABLE);
  syncDetokenizeMirror(row, body);
  agents.set(row.id, row);
  return ok(ctx, agentView(ctx, row), 201);
}

/** `pii_detokenize_response` is a read-only mirror of the response mode (and its legacy input). */
function syncDetokenizeMirror(row: Row, body: Record<string, unknown>): void {
  if (typeof body['pii_response_mode'] === 'string') row['pii_detokenize_response'] = body['pii_response_mode'] === 'detokenize';
  else if (typeof body['pii_detokenize_response'] === 'boolean') row['pii_response_mode'] = body['pii_detokenize_response'] ? 'detokenize' : 'redact';
}

function updateAgent(ctx: HandlerContext) {
  const row = found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent');
  const body = ctx.json();
  const createOnly = CREATE_ONLY.filter((k) => body[k] !== undefined);
  if (createOnly.length > 0) throw ApiError.badRequest(`${createOnly.join(', ')} cannot be changed after create`, 'invalid_request');
  const extra = unknownKeys(body, AGENT_UPDATABLE);
  if (extra.length > 0) throw ApiError.badRequest(`Unknown agent fields: ${extra.join(', ')}`, 'invalid_request');
  checkAgentBody(body);
  applyGiven(row, body, AGENT_UPDATABLE);
  syncDetokenizeMirror(row, body);
  row['updated_at'] = ctx.nowIso();
  return ok(ctx, agentView(ctx, row));
}

export const gatewayAgentRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/ai-gateway/gateways', handler: (ctx) => paginate(ctx, rowsOf(aiStore(ctx).gateways, live)) },
  { method: 'POST', path: '/v1/ai-gateway/gateways', handler: createGateway },
  { method: 'GET', path: '/v1/ai-gateway/gateways/:gatewayId', handler: (ctx) => ok(ctx, found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway')) },
  { method: 'PATCH', path: '/v1/ai-gateway/gateways/:gatewayId', handler: updateGateway },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/gateways/:gatewayId',
    handler: (ctx) => archive(ctx, found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway')),
  },
  {
    method: 'GET',
    path: '/v1/ai-gateway/gateways/:gatewayId/agents',
    handler: (ctx) => {
      const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
      return paginate(
        ctx,
        rowsOf(aiStore(ctx).agents, (a) => live(a) && a['gateway_id'] === gateway.id).map((a) => agentView(ctx, a)),
      );
    },
  },
  { method: 'POST', path: '/v1/ai-gateway/gateways/:gatewayId/agents', handler: createAgent },
  {
    method: 'GET',
    path: '/v1/ai-gateway/agents/:agentId',
    handler: (ctx) => ok(ctx, agentView(ctx, found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent'))),
  },
  { method: 'PATCH', path: '/v1/ai-gateway/agents/:agentId', handler: updateAgent },
  { method: 'DELETE', path: '/v1/ai-gateway/agents/:agentId', handler: (ctx) => archive(ctx, found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent')) },
];
