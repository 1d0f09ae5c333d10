import { BoundRoute, type BoundRouteDefaults } from '../data-plane/bound-route.js';
import { type CallOptions, dataPlaneCall } from '../data-plane/call.js';
import { type EphemeralOptions, ephemeralCall } from '../data-plane/ephemeral.js';
import { KnoxCallError } from '../errors.js';
import { anySignal, raceAbort } from '../transport/abort.js';
import { managementRequest, type ManagementRequestOptions } from '../management-plane/management-request.js';
import type { ResourceRequester, ResourceRequestOptions } from '../transport/resource-request.js';
import { abortError, clientClosedError } from '../transport/transport-failure.js';
import { type ClientInternals, type ClientRuntime, createCore } from '../config/create-shared-state.js';
import { ROOT_DEFAULTS } from '../config/call-defaults.js';
import { type KnoxCallOptions, nonEmpty, type WithOptions } from '../config/options.js';
import { ClientContext, type LazyViewSource } from './client-context.js';
import { LAZY_VIEW } from './lazy-view.js';
import { type AdapterWithOptions, viewDefaults } from './view-defaults.js';

export { ClientContext, LAZY_VIEW, type LazyViewSource };

// The published declarations name `Symbol.asyncDispose` (the `await using` member below).
// Without this, a project compiled with `lib: ["es2022", "dom"]` and no @types/node (a
// Workers or browser app, skipLibCheck off) fails on our .d.ts: the symbol is declared only
// by lib esnext.disposable and @types/node. The same declaration as theirs, so it merges with
// them; it types the symbol only (the runtime key is chosen at the bottom of this file).
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** Brand shared by every copy of the package (ESM and CJS builds), like the error brand. */
export const KNOXCALL_CLIENT_BRAND: unique symbol = Symbol.for('knoxcall.client') as never;

/** True for a `KnoxCall` / `Session` (or a view of one) from any copy of `@knoxcall/core`. */
export function isKnoxCall(value: unknown): value is ClientBase {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KNOXCALL_CLIENT_BRAND] === true;
}

/** @internal what a client (root or view) holds: the shared core and its own call defaults. */
export const CLIENT_CONTEXT: unique symbol = Symbol('knoxcall.clientContext') as never;

/** @internal builds the requester the resources of a client or view call. */
export const RESOURCE_REQUESTER: unique symbol = Symbol('knoxcall.resourceRequester') as never;

/** @internal hook subclasses use to finish a freshly created view (e.g. its resource properties). */
export const INIT_VIEW: unique symbol = Symbol('knoxcall.initView') as never;

/** Lets a class constructor hand back `target` itself, so a subclass's private field lands on it. */
class ReturnsTarget {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: returning the target is how ContextSlot stamps its field on an existing object
    return target as ReturnsTarget;
  }
}

/**
 * Where a client or view keeps its context: a private field stamped on the object. Adapters
 * build a view for every incoming request, and the non-enumerable own property this used
 * to be cost an `Object.defineProperty` per view — a call into the engine's runtime that no
 * inline cache speeds up, the largest single part of building a view in the Nest bench's
 * instruction counts. A private field is added by an inline cache and is as invisible as
 * that property was: not listed, not copied by spread or `Object.assign`, not printed by
 * `util.inspect`, not in JSON.
 */
class ContextSlot extends ReturnsTarget {
  #context: ClientContext;
  private constructor(target: object, context: ClientContext) {
    super(target);
    this.#context = context;
  }

  static stamp(target: object, context: ClientContext): void {
    new ContextSlot(target, context);
  }

  /** The context, or undefined for an object without one (a class prototype itself). */
  static read(holder: object): ClientContext | undefined {
    return #context in holder ? (holder as ContextSlot).#context : undefined;
  }
}

/** Whether `value` is a client or view itself (not a prototype): it carries a context. */
export function hasClientContext(value: object): boolean {
  return ContextSlot.read(value) !== undefined;
}

/**
 * What `KnoxCall` and `Session` share (not exported): configuration, the management
 * pipeline, the data plane, lifetime and request-scoped views.
 */
