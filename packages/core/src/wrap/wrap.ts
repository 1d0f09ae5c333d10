import { CLIENT_CONTEXT, type ClientBase, RESOURCE_REQUESTER } from '../client/call-machinery.js';
import { bindEndpoints } from '../resources/define/index.js';
import { ROOT_DEFAULTS } from '../config/call-defaults.js';
import { managementRequest } from '../management-plane/management-request.js';
import { unwrap } from '../transport/pagination.js';
import type { EgressObservationReporterOptions } from './egress/reporter.js';
import { type InterceptHandle, type InterceptOptions, installIntercept } from './intercept.js';
import { createWrapManagement, DEFAULT_SDK_TAG, type WrapManagement } from './management.js';
import { wrapNodeSupport } from './node-support.js';
import type { EgressObservationsReport } from './types.js';
import type { WrapFetchOptions, WrappedFetch } from './options.js';
import { manifestStoreFor } from './store-registry.js';
import { type WrapContext, WrapRouter } from './wrap-router.js';

/** `client.wrap`: the `/v1/wrap/*` management calls and the fetch that routes another SDK through KnoxCall. */
export interface Wrap extends WrapManagement {
  /**
   * A fetch to hand to another SDK (Stripe's `createFetchHttpClient`, OpenAI's `fetch`
   * option): each request goes through KnoxCall's transparent proxy, a manifest route
   * (`routes: "auto"`), or straight to its destination, decided per request. Made from a
   * request-scoped view, it forwards that request's headers and aborts with it. Creating
   * one does no I/O.
   */
  fetch(options?: WrapFetchOptions): WrappedFetch;
  /**
   * Patches the process's global fetch and (Node build) node:http/https: requests to `hosts`
   * and to manifest routes go through KnoxCall, the rest direct. One intercept per process;
   * `uninstall()` restores the originals.
   */
  intercept(options?: InterceptOptions): InterceptHandle;
  /** @deprecated `intercept({ ...options, routes: "off" })`. */
  interceptEgress(options?: InterceptOptions): InterceptHandle;
  /** Runs `fn` inside a routed scope: with `requireContext`, only requests made there are routed. */
  routed<T>(fn: () => T): T;
}

/** Builds `wrap` for a client or view (views get theirs on first access). */
export function createWrap(client: ClientBase): Wrap {
  const requester = client[RESOURCE_REQUESTER]();
  const management = createWrapManagement(bindEndpoints(requester), (opts) => client.request(opts));
  const context = wrapContext(client);
  return {
    ...management,
    fetch: (options = {}) => wrappedFetch(new WrapRouter(context, options, { routesDefault: 'off' })),
    intercept: (options = {}) => installIntercept(context, options, reportWithRootDefaults(client)),
    interceptEgress: (options = {}) => installIntercept(context, { ...options, routes: 'off' }, reportWithRootDefaults(client)),
    routed: (fn) => {
      const support = wrapNodeSupport();
      return support === undefined ? fn() : support.routedContext.run(fn);
    },
  };
}

/** Observations are reported with the root's defaults: a view's request may end before the flush. */
function reportWithRootDefaults(client: ClientBase): EgressObservationReporterOptions['report'] {
  const { core } = client[CLIENT_CONTEXT];
  return (observations) =>
    managementRequest<unknown>(core, ROOT_DEFAULTS, {
      method: 'POST',
      path: '/v1/wrap/egress-observations',
      body: { sdk: DEFAULT_SDK_TAG, observations },
    }).then((body) => unwrap<EgressObservationsReport>(body));
}

export function wrapContext(client: ClientBase): WrapContext {
  const context = client[CLIENT_CONTEXT];
  const { core } = context;
  return {
    client,
    platform: core.platform,
    store: () => manifestStoreFor(core, client.environment),
    // Read through the context when a request needs it: a lazy view's defaults are made then.
    viewSignal: () => context.defaults.signal,
  };
}

function wrappedFetch(router: WrapRouter): WrappedFetch {
  const fn = ((input: string | URL | Request, init?: RequestInit) => router.send(input, init)) as WrappedFetch;
  Object.defineProperty(fn, 'ready', { get: () => router.ready, enumerable: true });
  Object.assign(fn, {
    refresh: () => router.refresh(),
    manifest: () => router.manifest(),
    stop: () => router.stop(),
  });
  return fn;
}
