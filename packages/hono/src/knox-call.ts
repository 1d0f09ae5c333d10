import { KnoxCall, KnoxCallError, type KnoxCallOptions } from '@knoxcall/core';
import {
  ClientCache,
  type KnoxRequestOptions,
  assertClientOptions,
  brandAttached,
  callRequestOptions,
  isBrandedAttachment,
  scopedClientOptions,
} from '@knoxcall/core/adapter';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { KnoxCallVariables } from './variables.js';

/** Default bound of the per-credential client cache (`clientOptions` as a function). */
export const DEFAULT_MAX_CACHED_CLIENTS = 16;

// biome-ignore lint/suspicious/noExplicitAny: Hono's own default for an unspecified Env (c.env untyped unless the app says otherwise)
export interface KnoxCallMiddlewareOptions<E extends Env = any> {
  /** A client the app built; it is shared by every request and never closed by the middleware. */
  client?: KnoxCall;
  /**
   * Options for a client the middleware builds (close it with `middleware.close()` on
   * shutdown), or a function of the context returning them — e.g.
   * `(c) => ({ apiKey: c.env.KNOXCALL_API_KEY })` on Workers, where secrets are bindings.
   * Clients built by such a function are cached by their options — all of them: the
   * credential by its identity (hashed, never in clear), plain values by value, and
   * functions, a custom `fetchImpl` or `tokenStore` instance by object identity (so create
   * those once, outside the function) — at most `maxCachedClients` of them.
   */
  clientOptions?: KnoxCallOptions | ((c: Context<E>) => KnoxCallOptions);
  /**
   * Per-request defaults for the request's KnoxCall calls (synchronous). Merged over the
   * forwarded `traceparent` / `x-request-id`; its headers win.
   */
  requestOptions?: (c: Context<E>) => KnoxRequestOptions | undefined;
  /** Bound of the per-options client cache when `clientOptions` is a function (default 16). */
  maxCachedClients?: number;
}

/** The middleware, plus the client it uses and a `close()` for clients it built. */
export interface KnoxCallMiddleware extends MiddlewareHandler<{ Variables: KnoxCallVariables }> {
  /** The shared client; undefined when `clientOptions` is a function (one client per set of options). */
  readonly client: KnoxCall | undefined;
  /** Closes the clients the middleware built; a no-op for a client you passed. */
  close(): Promise<void>;
}

/**
 * Gives every request a request-scoped KnoxCall view as `c.var.knox` (and `getKnox(c)`):
 * `app.use(knoxCall({ client }))`. Hono copies `c.var` when it is read, so a lazy getter
 * would not survive: the view is built eagerly — it costs microseconds and no I/O. It
 * carries the request's forwarded tracing headers plus `requestOptions(c)`, and its calls
 * are aborted when the caller disconnects (the request's `signal`).
 */
// biome-ignore lint/suspicious/noExplicitAny: see KnoxCallMiddlewareOptions
export function knoxCall<E extends Env = any>(options: KnoxCallMiddlewareOptions<E>): KnoxCallMiddleware {
  assertClientOptions(options, 'knoxCall', 'c');
  const maxCachedClients = options.maxCachedClients ?? DEFAULT_MAX_CACHED_CLIENTS;
  if (!Number.isSafeInteger(maxCachedClients) || maxCachedClients < 1) {
    throw new TypeError(`knoxCall: \`maxCachedClients\` must be a whole number ≥ 1, got ${String(options.maxCachedClients)}`);
  }
  const requestOptions = options.requestOptions as ((c: Context) => KnoxRequestOptions | undefined) | undefined;
  const source = options.clientOptions;
  const perRequest = typeof source === 'function' ? (source as (c: Context) => KnoxCallOptions) : undefined;
  const owned = options.client === undefined;
  const client = options.client ?? (perRequest === undefined ? new KnoxCall(source as KnoxCallOptions) : undefined);
  const cache =
    perRequest === undefined ? undefined : new ClientCache({ maxClients: maxCachedClients, create: (clientOptions) => new KnoxCall(clientOptions) });

  const clientFor = (c: Context): KnoxCall => {
    if (client !== undefined) return client;
    const resolved: unknown = perRequest!(c);
    if (resolved === null || typeof resolved !== 'object' || typeof (resolved as { then?: unknown }).then === 'function') {
      throw new TypeError('knoxCall: the `clientOptions` function must synchronously return the KnoxCall options object');
    }
    return cache!.clientFor(resolved as KnoxCallOptions);
  };

  const middleware = createMiddleware<{ Variables: KnoxCallVariables }>(async (c, next) => {
    const custom = callRequestOptions(requestOptions, c);
    const view = clientFor(c).withOptions(scopedClientOptions(c.req.raw.headers, custom, c.req.raw.signal));
    c.set('knox', brandAttached(view));
    await next();
  }) as KnoxCallMiddleware;
  Object.defineProperty(middleware, 'client', { value: client, enumerable: true });
  middleware.close = async () => {
    if (!owned) return;
    await client?.close();
    await cache?.close();
  };
  return middleware;
}

/**
 * The request's KnoxCall view (also `c.var.knox`). Throws a KnoxCallError naming the fix
 * when `knoxCall()` did not run for this request.
 */
export function getKnox(c: Context): KnoxCall {
  const view: unknown = c.get('knox');
  if (!isBrandedAttachment(view)) {
    throw new KnoxCallError(
      "getKnox(c): no KnoxCall client on this request — add app.use(knoxCall({ client })) (or app.use('/path/*', knoxCall(…))) before this route",
      { code: 'knox_middleware_missing' },
    );
  }
  return view as KnoxCall;
}
