/**
 * The management token exchange for an `OidcTokenExchange` bootstrap (contract auth §2.1):
 * the form, and the translation of the server refusing the subject token into a typed
 * error that names the platform the token came from — never the token itself.
 */
import { TokenExchangeError, isKnoxCallError } from '../errors.js';
import type { OidcTokenExchange } from './bootstraps.js';
import { MANAGEMENT_AUDIENCE, workloadPlatformName } from './workload-sources.js';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

/** Form fields in the contract's order; `scope` only when non-empty. */
export function oidcExchangeForm(bootstrap: OidcTokenExchange, scopes: readonly string[]): URLSearchParams {
  const form = new URLSearchParams();
  form.set('grant_type', TOKEN_EXCHANGE_GRANT);
  form.set('subject_token_type', ID_TOKEN_TYPE);
  form.set('subject_token', bootstrap.subjectToken);
  form.set('audience', MANAGEMENT_AUDIENCE);
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  return form;
}

/** Codes with which the token endpoint refuses the subject token itself (malformed, expired, unknown issuer). */
const SUBJECT_REFUSALS = new Set(['invalid_grant', 'invalid_request', 'invalid_target', 'unauthorized_client']);

/**
 * A 400 refusing the subject token becomes a `TokenExchangeError` naming the platform and the
 * fix; anything else (5xx, network, DPoP signals already handled) passes through unchanged so
 * the stale-token fallback and retries still see it.
 */
export function oidcExchangeFailure(error: unknown, bootstrap: OidcTokenExchange): unknown {
  if (!isKnoxCallError(error) || error.status !== 400 || !error.code || !SUBJECT_REFUSALS.has(error.code)) return error;
  const platform = workloadPlatformName(bootstrap.issuer);
  const body = error.body as { error_description?: unknown } | null;
  const reason = typeof body?.error_description === 'string' && body.error_description !== '' ? body.error_description : error.code;
  return new TokenExchangeError(
    `KnoxCall refused the OIDC token from ${platform} (${error.code}: ${reason}). Check that the workload's identity is trusted by your KnoxCall tenant and that the platform issued a fresh token for audience "${MANAGEMENT_AUDIENCE}".`,
    { status: error.status, code: error.code, requestId: error.requestId, headers: error.headers, body: error.body, cause: error },
  );
}
