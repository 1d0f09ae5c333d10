/**
 * Token-store calls under the call's deadline. A store is I/O the client does not control —
 * Redis down with ioredis' default settings queues commands for ~85 s, a black-holed socket
 * never answers, a custom store's promise may never settle — so no store operation may hold
 * a call longer than the call's timeout allows. The authenticator gives the store operations
 * of one credential lookup HALF of the timeout between them; an operation that fails or does
 * not answer by then is a store failure, which the authenticator answers by minting without
 * the cache within the other half (see `TokenAuthenticator`).
 */
import { KnoxCallError } from '../errors.js';
import { settleWithin } from '../settle-within.js';
import type { TokenStore } from './token-store.js';

/** The `code` of the error a failed or silent store operation rejects with. */
export const TOKEN_STORE_UNAVAILABLE = 'token_store_unavailable';

export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof KnoxCallError && error.code === TOKEN_STORE_UNAVAILABLE;
}

function storeUnavailable(what: string, cause?: unknown): KnoxCallError {
  const reason = cause === undefined ? 'did not answer in time' : 'failed';
  return new KnoxCallError(
    `the token store ${reason} (${what}); the call went on without the token cache — check the store (e.g. that Redis is reachable) or raise the client's timeout`,
    { code: TOKEN_STORE_UNAVAILABLE, cause },
  );
}

/** The time budget of one credential lookup, from the client's (per-attempt) timeout. */
export class LookupDeadline {
  readonly #storeBy: number;
  readonly #mintBy: number;

  constructor(timeoutMs: number) {
    const now = performance.now();
    // Infinity (no timeout) stays Infinity: no timers at all.
    this.#storeBy = now + timeoutMs / 2;
    this.#mintBy = now + timeoutMs;
  }

  /** Milliseconds the store may still take in this lookup (≥ 0; Infinity without a timeout). */
  storeMs(): number {
    return Math.max(0, this.#storeBy - performance.now());
  }

  /** Milliseconds left for a mint that runs after the store failed (≥ 1; Infinity without a timeout). */
  mintMs(): number {
    // Whole milliseconds: timers and AbortSignal.timeout() refuse fractions.
    return Math.max(1, Math.ceil(this.#mintBy - performance.now()));
  }
}

/** Settles like `operation()`, or rejects with `token_store_unavailable` when it fails or `ms` pass first. */
export function withinMs<T>(operation: () => Promise<T>, ms: number, what: string): Promise<T> {
  const failed = (error: unknown): never => {
    throw storeUnavailable(what, error);
  };
  return settleWithin(
    ms,
    () => new Promise<T>((run) => run(operation())).catch(failed),
    () => storeUnavailable(what),
  );
}

/**
 * Runs `work` under `store.withLock(key)` and settles with work's outcome — not when the
 * store has released the lock, so a release stuck on a dead store cannot hold the call.
 * Rejects with `token_store_unavailable` when the lock is refused or not acquired within
 * `ms`; a lock acquired after that runs nothing and is released at once.
 */
export function runUnderLock<T>(store: TokenStore, key: string, ms: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let state: 'waiting' | 'running' | 'abandoned' = 'waiting';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abandon = (error: KnoxCallError) => {
      if (state !== 'waiting') return;
      state = 'abandoned';
      clearTimeout(timer);
      reject(error);
    };
    if (Number.isFinite(ms)) timer = setTimeout(() => abandon(storeUnavailable('lock')), ms);
    Promise.resolve()
      .then(() =>
        store.withLock(key, () => {
          if (state === 'abandoned') return Promise.resolve(undefined as T);
          state = 'running';
          clearTimeout(timer);
          const running = work();
          resolve(running);
          return running;
        }),
      )
      // Once work runs, its own outcome is what the caller gets; a failed release is the store's business.
      .catch((error: unknown) => abandon(storeUnavailable('lock', error)));
  });
}
