/**
 * AbortSignal plumbing. A call listens to up to three signals (the caller's, a view's, the
 * client's close()) plus its own per-attempt timer; which one fired decides the error type.
 */

// Many calls wait on the same long-lived signal at once (close()'s, or a view's): 1,000
// concurrent calls on a cold client all wait for one token. One real listener per signal
// that calls a set of subscribers keeps Node's "11 abort listeners added" leak warning away
// and makes subscribing and unsubscribing a Set operation.
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Something a call stops on: an AbortSignal, or the client's lifetime (which is no I/O
 * object, so a client can outlive the Workers request that built it; see ClientLifetime).
 */
export interface AbortSource {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Present on the lifetime: its own subscription (an AbortSignal gets an 'abort' listener). */
  subscribe?(callback: () => void): () => void;
}

/** Calls `callback` once when `source` aborts (at once if it already has); the returned function unsubscribes. */
export function subscribeAbort(source: AbortSource, callback: () => void): () => void {
  if (source.subscribe !== undefined) return source.subscribe(callback);
  const signal = source as AbortSignal;
  if (signal.aborted) {
    // An abort event will not come again, and the fan-out below has already run.
    callback();
    return noop;
  }
  let set = subscribers.get(signal);
  if (set === undefined) {
    const created = new Set<() => void>();
    set = created;
    subscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const callbacks = [...created];
        created.clear();
        for (const fn of callbacks) fn();
      },
      { once: true },
    );
  }
  const subscribed = set;
  subscribed.add(callback);
  return () => {
    subscribed.delete(callback);
  };
}

/**
 * What aborts when `caller` or `closed` aborts, for the span of one call: cheaper than
 * AbortSignal.any (which also keeps weak bookkeeping alive until GC), and `release()`
 * detaches it from both once the call is over. Without a caller it is `closed` itself.
 */
export function callScopedSignal(caller: AbortSignal | undefined, closed: AbortSource): { signal: AbortSource; release(): void } {
  if (caller === undefined) return { signal: closed, release: noop };
  const controller = new AbortController();
  if (caller.aborted || closed.aborted) {
    controller.abort(caller.aborted ? caller.reason : closed.reason);
    return { signal: controller.signal, release: noop };
  }
  const offCaller = subscribeAbort(caller, () => controller.abort(caller.reason));
  const offClosed = subscribeAbort(closed, () => controller.abort(closed.reason));
  return {
    signal: controller.signal,
    release() {
      offCaller();
      offClosed();
    },
  };
}

function noop(): void {}

/** One signal that aborts when any input aborts (undefined inputs are skipped). */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const any = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (any) return any.call(AbortSignal, present);
  // Runtimes without AbortSignal.any (older Safari): wire it up by hand.
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    subscribeAbort(signal, () => controller.abort(signal.reason));
  }
  return controller.signal;
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSource | undefined, onAbortError: () => unknown): Promise<void> {
  if (signal?.aborted) return Promise.reject(onAbortError());
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve();
    }, ms);
    const unsubscribe = signal
      ? subscribeAbort(signal, () => {
          clearTimeout(timer);
          reject(onAbortError());
        })
      : undefined;
  });
}

/**
 * Races `promise` against `signal`: an abort rejects at once with `onAbort()` even if the
 * work behind `promise` (e.g. a token mint shared with other calls) keeps going.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSource | undefined, onAbortError: () => unknown): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbortError());
  }
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = subscribeAbort(signal, () => reject(onAbortError()));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}
