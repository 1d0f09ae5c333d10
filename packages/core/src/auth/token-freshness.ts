/** Freshness rules of the token cache (contract auth §3.2). All times are epoch ms. */
import type { CachedToken } from './token-store.js';

export const REFRESH_AHEAD_MAX_MS = 300_000;
export const STALE_FLOOR_MS = 10_000;
export const FALLBACK_LIFETIME_SECONDS = 3600;

/** How long before expiry a token stops being handed out: 5 min, or half its lifetime if smaller. */
export function refreshAheadWindowMs(token: Pick<CachedToken, 'lifetime'>): number {
  return token.lifetime ? Math.min(REFRESH_AHEAD_MAX_MS, token.lifetime / 2) : REFRESH_AHEAD_MAX_MS;
}

/** Usable without a refresh: more than the refresh-ahead window left (strictly). */
export function isFresh(token: Pick<CachedToken, 'expiresAt' | 'lifetime'>, now: number): boolean {
  return token.expiresAt - now > refreshAheadWindowMs(token);
}

/** Good enough as a fallback when a re-mint failed: more than 10 s of real validity left. */
export function isUsableStale(token: Pick<CachedToken, 'expiresAt'>, now: number): boolean {
  return token.expiresAt - now > STALE_FLOOR_MS;
}
