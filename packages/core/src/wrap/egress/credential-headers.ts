/**
 * Which request headers carry credentials, for egress observations. Only header NAMES are
 * ever looked at or reported; values never leave the request.
 */

/** Header names that carry a credential by convention (lower-case). */
export const CREDENTIAL_HEADER_ALLOWLIST: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'x-session-token',
  'x-secret-key',
  'x-client-secret',
  'x-app-key',
  'x-goog-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-amz-security-token',
  'x-shopify-access-token',
  'x-vault-token',
  'private-token',
]);

/** Any name ending in one of these is a credential header too (`x-acme-api-key`, `x-github-token`). */
export const CREDENTIAL_HEADER_SUFFIXES: readonly string[] = Object.freeze(['-api-key', '-token', '-secret', '-auth']);

const ALLOW = new Set(CREDENTIAL_HEADER_ALLOWLIST);

export function isCredentialHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  if (ALLOW.has(lower)) return true;
  for (const suffix of CREDENTIAL_HEADER_SUFFIXES) if (lower.endsWith(suffix)) return true;
  return false;
}

/** The lower-cased name when `name` is a credential header, otherwise undefined. */
export function credentialHeaderName(name: string): string | undefined {
  return isCredentialHeaderName(name) ? name.toLowerCase() : undefined;
}
