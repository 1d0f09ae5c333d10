import type { Authenticator } from '../auth/authenticator.js';
import type { Platform } from '../auth/platform.js';
import type { LastRequest } from '../transport/telemetry.js';
import type { ClientLifetime } from './client-lifetime.js';
import type { ClientRuntime } from './create-shared-state.js';
import type { ResolvedConfig } from './options.js';

/**
 * Mutable identity of a client, shared by the root and all its views. It is also the
 * `ClientIdentityState` the authenticator updates (credentials-file seeding, a tenant
 * adopted from a token response).
 */
export interface ClientState {
  tenant: string | undefined;
  baseUrl: string;
  proxyBaseUrl: string | undefined;
}

/**
 * Everything a root client and its `withOptions()` views share: configuration, identity,
 * the authenticator (and so the token cache), lifetime and telemetry state. Views add only
 * their own call defaults, so creating one allocates two small objects.
 */
export interface ClientCore {
  readonly config: ResolvedConfig;
  readonly state: ClientState;
  readonly authenticator: Authenticator;
  readonly platform: Platform;
  /** The entry point's runtime (platform, auth factory, sync webhook verifier). */
  readonly runtime: ClientRuntime;
  /** Closed by `close()`: in-flight calls stop, new calls are refused. No I/O object (see ClientLifetime). */
  readonly lifetime: ClientLifetime;
  /** Source of randomness for backoff jitter (injectable for tests). */
  readonly random: () => number;
  /** The previous completed management request, for `X-KnoxCall-Telemetry`. */
  lastRequest: LastRequest | undefined;
  /** Single-flight tenant discovery / proxy-base derivation (contract transport §2.3). */
  proxyDiscovery: Promise<string> | undefined;
}

export function fetchOf(core: ClientCore): typeof fetch {
  const impl = core.config.fetchImpl ?? globalThis.fetch;
  if (typeof impl !== 'function') {
    throw new TypeError('no fetch implementation: this runtime has no global fetch; pass the `fetchImpl` option');
  }
  return impl;
}
