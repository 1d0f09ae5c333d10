import { APIConnectionTimeoutError } from '../errors.js';
import { DeadlineTarget, SharedDeadlines, timersCanUnref } from './shared-deadlines.js';

/**
 * One attempt's AbortController and its own timeout, shared by the management and the
 * data-plane attempt signals (which differ in how they follow the caller and close()). A
 * class rather than an object of closures: one allocation per attempt.
 *
 * In the Node build (Node, Bun) the timeout is a deadline on the process's one shared timer
 * (shared-deadlines.ts); elsewhere it is a timer of the attempt's own.
 */
export class TimedAttempt extends DeadlineTarget {
  readonly signal: AbortSignal;
  protected readonly controller: AbortController;
  /** The attempt's own timer, where the shared one is not used. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;

  constructor() {
    super();
    this.controller = new AbortController();
    this.signal = this.controller.signal;
  }

  /** Aborts with APIConnectionTimeoutError when `ms` elapse; `Infinity` means never. */
  protected startTimer(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (shared === undefined) this.#timer = setTimeout(onAttemptTimeout, ms, this);
    else shared.register(this, ms);
  }

  /** The timeout elapsed (called by the timer only). */
  expire(): void {
    this.#timer = undefined;
    this.#fired = true;
    this.controller.abort(new APIConnectionTimeoutError());
  }

  /** True iff this attempt's own timeout fired. */
  timedOut(): boolean {
    return this.#fired;
  }

  stopTimer(): void {
    if (this.dueList !== undefined) (shared as SharedDeadlines).clear(this);
    else if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

function onAttemptTimeout(attempt: TimedAttempt): void {
  attempt.expire();
}

// Switched on by the Node build only (node/node-platform.ts), never by the Web build: on
// Workers a timer belongs to the request that set it, and with `nodejs_compat` workerd's
// timers can be unref'd too, so the probe alone would let one request's timer serve the
// next request's attempts.
let shared: SharedDeadlines | undefined;

/** @internal The Node build's one call: attempt timeouts share one timer where timers can be unref'd. */
export function shareAttemptTimeouts(): void {
  if (shared === undefined && timersCanUnref()) shared = new SharedDeadlines();
}
