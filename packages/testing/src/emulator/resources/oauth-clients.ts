import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { omit } from '../omit.js';
import { bare } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { OAuthClientRow } from '../state.js';
import { validate } from '../validate.js';

/**
 * `oauthClients` (resources.md §5): bare `{data}` answers without `meta`; create and
 * rotate-secret add a top-level `warning`; rotation and revoke invalidate every token the client
 * minted; the auto-provisioned CLI client (`system_role: "cli"`) is protected.
 */

const GRANTS = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:device_code',
];
const SECRET_WARNING = 'Store the client_secret now: it will not be shown again.';

function listView(c: OAuthClientRow) {
  return {
    id: c.id,
    client_id: c.client_id,
    name: c.name,
    type: c.type,
    grant_types: c.grant_types,
    allowed_scopes: c.allowed_scopes,
    redirect_uris: c.redirect_uris,
    require_dpop: c.require_dpop,
    require_pkce: c.require_pkce,
    token_format: c.token_format,
    active: c.active,
    revoked_at: c.revoked_at,
    created_at: c.created_at,
    last_used_at: c.last_used_at,
    source_api_key_id: c.source_api_key_id,
    source_key_type: c.source_key_type,
    system_role: c.system_role,
  };
}

function detailView(c: OAuthClientRow) {
  return { ...omit(listView(c), 'source_key_type'), step_up_scopes: c.step_up_scopes };
}

function clientOr404(ctx: HandlerContext): OAuthClientRow {
  const ref = ctx.params['id'] ?? '';
  const row = ctx.state.oauthClients.get(ref) ?? [...ctx.state.oauthClients.values()].find((c) => c.client_id === ref);
  if (!row || row.revoked_at !== null) throw ApiError.notFound('OAuth client');
  return row;
}

function revokeTokens(ctx: HandlerContext, clientId: string): void {
  for (const [k, t] of ctx.state.accessTokens) if (t.client_id === clientId) ctx.state.accessTokens.delete(k);
  for (const [k, t] of ctx.state.refreshTokens) if (t.client_id === clientId) ctx.state.refreshTokens.delete(k);
}

function protect(row: OAuthClientRow): void {
  if (row.system_role === 'cli') throw ApiError.forbidden('The CLI client is managed by KnoxCall and cannot be changed', 'system_client');
}

function checkFormatAndPkce(v: ReturnType<typeof validate>): { token_format?: string; require_pkce?: boolean } {
  const tokenFormat = v.string('token_format');
  const pkce = v.bool('require_pkce');
  if (tokenFormat !== undefined && tokenFormat !== 'opaque') throw ApiError.badRequest('token_format must be "opaque" (the JWT format was withdrawn)');
  if (pkce === false) throw ApiError.badRequest('require_pkce must be true');
  return { ...(tokenFormat !== undefined ? { token_format: tokenFormat } : {}), ...(pkce !== undefined ? { require_pkce: pkce } : {}) };
}

export const oauthClientRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/oauth-clients', handler: (ctx) => bare([...ctx.state.oauthClients.values()].filter((c) => c.revoked_at === null).map(listView)) },
  { method: 'GET', path: '/v1/oauth-clients/:id', handler: (ctx) => bare(detailView(clientOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/oauth-clients',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const type = v.string('type', { oneOf: ['confidential', 'public'] }) ?? 'confidential';
      const grants = v.stringArray('grant_types') ?? ['client_credentials'];
      const scopes = v.stringArray('allowed_scopes') ?? [];
      const dpop = v.bool('require_dpop') ?? false;
      const redirects = v.stringArray('redirect_uris') ?? [];
      const consent = v.nullableString('consent_html_template');
      const stepUp = v.stringArray('step_up_scopes') ?? [];
      const bad = grants.filter((g) => !GRANTS.includes(g));
      if (bad.length) v.error('grant_types', `unknown grant types: ${bad.join(', ')}`);
      v.done();
      checkFormatAndPkce(v);
      const secret = type === 'public' ? null : opaqueToken('kcs_', 24);
      const row: OAuthClientRow = {
        id: newId(),
        client_id: opaqueToken('kc_client_', 8),
        client_secret: secret,
        name: name!,
        type,
        grant_types: grants,
        allowed_scopes: scopes,
        redirect_uris: redirects,
        require_dpop: dpop,
        require_pkce: true,
        token_format: 'opaque',
        active: true,
        revoked_at: null,
        created_at: ctx.nowIso(),
        last_used_at: null,
        source_api_key_id: ctx.auth?.kind === 'api_key' ? ctx.auth.subject : null,
        source_key_type: ctx.auth?.kind === 'api_key' ? 'standard' : null,
        system_role: null,
        step_up_scopes: stepUp,
        consent_html_template: consent ?? null,
      };
      ctx.state.oauthClients.set(row.id, row);
      ctx.state.audit('oauth_client.created', 'oauth_client', row.id, { name: row.name });
      return bare(
        {
          id: row.id,
          client_id: row.client_id,
          client_secret: secret,
          type: row.type,
          grant_types: row.grant_types,
          allowed_scopes: row.allowed_scopes,
          redirect_uris: row.redirect_uris,
        },
        201,
        secret === null ? {} : { warning: SECRET_WARNING },
      );
    },
  },
  {
    method: 'PATCH',
    path: '/v1/oauth-clients/:id',
    handler: (ctx) => {
      const row = clientOr404(ctx);
      protect(row);
      const v = validate(ctx.json());
      const name = v.string('name');
      const scopes = v.stringArray('allowed_scopes');
      const redirects = v.stringArray('redirect_uris');
      const dpop = v.bool('require_dpop');
      const active = v.bool('active');
      const consent = v.nullableString('consent_html_template');
      const stepUp = v.stringArray('step_up_scopes');
      v.done();
      checkFormatAndPkce(v);
      if (name !== undefined) row.name = name;
      if (scopes !== undefined) row.allowed_scopes = scopes;
      if (redirects !== undefined) row.redirect_uris = redirects;
      if (dpop !== undefined) row.require_dpop = dpop;
      if (active !== undefined) {
        row.active = active;
        if (!active) revokeTokens(ctx, row.client_id);
      }
      if (consent !== undefined) row.consent_html_template = consent;
      if (stepUp !== undefined) row.step_up_scopes = stepUp;
      return bare({ id: row.id });
    },
  },
  {
    method: 'POST',
    path: '/v1/oauth-clients/:id/rotate-secret',
    handler: (ctx) => {
      const row = clientOr404(ctx);
      protect(row);
      if (row.type === 'public') throw ApiError.badRequest('A public client has no secret to rotate');
      row.client_secret = opaqueToken('kcs_', 24);
      revokeTokens(ctx, row.client_id);
      ctx.state.audit('oauth_client.secret_rotated', 'oauth_client', row.id);
      return bare({ client_id: row.client_id, client_secret: row.client_secret }, 200, {
        warning: `${SECRET_WARNING} Tokens minted with the old secret were revoked.`,
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/oauth-clients/:id',
    handler: (ctx) => {
      const row = clientOr404(ctx);
      protect(row);
      row.active = false;
      row.revoked_at = ctx.nowIso();
      revokeTokens(ctx, row.client_id);
      ctx.state.audit('oauth_client.revoked', 'oauth_client', row.id);
      return bare({ revoked: true });
    },
  },
];