export class ClientBase {
  /** Default data-plane environment of this client or view. */
  readonly environment: string | undefined;
  readonly sandbox: boolean;
  readonly apiVersion: string;
  readonly userAgent: string;
  readonly scope: readonly string[];
  declare readonly [CLIENT_CONTEXT]: ClientContext;

  constructor(options: KnoxCallOptions | undefined, runtime: ClientRuntime, internals?: ClientInternals) {
    const core = createCore(options, runtime, internals);
    ContextSlot.stamp(this, ClientContext.settled(core, false, ROOT_DEFAULTS));
    this.environment = core.config.environment;
    this.sandbox = core.config.sandbox;
    this.apiVersion = core.config.apiVersion;
    this.userAgent = core.config.userAgent;
    this.scope = core.config.scope;
  }

  /** Tenant slug; filled in by discovery on the first data-plane call when not configured. */
  get tenant(): string | undefined {
    return this[CLIENT_CONTEXT].core.state.tenant;
  }
  set tenant(value: string | undefined) {
    this[CLIENT_CONTEXT].core.state.tenant = value;
  }

  /** Management base URL (no trailing slash). */
  get baseUrl(): string {
    return this[CLIENT_CONTEXT].core.state.baseUrl;
  }
  set baseUrl(value: string) {
    this[CLIENT_CONTEXT].core.state.baseUrl = value.replace(/\/+$/, '');
  }

  /** Data-plane base URL; undefined until known (derived lazily on the first `call()`). */
  get proxyBaseUrl(): string | undefined {
    return this[CLIENT_CONTEXT].core.state.proxyBaseUrl;
  }
  set proxyBaseUrl(value: string | undefined) {
    this[CLIENT_CONTEXT].core.state.proxyBaseUrl = value?.replace(/\/+$/, '');
  }

  /**
   * Low-level management call (contract transport §3). Resolves to the parsed body — the
   * whole `{data, meta}` envelope, not unwrapped.
   */
  request<T = unknown>(opts: ManagementRequestOptions): Promise<T> {
    const { core, defaults } = this[CLIENT_CONTEXT];
    return managementRequest<T>(core, defaults, opts);
  }

  /** Obtains a token now (get-or-refresh). Optional: every call does this on demand. */
  async authenticate(): Promise<void> {
    const { core, defaults } = this[CLIENT_CONTEXT];
    const closed = core.lifetime;
    if (closed.aborted) throw clientClosedError();
    // Made here, in this call's request: the authenticator passes it on to its token fetch.
    const closedSignal = closed.signal();
    const signal = anySignal([defaults.signal, closedSignal.signal]) as AbortSignal;
    try {
      await raceAbort(core.authenticator.getCredential(signal), signal, () => abortError({ caller: defaults.signal, closed }));
    } finally {
      closedSignal.release();
    }
  }

  /** Deletes this client's cached token from its store; the next call mints or re-detects. */
  async signOut(): Promise<void> {
    await this[CLIENT_CONTEXT].core.authenticator.signOut();
  }

  /**
   * Data-plane call through a KnoxCall route (contract transport §8). Resolves to the raw
   * Response for any status: upstream errors are not thrown.
   */
  call(route: string, opts?: CallOptions): Promise<Response> {
    const { core, defaults } = this[CLIENT_CONTEXT];
    return dataPlaneCall(core, defaults, route, opts);
  }

  /** A handle bound to one route with its own defaults. */
  route(route: string, defaults?: BoundRouteDefaults): BoundRoute {
    if (typeof route !== 'string' || route === '') {
      throw new KnoxCallError('route() needs a route slug or id');
    }
    return new BoundRoute(this, route, defaults);
  }

  /** One-shot proxy of `upstreamUrl` through `{baseUrl}/v1/proxy`, no route needed. */
  ephemeral(upstreamUrl: string, opts?: EphemeralOptions): Promise<Response> {
    const { core, defaults } = this[CLIENT_CONTEXT];
    return ephemeralCall(core, defaults, upstreamUrl, opts);
  }

