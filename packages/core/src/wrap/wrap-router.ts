import type { ClientBase } from '../client/call-machinery.js';
import { errorKindOf } from '../error-kind.js';
import { KnoxCallError } from '../errors.js';
import { CALL_ORIGIN } from '../data-plane/call.js';
import type { EphemeralOptions } from '../data-plane/ephemeral.js';
import { isRouteRefusalResponse } from '../data-plane/route-refusal.js';
import type { Platform } from '../auth/platform.js';
import { anySignal } from '../transport/abort.js';
import { flagIsOff } from './kill-switch.js';
import type { InterceptManifestStore } from './manifest-store.js';
import { callSafely } from './manifest-store.js';
import type { WrapCredential, WrapFetchOptions } from './options.js';
import { readRequestParts, type RequestParts, urlOf } from './request-parts.js';
import { type InterceptDecision, resolveIntercept } from './resolve-intercept.js';
import { DEFAULT_ROUTE_AROUND, type RouteAroundRule } from './route-around.js';
import { checkTransitAuthorization } from './transit-auth.js';

/** What a router needs of the client (or view) it was made from. */
export interface WrapContext {
  readonly client: ClientBase;
  readonly platform: Platform;
  /** The root client's shared manifest store for this environment (made on first use). */
  store(): InterceptManifestStore;
  /** The view's abort signal (the caller's disconnect), if any. */
  viewSignal(): AbortSignal | undefined;
}

/** Per-host settings of `intercept({ hosts: { host: {...} } })`. */
export interface HostSettings {
  credential?: WrapCredential | undefined;
  unavailable?: 'error' | 'direct' | undefined;
}

/** How `fetch()` and `intercept()` differ. */
export interface RouterMode {
  routesDefault: 'auto' | 'off';
  /** Whether a host is listed; undefined lists every host (`fetch()`). */
  isListed?: ((host: string) => boolean) | undefined;
  hostSettings?: ((host: string) => HostSettings | undefined) | undefined;
  /** Set with `requireContext`: whether the current async context is inside `routed()`. */
  inContext?: (() => boolean) | undefined;
  /** Called for direct traffic to unlisted hosts (egress observations). */
  onUnlisted?: ((url: URL, method: string, headers: UnlistedHeaders | undefined) => void) | undefined;
}

const PROMOTED_HEADER = 'x-knox-promoted-route';

/** Headers of a direct request as the caller gave them (only their names are ever read). */
export type UnlistedHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>> | ReadonlyArray<readonly [string, string]>;

/**
 * One `wrap.fetch()` or `intercept()`: decides per request (see `resolveIntercept`) and sends
 * direct, through a manifest route (`call(slug)`), or through the transparent ephemeral
 * proxy, then reacts to what KnoxCall answered (route refusal, promoted-route hint).
 */
export class WrapRouter {
  readonly #ctx: WrapContext;
  readonly #options: WrapFetchOptions;
  readonly #mode: RouterMode;
  readonly #routeAround: readonly RouteAroundRule[];
  readonly #direct: typeof fetch;
  #routes: 'auto' | 'off';
  #store: InterceptManifestStore | undefined;
  #unsubscribe: (() => void) | undefined;
  #claimed = false;
  #ownHostsKey = '';
  #ownHosts: ReadonlySet<string> = new Set();

  constructor(ctx: WrapContext, options: WrapFetchOptions, mode: RouterMode) {
    validateOptions(options);
    this.#ctx = ctx;
    this.#options = options;
    this.#mode = mode;
    this.#routes = options.routes ?? mode.routesDefault;
    this.#routeAround = [
      ...(options.disableDefaultRouteAround === true ? [] : DEFAULT_ROUTE_AROUND),
      ...(options.routeAround ?? []).map((r) => ({ ...r, host: r.host.toLowerCase() })),
    ];
    const direct = options.directFetch ?? globalThis.fetch;
    if (typeof direct !== 'function') throw new KnoxCallError('wrap: no fetch for direct requests; pass the directFetch option');
    this.#direct = direct;
    if (this.#routes === 'auto') this.#useStore();
  }

  /** The original fetch direct traffic goes through. */
  get directFetch(): typeof fetch {
    return this.#direct;
  }

  get routes(): 'auto' | 'off' {
    return this.#routes;
  }

  /** Settles once the first manifest load finished; at once when routes are off. */
  get ready(): Promise<void> {
    return this.#store?.ready ?? Promise.resolve();
  }

  refresh(): Promise<void> {
    return this.#useStore().refresh();
  }

  manifest() {
    return this.#store?.current;
  }

