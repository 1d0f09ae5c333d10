import { AsyncLocalStorage } from 'node:async_hooks';
import { type KnoxCall, KnoxCallError } from '@knoxcall/core';
import {
  type ClosableResponse,
  type KnoxRequestOptions,
  type RequestViewSource,
  type ScopedClientOptions,
  brandAttached,
  callRequestOptions,
  disconnectSignal,
  isBrandedAttachment,
  lazyRequestView,
  scopedClientOptions,
} from '@knoxcall/core/adapter';
import type { KnoxCallModuleOptions, KnoxHttpRequest } from './module-options.js';

/** What the module knows for building request views: the client and `requestOptions`. */
export interface RequestScopeConfig {
  readonly client: KnoxCall;
  readonly requestOptions: KnoxCallModuleOptions['requestOptions'];
}

/**
 * Per-request state: what building the view needs, and the view once built. The adapter
 * brand sits on the prototype, set once, rather than defined on each instance: defining a
 * property per request showed in the server's CPU profile (bench/nest-knox.bench.mjs).
 *
 * The state is also the view's lazy source (RequestViewSource): the view is made when the
 * handler takes it, but its defaults — the forwarded headers read from the request, the
 * disconnect signal's factory — are made from this state only when the view sends its
 * first call. Most handlers that take `@Knox()` send nothing on many of their requests;
 * those now cost the view object and its context, not the five objects more that the
 * defaults are. The state belongs to one request and serves one view, so deferring shares
 * nothing between requests.
 */
class KnoxRequestState implements RequestViewSource {
  view: KnoxCall | undefined = undefined;
  /**
   * What `requestOptions(req)` returned: asked for when the view is made (not deferred), so
   * the app's function sees the request as the handler starts, and a mistake in it fails
   * there, as it always has.
   */
  custom: KnoxRequestOptions | undefined = undefined;
  constructor(
    readonly config: RequestScopeConfig,
    readonly req: KnoxHttpRequest,
    /** The platform's response (Express response or Fastify reply), read only when a call needs the disconnect signal. */
    public response: unknown,
  ) {}

  get viewEnvironment(): string | undefined {
    return this.custom?.environment;
  }

  /** The view's options, made when its first call needs them (at most once: the view then keeps its defaults). */
  viewOptions(): ScopedClientOptions {
    const response = this.response;
    // The disconnect signal is handed over as a factory too: the view makes it as that first
    // call starts (an AbortController and a 'close' listener).
    return scopedClientOptions(this.req.headers, this.custom, response === undefined ? undefined : () => disconnectSignalOf(response));
  }
}
brandAttached(KnoxRequestState.prototype);

/** Where the state sits on the request object (process-wide symbol: works across builds). */
const STATE = Symbol.for('knoxcall.nest.state');

/** The request being handled, for `getKnox()` in services (entered by the module's request scope). */
const currentRequest = new AsyncLocalStorage<KnoxRequestState>();

/**
 * Runs `next` (the rest of the request's handling) inside the request's scope: `getKnox()`,
 * `@Knox()` and the REQUEST-scoped provider all find the request's state there, so they
 * share one view. The state lives only in the scope — nothing is written on the request
 * object, which Express and Fastify have already shaped.
 */
export function runInRequestScope<T>(req: KnoxHttpRequest, config: RequestScopeConfig, response: unknown, next: () => T): T {
  return currentRequest.run(new KnoxRequestState(config, req, response), next);
}

/**
 * The request's state, created on first use. `@Knox()` and the REQUEST-scoped provider go
 * through here: inside the request scope they get its state; without one
 * (`asyncContext: false`, or a platform hook that lost the async context) the state sits on
 * the Node request (a Fastify request's `raw`), so they still share one view per request.
 */
export function requestStateFor(req: KnoxHttpRequest, config: RequestScopeConfig, response?: unknown): KnoxRequestState {
  const current = currentRequest.getStore();
  return withResponse(current !== undefined && isSameRequest(current.req, req) ? current : attachedStateFor(req, config), response);
}

/** Fills in the response when the state was made without one (an Express request knows its `res`). */
function withResponse(state: KnoxRequestState, response: unknown): KnoxRequestState {
  if (state.response === undefined) state.response = response ?? (state.req as { res?: unknown }).res;
  return state;
}