  /**
   * A request-scoped view: same transport, token cache and lifetime, with its own default
   * headers, environment, timeout (ms) and signal. No I/O; views of views merge defaults.
   */
  withOptions(options: WithOptions = {}): this {
    const context = this[CLIENT_CONTEXT];
    const merged = viewDefaults(context.defaults, options as AdapterWithOptions);
    return viewOf(this, ClientContext.settled(context.core, true, merged), nonEmpty(merged.environment) ?? context.core.config.environment);
  }

  /**
   * @internal A view like `withOptions(source.viewOptions())`, except that its options are
   * asked for only when its defaults are first needed — an adapter's per-request view that
   * sends nothing then costs the view object and its context alone (see ClientContext).
   * Its public `environment` is right from the start (the source tells it up front).
   */
  [LAZY_VIEW](source: LazyViewSource): this {
    const own = source.viewEnvironment;
    // The same as withOptions' nonEmpty(merged) ?? configured, without making the parent's
    // defaults: with no own environment, a view's environment is its parent's.
    const environment = own === undefined ? this.environment : (nonEmpty(own) ?? this[CLIENT_CONTEXT].core.config.environment);
    return viewOf(this, ClientContext.deferred(this[CLIENT_CONTEXT], source), environment);
  }

  /** @internal subclasses add per-view members here. */
  [INIT_VIEW](): void {}

  /**
   * Ends the client: calls in flight are aborted and new calls are refused with a clear
   * error. Token stores and Redis clients passed in are never closed. On a view this is a
   * no-op: views share the root's lifetime.
   */
  async close(): Promise<void> {
    const context = this[CLIENT_CONTEXT];
    if (context.isView) return;
    context.core.lifetime.close(clientClosedError());
  }

  /** `await using client = new KnoxCall()` closes the client at the end of the block. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  /** @internal the requester resources are built on, bound to this client's or view's defaults. */
  [RESOURCE_REQUESTER](): ResourceRequester {
    // The defaults are read per request, not here: a lazy view's resources are made on first
    // access (`view.routes`), and that alone must not make its defaults.
    const context = this[CLIENT_CONTEXT];
    return <T>(opts: ResourceRequestOptions) => managementRequest<T>(context.core, context.defaults, opts);
  }
}

/**
 * A view of `parent` with `context`: same prototype, the public fields a view shows. A
 * function, not a #private method: views are made with Object.create and carry no private
 * brand, and a view of a view is made from one.
 */
function viewOf<C extends ClientBase>(parent: C, context: ClientContext, environment: string | undefined): C {
  const view = Object.create(Object.getPrototypeOf(parent)) as C;
  ContextSlot.stamp(view, context);
  const fields = view as { -readonly [K in keyof ClientBase]: ClientBase[K] };
  fields.environment = environment;
  fields.sandbox = parent.sandbox;
  fields.apiVersion = parent.apiVersion;
  fields.userAgent = parent.userAgent;
  fields.scope = parent.scope;
  view[INIT_VIEW]();
  return view;
}

Object.defineProperty(ClientBase.prototype, KNOXCALL_CLIENT_BRAND, { value: true });
// `this[CLIENT_CONTEXT]` reads the private slot (see ContextSlot); a getter on the prototype,
// so it is no own property of any client or view.
Object.defineProperty(ClientBase.prototype, CLIENT_CONTEXT, {
  get(this: ClientBase): ClientContext | undefined {
    return ContextSlot.read(this);
  },
});

// Installed by hand rather than as a class method: on a runtime without Symbol.asyncDispose a
// computed `[Symbol.asyncDispose]` member would be named "undefined". There, polyfills (core-js,
// the TypeScript/Babel `using` shims) use the registry symbol, so that is the fallback key.
const ASYNC_DISPOSE: symbol = (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('Symbol.asyncDispose');
Object.defineProperty(ClientBase.prototype, ASYNC_DISPOSE, {
  value: async function asyncDispose(this: ClientBase): Promise<void> {
    await this.close();
  },
  writable: true,
  configurable: true,
});
