import { KnoxCallError } from '../errors.js';
import { type HeaderBag, isPlainRecord, lowerCasedRecord, mergeHeaderBags, toHeaderBag } from '../http/headers.js';
import { LowerCasedHeaders } from '../http/lower-cased-headers.js';
import { childDefaults, type ViewDefaults } from '../config/call-defaults.js';
import { LAZY_VIEW_SIGNAL, type ViewSignalFactory } from '../config/lazy-view-signal.js';
import { validateTimeoutMs, type WithOptions } from '../config/options.js';

/** @internal `withOptions` options as adapters pass them (see LAZY_VIEW_SIGNAL). */
export interface AdapterWithOptions extends WithOptions {
  [LAZY_VIEW_SIGNAL]?: ViewSignalFactory | undefined;
}

/**
 * A view's call defaults: its parent's, with `options` on top. The one rule for what a view
 * inherits — `withOptions` applies it when the view is made, a lazy view (`LAZY_VIEW`) when
 * its first call needs the defaults.
 */
export function viewDefaults(parent: ViewDefaults, options: AdapterWithOptions): ViewDefaults {
  const timeoutMs = options.timeout !== undefined ? validateTimeoutMs(options.timeout, 'withOptions timeout') : undefined;
  const makeSignal = options[LAZY_VIEW_SIGNAL];
  if (makeSignal !== undefined && typeof makeSignal !== 'function') {
    throw new KnoxCallError('withOptions: the lazy view signal must be a function returning an AbortSignal');
  }
  return childDefaults(
    parent,
    options.headers ? viewHeaders(parent.headers, options.headers) : parent.headers,
    options.environment !== undefined ? options.environment : parent.environment,
    timeoutMs ?? parent.timeoutMs,
    options.signal,
    makeSignal,
  );
}

/**
 * A view's headers: the parent's, then the new ones (lower-cased, later wins). A view of a
 * root client (the per-request case) has no parent headers, so the lower-cased copy is
 * the answer without a second merge; an adapter's forwarded headers (LowerCasedHeaders)
 * are lower case already and are copied as they are.
 */
function viewHeaders(parent: HeaderBag | undefined, added: NonNullable<WithOptions['headers']>): HeaderBag {
  const own = added instanceof LowerCasedHeaders ? { ...added } : isPlainRecord(added) ? lowerCasedRecord(added) : toHeaderBag(added);
  return parent === undefined ? own : mergeHeaderBags(parent, own);
}
