import type { Credential } from '../auth/authenticator.js';
import type { ClientCore } from '../config/shared-state.js';
import type { CallDefaults } from '../config/options.js';
import { errorFromResponse, headersToRecord } from '../error-from-response.js';
import { APIUserAbortError, KnoxCallError } from '../errors.js';
import { type AbortSource, abortableSleep, anySignal, callScopedSignal, raceAbort } from '../transport/abort.js';
import { type HeaderBag, type HeadersLike, copyHeaderBag, mergeHeaderBags, toHeaderBag } from '../http/headers.js';
import { ViewHeaderCache } from '../http/view-header-cache.js';
import { chooseIdempotencyKey } from '../transport/idempotency.js';
import { buildUrl, stripQuery } from '../transport/query.js';
import { type EncodedBody, encodeRequestBody } from '../transport/request-body.js';
import { successValue, unexpectedBodyReason } from '../transport/response-body.js';
import { isRetryableManagementError, managementRetryDelayMs } from '../transport/retry-policy.js';
import { fireHook, type TelemetryRequestInfo, telemetryHeaderValue } from '../transport/telemetry.js';
import { abortError, clientClosedError, isClientClosedError, transportFailure } from '../transport/transport-failure.js';
import { type ManagementAnswer, sendManagementAttempt } from './management-send.js';

/** Options of the public low-level `client.request()` (contract transport §1.3). */
export interface ManagementRequestOptions {
  method: string;
  /** Management path, e.g. `/v1/routes`; a leading `/` is added if missing. */
  path: string;
  query?: Readonly<Record<string, unknown>> | undefined;
  body?: unknown;
  headers?: HeadersLike;
  signal?: AbortSignal | undefined;
  idempotencyKey?: string | undefined;
  /** Resolve a 304 to the `NOT_MODIFIED` sentinel instead of throwing. */
  allowNotModified?: boolean | undefined;
}

/** What a 304 resolves to under `allowNotModified: true` (internal; wrap's manifest maps it to null). */
export const NOT_MODIFIED: unique symbol = Symbol.for('knoxcall.notModified') as never;

type AttemptResult = { ok: true; value: unknown } | { ok: false; error: KnoxCallError; nonceChallenge?: boolean; fatal?: boolean };

interface Call {
  core: ClientCore;
  method: string;
  /** The caller's path with the encoded query merged in, relative to the base. */
  target: string;
  /**
   * Full URL and query-less path of the current attempt. Rebuilt after the credential is
   * obtained, because auto-detecting the credentials file may seed the base URL.
   */
  url: string;
  path: string;
  body: EncodedBody;
  headers: HeaderBag;
  idempotencyKey: string | undefined;
  timeoutMs: number;
  allowNotModified: boolean;
  caller: AbortSignal | undefined;
  signal: AbortSource;
}

/**
 * One logical management call (contract transport §3, §6, §7): encodes the body once,
 * picks one idempotency key, then runs attempts with per-attempt timers, 401 purge +
 * one re-auth, one DPoP nonce re-send, retries with half-jitter backoff or Retry-After
 * (≤ 30 s), and maps every failure to a typed error. Resolves to the parsed body (the
 * whole envelope; unwrapping is the resource layer's job).
 */
export async function managementRequest<T>(core: ClientCore, defaults: CallDefaults, opts: ManagementRequestOptions): Promise<T> {
  const closed = core.lifetime;
  if (closed.aborted) throw clientClosedError();
  if (typeof opts?.method !== 'string' || typeof opts.path !== 'string') {
    throw new KnoxCallError('request() needs { method: string, path: string }');
  }
  const method = opts.method.toUpperCase();
  const target = buildUrl('', opts.path, opts.query);
  // Read once: a view's signal may be made on this first read (see ViewDefaults).
  const viewSignal = defaults.signal;
  const caller = opts.signal === undefined ? viewSignal : viewSignal === undefined ? opts.signal : anySignal([viewSignal, opts.signal]);
  const call: Call = {
    core,
    method,
    target,
    url: core.state.baseUrl + target,
    path: stripQuery(target),
    body: encodeRequestBody(opts.body, core.config.jsonReplacer),
    headers: baseHeaders(core, defaults.headers, opts.headers),
    idempotencyKey: chooseIdempotencyKey(method, opts.idempotencyKey),
    timeoutMs: defaults.timeoutMs ?? core.config.timeoutMs,
    allowNotModified: opts.allowNotModified === true,
    caller,
    signal: closed,
  };
  if (caller?.aborted) throw abortError({ caller, closed });
  if (caller === undefined) return runAttempts<T>(call);
  // One signal for the caller and close() over the whole call, detached when it ends.
  const scoped = callScopedSignal(caller, closed);
  call.signal = scoped.signal;
  try {
    return await runAttempts<T>(call);
  } finally {
    scoped.release();
  }
}

