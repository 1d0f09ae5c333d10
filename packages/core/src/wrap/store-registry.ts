import { ROOT_DEFAULTS } from '../config/call-defaults.js';
import type { ClientCore } from '../config/shared-state.js';
import { managementRequest } from '../management-plane/management-request.js';
import { fetchInterceptManifest } from './management.js';
import { InterceptManifestStore } from './manifest-store.js';

// One store per root client (its shared core) and environment. Keyed weakly, so a client
// that is dropped takes its store with it; made on first use, so a client that never wraps
// anything pays nothing.
const stores = new WeakMap<ClientCore, Map<string, InterceptManifestStore>>();

/**
 * The manifest store every `wrap.fetch()` / `intercept()` of this client and its views
 * shares. It loads with the root's defaults, never a view's: a request that ends (and
 * aborts its view) must not cancel a refresh other requests rely on. `close()` stops it.
 */
export function manifestStoreFor(core: ClientCore, environment: string | undefined): InterceptManifestStore {
  let byEnv = stores.get(core);
  if (byEnv === undefined) {
    byEnv = new Map();
    stores.set(core, byEnv);
  }
  const key = environment ?? '';
  let store = byEnv.get(key);
  if (store === undefined) {
    const made = new InterceptManifestStore({
      load: (ifNoneMatch) =>
        fetchInterceptManifest((opts) => managementRequest(core, ROOT_DEFAULTS, opts), {
          ...(environment !== undefined ? { environment } : {}),
          ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
        }),
      warnOnce: (code, message) => core.platform.warnOnce(code, message),
      random: core.random,
      closed: core.lifetime,
    });
    byEnv.set(key, made);
    store = made;
  }
  return store;
}
