/**
 * The replay rule of the webhook processor, in one place for every adapter: begin a lease
 * before the handlers, then record "done" or release it — each store operation under the
 * `replayStoreTimeoutMs` deadline. Outcomes of `beginReplay`:
 * - an attempt: the delivery is ours; call `finish(succeeded)` after the handlers, or
 *   `ended(end)` with how the route it was passed on to ended (the first report counts);
 * - `'done'`: processed before — answer 200 duplicate without running anything;
 * - a `WebhookRetryLaterError`: another attempt holds the lease (409), or the store failed or
 *   stalled (503) — never a 2xx, so the sender keeps the delivery and retries.
 */
import { withDeadline } from './store-deadline.js';
import type { RouteEnd, RouteWatch } from './webhook-actions.js';
import { WebhookRetryLaterError } from './webhook-errors.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
import type { ReplayStore } from './verify-delivery.js';

/** Retry-After when the store failed: soon, a stalled connection often recovers within seconds. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** The delivery is ours: report once how its processing ended (later reports are ignored). */
export interface ReplayAttempt extends RouteWatch {
  /**
   * After the handlers: success records the delivery as done; failure releases its lease.
   * Without a store there is nothing to wait for: it returns nothing, not a promise.
   */
  finish(succeeded: boolean): Promise<void> | undefined;
}

// Without a store every delivery is ours: a shared attempt whose reports are no-ops, and no
// async call at all — this path runs once per delivery of most apps. `ended` keeps its
// promise (adapters await it); `finish`, core's own, returns nothing to wait for.
const SETTLED: Promise<void> = Promise.resolve();
const NO_STORE: ReplayAttempt = { finish: () => undefined, ended: () => SETTLED };

/** Not async itself: without a store the attempt is returned as it is, with no promise made. */
export function beginReplay(
  resolved: ResolvedWebhookOptions,
  key: string,
  ttlSeconds: number,
): ReplayAttempt | Promise<ReplayAttempt | WebhookRetryLaterError | 'done'> {
  const { replayStore: store } = resolved;
  if (store === undefined) return NO_STORE;
  return claimInStore(store, resolved, key, ttlSeconds);
}

async function claimInStore(
  store: ReplayStore,
  resolved: ResolvedWebhookOptions,
  key: string,
  ttlSeconds: number,
): Promise<ReplayAttempt | WebhookRetryLaterError | 'done'> {
  const { replayLeaseSeconds: leaseSeconds, replayStoreTimeoutMs: deadline } = resolved;
  let state: unknown;
  try {
    state = await withDeadline(deadline, (signal) => store.begin(key, leaseSeconds, { signal }));
  } catch (cause) {
    return storeUnavailable(cause);
  }
  if (state === 'done') return 'done';
  if (state === 'in_progress') {
    return new WebhookRetryLaterError(
      'delivery_in_progress',
      'another attempt of this delivery is still being processed; retry later',
      Math.ceil(leaseSeconds),
    );
  }
  if (state !== 'claimed') {
    return storeUnavailable(new TypeError(`ReplayStore.begin resolved ${String(state)}, not claimed/in_progress/done`));
  }
  let finished = false;
  const finish = async (succeeded: boolean): Promise<void> => {
    if (finished) return;
    finished = true;
    // Failures here are not the sender's business: the handlers' result is the answer. A
    // lost `complete` leaves the lease, which lapses; a lost `release` likewise.
    await withDeadline(deadline, (signal) => (succeeded ? store.complete(key, ttlSeconds, { signal }) : store.release(key, { signal }))).catch(() => {});
  };
  return {
    finish,
    // The route's end decides: an answer below 500 means the delivery was processed; a 5xx,
    // a throw, or a connection closed before any answer releases the lease so the retry runs.
    ended: (end: RouteEnd) => finish(typeof end === 'number' && end < 500),
  };
}

/** The store failed or missed its deadline (the cause says which; it never reaches the answer). */
function storeUnavailable(cause: unknown): WebhookRetryLaterError {
  return new WebhookRetryLaterError(
    'replay_store_unavailable',
    'the replay store failed or did not answer in time; retry later',
    STORE_RETRY_AFTER_SECONDS,
    cause,
  );
}