async function runAttempts<T>(call: Call): Promise<T> {
  const { core, caller } = call;
  const closed = core.lifetime;
  const { retry, telemetry } = core.config;
  let reauthDone = false;
  let nonceRetryDone = false;
  for (let attempt = 1; ; ) {
    const result = await sendAttempt(call, attempt);
    if (result.ok) return result.value as T;
    const { error } = result;
    if (result.fatal || error instanceof APIUserAbortError || isClientClosedError(error)) throw error;
    // A stream body was consumed by the first send: nothing can be replayed.
    if (!call.body.replayable) throw error;
    if (result.nonceChallenge && !nonceRetryDone) {
      nonceRetryDone = true;
      continue; // same attempt number: a nonce challenge costs no attempt
    }
    if (error.status === 401) {
      // A repeated nonce challenge is an ordinary 401 now: purge like any other.
      if (result.nonceChallenge) await core.authenticator.invalidate();
      if (reauthDone || attempt >= retry.maxAttempts) throw error;
      reauthDone = true;
      attempt += 1; // the token was purged in sendAttempt; the next attempt re-mints
      continue;
    }
    if (attempt >= retry.maxAttempts || !isRetryableManagementError(error)) throw error;
    const delayMs = managementRetryDelayMs(error, attempt, retry, core.random);
    fireHook(telemetry?.onRetry, telemetry, {
      ...requestInfo(call, attempt),
      url: core.state.baseUrl + call.path,
      status: error.status,
      delayMs,
      reason: error.message,
    });
    await abortableSleep(delayMs, call.signal, () => abortError({ caller, closed }));
    attempt += 1;
  }
}

function requestInfo(call: Call, attempt: number): TelemetryRequestInfo {
  return {
    plane: 'management',
    method: call.method,
    url: call.url,
    attempt,
    idempotencyKey: call.idempotencyKey,
    tenantId: call.core.state.tenant,
  };
}

