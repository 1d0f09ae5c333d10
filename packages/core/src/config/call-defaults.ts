import { anySignal } from '../transport/abort.js';
import type { HeaderBag } from '../http/headers.js';
import type { CallDefaults } from './options.js';
import type { ViewSignalFactory } from './lazy-view-signal.js';

/**
 * The call defaults of a client or view. One class for the root and every view, so the
 * transport's reads of `defaults.*` stay monomorphic. The signal may be pending: a view
 * given a factory (LAZY_VIEW_SIGNAL) makes it the first time a call reads `signal`, and a
 * view that never sends a call never makes it.
 */
export class ViewDefaults implements CallDefaults {
  #signal: AbortSignal | undefined;
  #makeSignal: ViewSignalFactory | undefined;

  constructor(
    readonly headers: HeaderBag | undefined,
    readonly environment: string | undefined,
    readonly timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    makeSignal: ViewSignalFactory | undefined,
  ) {
    this.#signal = signal;
    this.#makeSignal = makeSignal;
  }

  /** Aborts every call of the view; made on first read when it was given as a factory. */
  get signal(): AbortSignal | undefined {
    const make = this.#makeSignal;
    if (make !== undefined) {
      this.#signal = make();
      this.#makeSignal = undefined; // after make() returned: a throwing factory is not taken for "no signal"
    }
    return this.#signal;
  }

  /** Whether the signal is still a factory (reading `signal` would make it). */
  get signalPending(): boolean {
    return this.#makeSignal !== undefined;
  }
}

/** A root client's defaults: none. Not frozen — a frozen object gets its own hidden class, and the transport would see two shapes. */
export const ROOT_DEFAULTS: ViewDefaults = new ViewDefaults(undefined, undefined, undefined, undefined, undefined);

/**
 * The signal part of a child view's defaults: the parent's signal, the child's own `signal`
 * and the child's factory all abort its calls. While nothing is lazy this combines at once,
 * exactly as before; when the parent's signal or the child's is a factory, the combination
 * is deferred into a factory too, so making a view of a view does not make either signal.
 */
export function childDefaults(
  parent: ViewDefaults,
  headers: HeaderBag | undefined,
  environment: string | undefined,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  makeSignal: ViewSignalFactory | undefined,
): ViewDefaults {
  if (makeSignal === undefined && !parent.signalPending) {
    const inherited = parent.signal;
    const combined = signal === undefined ? inherited : inherited === undefined ? signal : anySignal([inherited, signal]);
    return new ViewDefaults(headers, environment, timeoutMs, combined, undefined);
  }
  const make: ViewSignalFactory =
    makeSignal !== undefined && signal === undefined && !parent.signalPending && parent.signal === undefined
      ? makeSignal // the common case (an adapter's view of a root client): no wrapper
      : () => anySignal([parent.signal, signal, makeSignal?.()]);
  return new ViewDefaults(headers, environment, timeoutMs, undefined, make);
}
