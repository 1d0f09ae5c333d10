/**
 * Credential identity: the one place that says which credential a cached thing belongs to.
 * The token cache keys its entries with it (a token belongs to exactly the credential that
 * minted it), and the per-options client cache (`client/client-cache.ts`) keys clients
 * with it. Secrets enter only through SHA-256, never in clear and never through a short
 * hash: two credentials share an identity only if they are the same credential.
 */
import { AccessToken, ClientCredentials, OidcTokenExchange, type ResolvedBootstrap } from './bootstraps.js';
import { sha256Hex } from './sha256.js';

/** Where a StoredCredentials bootstrap reads from, once resolved (path made absolute, env applied). */
export interface StoredLocation {
  path: string;
  profile: string;
}

/**
 * `tok:{sha256(token)}` for an access token or API key; `oidc:{sha256(subject token)}` for
 * a workload's OIDC token exchange (the subject token is what the server authenticates);
 * `cid:{client id}:{sha256 of the
 * secret, salted with the client id}` for client credentials; `file:{path}:{profile}` for
 * the CLI credentials file (the file, not its contents, is the credential's identity: the
 * refresh token in it rotates). The same credential gives the same identity in every
 * process, so processes sharing a Redis store share its token.
 */
export function credentialIdentity(bootstrap: ResolvedBootstrap, storedLocation?: StoredLocation): string {
  if (bootstrap instanceof AccessToken) return `tok:${sha256Hex(bootstrap.accessToken)}`;
  if (bootstrap instanceof OidcTokenExchange) return `oidc:${sha256Hex(bootstrap.subjectToken)}`;
  if (bootstrap instanceof ClientCredentials) {
    // Salted with the client id (and a purpose label), so equal secrets of different
    // clients hash differently and a digest means nothing outside this key.
    const digest = sha256Hex(`knoxcall client secret\u0000${bootstrap.clientId}\u0000${bootstrap.clientSecret}`);
    return `cid:${bootstrap.clientId}:${digest}`;
  }
  const path = storedLocation?.path ?? bootstrap.path ?? '';
  const profile = storedLocation?.profile ?? bootstrap.profile ?? '';
  return `file:${path}:${profile}`;
}

export interface CacheKeyInput {
  /** A tenant configured explicitly (option or env) at construction; a tenant discovered later never changes the key. */
  tenant: string | undefined;
  /** `credentialIdentity()` of the credential the token is minted with. */
  identity: string;
  scopes: readonly string[];
}

/**
 * The token-cache key: `{tenant}:{identity}:{sorted scopes}`, or `{identity}:{sorted scopes}`
 * without a tenant. The official SDK keys by `{tenant}:{scopes}` alone when a tenant is
 * set, which hands one credential's token to every client of the tenant; we do not.
 */
export function tokenCacheKey(input: CacheKeyInput): string {
  const scopes = [...input.scopes].sort().join(' ');
  return input.tenant ? `${input.tenant}:${input.identity}:${scopes}` : `${input.identity}:${scopes}`;
}
