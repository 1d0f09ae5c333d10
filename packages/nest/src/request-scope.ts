import { AsyncLocalStorage } from 'node:async_hooks';
import { type KnoxCall, KnoxCallError } from '@knoxcall/core';
import { brandAttached, callRequestOptions, isBrandedAttachment, scopedClientOptions } from '@knoxcall/core/adapter';
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
 */
class KnoxRequestState {
  view: KnoxCall | undefined = undefined;
  constructor(
    readonly config: RequestScopeConfig,
    readonly req: KnoxHttpRequest,
    public response: NodeResponse | undefined,
  ) {}
}
brandAttached(KnoxRequestState.prototype);

/** The Node `ServerResponse` under an Express response or a Fastify reply (`reply.raw`). */
interface NodeResponse {
  readonly writableFinished: boolean;
  readonly closed?: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** Where the state sits on the request object (process-wide symbol: works across builds). */
const STATE = Symbol.for('knoxcall.nest.state');

/** The request being handled, for `getKnox()` in services (entered by the module's request scope). */
const currentRequest = new AsyncLocalStorage<KnoxRequestState>();

/**
 * The request's state, created on first use. The request scope, `@Knox()` and the
 * REQUEST-scoped provider all go through here, so they share one view per request. It sits
 * on the Node request (a Fastify request's `raw`), which every platform hook can reach.
 */
export function requestStateFor(req: KnoxHttpRequest, config: RequestScopeConfig, response?: unknown): KnoxRequestState {
  const holder = nodeRequestOf(req);
  const existing = holder[STATE];
  if (isBrandedAttachment(existing)) {
    const state = existing as KnoxRequestState;
    if (state.response === undefined && response !== undefined) state.response = nodeResponseOf(response);
    return state;
  }
  const state = new KnoxRequestState(config, req, nodeResponseOf(response ?? (req as { res?: unknown }).res));
  holder[STATE] = state;
  return state;
}

/** Runs `fn` (the rest of the request's handling) with `getKnox()` answering for `state`. */
export function runInRequestScope<T>(state: KnoxRequestState, fn: () => T): T {
  return currentRequest.run(state, fn);
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

/** The request's view: from the state the middleware attached, else built from its server's configuration; undefined when neither exists. */
export function requestView(req: KnoxHttpRequest, response?: unknown): KnoxCall | undefined {
  const state = nodeRequestOf(req)[STATE];
  if (isBrandedAttachment(state)) return viewOf(state as KnoxRequestState);
  const config = serverConfigOf(req);
  return config === undefined ? undefined : viewOf(requestStateFor(req, config, response));
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
  const custom = callRequestOptions(state.config.requestOptions, state.req);
  const response = state.response;
  // The disconnect signal is handed over as a factory: the view makes it on its first
  // KnoxCall call, so a request whose view sends nothing creates no AbortController and
  // adds no 'close' listener (together more than half of building the view).
  state.view = state.config.client.withOptions(
    scopedClientOptions(state.req.headers, custom, response === undefined ? undefined : () => disconnectSignal(response)),
  );
  return state.view;
}

/**
 * A signal that aborts the request's KnoxCall calls when the caller disconnects before the
 * answer was sent ('close' after the answer was fully written is the normal end). Made when
 * the view's first call starts: a caller already gone by then aborts that call at once.
 */
function disconnectSignal(response: NodeResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) controller.abort(new Error('the client disconnected before the response was sent'));
  };
  if (response.closed === true) onClose();
  else response.once('close', onClose);
  return controller.signal;
}

function nodeRequestOf(req: KnoxHttpRequest): Record<symbol, unknown> {
  const raw = (req as { raw?: unknown }).raw; // a FastifyRequest wraps the Node request
  return (typeof raw === 'object' && raw !== null ? raw : req) as Record<symbol, unknown>;
}

function nodeResponseOf(response: unknown): NodeResponse | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  // A Fastify reply wraps the Node response as `raw`; an Express response is one.
  const raw = (response as { raw?: unknown }).raw;
  const candidate = typeof raw === 'object' && raw !== null ? raw : response;
  return typeof (candidate as NodeResponse).once === 'function' && 'writableFinished' in candidate
    ? (candidate as NodeResponse)
    : undefined;
}
