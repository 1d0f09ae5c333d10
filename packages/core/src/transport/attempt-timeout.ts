import { APIConnectionTimeoutError } from '../errors.js';
import { DeadlineTarget, SharedDeadlines, timersCanUnref } from './shared-deadlines.js';

/**
 * One attempt's AbortController and its own timeout, shared by the management and the
 * data-plane attempt signals (which differ in how they follow the caller and close()). A
 * class rather than an object of closures: one allocation per attempt.
 *
 * Where timers can be unref'd (Node, Bun) the timeout is a deadline on the process's one
 * shared timer (shared-deadlines.ts); elsewhere it is a timer of the attempt's own.
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
    const shared = sharedDeadlines();
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

// Decided on the first timed attempt: probing the runtime's timers costs one timer.
let shared: SharedDeadlines | undefined;
let decided = false;

function sharedDeadlines(): SharedDeadlines | undefined {
  if (!decided) {
    decided = true;
    if (timersCanUnref()) shared = new SharedDeadlines();
  }
  return shared;
}
