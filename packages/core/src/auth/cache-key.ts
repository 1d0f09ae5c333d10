/**
 * The token-cache key (contract auth §3.1): `"{tenant or identity}:{sorted scopes}"`, from
 * the inputs as they were at construction; a tenant discovered later never changes it.
 */
import { AccessToken, ClientCredentials, type ResolvedBootstrap } from './bootstraps.js';
import { fnv1a32Hex } from './fnv1a.js';

export interface CacheKeyInput {
  /** A tenant configured explicitly (option or env); wins over every identity. */
  tenant: string | undefined;
  bootstrap: ResolvedBootstrap | undefined;
  scopes: readonly string[];
  /** For StoredCredentials: the resolved credentials-file path and profile. */
  storedLocation?: { path: string; profile: string } | undefined;
  /**
   * Per-instance id used when no identity is known yet (auto-detection pending). A function,
   * called only in that case: a ULID costs 16 `getRandomValues` calls, which made up most of
   * `new KnoxCall()` although most clients never need one.
   */
  anonymousId: () => string;
}

export function tokenCacheKey(input: CacheKeyInput): string {
  const scopes = [...input.scopes].sort().join(' ');
  return `${input.tenant ? input.tenant : identity(input)}:${scopes}`;
}

function identity(input: CacheKeyInput): string {
  const { bootstrap } = input;
  if (bootstrap instanceof ClientCredentials) return `cid:${bootstrap.clientId}`;
  if (bootstrap instanceof AccessToken) return `tok:${fnv1a32Hex(bootstrap.accessToken)}`;
  if (bootstrap && input.storedLocation) return `file:${input.storedLocation.path}:${input.storedLocation.profile}`;
  return `anon:${input.anonymousId()}`;
}