async function sendAttempt(call: Call, attempt: number): Promise<AttemptResult> {
  const { core } = call;
  const { authenticator, config } = core;
  const signals = { caller: call.caller, closed: core.lifetime };

  let credential: Credential;
  let headers: HeaderBag;
  try {
    // Warm path: a fresh in-memory credential and Bearer headers need no await at all. An
    // aborted signal takes the awaited path, which turns it into the abort error.
    const peeked = call.signal.aborted ? undefined : authenticator.peekCredential?.();
    if (peeked !== undefined) {
      credential = peeked;
    } else {
      // The race honours the signals; the authenticator gets none, so waiting calls add no listeners of its own.
      credential = await raceAbort(authenticator.getCredential(undefined, call.timeoutMs), call.signal, () => abortError(signals));
    }
    call.url = core.state.baseUrl + call.target;
    const unsigned = authenticator.unsignedAuthorizationHeaders?.(credential);
    headers = withAuthHeaders(call, unsigned ?? (await authenticator.authorizationHeaders(call.method, call.url, credential)));
  } catch (error) {
    return { ok: false, error: transportFailure(error, { ...signals, timeout: undefined }) };
  }

  const { telemetry } = config;
  // Built only for telemetry hooks: most clients have none.
  const info = telemetry === undefined ? undefined : requestInfo(call, attempt);
  if (info !== undefined) fireHook(telemetry?.onRequest, telemetry, info);
  const started = performance.now();
  let response: ManagementAnswer;
  try {
    response = await sendManagementAttempt(core, {
      url: call.url,
      method: call.method,
      headers,
      body: call.body,
      parent: call.signal,
      timeoutMs: call.timeoutMs,
    });
  } catch (error) {
    // A timeout arrives as APIConnectionTimeoutError from either transport (management-send.ts).
    return { ok: false, error: transportFailure(error, { ...signals, timeout: undefined }) };
  }

  const { status, parsed } = response;
  const durationMs = Math.round(performance.now() - started);
  if (info !== undefined) {
    fireHook(telemetry?.onResponse, telemetry, {
      ...info,
      status,
      durationMs,
      requestId: response.headers.get('x-request-id') ?? undefined,
    });
  }
  core.lastRequest = { method: call.method, path: call.path, status, durationMs };

  if (status >= 200 && status < 300) {
    try {
      return { ok: true, value: successValue(parsed, stripQuery(call.url), status, response.headers) };
    } catch (error) {
      return { ok: false, fatal: true, error: error as KnoxCallError };
    }
  }
  // Only non-2xx answers need the header record (it goes on the error).
  const responseHeaders = headersToRecord(response.headers);
  if (status === 401 && authenticator.isNonceChallenge(status, response.headers, credential)) {
    return { ok: false, error: errorFromResponse(status, responseHeaders, parsed.value), nonceChallenge: true };
  }
  if (status === 401) await authenticator.invalidate();
  if (status === 304 && call.allowNotModified) return { ok: true, value: NOT_MODIFIED };
  if (status >= 300 && status < 400) {
    const location = responseHeaders.location;
    return {
      ok: false,
      fatal: true,
      error: new KnoxCallError(
        `unexpected HTTP ${status} redirect from ${stripQuery(call.url)}${location ? ` to ${stripQuery(location)}` : ''}: ` +
          'redirects are not followed so credentials never reach another address; point baseUrl at the final URL',
        { status, code: 'unexpected_redirect', headers: responseHeaders, body: parsed.value },
      ),
    };
  }
  const hint = unexpectedBodyReason(parsed, stripQuery(call.url));
  return { ok: false, error: errorFromResponse(status, responseHeaders, parsed.value, hint) };
}

/**
 * The per-call headers before auth: caller's (view, then call), the SDK defaults where the
 * caller set none, and never the caller's authorization/dpop (the SDK credential wins).
 * Without per-call headers this is the same for every call of a client or view, so it is
 * built once and cached (read-only: buildHeaders copies it).
 */
function baseHeaders(core: ClientCore, viewHeaders: HeaderBag | undefined, callHeaders: HeadersLike): HeaderBag {
  if (callHeaders !== undefined) return withSdkDefaults(core, mergeHeaderBags(viewHeaders, toHeaderBag(callHeaders)));
  return baseHeaderCache.get(core.config, viewHeaders, buildBaseHeaders, core);
}

const baseHeaderCache = new ViewHeaderCache();
const buildBaseHeaders = (core: ClientCore, viewHeaders: HeaderBag | undefined): HeaderBag => withSdkDefaults(core, { ...viewHeaders });

function withSdkDefaults(core: ClientCore, headers: HeaderBag): HeaderBag {
  const { config } = core;
  if (headers.accept === undefined) headers.accept = 'application/json';
  if (headers['user-agent'] === undefined) headers['user-agent'] = config.userAgent;
  if (headers['knoxcall-version'] === undefined) headers['knoxcall-version'] = config.apiVersion;
  delete headers.authorization;
  delete headers.dpop;
  return headers;
}

function withAuthHeaders(call: Call, auth: Record<string, string>): HeaderBag {
  const { config } = call.core;
  const headers = copyHeaderBag(call.headers);
  for (const name of Object.keys(auth)) headers[name.toLowerCase()] = auth[name] as string;
  if (call.idempotencyKey !== undefined) headers['x-idempotency-key'] = call.idempotencyKey;
  if (call.body.defaultContentType !== undefined && headers['content-type'] === undefined) {
    headers['content-type'] = call.body.defaultContentType;
  }
  const last = call.core.lastRequest;
  if (config.telemetryHeader && last !== undefined) headers['x-knoxcall-telemetry'] = telemetryHeaderValue(last);
  return headers;
}
