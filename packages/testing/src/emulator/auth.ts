import type { IncomingMessage } from 'node:http';
import { DPOP_IAT_WINDOW_SECONDS, type EmulatorCore, requestHtu } from './core.js';
import { DpopError, verifyDpopProof } from './dpop.js';
import { ApiError } from './errors.js';
import type { AuthContext } from './router.js';

/**
 * Authentication of management and data-plane requests (auth.md §4–§5, transport.md §8.4):
 * `kc_` access tokens and `kc_` API keys as `Authorization: Bearer`; DPoP-bound tokens as
 * `Authorization: DPoP` with a proof; legacy `tk_` keys only via `x-knoxcall-key` on the data plane.
 */

export interface AuthRequest {
  req: IncomingMessage;
  method: string;
  path: string;
  plane: 'management' | 'data';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function dpopChallenge(error: string, description: string): ApiError {
  return new ApiError(401, error, description, {
    headers: { 'www-authenticate': `DPoP algs="ES256", error="${error}", error_description="${description.replace(/"/g, "'")}"` },
  });
}

export function authenticate(core: EmulatorCore, a: AuthRequest): AuthContext {
  const { req } = a;
  const authorization = header(req, 'authorization');
  const legacyKey = header(req, 'x-knoxcall-key');

  if (!authorization) {
    if (legacyKey !== undefined && a.plane === 'data') return authenticateApiKey(core, legacyKey, a, true);
    if (legacyKey !== undefined) {
      throw ApiError.unauthorized('x-knoxcall-key is accepted only on the data plane; management calls need Authorization: Bearer <kc_ credential>');
    }
    throw ApiError.unauthorized('Missing Authorization header');
  }
  const m = /^(\S+)\s+(\S+)\s*$/.exec(authorization);
  if (!m) throw ApiError.unauthorized('Malformed Authorization header');
  const scheme = m[1]!.toLowerCase();
  const token = m[2]!;
  if (scheme !== 'bearer' && scheme !== 'dpop') throw ApiError.unauthorized(`Unsupported authorization scheme "${m[1]}"`);

  if (token.startsWith('tk_')) {
    throw ApiError.unauthorized(
      a.plane === 'management'
        ? 'Legacy tk_ keys are not accepted on the management API; use an OAuth client or a kc_ API key'
        : 'Legacy tk_ keys must be sent in the x-knoxcall-key header',
    );
  }

  const access = core.state.accessTokens.get(token);
  if (access) {
    if (access.expires_at_ms <= core.now()) {
      throw ApiError.unauthorized('Access token has expired', 'Bearer realm="knoxcall", error="invalid_token", error_description="expired"');
    }
    if (access.jkt !== null) {
      if (scheme !== 'dpop') throw dpopChallenge('invalid_token', 'DPoP-bound token must be presented with the DPoP scheme');
      verifyResourceProof(core, a, token, access.jkt);
    } else if (scheme === 'dpop') {
      throw dpopChallenge('invalid_token', 'Token is not DPoP-bound; present it with the Bearer scheme');
    }
    return { kind: 'access_token', subject: access.client_id, scope: access.scope, token, jkt: access.jkt };
  }
  if (scheme === 'dpop') throw dpopChallenge('invalid_token', 'Unknown access token');
  return authenticateApiKey(core, token, a, false);
}

function authenticateApiKey(core: EmulatorCore, key: string, a: AuthRequest, viaLegacyHeader: boolean): AuthContext {
  for (const row of core.state.apiKeys.values()) {
    if (row.key !== key) continue;
    if (!row.active) throw ApiError.unauthorized('API key has been revoked');
    if (!viaLegacyHeader && !key.startsWith('kc_')) throw ApiError.unauthorized('Only kc_ keys are accepted as Bearer credentials');
    row.last_used_at = core.state.nowIso();
    if (a.plane === 'management') enforceKeyRateLimit(core, row);
    return { kind: 'api_key', subject: row.id, scope: '', token: key, jkt: null };
  }
  throw ApiError.unauthorized('Unknown or invalid credential');
}

function enforceKeyRateLimit(core: EmulatorCore, row: { rate_limit_requests: number | null; rate_limit_window_sec: number | null; hits: number[] }): void {
  if (!row.rate_limit_requests || !row.rate_limit_window_sec) return;
  const now = core.now();
  const windowMs = row.rate_limit_window_sec * 1000;
  row.hits = row.hits.filter((t) => t > now - windowMs);
  if (row.hits.length >= row.rate_limit_requests) {
    const oldest = row.hits[0] ?? now;
    throw ApiError.rateLimited(Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)));
  }
  row.hits.push(now);
}

function verifyResourceProof(core: EmulatorCore, a: AuthRequest, token: string, jkt: string): void {
  const proof = header(a.req, 'dpop');
  if (!proof) throw dpopChallenge('invalid_dpop_proof', 'DPoP proof header is missing');
  let nonce: string | undefined;
  try {
    ({ nonce } = verifyDpopProof(proof, {
      method: a.method,
      htu: requestHtu(a.req, a.path),
      nowMs: core.now(),
      iatWindowSeconds: DPOP_IAT_WINDOW_SECONDS,
      accessToken: token,
      jkt,
      claimJti: (jti) => core.claimJti(jti),
    }));
  } catch (e) {
    if (e instanceof DpopError) throw dpopChallenge('invalid_dpop_proof', e.message);
    throw e;
  }
  if (core.options.dpopNonces && nonce !== core.dpopNonce) {
    throw dpopChallenge('use_dpop_nonce', 'Resource server requires a current DPoP nonce');
  }
}
