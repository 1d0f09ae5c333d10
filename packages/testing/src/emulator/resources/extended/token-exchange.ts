import type { Reply } from '../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import { aiStore } from './ai-gateway/store.js';
import { newTokenRow } from './ai-gateway/tokens.js';

/**
 * The tenant data-plane token exchange `POST /v1/oauth/token` (auth.md §8.2) — in the
 * emulator the data plane is the same server. JSON RFC 8693 body in, bare RFC 8693 body out
 * (no envelope); errors are flat RFC 6749 `{error, error_description}`.
 *
 * The emulator cannot verify a subject token against a real issuer's JWKS, so it accepts
 * any JWT-shaped token whose `exp` (when present) is in the future; anything else is
 * `invalid_grant`. A `resource` must be an MCP server's `resource` value: the token is then
 * kind `tool` for that server; without one it is an unconfined agent-kind token.
 */

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const AUDIENCE = 'knoxcall:gateway';
const TTL = 900;

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  headers: { 'cache-control': 'no-store' },
  body: { error, error_description: description },
});

function subjectClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function exchange(ctx: HandlerContext): Reply {
  const contentType = String(ctx.headers['content-type'] ?? '');
  if (!/^application\/json/i.test(contentType)) {
    return oauthError(400, 'invalid_request', 'The token exchange takes a JSON body (Content-Type: application/json)');
  }
  let body: Record<string, unknown>;
  try {
    body = ctx.json();
  } catch {
    return oauthError(400, 'invalid_request', 'Malformed JSON body');
  }
  if (body['grant_type'] !== GRANT) return oauthError(400, 'unsupported_grant_type', `Only ${GRANT} is supported on this endpoint`);
  if (body['subject_token_type'] !== ID_TOKEN) return oauthError(400, 'invalid_request', `subject_token_type must be ${ID_TOKEN}`);
  const subject = body['subject_token'];
  if (typeof subject !== 'string' || subject === '') return oauthError(400, 'invalid_request', 'subject_token is required');
  if (body['audience'] !== AUDIENCE) return oauthError(400, 'invalid_target', `audience must be ${AUDIENCE}`);
  const claims = subjectClaims(subject);
  if (!claims) return oauthError(400, 'invalid_grant', 'subject_token is not a valid ID token');
  if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 <= ctx.now()) return oauthError(400, 'invalid_grant', 'subject_token has expired');

  const resource = body['resource'];
  let server: Record<string, unknown> & { id: string } | undefined;
  if (resource !== undefined) {
    const slug = typeof resource === 'string' ? /\/v1\/mcp\/[^/]+\/([^/]+)$/.exec(resource)?.[1] : undefined;
    server = [...aiStore(ctx).mcpServers.values()].find((s) => s['status'] !== 'archived' && s['slug'] === slug);
    if (!server) return oauthError(400, 'invalid_target', 'resource does not name an MCP server of this tenant');
  }
  const scope = server
    ? { kind: 'tool', mcp_server: server['slug'], sub: claims['sub'] ?? null }
    : { kind: 'agent', sub: claims['sub'] ?? null };
  const row = newTokenRow(ctx, {
    gateway_id: server ? (server['gateway_id'] as string | null) : null,
    agent_id: null,
    mcp_server_id: server?.id ?? null,
    kind: scope.kind,
    ttl: TTL,
    prefix: 'kcg_',
    scope,
  });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: row.token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: TTL,
      scope: JSON.stringify(scope),
    },
  };
}

export const tokenExchangeRoutes: RouteRegistration[] = [{ method: 'POST', path: '/v1/oauth/token', auth: 'none', handler: exchange }];
