/**
 * The one timer race behind every store deadline (token stores in `auth/store-deadline.ts`,
 * replay stores in `adapter/store-deadline.ts`): a stalled Redis or a custom store whose
 * promise never settles must cost at most the deadline, never a hang. Edge-safe: only
 * `setTimeout`.
 */

/**
 * Settles like `operation()` — called at once; a synchronous throw fails like a rejection —
 * or rejects with `onTimeout()` when `ms` pass first (the operation's result is then
 * abandoned). `Infinity` sets no timer.
 */
export function settleWithin<T>(ms: number, operation: () => T | PromiseLike<T>, onTimeout: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = Number.isFinite(ms) ? setTimeout(() => reject(onTimeout()), ms) : undefined;
    new Promise<T>((run) => run(operation())).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
