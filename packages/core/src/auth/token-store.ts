import type { Redacted } from '../redacted.js';

/** A cached token (contract auth §6.1). All times are epoch milliseconds. */
export interface CachedToken {
  accessToken: Redacted<string>;
  refreshToken?: Redacted<string> | undefined;
  /** Epoch ms. */
  expiresAt: number;
  /** Token lifetime in ms, when known. */
  lifetime?: number | undefined;
  scope: string[];
  tokenType: 'Bearer' | 'DPoP';
  /** DPoP key thumbprint the token is bound to. */
  cnfJkt?: string | undefined;
  /** Tenant slug from the token response. */
  tenant?: string | undefined;
}

/**
 * Where tokens are cached, and the lock that makes minting single-flight across every
 * process sharing the store.
 */
export interface TokenStore {
  get(key: string): Promise<CachedToken | null>;
  set(key: string, token: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
  /** Runs `fn` under a per-key lock and returns its result; always releases, also when `fn` throws. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
