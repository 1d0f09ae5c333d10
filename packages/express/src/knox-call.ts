import { KnoxCall, KnoxCallError, type KnoxCallOptions } from '@knoxcall/core';
import {
  type KnoxRequestOptions,
  assertClientOptions,
  brandAttached,
  callRequestOptions,
  disconnectSignal,
  isBrandedAttachment,
  scopedClientOptions,
} from '@knoxcall/core/adapter';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface KnoxCallMiddlewareOptions {
  /** A client the app built; it is shared by every request and never closed by the middleware. */
  client?: KnoxCall;
  /** Options for a client the middleware builds; close it with `middleware.close()` on shutdown. */
  clientOptions?: KnoxCallOptions;
  /**
   * Per-request defaults for the request's KnoxCall calls (synchronous). Merged over the
   * forwarded `traceparent` / `x-request-id`; its headers win.
   */
  requestOptions?: (req: Request) => KnoxRequestOptions | undefined;
}

/** The middleware, plus the client it uses and a `close()` for a client it built. */
export interface KnoxCallMiddleware extends RequestHandler {
  readonly client: KnoxCall;
  /** Closes the client if the middleware built it from `clientOptions`; a no-op for a client you passed. */
  close(): Promise<void>;
}

/** Per-request state: what the `req.knox` getter needs, and the view once built. */
interface KnoxRequestState {
  readonly client: KnoxCall;
  readonly requestOptions: KnoxCallMiddlewareOptions['requestOptions'];
  readonly req: Request;
  readonly res: Response;
  view: KnoxCall | undefined;
}

const STATE = Symbol.for('knoxcall.express.state');

/**
 * Gives every request a request-scoped KnoxCall view as `req.knox` (and `getKnox(req)`):
 * `app.use(knoxCall({ client }))`. The view is built on first access — a request that
 * never touches it costs one property definition — carries the request's forwarded
 * tracing headers plus `requestOptions(req)`, and its calls are aborted when the caller
 * disconnects before the answer was sent.
 */
export function knoxCall(options: KnoxCallMiddlewareOptions): KnoxCallMiddleware {
  assertClientOptions(options, 'knoxCall', 'req');
  const owned = options.client === undefined;
  const client = options.client ?? new KnoxCall(options.clientOptions);
  const requestOptions = options.requestOptions;

  const middleware = function knoxCallMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state: KnoxRequestState = brandAttached({ client, requestOptions, req, res, view: undefined });
    (req as unknown as Record<symbol, unknown>)[STATE] = state;
    Object.defineProperty(req, 'knox', { configurable: true, enumerable: false, get: () => viewOf(state) });
    next();
  } as KnoxCallMiddleware;
  Object.defineProperty(middleware, 'client', { value: client, enumerable: true });
  middleware.close = async () => {
    if (owned) await client.close();
  };
  return middleware;
}

/**
 * The request's KnoxCall view. Throws a KnoxCallError naming the fix when `knoxCall()`
 * did not run for this request.
 */
export function getKnox(req: Request): KnoxCall {
  const state = (req as unknown as Record<symbol, unknown>)[STATE];
  if (!isBrandedAttachment(state)) {
    throw new KnoxCallError('getKnox(req): no KnoxCall client on this request — add app.use(knoxCall({ client })) before this route', {
      code: 'knox_middleware_missing',
    });
  }
  return viewOf(state as KnoxRequestState);
}

function viewOf(state: KnoxRequestState): KnoxCall {
  if (state.view !== undefined) return state.view;
  const { req, res } = state;
  const custom = callRequestOptions(state.requestOptions, req);
  // The disconnect signal is a factory the view calls on its first KnoxCall call: a request
  // whose view sends nothing creates no AbortController and adds no 'close' listener.
  state.view = state.client.withOptions(scopedClientOptions(req.headers, custom, () => disconnectSignal(res)));
  return state.view;
}
