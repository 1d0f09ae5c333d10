import { APIConnectionTimeoutError } from '../errors.js';

/**
 * One attempt's AbortController and its own timeout, shared by the management and the
 * data-plane attempt signals (which differ in how they follow the caller and close()). A
 * class rather than an object of closures: one allocation per attempt, and the timer gets a
 * shared function with the attempt as its argument.
 */
export class TimedAttempt {
  readonly signal: AbortSignal;
  protected readonly controller: AbortController;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;

  constructor() {
    this.controller = new AbortController();
    this.signal = this.controller.signal;
  }

  /** Aborts with APIConnectionTimeoutError when `ms` elapse; `Infinity` means never. */
  protected startTimer(ms: number): void {
    if (Number.isFinite(ms)) this.#timer = setTimeout(onAttemptTimeout, ms, this);
  }

  /** The timer fired (called by onAttemptTimeout only). */
  expire(): void {
    this.#timer = undefined;
    this.#fired = true;
    this.controller.abort(new APIConnectionTimeoutError());
  }

  /** True iff this attempt's own timer fired. */
  timedOut(): boolean {
    return this.#fired;
  }

  stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function onAttemptTimeout(attempt: TimedAttempt): void {
  attempt.expire();
}
