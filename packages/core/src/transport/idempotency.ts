import { ulid } from './ulid.js';

/** Every method except GET and HEAD changes state and so carries an idempotency key (contract transport §7). */
export function isMutatingMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/**
 * The key for one logical call, chosen once before the retry loop so every retry and the
 * 401 re-auth resend carry the same one: the caller's (even on GET) if non-empty, else a
 * fresh ULID for mutating methods, else none.
 */
export function chooseIdempotencyKey(method: string, callerKey: string | undefined): string | undefined {
  if (callerKey !== undefined && callerKey !== '') return callerKey;
  return isMutatingMethod(method) ? ulid() : undefined;
}
