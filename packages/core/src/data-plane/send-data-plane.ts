import type { Credential } from '../auth/authenticator.js';
import { type ClientCore, fetchOf } from '../config/shared-state.js';
import { type AbortSource, abortableSleep, callScopedSignal, raceAbort } from '../transport/abort.js';
import { type HeaderBag, copyHeaderBag } from '../http/headers.js';
import { noRuntimeReplayInit } from '../transport/no-reuse-client.js';
import { startResponseAttemptSignal } from '../transport/response-signal.js';
import { type DirectBody, mustUseFetch, type StreamingSender } from '../transport/direct-sender.js';
import { stripQuery } from '../transport/query.js';
import type { EncodedBody } from '../transport/request-body.js';
import { backoffDelayMs } from '../transport/retry-policy.js';
import { fireHook, type TelemetryRequestInfo } from '../transport/telemetry.js';
import { abortError, clientClosedError, isClientClosedError, isConnectStageFailure, transportFailure } from '../transport/transport-failure.js';
import { APIUserAbortError } from '../errors.js';
import { isGatewayOriginated } from './route-refusal.js';

export interface DataPlaneRequest {
  core: ClientCore;
  method: string;
  /** Full URL, query included. */
  url: string;
  /** Route slug/id for telemetry; undefined for ephemeral(). */
  route: string | undefined;
  /** Final non-auth headers (hygiene already applied). */
  headers: HeaderBag;
  body: EncodedBody;
  timeoutMs: number;
  caller: AbortSignal | undefined;
  /** call()/route() send legacy keys as x-knoxcall-key; ephemeral() always uses Authorization. */
  legacyKeyHeader: boolean;
}

const SAFE_TO_REPLAY = new Set(['GET', 'HEAD']);

/**
 * The data-plane send loop (contract transport §8.5). Returns the raw Response for any
 * status. Transport failures are retried only when the request cannot have reached the
 * server (connect stage) or is GET/HEAD; a gateway-originated 401 purges the token and
 * re-sends once (costing no attempt); a DPoP nonce challenge re-sends once with a fresh proof.
 */
export function sendDataPlane(request: DataPlaneRequest): Promise<Response> {
  const closed = request.core.lifetime;
  if (closed.aborted) return Promise.reject(clientClosedError());
  const { caller } = request;
  if (caller?.aborted) return Promise.reject(abortError({ caller, closed }));
  // The loop's own promise is returned as is: an async wrapper returning it would add two
  // microtask turns to every call.
  return sendLoop(request);
}

/**
 * What the waits before a fetch (a token, a backoff) stop on: the caller's signal and
 * close(). Made on the first wait, as a warm call never waits: building it up front cost
 * every call with a caller signal an AbortController and two subscriptions (5 µs for the
 * AbortSignal alone on Node 20). The fetch and the returned body have their own signal
 * (see response-signal.ts).
 */
class PreFetchWaits {
  readonly #caller: AbortSignal | undefined;
  readonly #closed: AbortSource;
  #scoped: { signal: AbortSource; release(): void } | undefined;

  constructor(caller: AbortSignal | undefined, closed: AbortSource) {
    this.#caller = caller;
    this.#closed = closed;
  }

  get aborted(): boolean {
    return this.#closed.aborted || this.#caller?.aborted === true;
  }

