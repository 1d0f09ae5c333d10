import type { ClientCore } from '../config/shared-state.js';
import { type CallDefaults, nonEmpty, validateTimeoutMs } from '../config/options.js';
import { KnoxCallError } from '../errors.js';
import { anySignal } from '../transport/abort.js';
import { type HeaderBag, type HeadersLike, copyHeaderBag, mergeHeaderBags, toHeaderBag } from '../http/headers.js';
import { ViewHeaderCache } from '../http/view-header-cache.js';
import { buildUrl } from '../transport/query.js';
import { type EncodedBody, encodeRequestBody } from '../transport/request-body.js';
import { clientClosedError } from '../transport/transport-failure.js';
import { apiPrefix } from './api-prefix.js';
import { INTERCEPT_ORIGIN, stripProxyAuthHeaders } from './call-headers.js';
import { resolveProxyBase } from './proxy-base.js';
import { type DataPlaneRequest, sendDataPlane } from './send-data-plane.js';

/** Internal call option marking interceptor traffic; public callers cannot set it by name. */
export const CALL_ORIGIN: unique symbol = Symbol.for('knoxcall.callOrigin') as never;

/** Options of `client.call(route, opts)` (contract transport §8.1). */
export interface CallOptions {
  /** Default `GET`; upper-cased. */
  method?: string | undefined;
  /** The UPSTREAM path; default `/`. */
  path?: string | undefined;
  /** Encoded like management bodies (JSON for objects; strings and binary verbatim). */
  body?: unknown;
  /** Forwarded to the upstream, minus proxy-credential headers. */
  headers?: HeadersLike;
  /** Per-call › bound route › view › client option › `KNOXCALL_ENVIRONMENT`. Empty = unset. */
  environment?: string | undefined;
  query?: Readonly<Record<string, unknown>> | undefined;
  /** Per-attempt timeout in ms. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  [CALL_ORIGIN]?: 'sdk-intercept';
}

/**
 * One data-plane call through a KnoxCall route. Resolves to the raw Response whatever its
 * status (upstream errors and KnoxCall refusals alike; see `isRouteRefusal`).
 */
export function dataPlaneCall(core: ClientCore, defaults: CallDefaults, route: string, opts: CallOptions = {}): Promise<Response> {
  // Not an async function: once the proxy base is known nothing here waits, and returning
  // sendDataPlane's promise from an async function would cost two more microtask turns per call.
  try {
    const call = startCall(core, defaults, route, opts);
    // Known after the first call: then no wait at all.
    const proxyBase = resolveProxyBase(core, call.caller);
    if (typeof proxyBase === 'string') return sendDataPlane(dataPlaneRequest(call, proxyBase));
    return proxyBase.then((base) => sendDataPlane(dataPlaneRequest(call, base)));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What a call settles before it knows where to send: its checks, method, timeout, body and signal. */
interface StartedCall {
  core: ClientCore;
  defaults: CallDefaults;
  route: string;
  opts: CallOptions;
  origin: 'sdk-intercept' | undefined;
  method: string;
  timeoutMs: number;
  body: EncodedBody;
  caller: AbortSignal | undefined;
}

function startCall(core: ClientCore, defaults: CallDefaults, route: string, opts: CallOptions): StartedCall {
  if (core.lifetime.aborted) throw clientClosedError();
  if (typeof route !== 'string' || route === '') {
    throw new KnoxCallError('call() needs a route slug or id as its first argument');
  }
  const origin = opts[CALL_ORIGIN];
  if (origin !== undefined && origin !== INTERCEPT_ORIGIN) {
    throw new KnoxCallError(`unknown call origin ${JSON.stringify(String(origin))}`);
  }
  const method = (opts.method ?? 'GET').toUpperCase();
  const timeoutMs = opts.timeout !== undefined ? validateTimeoutMs(opts.timeout, 'timeout') : (defaults.timeoutMs ?? core.config.timeoutMs);
  const body = encodeRequestBody(opts.body, core.config.jsonReplacer);
  // Read once: a view's signal may be made on this first read (see ViewDefaults).
  const viewSignal = defaults.signal;
  const caller = opts.signal === undefined ? viewSignal : viewSignal === undefined ? opts.signal : anySignal([viewSignal, opts.signal]);
  return { core, defaults, route, opts, origin, method, timeoutMs, body, caller };
}

function dataPlaneRequest(call: StartedCall, proxyBase: string): DataPlaneRequest {
  const { core, defaults, route, opts, origin, body } = call;
  const url = buildUrl(proxyBase + apiPrefix(proxyBase), opts.path ?? '/', opts.query);
  const headers =
    opts.headers === undefined
      ? copyHeaderBag(viewBaseHeaders(core, defaults.headers))
      : withUserAgent(core, stripProxyAuthHeaders(mergeHeaderBags(defaults.headers, toHeaderBag(opts.headers))));
  headers['x-knoxcall-route'] = route;
  const environment = nonEmpty(opts.environment) ?? nonEmpty(defaults.environment) ?? core.config.environment;
  if (environment !== undefined) headers['x-knoxcall-environment'] = environment;
  if (origin !== undefined) headers['x-knoxcall-origin'] = origin;
  if (body.defaultContentType !== undefined && headers['content-type'] === undefined) {
    headers['content-type'] = body.defaultContentType;
  }
  return { core, method: call.method, url, route, headers, body, timeoutMs: call.timeoutMs, caller: call.caller, legacyKeyHeader: true };
}

function withUserAgent(core: ClientCore, headers: HeaderBag): HeaderBag {
  if (headers['user-agent'] === undefined) headers['user-agent'] = core.config.userAgent;
  return headers;
}

/**
 * The headers every call of a client or view starts from when the call brings none of its
 * own: the view's (proxy credentials stripped) plus the SDK's User-Agent. The same for every
 * such call, so built once per view header bag and copied per call instead of merged,
 * stripped and defaulted again each time (read-only: callers copy it).
 */
function viewBaseHeaders(core: ClientCore, viewHeaders: HeaderBag | undefined): HeaderBag {
  return baseHeaderCache.get(core.config, viewHeaders, buildViewBaseHeaders, core);
}

const baseHeaderCache = new ViewHeaderCache();
const buildViewBaseHeaders = (core: ClientCore, viewHeaders: HeaderBag | undefined): HeaderBag =>
  withUserAgent(core, stripProxyAuthHeaders({ ...viewHeaders }));
