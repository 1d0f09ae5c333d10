import { APIConnectionError, type KnoxCallError, RateLimitError, ServerError } from '../errors.js';

/** Statuses a management request is retried on (contract transport §0). 409 is never among them. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A Retry-After sleep never exceeds this, however long the server asks for. */
export const RETRY_AFTER_CAP_MS = 30_000;

export interface RetrySettings {
  /** Total attempts including the first (integer ≥ 1). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * "Half jitter" backoff after attempt `attempt` (1-based): `baseDelayMs × 2^(attempt−1)`
 * scaled by a uniform factor in [0.5, 1), capped at `maxDelayMs` (contract transport §6.2).
 * Half jitter keeps a floor under the delay, so a retry never fires instantly.
 */
export function backoffDelayMs(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
  const factor = 0.5 + 0.5 * random();
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1) * factor);
}

/** The sleep a Retry-After asks for, capped at 30 s; undefined when there is none (or it is 0). */
export function retryAfterDelayMs(error: unknown): number | undefined {
  if (!(error instanceof RateLimitError || error instanceof ServerError)) return undefined;
  const seconds = error.retryAfter;
  if (seconds === undefined || !(seconds > 0)) return undefined;
  return Math.min(seconds * 1000, RETRY_AFTER_CAP_MS);
}

/** Whether a management error may be retried (attempts permitting): transport failures and §0's statuses. */
export function isRetryableManagementError(error: KnoxCallError): boolean {
  if (error instanceof APIConnectionError) return true;
  return error.status !== undefined && RETRYABLE_STATUSES.has(error.status);
}

/** Delay before the next management attempt: Retry-After when given, else backoff. */
export function managementRetryDelayMs(error: unknown, attempt: number, settings: RetrySettings, random?: () => number): number {
  return retryAfterDelayMs(error) ?? backoffDelayMs(attempt, settings, random);
}
