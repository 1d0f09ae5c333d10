/**
 * `WorkloadCredentialProvider` (contract auth §8.3): caches data-plane tokens minted by
 * `exchangeToken` from a workload's OIDC assertions. The server treats every assertion as
 * single-use, so each exchange asks the assertion source for a NEW one, and an assertion this
 * provider already spent is refused locally (`StaleAssertionError`) instead of being replayed.
 * Refreshes run under the token store's lock, so processes sharing a Redis store make one
 * exchange between them. Universal: Web Crypto for fingerprints, no `node:` imports.
 */
import { MemoryTokenStore } from '../auth/memory-token-store.js';
import { sha256Hex } from '../auth/sha256.js';
import { expiresInSeconds } from '../auth/token-endpoint.js';
import type { CachedToken, TokenStore } from '../auth/token-store.js';
import { KnoxCallError, StaleAssertionError } from '../errors.js';
import { Redacted } from '../redacted.js';
import { exchangeToken } from './exchange-token.js';

/** With more than this left, the cached token is returned as-is. */
export const ADVISORY_REFRESH_MS = 120_000;
/** With this or less left (or nothing cached), a refresh must succeed. */
export const MANDATORY_REFRESH_MS = 30_000;

export interface WorkloadCredentialProviderOptions {
  /** Returns the CURRENT OIDC ID token of the workload; called before every exchange. */
  assertion: () => string | Promise<string>;
  /** An MCP server's `resource`: narrows minted tokens to kind `tool` for that server. */
  resource?: string | undefined;
  /** Default `knoxcall:gateway`. */
  audience?: string | undefined;
  tenant?: string | undefined;
  sandbox?: boolean | undefined;
  /** Explicit data-plane origin; wins over `tenant`. */
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** Default: a private `MemoryTokenStore`. Share a `RedisTokenStore` across processes. */
  store?: TokenStore | undefined;
  /** Default `workload:{baseUrl or tenant or "default"}:{"test" if sandbox else "live"}`. */
  cacheKey?: string | undefined;
  /** Clock seam in epoch ms (default `Date.now`). */
  now?: (() => number) | undefined;
  /** Receives the "advisory token refresh failed" warning. Default: `console.warn`, once per process. */
  warn?: ((message: string) => void) | undefined;
}

let defaultWarningShown = false;
function defaultWarn(message: string): void {
  if (defaultWarningShown) return;
  defaultWarningShown = true;
  console.warn(message);
}

export function defaultWorkloadCacheKey(options: Pick<WorkloadCredentialProviderOptions, 'baseUrl' | 'tenant' | 'sandbox'>): string {
  const where = options.baseUrl?.replace(/\/+$/, '') || options.tenant || 'default';
  return `workload:${where}:${options.sandbox === true ? 'test' : 'live'}`;
}

export class WorkloadCredentialProvider {
  readonly cacheKey: string;
  readonly #options: WorkloadCredentialProviderOptions;
  readonly #store: TokenStore;
  readonly #now: () => number;
  /** SHA-256 fingerprints of the assertions this provider exchanged successfully (never the assertions). */
  readonly #spent = new Set<string>();

  constructor(options: WorkloadCredentialProviderOptions) {
    if (typeof options?.assertion !== 'function') {
      throw new KnoxCallError('WorkloadCredentialProvider requires an `assertion` function that returns a newly minted OIDC token');
    }
    this.#options = options;
    this.#store = options.store ?? new MemoryTokenStore();
    this.#now = options.now ?? Date.now;
    this.cacheKey = options.cacheKey ?? defaultWorkloadCacheKey(options);
  }

  /** A data-plane token with enough life left; refreshes per the advisory/mandatory lines. */
  async getAccessToken(): Promise<Redacted<string>> {
    const cached = await this.#store.get(this.cacheKey);
    const remaining = cached ? cached.expiresAt - this.#now() : Number.NEGATIVE_INFINITY;
    if (cached && remaining > ADVISORY_REFRESH_MS) return cached.accessToken;
    if (cached && remaining > MANDATORY_REFRESH_MS) {
      try {
        return (await this.#refresh()).accessToken;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        (this.#options.warn ?? defaultWarn)(
          `KnoxCall WorkloadCredentialProvider: advisory token refresh failed (${reason}); using the cached token, which has ${Math.round(remaining / 1000)} s left`,
        );
        return cached.accessToken;
      }
    }
    return (await this.#refresh()).accessToken;
  }

  #refresh(): Promise<CachedToken> {
    return this.#store.withLock(this.cacheKey, async () => {
      // Double-checked: another caller or process may have refreshed while we waited.
      const again = await this.#store.get(this.cacheKey);
      if (again && again.expiresAt - this.#now() > ADVISORY_REFRESH_MS) return again;

      const assertion: unknown = await this.#options.assertion();
      if (typeof assertion !== 'string' || assertion === '') {
        throw new StaleAssertionError(
          'the workload assertion source returned no token (empty or not a string): it must return a NEWLY minted OIDC ID token on every call',
        );
      }
      const fingerprint = sha256Hex(assertion);
      if (this.#spent.has(fingerprint)) {
        throw new StaleAssertionError(
          'the workload assertion source returned an assertion that was already exchanged: assertions are single-use — return a NEWLY minted OIDC ID token on every call (do not cache it)',
        );
      }
      const { resource, audience, tenant, sandbox, baseUrl, fetch, warn } = this.#options;
      const input = { subject_token: assertion, ...(resource !== undefined ? { resource } : {}), ...(audience !== undefined ? { audience } : {}) };
      const response = await exchangeToken(input, { tenant, sandbox, baseUrl, fetch, warn });
      // Only after success: a network failure leaves the assertion reusable.
      this.#spent.add(fingerprint);
      const expiresIn = expiresInSeconds(response.expires_in);
      const token: CachedToken = {
        accessToken: new Redacted(response.access_token),
        expiresAt: this.#now() + expiresIn * 1000,
        lifetime: expiresIn * 1000,
        scope: typeof response.scope === 'string' && response.scope !== '' ? [response.scope] : [],
        tokenType: 'Bearer',
      };
      await this.#store.set(this.cacheKey, token);
      return token;
    });
  }
}