function attachedStateFor(req: KnoxHttpRequest, config: RequestScopeConfig): KnoxRequestState {
  const holder = nodeRequestOf(req);
  const existing = holder[STATE];
  if (isBrandedAttachment(existing)) return existing as KnoxRequestState;
  const state = new KnoxRequestState(config, req, undefined);
  holder[STATE] = state;
  return state;
}

/** Same HTTP request, whether given as the platform's request or the Node request under it. */
function isSameRequest(a: KnoxHttpRequest, b: KnoxHttpRequest): boolean {
  return a === b || nodeRequestOf(a) === nodeRequestOf(b);
}

/**
 * The module's configuration per HTTP server instance (the Express app or the Fastify
 * instance), so that `@Knox()` finds it from the request alone when no middleware attached
 * state (`asyncContext: false` installs none).
 */
const configByServer = new WeakMap<object, RequestScopeConfig>();

export function registerServerConfig(server: unknown, config: RequestScopeConfig): void {
  // An Express app is a function, a Fastify instance an object.
  if ((typeof server === 'object' && server !== null) || typeof server === 'function') configByServer.set(server, config);
}

/** The request's view: from the request's scope or attached state, else built from its server's configuration; undefined when none exists. */
export function requestView(req: KnoxHttpRequest, response?: unknown): KnoxCall | undefined {
  const current = currentRequest.getStore();
  if (current !== undefined && isSameRequest(current.req, req)) return viewOf(current);
  const attached = nodeRequestOf(req)[STATE];
  if (isBrandedAttachment(attached)) return viewOf(withResponse(attached as KnoxRequestState, response));
  const config = serverConfigOf(req);
  return config === undefined ? undefined : viewOf(withResponse(attachedStateFor(req, config), response));
}

function serverConfigOf(req: KnoxHttpRequest): RequestScopeConfig | undefined {
  // Express: `req.app`; Fastify: `request.server`, possibly an encapsulated child of the
  // instance Nest holds (children inherit from their parent's object).
  let server: unknown = (req as { app?: unknown }).app ?? (req as { server?: unknown }).server;
  for (let depth = 0; depth < 8 && server !== null && server !== undefined; depth++) {
    const config = configByServer.get(server as object);
    if (config !== undefined) return config;
    server = Object.getPrototypeOf(server);
  }
  return undefined;
}

/**
 * The KnoxCall view of the request being handled, for services called from a controller:
 * it carries the request's forwarded `traceparent` / `x-request-id` and what
 * `requestOptions(req)` returned. Throws a KnoxCallError naming the fix when called outside
 * a request handled with `KnoxCallModule` imported.
 */
export function getKnox(): KnoxCall {
  const state = currentRequest.getStore();
  if (state === undefined) {
    throw new KnoxCallError(
      'getKnox(): no request is being handled here — import KnoxCallModule.forRoot(...) in your app module (without asyncContext: false), ' +
        'and call getKnox() while a controller is handling an HTTP request (not at startup, not from a timer)',
      { code: 'knox_middleware_missing' },
    );
  }
  return viewOf(state);
}

export function viewOf(state: KnoxRequestState): KnoxCall {
  if (state.view !== undefined) return state.view;
  state.custom = callRequestOptions(state.config.requestOptions, state.req);
  state.view = lazyRequestView(state.config.client, state);
  return state.view;
}

function nodeRequestOf(req: KnoxHttpRequest): Record<symbol, unknown> {
  const raw = (req as { raw?: unknown }).raw; // a FastifyRequest wraps the Node request
  return (typeof raw === 'object' && raw !== null ? raw : req) as Record<symbol, unknown>;
}

/** The disconnect signal of a platform response (none when it is not a Node response underneath). */
function disconnectSignalOf(platformResponse: unknown): AbortSignal | undefined {
  const response = nodeResponseOf(platformResponse);
  return response === undefined ? undefined : disconnectSignal(response);
}

function nodeResponseOf(response: unknown): ClosableResponse | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  // A Fastify reply wraps the Node response as `raw`; an Express response is one.
  const raw = (response as { raw?: unknown }).raw;
  const candidate = typeof raw === 'object' && raw !== null ? raw : response;
  return typeof (candidate as ClosableResponse).once === 'function' && 'writableFinished' in candidate ? (candidate as ClosableResponse) : undefined;
}
