import { type AbortSource, subscribeAbort } from './abort.js';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, KnoxCallError } from '../errors.js';
import { TimedAttempt } from './attempt-timeout.js';

/** The signals one attempt listens to; which one fired decides the error type. */
export interface AttemptSignals {
  /** The caller's signal (per call and/or from a view). */
  caller: AbortSignal | undefined;
  /** The root client's lifetime (aborted by `close()`), or a call signal that follows it. */
  closed: AbortSource;
  /** This attempt's own timer. */
  timeout: AbortSignal | undefined;
}

export function clientClosedError(): KnoxCallError {
  return new KnoxCallError('this KnoxCall client was closed (close() was called); create a new client for further calls', { code: 'client_closed' });
}

/** True for the error `clientClosedError()` makes (not for a server answer that happens to use the code). */
export function isClientClosedError(error: KnoxCallError): boolean {
  return error.code === 'client_closed' && error.status === undefined;
}

export function userAbortError(): APIUserAbortError {
  return new APIUserAbortError();
}

/** The error for an aborted call that is not a network fault: caller abort or close(). */
export function abortError(signals: Pick<AttemptSignals, 'caller' | 'closed'>): KnoxCallError {
  if (signals.caller?.aborted) return userAbortError();
  if (signals.closed.aborted) return clientClosedError();
  return userAbortError();
}

// Error codes (anywhere in the `cause` chain) meaning no connection was ever established,
// so even a non-idempotent request cannot have reached the server (contract transport §8.5).
const CONNECT_STAGE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

// Deno's fetch errors carry no code; its HTTP client names the stage in the message:
// "client error (Connect): tcp connect error: Connection refused (os error 111)" (and the
// same "(Connect)" for DNS, unreachable hosts and TLS handshakes — nothing was sent).
// Bun sets code ECONNREFUSED itself. workerd reports only "Network connection lost.", the
// same as for a reset after sending, so there a refused connection is not told apart.
const CONNECT_STAGE_MESSAGE = /\bclient error \(Connect\)/;

export function isConnectStageFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_STAGE_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECT_STAGE_MESSAGE.test(message)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isConnectStageFailure(inner))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  const causeMessage = cause instanceof Error && cause.message && cause.message !== error.message ? ` (${cause.message})` : '';
  return `${error.message}${causeMessage}`;
}

/**
 * Maps whatever fetch (or reading the body) threw into the contract's transport errors
 * (§5.6): caller abort → APIUserAbortError, close() → the closed error, our timer →
 * APIConnectionTimeoutError, anything else → APIConnectionError("network error: …").
 */
export function transportFailure(error: unknown, signals: AttemptSignals): KnoxCallError {
  if (error instanceof KnoxCallError) return error;
  if (signals.caller?.aborted || signals.closed.aborted) return abortError(signals);
  if (signals.timeout?.aborted) return new APIConnectionTimeoutError('Request timed out', { cause: error });
  return new APIConnectionError(`network error: ${describe(error)}`, { cause: error });
}

/**
 * One signal for one attempt that fully consumes its response (management): it aborts when
 * `parent` (caller + close()) aborts or when `ms` elapse. Cheaper than AbortSignal.any, and
 * `clear()` detaches from `parent`, so a long-lived parent never accumulates listeners.
 * `timedOut()` tells our timer apart from a parent abort.
 */
export function startAttemptSignal(ms: number, parent: AbortSource): { signal: AbortSignal; timedOut(): boolean; clear(): void } {
  return new ManagementAttemptSignal(ms, parent);
}

// Follows one parent on top of the shared attempt timeout (attempt-timeout.ts).
class ManagementAttemptSignal extends TimedAttempt {
  readonly #unsubscribe: (() => void) | undefined;

  constructor(ms: number, parent: AbortSource) {
    super();
    const { controller } = this;
    if (parent.aborted) controller.abort(parent.reason);
    else this.#unsubscribe = subscribeAbort(parent, () => controller.abort(parent.reason));
    this.startTimer(ms);
  }

  clear(): void {
    this.stopTimer();
    this.#unsubscribe?.();
  }
}
