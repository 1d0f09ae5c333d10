/**
 * The seam between the request pipeline (transport) and everything that produces
 * credentials (auth). The transport asks for a credential before each attempt, attaches
 * it, reports every response back, and purges on a 401; the auth side owns bootstraps,
 * the token cache and store, single-flight minting, DPoP keys, proofs and nonces.
 */
import type { Redacted } from '../redacted.js';
import type { ResponseHeaderReader } from '../transport/direct-sender.js';

export type TokenType = 'Bearer' | 'DPoP';

/** A credential ready to be attached to one request. */
export interface Credential {
  readonly tokenType: TokenType;
  readonly accessToken: Redacted<string>;
  /**
   * True for a Bearer token that does not start with `kc_` (legacy `tk_…` / `AKE…` keys):
   * the data plane (`call()` / `route()`) sends it as `x-knoxcall-key` instead of
   * `Authorization` (contract transport §8.4).
   */
  readonly isLegacyKey: boolean;
}

export interface Authenticator {
  /**
   * Get-or-refresh (contract auth §3.3): cached and fresh → returned; otherwise one
   * single-flight mint under the token store's lock, with the stale-token fallback.
   * Errors are typed `KnoxCallError`s (token endpoint statuses mapped like management
   * errors, network failures as `APIConnectionError`, no credential → `NotAuthenticatedError`).
   * `timeoutMs`: the calling request's timeout (default: the client's); it bounds the
   * token-store operations of this lookup (`store-deadline.ts`).
   */
  getCredential(signal?: AbortSignal, timeoutMs?: number): Promise<Credential>;

  /**
   * The warm path, synchronously: a credential `getCredential()` would return right now
   * without refreshing (same refresh-ahead rule), or `undefined` whenever that cannot be
   * known without awaiting (a store that may be shared, a refresh due, nothing cached yet).
   * Optional: callers fall back to `getCredential`.
   */
  peekCredential?(): Credential | undefined;

  /**
   * The headers that prove possession for one request: `{ authorization }` plus a fresh
   * `{ dpop }` proof (with `ath`, and the origin's remembered nonce) when the credential
   * is DPoP-bound. `url` is the full request URL; the proof's `htu` drops query and fragment.
   * Does not add `x-knoxcall-key`; the data plane decides that from `isLegacyKey`.
   */
  authorizationHeaders(method: string, url: string, credential: Credential): Promise<Record<string, string>>;

  /**
   * The same headers as `authorizationHeaders`, synchronously, when they need no signed
   * proof (a Bearer credential); `undefined` when they do. Optional, like `peekCredential`.
   * The record may be shared between calls: read it, never change it.
   */
  unsignedAuthorizationHeaders?(credential: Credential): Readonly<Record<string, string>> | undefined;

  /** Called with every response received (any status) so DPoP-Nonce values are learned per origin. */
  observeResponse(url: string, headers: ResponseHeaderReader): void;

  /**
   * True iff this 401 is a DPoP nonce challenge (`WWW-Authenticate: DPoP … error="use_dpop_nonce"`
   * plus a `DPoP-Nonce` header) on a request that carried a proof: the transport re-sends once with
   * a fresh proof, without purging the token and without consuming a retry attempt.
   */
  isNonceChallenge(status: number, headers: ResponseHeaderReader, credential: Credential): boolean;

  /** Purge this client's cached token after a 401 (the next `getCredential` re-mints). */
  invalidate(): Promise<void>;

  /** `client.signOut()`: delete the cached token; the bootstrap is kept. */
  signOut(): Promise<void>;
}

/**
 * Mutable client state the auth side may read and update: the credentials file seeds
 * `tenant`/`baseUrl` when they were not explicit, and a token response's `tenant` is
 * adopted while the client has none (contract transport §2.3). The client object itself
 * satisfies this.
 */
export interface ClientIdentityState {
  tenant: string | undefined;
  baseUrl: string;
}

export interface AuthenticatorConfig {
  options: import('./auth-options.js').AuthOptions;
  state: ClientIdentityState;
  /** Whether `baseUrl` / `tenant` came from an option or env variable (credentials-file seeding rules). */
  baseUrlExplicit: boolean;
  tenantExplicit: boolean;
  sandbox: boolean;
  fetch: typeof fetch;
  userAgent: string;
  /** Per-attempt timeout for token requests, ms. */
  timeoutMs: number;
  platform: import('./platform.js').Platform;
  /** Clock for token expiry (epoch ms); default `Date.now`. Tests inject one. */
  now?: (() => number) | undefined;
}
