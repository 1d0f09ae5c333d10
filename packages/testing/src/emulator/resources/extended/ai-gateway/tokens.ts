import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../errors.js';
import { ok, paginate } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { validate } from '../../../validate.js';
import { found, rowsOf } from '../patch.js';
import { aiStore, type TokenRow } from './store.js';

/**
 * Capability tokens (resources.md §16.4). The plaintext is in the mint answer only; lists
 * never carry it. Tokens minted without an agent (the data-plane token exchange) are only
 * visible at gateway level.
 */

const KINDS = ['agent', 'read', 'tool', 'oneshot'];
const DAY = 86_400;
export const DEFAULT_TTL = 30 * DAY;
const MIN_TTL = 60;
const MAX_TTL = 90 * DAY;

export function newTokenRow(
  ctx: HandlerContext,
  init: {
    gateway_id: string | null;
    agent_id: string | null;
    mcp_server_id?: string | null;
    name?: string | null;
    kind: string;
    dpop_required?: boolean;
    ttl: number;
    prefix: string;
    scope?: Record<string, unknown>;
  },
): TokenRow {
  const token = `${init.prefix}${randomBytes(24).toString('hex')}`;
  const ttl = Math.min(Math.max(init.ttl, MIN_TTL), MAX_TTL);
  const row: TokenRow = {
    id: crypto.randomUUID(),
    token,
    gateway_id: init.gateway_id,
    agent_id: init.agent_id,
    mcp_server_id: init.mcp_server_id ?? null,
    name: init.name ?? null,
    kind: init.kind,
    prefix: token.slice(0, init.prefix.length + 6),
    dpop_required: init.dpop_required ?? false,
    scope_jsonb: init.scope ?? {},
    expires_at: new Date(ctx.now() + ttl * 1000).toISOString(),
    revoked_at: null,
    last_used_at: null,
    created_at: ctx.nowIso(),
  };
  aiStore(ctx).tokens.set(row.id, row);
  return row;
}

/** A list row: everything but the plaintext (and the emulator's own bookkeeping). */
function listItem(row: TokenRow, withAgent: boolean) {
  const { token, gateway_id, mcp_server_id, agent_id, ...rest } = row;
  void token;
  void gateway_id;
  void mcp_server_id;
  return withAgent ? { ...rest, agent_id } : rest;
}

function mint(ctx: HandlerContext) {
  const agent = found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent');
  const v = validate(ctx.json());
  const name = v.string('name');
  const kind = v.string('kind', { oneOf: KINDS });
  const dpopRequired = v.bool('dpop_required');
  const jkt = v.string('dpop_jkt');
  const ttl = v.int('expires_in_seconds', { min: 1 });
  v.done();
  if (jkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(jkt))
    throw ApiError.badRequest('dpop_jkt must be a base64url SHA-256 JWK thumbprint', 'invalid_request');
  const row = newTokenRow(ctx, {
    gateway_id: String(agent['gateway_id']),
    agent_id: agent.id,
    name: name ?? null,
    kind: kind ?? 'agent',
    dpop_required: dpopRequired ?? jkt !== undefined,
    ttl: ttl ?? DEFAULT_TTL,
    prefix: 'kc_live_',
  });
  return ok(
    ctx,
    {
      id: row.id,
      name: row['name'],
      kind: row['kind'],
      prefix: row['prefix'],
      token: row.token,
      dpop_required: row['dpop_required'],
      expires_at: row['expires_at'],
    },
    201,
    { note: 'The token is shown once; store it now.' },
  );
}

function revoke(row: TokenRow, ctx: HandlerContext) {
  row.revoked_at ??= ctx.nowIso();
  return ok(ctx, { id: row.id, revoked: true });
}

export const tokenRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/ai-gateway/agents/:agentId/tokens',
    handler: (ctx) => {
      const agent = found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent');
      return paginate(
        ctx,
        rowsOf(aiStore(ctx).tokens, (t) => t.agent_id === agent.id).map((t) => listItem(t, false)),
      );
    },
  },
  { method: 'POST', path: '/v1/ai-gateway/agents/:agentId/tokens', handler: mint },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/agents/:agentId/tokens/:tokenId',
    handler: (ctx) => {
      const agent = found(aiStore(ctx).agents, ctx.params['agentId'], 'Agent');
      const row = found(aiStore(ctx).tokens, ctx.params['tokenId'], 'Token');
      if (row.agent_id !== agent.id) throw ApiError.notFound('Token');
      return revoke(row, ctx);
    },
  },
  {
    method: 'GET',
    path: '/v1/ai-gateway/gateways/:gatewayId/tokens',
    handler: (ctx) => {
      const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
      return paginate(
        ctx,
        rowsOf(aiStore(ctx).tokens, (t) => t.gateway_id === gateway.id).map((t) => listItem(t, true)),
      );
    },
  },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/gateways/:gatewayId/tokens/:tokenId',
    handler: (ctx) => {
      const gateway = found(aiStore(ctx).gateways, ctx.params['gatewayId'], 'Gateway');
      const row = found(aiStore(ctx).tokens, ctx.params['tokenId'], 'Token');
      if (row.gateway_id !== gateway.id) throw ApiError.notFound('Token');
      return revoke(row, ctx);
    },
  },
];
