import type { EgressObservationsReport } from './types.js';
import type { InterceptReason } from './resolve-intercept.js';
import type { ManifestRefreshInfo } from './manifest-store.js';
import type { RouteAroundRule } from './route-around.js';

/** Escrow mode: KnoxCall injects the escrowed credential named `secret` (host-pinned). */
export interface WrapCredential {
  /** Name (or secret id) of a credential stored with `wrap.escrow()`. */
  secret: string;
  /** `Bearer` by default on the server; `none` sends the raw value. */
  scheme?: string;
}

export interface WrapRequestInfo {
  host: string;
  url: string;
}

export interface WrapFetchOptions {
  /** Escrow mode. Without it, transit mode lifts the wrapped SDK's own `Authorization`. */
  credential?: WrapCredential | undefined;
  /** Destinations that always go direct, on top of `DEFAULT_ROUTE_AROUND`. */
  routeAround?: readonly RouteAroundRule[] | undefined;
  disableDefaultRouteAround?: boolean | undefined;
  /** The fetch used for requests that go direct (default: the global fetch at creation). */
  directFetch?: typeof fetch | undefined;
  /** Legacy: send every covered request through this route slug (`call(route, …)`). */
  route?: string | undefined;
  /** With `routes: "off"`, switch to the manifest once KnoxCall hints that a route now covers a host. */
  autoSwitch?: boolean | undefined;
  /** `auto`: send requests a manifest route covers through that route. Default `off` for `fetch()`, `auto` for `intercept()`. */
  routes?: 'auto' | 'off' | undefined;
  /** KnoxCall unreachable: `error` (default, fail closed) or `direct` (transit mode only). */
  unavailable?: 'error' | 'direct' | undefined;
  /** Report credential header names of uncovered direct traffic (default on). */
  observeUncovered?: boolean | undefined;
  onRouteAround?: ((info: WrapRequestInfo & { rule: RouteAroundRule }) => void) | undefined;
  onPromoted?: ((info: WrapRequestInfo & { slug: string }) => void) | undefined;
  onReroute?: ((info: WrapRequestInfo & { from: InterceptReason; to: InterceptReason; slug?: string | undefined }) => void) | undefined;
  onRefresh?: ((info: ManifestRefreshInfo) => void) | undefined;
  onManifestError?: ((error: unknown) => void) | undefined;
  onUnmatchedPath?: ((info: WrapRequestInfo) => void) | undefined;
  onRefused?: ((info: WrapRequestInfo & { slug: string; status: number; redecided: boolean }) => void) | undefined;
  onFallback?: ((info: WrapRequestInfo & { error: unknown }) => void) | undefined;
  onObservationFlush?: ((report: EgressObservationsReport) => void) | undefined;
}

/** A fetch-compatible function that routes through KnoxCall, with its manifest controls. */
export interface WrappedFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Settles once the first manifest load finished (at once when routes are off). Never rejects. */
  readonly ready: Promise<void>;
  /** Reloads the manifest now (one load at a time). */
  refresh(): Promise<void>;
  /** The manifest in use, if any. */
  manifest(): import('./types.js').InterceptManifest | undefined;
  /** Stops this fetch's manifest polling and callbacks; requests still work. */
  stop(): void;
}
