import type { ClientCore } from '../config/shared-state.js';
import { type CallDefaults, validateTimeoutMs } from '../config/options.js';
import { KnoxCallError } from '../errors.js';
import { anySignal } from '../transport/abort.js';
import { type HeadersLike, mergeHeaderBags, toHeaderBag } from '../http/headers.js';
import { encodeRequestBody } from '../transport/request-body.js';
import { clientClosedError } from '../transport/transport-failure.js';
import { stripProxyAuthHeaders } from './call-headers.js';
import { sendDataPlane } from './send-data-plane.js';

/** Options of `client.ephemeral(upstreamUrl, opts)` (contract transport §8.7). */
export interface EphemeralOptions {
  /** The upstream method; default GET. */
  method?: string | undefined;
  body?: unknown;
  headers?: HeadersLike;
  /** Sent as `X-Knox-Encrypted`. */
  encrypted?: string | undefined;
  /** Server-side bound on the upstream call (ms), sent as `X-Knox-Timeout-Ms`. */
  timeoutMs?: number | undefined;
  /** Local per-attempt timeout in ms; should exceed `timeoutMs`. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  /** `transparent`: body and Content-Type forwarded byte-verbatim, no templating. */
  mode?: 'transparent' | undefined;
  /** Opaque value the server maps to the upstream `Authorization`. */
  upstreamAuthorization?: string | undefined;
  /** Name of an escrowed wrap credential the server injects (host-pinned). */
  upstreamAuthSecret?: string | undefined;
  /** Scheme for `upstreamAuthSecret` (server default Bearer; `none` = raw value). */
  upstreamAuthScheme?: string | undefined;
}

/** One-shot proxy through `{baseUrl}/v1/proxy` on the management host; no route, no tenant. */
export async function ephemeralCall(core: ClientCore, defaults: CallDefaults, upstreamUrl: string, opts: EphemeralOptions = {}): Promise<Response> {
  if (core.lifetime.aborted) throw clientClosedError();
  if (!isAbsoluteUrl(upstreamUrl)) {
    throw new KnoxCallError('ephemeral() needs an absolute upstream URL such as https://api.example.com/v1/things');
  }
  if (opts.upstreamAuthorization !== undefined && opts.upstreamAuthSecret !== undefined) {
    // Failing locally avoids transmitting a credential the server would reject anyway.
    throw new KnoxCallError('ephemeral(): pass either upstreamAuthorization or upstreamAuthSecret, not both');
  }
  if (opts.mode !== undefined && opts.mode !== 'transparent') {
    throw new KnoxCallError(`ephemeral(): mode must be "transparent" when given, got ${JSON.stringify(opts.mode)}`);
  }
  if (opts.timeoutMs !== undefined && !(Number.isFinite(opts.timeoutMs) && opts.timeoutMs >= 0)) {
    throw new KnoxCallError(`ephemeral(): timeoutMs must be a number of milliseconds ≥ 0, got ${String(opts.timeoutMs)}`);
  }
  const method = (opts.method ?? 'GET').toUpperCase();
  const timeoutMs = opts.timeout !== undefined ? validateTimeoutMs(opts.timeout, 'timeout') : (defaults.timeoutMs ?? core.config.timeoutMs);
  const encoded = encodeRequestBody(opts.body, core.config.jsonReplacer);
  // Transparent mode forwards bytes as given: fetch would label a bare string text/plain, so send its bytes.
  const body =
    opts.mode === 'transparent' && typeof encoded.body === 'string' && !encoded.serializedJson
      ? { ...encoded, body: new TextEncoder().encode(encoded.body) }
      : encoded;

  const headers = stripProxyAuthHeaders(mergeHeaderBags(defaults.headers, toHeaderBag(opts.headers)));
  if (headers['user-agent'] === undefined) headers['user-agent'] = core.config.userAgent;
  headers['x-knox-proxy-url'] = upstreamUrl;
  if (opts.encrypted !== undefined) headers['x-knox-encrypted'] = opts.encrypted;
  if (opts.timeoutMs !== undefined) headers['x-knox-timeout-ms'] = String(Math.trunc(opts.timeoutMs));
  if (opts.mode !== undefined) headers['x-knox-proxy-mode'] = opts.mode;
  if (opts.upstreamAuthorization !== undefined) headers['x-knox-upstream-authorization'] = opts.upstreamAuthorization;
  if (opts.upstreamAuthSecret !== undefined) headers['x-knox-upstream-auth-secret'] = opts.upstreamAuthSecret;
  if (opts.upstreamAuthScheme !== undefined) headers['x-knox-upstream-auth-scheme'] = opts.upstreamAuthScheme;
  // Transparent mode forwards bytes as given: a type is synthesised only for JSON the SDK produced.
  const contentType = opts.mode === 'transparent' ? (body.serializedJson ? body.defaultContentType : undefined) : body.defaultContentType;
  if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;

  return sendDataPlane({
    core,
    method,
    url: `${core.state.baseUrl}/v1/proxy`,
    route: undefined,
    headers,
    body,
    timeoutMs,
    caller: anySignal([defaults.signal, opts.signal]),
    legacyKeyHeader: false,
  });
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
