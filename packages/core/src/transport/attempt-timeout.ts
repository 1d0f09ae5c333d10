import { APIConnectionTimeoutError } from '../errors.js';
import { DeadlineTarget, SharedDeadlines, timersCanUnref } from './shared-deadlines.js';

/**
 * One attempt's own timeout: a deadline on the process's one shared timer in the Node build
 * (Node, Bun; shared-deadlines.ts), a timer of the attempt's own elsewhere. What expiring
 * does is the subclass's: abort a controller (TimedAttempt), or abort a dispatch directly
 * (the Node data plane, which needs no AbortSignal at all).
 */
export abstract class AttemptDeadline extends DeadlineTarget {
  /** The attempt's own timer, where the shared one is not used. */
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Calls `expire()` when `ms` elapse; `Infinity` means never. */
  protected startTimer(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (shared === undefined) this.#timer = setTimeout(onAttemptTimeout, ms, this);
    else shared.register(this, ms);
  }

  stopTimer(): void {
    if (this.dueList !== undefined) (shared as SharedDeadlines).clear(this);
    else if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** The timer's own call: forget it, then expire. */
  timerFired(): void {
    this.#timer = undefined;
    this.expire();
  }
}

/**
 * One attempt's AbortController and its own timeout, shared by the management and the
 * data-plane attempt signals (which differ in how they follow the caller and close()). A
 * class rather than an object of closures: one allocation per attempt.
 */
export class TimedAttempt extends AttemptDeadline {
  readonly signal: AbortSignal;
  protected readonly controller: AbortController;
  #fired = false;

  constructor() {
    super();
    this.controller = new AbortController();
    this.signal = this.controller.signal;
  }

  /** The timeout elapsed (called by the timer only). */
  expire(): void {
    this.#fired = true;
    this.controller.abort(new APIConnectionTimeoutError());
  }

  /** True iff this attempt's own timeout fired. */
  timedOut(): boolean {
    return this.#fired;
  }
}

function onAttemptTimeout(attempt: AttemptDeadline): void {
  attempt.timerFired();
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