  /** Detaches this router from the shared store (its callbacks and its claim on the polling). */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#claimed) this.#store?.release();
    this.#claimed = false;
  }

  #useStore(): InterceptManifestStore {
    if (this.#store === undefined) {
      const store = this.#ctx.store();
      this.#store = store;
      const { onRefresh, onManifestError } = this.#options;
      // Only fetches that asked for these callbacks are remembered by the shared store.
      if (onRefresh !== undefined || onManifestError !== undefined) this.#unsubscribe = store.subscribe({ onRefresh, onManifestError });
      store.acquire();
      this.#claimed = true;
    }
    return this.#store;
  }

  #ownHostSet(): ReadonlySet<string> {
    const { baseUrl, proxyBaseUrl } = this.#ctx.client;
    const key = `${baseUrl} ${proxyBaseUrl ?? ''}`;
    if (key !== this.#ownHostsKey) {
      const hosts = new Set<string>();
      for (const u of [baseUrl, proxyBaseUrl]) {
        if (u === undefined) continue;
        try {
          hosts.add(new URL(u).host);
        } catch {
          // not a URL: nothing to exclude
        }
      }
      this.#ownHostsKey = key;
      this.#ownHosts = hosts;
    }
    return this.#ownHosts;
  }

  /** The routing decision for `url` (no I/O). */
  decide(url: string | URL): InterceptDecision {
    const { isListed, inContext } = this.#mode;
    return resolveIntercept(url, {
      killSwitch: flagIsOff(this.#ctx.platform.getEnv('KNOXCALL_INTERCEPT')),
      ownHosts: this.#ownHostSet(),
      routeAround: this.#routeAround,
      inContext: inContext === undefined ? undefined : inContext(),
      manifest: this.#routes === 'auto' ? this.#store?.current : undefined,
      isListed,
    });
  }

  async send(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const decision = this.decide(urlOf(input));
    if (decision.action === 'direct') return this.#sendDirect(decision, input, init);
    const parts = await readRequestParts(input, init);
    return this.#sendRouted(decision, parts, true);
  }

  #sendDirect(decision: Extract<InterceptDecision, { action: 'direct' }>, input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    if (decision.reason === 'route_around' || decision.reason === 'unlisted') {
      const request = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
      this.#noteDirect(decision, (init?.method ?? request?.method ?? 'GET').toUpperCase(), init?.headers ?? request?.headers, input);
    }
    const view = this.#ctx.viewSignal();
    if (view === undefined) return this.#direct(input, init);
    const own = init?.signal ?? (typeof input === 'object' && !(input instanceof URL) ? input.signal : undefined);
    return this.#direct(input, { ...init, signal: anySignal([view, own ?? undefined]) ?? null });
  }

  /** Reports a direct decision: a route-around rule to its callback, unlisted traffic to the observer. */
  #noteDirect(decision: Extract<InterceptDecision, { action: 'direct' }>, method: string, headers: unknown, input: string | URL | Request): void {
    if (decision.reason === 'route_around') {
      callSafely(this.#options.onRouteAround, { host: decision.url.host, url: decision.url.href, rule: decision.rule });
    } else if (decision.reason === 'unlisted' && this.#mode.onUnlisted !== undefined && headers !== undefined && headers !== null) {
      // The fast path of the decision does not parse the URL; the observer needs it.
      this.#mode.onUnlisted(decision.url ?? new URL(urlOf(input)), method, headers as UnlistedHeaders);
    }
  }

  /**
   * For a patched stack (node:http): whether KnoxCall carries this request. A direct decision
   * is reported here, since the stack then sends the request itself.
   */
  takes(url: URL, method: string, headers: Readonly<Record<string, string | readonly string[] | undefined>>): boolean {
    const decision = this.decide(url);
    if (decision.action !== 'direct') return true;
    this.#noteDirect(decision, method, headers, url);
    return false;
  }

  async #sendRouted(decision: Exclude<InterceptDecision, { action: 'direct' }>, parts: RequestParts, mayRedecide: boolean): Promise<Response> {
    const url = decision.url;
    const info = { host: url.host, url: url.href };
    const legacyRoute = this.#options.route;
    let response: Response;
    try {
      if (decision.action === 'route' || legacyRoute !== undefined) {
        const slug = decision.action === 'route' ? decision.route.slug : legacyRoute!;
        const path = decision.action === 'route' ? decision.path : url.pathname + url.search;
        response = await this.#ctx.client.call(slug, {
          method: parts.method,
          path,
          headers: parts.headers,
          body: parts.body,
          signal: parts.signal,
          [CALL_ORIGIN]: 'sdk-intercept',
        });
        if (mayRedecide && (await isRouteRefusalResponse(response))) return this.#afterRefusal(decision, slug, response, parts);
        return response;
      }
      if (decision.reason === 'no_base_path_match') callSafely(this.#options.onUnmatchedPath, info);
      response = await this.#ctx.client.ephemeral(url.href, this.#ephemeralOptions(url.host, parts));
    } catch (error) {
      return this.#unavailable(error, url, parts);
    }
    const promoted = response.headers.get(PROMOTED_HEADER);
    if (promoted) this.#promoted(promoted, info);
    return response;
  }

  #ephemeralOptions(host: string, parts: RequestParts): EphemeralOptions {
    const { authorization, ...headers } = parts.headers;
    const opts: EphemeralOptions = { method: parts.method, headers, body: parts.body, signal: parts.signal, mode: 'transparent' };
    const credential = this.#mode.hostSettings?.(host)?.credential ?? this.#options.credential;
    if (credential !== undefined) {
      // Escrow mode: the SDK's own Authorization is a placeholder; KnoxCall injects the real key.
      opts.upstreamAuthSecret = credential.secret;
      if (credential.scheme !== undefined) opts.upstreamAuthScheme = credential.scheme;
    } else if (authorization !== undefined) {
      checkTransitAuthorization(authorization, this.#ctx.client.sandbox);
      opts.upstreamAuthorization = authorization;
    }
    return opts;
  }

  /** A route refusal: one manifest refresh, one new decision, never a loop. */
  async #afterRefusal(decision: InterceptDecision, slug: string, refused: Response, parts: RequestParts): Promise<Response> {
    const url = decision.url!;
    const info = { host: url.host, url: url.href, slug, status: refused.status };
    if (this.#routes === 'auto') await this.#useStore().refreshOutOfCycle();
    const next = this.decide(url);
    const same = next.action === 'route' && decision.action === 'route' && next.route.slug === slug;
    if (same || this.#options.route !== undefined) {
      callSafely(this.#options.onRefused, { ...info, redecided: false });
      return refused;
    }
    await refused.body?.cancel().catch(() => undefined);
    callSafely(this.#options.onRefused, { ...info, redecided: true });
    callSafely(this.#options.onReroute, {
      host: url.host,
      url: url.href,
      from: decision.reason,
      to: next.reason,
      slug: next.action === 'route' ? next.route.slug : undefined,
    });
    if (next.action === 'direct') return this.#directAgain(url, parts);
    return this.#sendRouted(next, parts, false);
  }

  #promoted(slug: string, info: { host: string; url: string }): void {
    callSafely(this.#options.onPromoted, { ...info, slug });
    if (this.#routes === 'off' && this.#options.autoSwitch === true) this.#routes = 'auto';
    if (this.#routes === 'auto') void this.#useStore().refreshOutOfCycle();
  }

  async #unavailable(error: unknown, url: URL, parts: RequestParts): Promise<Response> {
    const kind = errorKindOf(error);
    const unreachable = kind === 'connection' || kind === 'timeout';
    const setting = this.#mode.hostSettings?.(url.host)?.unavailable ?? this.#options.unavailable ?? 'error';
    if (!unreachable || setting !== 'direct') throw error;
    callSafely(this.#options.onFallback, { host: url.host, url: url.href, error });
    return this.#directAgain(url, parts);
  }

  /** Sends an already-read request straight to its destination (its own Authorization included). */
  #directAgain(url: URL, parts: RequestParts): Promise<Response> {
    const signal = anySignal([this.#ctx.viewSignal(), parts.signal]) ?? null;
    return this.#direct(url.href, { method: parts.method, headers: parts.headers, body: parts.body ?? null, signal });
  }
}

function validateOptions(options: WrapFetchOptions): void {
  if (options.unavailable !== undefined && options.unavailable !== 'error' && options.unavailable !== 'direct') {
    throw new KnoxCallError(`wrap: unavailable must be "error" or "direct", got ${JSON.stringify(options.unavailable)}`);
  }
  if (options.unavailable === 'direct' && options.credential !== undefined) {
    // Escrow mode has no key in the process: going direct would send the request unauthenticated.
    throw new KnoxCallError('wrap: unavailable: "direct" works only in transit mode (no credential option); escrow mode fails closed');
  }
  if (options.routes !== undefined && options.routes !== 'auto' && options.routes !== 'off') {
    throw new KnoxCallError(`wrap: routes must be "auto" or "off", got ${JSON.stringify(options.routes)}`);
  }
  if (options.credential !== undefined && (typeof options.credential.secret !== 'string' || options.credential.secret === '')) {
    throw new KnoxCallError('wrap: credential.secret must name a credential escrowed with wrap.escrow()');
  }
}
