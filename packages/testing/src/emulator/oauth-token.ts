import type { IncomingMessage } from 'node:http';
import { DPOP_IAT_WINDOW_SECONDS, type EmulatorCore, requestHtu } from './core.js';
import { DpopError, verifyDpopProof } from './dpop.js';
import { OAuthError } from './errors.js';
import { opaqueToken } from './ids.js';
import { findOAuthClient, redeemAuthorizationCode, redeemDeviceCode } from './oauth-login.js';
import type { Reply } from './reply.js';
import type { OAuthClientRow } from './state.js';
import { SubjectTokenError, verifySubjectToken } from './test-issuers.js';

/**
 * `POST /oauth/token` (auth.md §2): form-encoded client_credentials (HTTP Basic or form
 * credentials) and refresh_token (single-use rotation) grants, DPoP binding, server nonces.
 */

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

/**
 * Workload identity at the management endpoint (auth.md §2.1, audience `knoxcall:api`). The
 * subject token is verified against the test issuers' JWKS (test-issuers.ts): signature,
 * issuer, expiry. Unlike the data-plane exchange it is NOT single-use here: clients re-post
 * the same token on every re-mint. Its `iss`/`sub` name the synthetic client it is issued to.
 */
function exchangeSubject(core: EmulatorCore, form: URLSearchParams): OAuthClientRow {
  const subject = form.get('subject_token');
  if (!subject) throw new OAuthError(400, 'invalid_request', 'subject_token is required');
  if (form.get('subject_token_type') !== ID_TOKEN_TYPE) throw new OAuthError(400, 'invalid_request', `subject_token_type must be ${ID_TOKEN_TYPE}`);
  if (form.get('audience') !== 'knoxcall:api') throw new OAuthError(400, 'invalid_target', 'audience must be knoxcall:api on this endpoint');
  let claims: Record<string, unknown>;
  try {
    claims = verifySubjectToken(subject, core.now());
  } catch (e) {
    if (e instanceof SubjectTokenError) throw new OAuthError(400, 'invalid_grant', e.message);
    throw e;
  }
  const id = `oidc:${claims['iss']}:${String(claims['sub'] ?? '')}`;
  const now = core.state.nowIso();
  return {
    id,
    client_id: id,
    client_secret: null,
    name: 'Workload identity',
    type: 'public',
    grant_types: [TOKEN_EXCHANGE],
    allowed_scopes: [],
    redirect_uris: [],
    require_dpop: false,
    require_pkce: true,
    token_format: 'opaque',
    active: true,
    revoked_at: null,
    created_at: now,
    last_used_at: null,
    source_api_key_id: null,
    source_key_type: null,
    system_role: null,
    step_up_scopes: [],
    consent_html_template: null,
  };
}

function parseBasic(value: string | undefined): { id: string; secret: string } | undefined {
  if (!value) return undefined;
  const m = /^Basic\s+(\S+)\s*$/i.exec(value);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  // Accept both the raw form the official SDKs send and the RFC 6749 form-url-encoded form.
  const raw = { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
  return raw;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function handleTokenRequest(core: EmulatorCore, req: IncomingMessage, path: string, rawBody: Buffer): Reply {
  try {
    return issue(core, req, path, rawBody);
  } catch (e) {
    if (e instanceof OAuthError) return { status: e.status, headers: { ...NO_STORE, ...e.headers }, body: e.body() };
    throw e;
  }
}

function issue(core: EmulatorCore, req: IncomingMessage, path: string, rawBody: Buffer): Reply {
  if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'The token endpoint accepts POST only', { allow: 'POST' });
  const ct = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(ct)) {
    throw new OAuthError(400, 'invalid_request', 'Token requests must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const grant = form.get('grant_type');
  if (!grant) throw new OAuthError(400, 'invalid_request', 'grant_type is required');

  let client: OAuthClientRow;
  let scope: string;
  /** The refresh token this request spends (rotation), if any. */
  let spent: { used: boolean } | undefined;
  /** Login-style grants answer with a refresh token; client_credentials does not. */
  let withRefresh = false;
  if (grant === 'client_credentials') {
    client = authenticateClient(core, req, form, true);
    if (!client.grant_types.includes('client_credentials'))
      throw new OAuthError(400, 'unauthorized_client', 'This client may not use the client_credentials grant');
    scope = resolveScope(client, form.get('scope'));
  } else if (grant === 'refresh_token') {
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError(400, 'invalid_request', 'refresh_token is required');
    const row = core.state.refreshTokens.get(token);
    if (!row || row.used) throw new OAuthError(400, 'invalid_grant', 'Refresh token is invalid, expired or already used');
    const claimedId = form.get('client_id') ?? parseBasic(req.headers.authorization)?.id;
    if (claimedId !== undefined && claimedId !== null && findClient(core, safeDecode(claimedId))?.client_id !== row.client_id) {
      throw new OAuthError(400, 'invalid_grant', 'Refresh token was issued to another client');
    }
    const found = findClient(core, row.client_id);
    if (!found?.active) throw new OAuthError(400, 'invalid_grant', 'The client of this refresh token no longer exists');
    // A confidential client must authenticate (RFC 6749 §6); a public client (the CLI) has no secret.
    client = found.client_secret !== null ? authenticateClient(core, req, form, true) : found;
    if (client.client_id !== row.client_id) throw new OAuthError(400, 'invalid_grant', 'Refresh token was issued to another client');
    scope = row.scope;
    spent = row;
    withRefresh = true;
  } else if (grant === 'authorization_code') {
    client = redeemAuthorizationCode(core, form);
    scope = client.allowed_scopes.join(' ');
    withRefresh = true;
  } else if (grant === DEVICE_CODE) {
    client = redeemDeviceCode(core, form);
    scope = client.allowed_scopes.join(' ');
    withRefresh = true;
  } else if (grant === TOKEN_EXCHANGE) {
    client = exchangeSubject(core, form);
    scope = form.get('scope') ?? '';
  } else {
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grant}" is not supported by this token endpoint`);
  }

  // `requireDpop` covers the grants where SDKs send proofs: confidential clients and workload
  // token exchange. Public-client grants (CLI refresh, login flows) never carry proofs (auth.md §5.4).
  const proofRequired = client.require_dpop || (core.options.requireDpop && (client.client_secret !== null || grant === TOKEN_EXCHANGE));
  const jkt = checkProof(core, req, path, proofRequired);
  if (spent) spent.used = true;
  const accessToken = opaqueToken('kc_at_', 24);
  const ttl = core.options.tokenTtlSeconds;
  core.state.accessTokens.set(accessToken, { token: accessToken, client_id: client.client_id, scope, expires_at_ms: core.now() + ttl * 1000, jkt });
  client.last_used_at = core.state.nowIso();
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: jkt ? 'DPoP' : 'Bearer',
    expires_in: ttl,
    scope,
    tenant: core.state.account.slug,
    client_id: client.client_id,
  };
  if (withRefresh) {
    const next = opaqueToken('kc_rt_', 24);
    core.state.refreshTokens.set(next, { token: next, client_id: client.client_id, scope, used: false });
    body['refresh_token'] = next;
  }
  return { status: 200, headers: NO_STORE, body };
}

