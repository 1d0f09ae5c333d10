import type { LazyViewSource } from '../client/client-context.js';
import { LAZY_VIEW } from '../client/lazy-view.js';
import { LAZY_VIEW_SIGNAL, type ViewSignalFactory } from '../config/lazy-view-signal.js';
import { type HeaderSource, readLowerCaseForwardedHeader } from '../http/headers.js';
import { LowerCasedHeaders } from '../http/lower-cased-headers.js';

export type { ViewSignalFactory };

/** What `requestOptions(req)` may return: per-request defaults for the request's KnoxCall calls. */
export interface KnoxRequestOptions {
  headers?: Record<string, string>;
  environment?: string;
  /** Per-attempt timeout in milliseconds. */
  timeout?: number;
}

/** The options an adapter passes to `client.withOptions(...)` for one incoming request. */
export interface ScopedClientOptions extends KnoxRequestOptions {
  signal?: AbortSignal;
  /**
   * @internal the request's abort signal as a factory the view calls on its first call
   * (set by `scopedClientOptions` when given a function), so a request whose view sends
   * nothing never pays for an AbortController and a 'close' listener.
   */
  [LAZY_VIEW_SIGNAL]?: ViewSignalFactory;
}

/** Anything with the client's `withOptions` (the KnoxCall client; structural so this entry stays edge-safe). */
export interface ScopableClient<View> {
  withOptions(options: ScopedClientOptions): View;
}

/**
 * Where a request's lazy view gets its options (see `lazyRequestView`): in practice the
 * adapter's own per-request state, which exists anyway, so deferring allocates nothing.
 */
export interface RequestViewSource {
  /**
   * The `environment` the options will carry (undefined: the client's). Known when the view
   * is made, because the view's public `environment` field shows it from the start.
   */
  readonly viewEnvironment: string | undefined;
  /** The view's options, asked for at most once: when its defaults are first needed (its first call, or a view made of it). */
  viewOptions(): ScopedClientOptions;
}

/**
 * A request's view whose options are asked for only when its first call needs them
 * (`source.viewOptions()`, at most once): for adapters whose handlers take a view on every
 * request and mostly send nothing through it. The view is a new object for every call —
 * nothing is shared between two requests. A client from another build of the package that
 * cannot defer (no LAZY_VIEW method) gets a `withOptions` view made at once instead.
 */
export function lazyRequestView<View>(client: ScopableClient<View>, source: RequestViewSource): View {
  const defer = (client as { [LAZY_VIEW]?: (source: LazyViewSource) => View })[LAZY_VIEW];
  // A RequestViewSource is a LazyViewSource: its options are withOptions options.
  return typeof defer === 'function' ? defer.call(client, source) : client.withOptions(source.viewOptions());
}

/**
 * Incoming headers forwarded on the request's KnoxCall calls by default, so one trace and
 * one request id follow a request through KnoxCall.
 */
export const FORWARDED_REQUEST_HEADERS = ['traceparent', 'x-request-id'] as const;

/**
 * The view options for one request: the forwarded tracing headers, then what the app's
 * `requestOptions` returned on top (its headers win, compared case-insensitively), then
 * the request's abort signal — either the signal itself or, better, a function making it:
 * the view calls that once, when it sends its first call, so an adapter creates its
 * AbortController and 'close' listener only for requests that actually call KnoxCall.
 * The function runs synchronously as that call starts; if the HTTP client is already gone
 * by then, it should return an aborted signal (that call fails at once with an abort error).
 */
export function scopedClientOptions(
  incoming: HeaderSource | undefined,
  custom: KnoxRequestOptions | undefined,
  signal?: AbortSignal | ViewSignalFactory,
): ScopedClientOptions {
  // Runs for every request that takes a view: no allocation beyond the record and the
  // options unless requestOptions returned headers. Without those, every name is one of the
  // lower-case forwarded names, and the record says so (the view then copies it as is).
  if (custom !== undefined) assertRequestOptions(custom);
  const headers: Record<string, string> = custom?.headers === undefined ? new LowerCasedHeaders() : {};
  let hasHeaders = false;
  for (let i = 0; i < FORWARDED_REQUEST_HEADERS.length; i++) {
    const name = FORWARDED_REQUEST_HEADERS[i]!;
    const value = readLowerCaseForwardedHeader(incoming, name);
    if (value !== undefined) {
      headers[name] = value;
      hasHeaders = true;
    }
  }
  if (custom?.headers !== undefined) {
    for (const [name, value] of Object.entries(custom.headers)) {
      const lower = name.toLowerCase();
      for (const existing of Object.keys(headers)) {
        if (existing.toLowerCase() === lower) delete headers[existing];
      }
      headers[name] = value;
      hasHeaders = true;
    }
  }
  const options: ScopedClientOptions = {};
  if (hasHeaders) options.headers = headers;
  if (custom?.environment !== undefined) options.environment = custom.environment;
  if (custom?.timeout !== undefined) options.timeout = custom.timeout;
  if (typeof signal === 'function') options[LAZY_VIEW_SIGNAL] = signal;
  else if (signal !== undefined) options.signal = signal;
  return options;
}

/**
 * Calls the app's `requestOptions(req)` and checks what came back, so a mistake (an async
 * function, a wrong shape) fails with a message naming the option instead of sending odd
 * headers.
 */
export function callRequestOptions<Req>(requestOptions: ((req: Req) => KnoxRequestOptions | undefined) | undefined, req: Req): KnoxRequestOptions | undefined {
  if (requestOptions === undefined) return undefined;
  const result: unknown = requestOptions(req);
  if (result === undefined || result === null) return undefined;
  if (typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError('requestOptions(req) must be synchronous and return { headers?, environment?, timeout? } — it returned a Promise');
  }
  assertRequestOptions(result);
  return result as KnoxRequestOptions;
}

function assertRequestOptions(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('requestOptions(req) must return { headers?, environment?, timeout? } or undefined');
  }
  const { headers, environment, timeout } = value as Record<string, unknown>;
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      throw new TypeError('requestOptions(req).headers must be a record of header names to string values');
    }
    for (const [name, v] of Object.entries(headers)) {
      if (typeof v !== 'string') throw new TypeError(`requestOptions(req).headers['${name}'] must be a string`);
    }
  }
  if (environment !== undefined && typeof environment !== 'string') {
    throw new TypeError('requestOptions(req).environment must be a string');
  }
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new TypeError('requestOptions(req).timeout must be a positive number of milliseconds');
  }
}
