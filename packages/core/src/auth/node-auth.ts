/**
 * Node-only pieces of auth, reached through `Platform.nodeAuth` so that the Web build never
 * imports `node:` modules. The Node entry plugs in `nodeAuthSupport` from `../node/auth-support.ts`.
 */
import type { SyncEs256SignerFactory } from './dpop-key-pair.js';
import type { CachedToken, TokenStore } from './token-store.js';

/** Which credentials file and profile a `StoredCredentials` bootstrap reads. */
export interface CredentialsLocation {
  path: string;
  profile: string;
}

/** What seeding and auto-detection need from a profile record (contract auth §7.1). */
export interface StoredProfileSummary {
  tenant: string | undefined;
  baseUrl: string | undefined;
}

export interface StoredTokenRequest {
  location: CredentialsLocation;
  /** Management base URL (possibly seeded from the record itself). */
  baseUrl: string;
  fetch: typeof fetch;
  userAgent: string;
  warnOnce(code: string, message: string): void;
  now(): number;
}

export interface NodeAuthSupport {
  readonly kind: 'node';
  /** Explicit path/profile › `KNOXCALL_CREDENTIALS_FILE` / `KNOXCALL_PROFILE` › defaults. No I/O. */
  resolveCredentialsLocation(
    explicit: { path?: string | undefined; profile?: string | undefined },
    getEnv: (name: string) => string | undefined,
  ): CredentialsLocation;
  /**
   * The profile when the file parses and the profile is an object, else null (never throws
   * for a missing or malformed file). Warns once when the file is group/other-accessible.
   */
  readStoredProfile(location: CredentialsLocation, warnOnce: (code: string, message: string) => void): Promise<StoredProfileSummary | null>;
  /** The token fetch of contract auth §7.4 (fast path, lock, refresh with rotation, write-back). */
  fetchStoredToken(request: StoredTokenRequest): Promise<CachedToken>;
  /** Reads a small text file (the AWS web-identity token file of workload detection). */
  readTextFile?(path: string): Promise<string>;
  /** A `FileTokenStore` (default path `~/.knoxcall/token-cache.json`). */
  createFileTokenStore(path?: string): TokenStore;
  /** Synchronous ES256 signing of DPoP proofs (`node-es256.ts`); without it, proofs are signed with Web Crypto. */
  readonly syncEs256Signer?: SyncEs256SignerFactory | undefined;
}
