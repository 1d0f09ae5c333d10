import type { Reply } from '../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import { aiStore } from './ai-gateway/store.js';
import { newTokenRow } from './ai-gateway/tokens.js';
import { SubjectTokenError, subjectFingerprint, verifySubjectToken } from '../../test-issuers.js';

/**
 * The tenant data-plane token exchange `POST /v1/oauth/token` (auth.md §8.2) — in the
 * emulator the data plane is the same server. JSON RFC 8693 body in, bare RFC 8693 body out
 * (no envelope); errors are flat RFC 6749 `{error, error_description}`.
 *
 * The subject token is verified against the test issuers' JWKS (test-issuers.ts) and is
 * single-use: its SHA-256 is recorded before minting and a replay is `invalid_grant`
 * ("subject_token has already been exchanged"), as on the real server. A `resource` must be an MCP server's `resource` value: the token is then
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

const spentAssertions = (ctx: HandlerContext) => ctx.state.store('oidc.spent-assertions', () => new Set<string>());

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
  let claims: Record<string, unknown>;
  try {
    claims = verifySubjectToken(subject, ctx.now());
  } catch (e) {
    if (e instanceof SubjectTokenError) return oauthError(400, 'invalid_grant', e.message);
    throw e;
  }

  const resource = body['resource'];
  let server: (Record<string, unknown> & { id: string }) | undefined;
  if (resource !== undefined) {
    const slug = typeof resource === 'string' ? /\/v1\/mcp\/[^/]+\/([^/]+)$/.exec(resource)?.[1] : undefined;
    server = [...aiStore(ctx).mcpServers.values()].find((s) => s['status'] !== 'archived' && s['slug'] === slug);
    if (!server) return oauthError(400, 'invalid_target', 'resource does not name an MCP server of this tenant');
  }
  const fingerprint = subjectFingerprint(subject);
  if (spentAssertions(ctx).has(fingerprint)) return oauthError(400, 'invalid_grant', 'subject_token has already been exchanged');
  spentAssertions(ctx).add(fingerprint);
  const scope = server ? { kind: 'tool', mcp_server: server['slug'], sub: claims['sub'] ?? null } : { kind: 'agent', sub: claims['sub'] ?? null };
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
