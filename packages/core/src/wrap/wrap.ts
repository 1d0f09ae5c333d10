import { CLIENT_CONTEXT, type ClientBase, RESOURCE_REQUESTER } from '../client/client-base.js';
import { bindEndpoints } from '../resources/define/index.js';
import { createWrapManagement, type WrapManagement } from './management.js';
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
}

/** Builds `wrap` for a client or view (views get theirs on first access). */
export function createWrap(client: ClientBase): Wrap {
  const requester = client[RESOURCE_REQUESTER]();
  const management = createWrapManagement(bindEndpoints(requester), (opts) => client.request(opts));
  const context = wrapContext(client);
  return {
    ...management,
    fetch: (options = {}) => wrappedFetch(new WrapRouter(context, options, { routesDefault: 'off' })),
  };
}

export function wrapContext(client: ClientBase): WrapContext {
  const { core, defaults } = client[CLIENT_CONTEXT];
  return {
    client,
    platform: core.platform,
    store: () => manifestStoreFor(core, client.environment),
    viewSignal: () => defaults.signal,
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