function findClient(core: EmulatorCore, clientId: string): OAuthClientRow | undefined {
  return findOAuthClient(core.state, clientId);
}

function authenticateClient(core: EmulatorCore, req: IncomingMessage, form: URLSearchParams, requireSecret: boolean): OAuthClientRow {
  const basic = parseBasic(req.headers.authorization);
  const id = basic?.id ?? form.get('client_id') ?? undefined;
  const secret = basic?.secret ?? form.get('client_secret') ?? undefined;
  const challenge: Record<string, string> = basic ? { 'www-authenticate': 'Basic realm="knoxcall"' } : {};
  if (!id) throw new OAuthError(401, 'invalid_client', 'Client authentication is required (HTTP Basic or client_id/client_secret)', challenge);
  const client = findClient(core, id) ?? findClient(core, safeDecode(id));
  const secretOk =
    client &&
    (client.client_secret === null ? !requireSecret : secret !== undefined && (secret === client.client_secret || safeDecode(secret) === client.client_secret));
  if (!client?.active || !secretOk) throw new OAuthError(401, 'invalid_client', 'Client authentication failed', challenge);
  return client;
}

function resolveScope(client: OAuthClientRow, requested: string | null): string {
  const allowed = client.allowed_scopes;
  if (!requested) return allowed.join(' ');
  const wanted = requested.split(/\s+/).filter(Boolean);
  if (allowed.length > 0) {
    const bad = wanted.filter((s) => !allowed.includes(s));
    if (bad.length) throw new OAuthError(400, 'invalid_scope', `Scope not allowed for this client: ${bad.join(' ')}`);
  }
  return wanted.join(' ');
}

/** Verifies the DPoP header if present; returns the thumbprint to bind to, or null for Bearer. */
function checkProof(core: EmulatorCore, req: IncomingMessage, path: string, required: boolean): string | null {
  const raw = req.headers['dpop'];
  const proof = Array.isArray(raw) ? raw[0] : raw;
  if (!proof) {
    if (required) {
      throw new OAuthError(400, 'invalid_dpop_proof', 'A DPoP proof is required for this client');
    }
    return null;
  }
  let verified: { jkt: string; nonce: string | undefined };
  try {
    verified = verifyDpopProof(proof, {
      method: 'POST',
      htu: requestHtu(req, path),
      nowMs: core.now(),
      iatWindowSeconds: DPOP_IAT_WINDOW_SECONDS,
      claimJti: (jti) => core.claimJti(jti),
    });
  } catch (e) {
    if (e instanceof DpopError) throw new OAuthError(400, 'invalid_dpop_proof', e.message);
    throw e;
  }
  if (core.options.dpopNonces && verified.nonce !== core.dpopNonce) {
    throw new OAuthError(400, 'use_dpop_nonce', 'Authorization server requires a DPoP nonce', { 'dpop-nonce': core.dpopNonce });
  }
  return verified.jkt;
}