  /** The signal to wait on: close()'s own when there is no caller signal. */
  signal(): AbortSource {
    if (this.#caller === undefined) return this.#closed;
    this.#scoped ??= callScopedSignal(this.#caller, this.#closed);
    return this.#scoped.signal;
  }

  release(): void {
    this.#scoped?.release();
  }
}

async function sendLoop(request: DataPlaneRequest): Promise<Response> {
  const { core, method, url, body, caller } = request;
  const { authenticator, config } = core;
  const closed = core.lifetime;
  const signals = { caller, closed };
  const telemetry = config.telemetry;
  // Built only for telemetry hooks: most clients have none.
  const telemetryUrl = telemetry === undefined ? undefined : stripQuery(url);
  let reminted = false;
  let nonceRetried = false;

  const waits = new PreFetchWaits(caller, closed);
  try {
    for (let attempt = 1; ; ) {
      let credential: Credential;
      let headers: HeaderBag;
      try {
        // Warm path: a fresh in-memory credential needs no store read, no timer and no await.
        // An aborted signal takes the awaited path, which turns it into the abort error.
        const peeked = waits.aborted ? undefined : authenticator.peekCredential?.();
        // The race below is what honours the signals; handing them to the authenticator too would
        // add one more abort listener per waiting call (see subscribeAbort).
        credential = peeked ?? (await raceAbort(authenticator.getCredential(undefined, request.timeoutMs), waits.signal(), () => abortError(signals)));
        headers = copyHeaderBag(request.headers);
        if (request.legacyKeyHeader && credential.isLegacyKey) {
          // The proxy's OAuth detection only recognises kc_ tokens (contract transport §8.4).
          headers['x-knoxcall-key'] = credential.accessToken.expose();
        } else {
          const auth = authenticator.unsignedAuthorizationHeaders?.(credential) ?? (await authenticator.authorizationHeaders(method, url, credential));
          for (const name of Object.keys(auth)) headers[name.toLowerCase()] = auth[name] as string;
        }
      } catch (error) {
        // Token errors are already typed; they are not retried by this loop (contract transport §8.5).
        throw transportFailure(error, { ...signals, timeout: undefined });
      }

      const info: TelemetryRequestInfo | undefined =
        telemetry === undefined
          ? undefined
          : { plane: 'data', method, url: telemetryUrl as string, attempt, tenantId: core.state.tenant, route: request.route };
      // On Node the dispatcher carries the attempt when nothing asks for fetch (streaming-dispatch.ts):
      // no per-attempt signal there. Otherwise fetch, with one controller per attempt (response-signal.ts).
      const streaming = mustUseFetch(config.fetchImpl, body.body) ? undefined : core.platform.streamingSender?.();
      const attemptSignal = streaming === undefined ? startResponseAttemptSignal(request.timeoutMs, caller, closed) : undefined;
      if (info !== undefined) fireHook(telemetry?.onRequest, telemetry, info);
      const started = info === undefined ? 0 : performance.now();
      let response: Response;
      try {
        response = await (attemptSignal === undefined
          ? (streaming as StreamingSender)({ url, method, headers, body: body.body as DirectBody, timeoutMs: request.timeoutMs, caller, closed })
          : fetchOf(core)(url, fetchInit(method, headers, body, attemptSignal.signal, config.fetchImpl === undefined)));
      } catch (error) {
        attemptSignal?.release();
        // A timed-out dispatch rejects with the timeout error itself (a KnoxCallError, passed on as is).
        const failure = transportFailure(error, { ...signals, timeout: attemptSignal?.timedOut() ? attemptSignal.signal : undefined });
        if (failure instanceof APIUserAbortError || isClientClosedError(failure)) throw failure;
        const replayable = body.replayable && (isConnectStageFailure(failure) || SAFE_TO_REPLAY.has(method));
        if (!replayable || attempt >= config.retry.maxAttempts) throw failure;
        const delayMs = backoffDelayMs(attempt, config.retry, core.random);
        if (info !== undefined) fireHook(telemetry?.onRetry, telemetry, { ...info, delayMs, reason: failure.message });
        await abortableSleep(delayMs, waits.signal(), () => abortError(signals));
        attempt += 1;
        continue;
      } finally {
        // Once headers are in, the caller owns the body; only their signal (and close()) still applies.
        attemptSignal?.stopTimer();
      }

      authenticator.observeResponse(url, response.headers);
      if (info !== undefined) {
        fireHook(telemetry?.onResponse, telemetry, {
          ...info,
          status: response.status,
          durationMs: Math.round(performance.now() - started),
          requestId: response.headers.get('x-request-id') ?? undefined,
        });
      }

      if (response.status === 401 && body.replayable && isGatewayOriginated(response.headers)) {
        if (!nonceRetried && authenticator.isNonceChallenge(401, response.headers, credential)) {
          nonceRetried = true;
          attemptSignal?.release();
          await discard(response);
          continue;
        }
        if (!reminted) {
          reminted = true;
          attemptSignal?.release();
          await discard(response);
          await authenticator.invalidate();
          continue;
        }
      }
      return response;
    }
  } finally {
    waits.release();
  }
}

/** fetch's init for one attempt: only what the request has, as fetch converts and checks every member it is given. */
function fetchInit(method: string, headers: HeaderBag, body: EncodedBody, signal: AbortSignal, runtimeFetch: boolean): RequestInit {
  const init: RequestInit & { duplex?: 'half'; client?: unknown } = { method, headers, redirect: 'manual', signal };
  if (body.body !== undefined) init.body = body.body;
  if (!body.replayable) init.duplex = 'half';
  // Only with the runtime's own fetch: a fetchImpl is the caller's to configure.
  if (runtimeFetch && !SAFE_TO_REPLAY.has(method)) {
    const noReplay = noRuntimeReplayInit();
    if (noReplay !== undefined) init.client = noReplay.client;
  }
  return init;
}

/** Releases a response we will not hand out, so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // nothing to release
  }
}
