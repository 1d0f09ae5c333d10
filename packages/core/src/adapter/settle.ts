/**
 * Continues a computation with a value that may or may not be a promise: at once for a plain
 * value, once it settled for a promise (or any thenable, as `await` would). The webhook
 * processor's steps — reading the body, the verifier, the handlers — answer synchronously on
 * Node, and an `await` of each such value would still cost a microtask turn per step.
 *
 * `failed` handles a rejection only; a throw of `next` itself, or of the code that produced
 * `value`, is the caller's (as a throw after an `await` would be).
 */
export function settle<T, R>(value: T | PromiseLike<T>, next: (value: T) => R | Promise<R>, failed?: (error: unknown) => R | Promise<R>): R | Promise<R> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function' ? Promise.resolve(value).then(next, failed) : next(value as T);
}
