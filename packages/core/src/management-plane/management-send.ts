import type { ClientCore } from '../config/shared-state.js';
import { APIConnectionTimeoutError, KnoxCallError } from '../errors.js';
import type { AbortSource } from '../transport/abort.js';
import { startAttemptSignal } from '../transport/transport-failure.js';
import { fetchOf } from '../config/shared-state.js';
import type { HeaderBag } from '../http/headers.js';
import { type DirectBody, mustUseFetch, type ResponseHeaderReader } from '../transport/direct-sender.js';
import type { EncodedBody } from '../transport/request-body.js';
import { type ParsedBody, parseResponseText, readResponseBody } from '../transport/response-body.js';

/** One management attempt's request, headers final (auth included). */
export interface ManagementSend {
  url: string;
  method: string;
  headers: HeaderBag;
  body: EncodedBody;
  /** What the attempt stops on besides its timeout: the call's signal (caller and close()). */
  parent: AbortSource;
  /** The attempt's timeout, until the whole answer is in. */
  timeoutMs: number;
}

/** The whole answer to one attempt: what the retry, error and DPoP rules read. */
export interface ManagementAnswer {
  status: number;
  headers: ResponseHeaderReader;
  parsed: ParsedBody;
}

/**
 * Sends one attempt and reads its answer in full. The platform's direct sender carries it
 * when it offers one (Node: the dispatcher under its fetch, cheaper) and nothing asks for
 * fetch: a `fetchImpl` option is honoured as given, and Blob/FormData/URLSearchParams/stream
 * bodies keep fetch's encoding. Either way the same request goes out (redirects not followed)
 * and the same answer comes back; every response's headers reach the authenticator (DPoP nonces).
 */
export async function sendManagementAttempt(core: ClientCore, send: ManagementSend): Promise<ManagementAnswer> {
  const { url, body } = send;
  const direct = mustUseFetch(core.config.fetchImpl, body.body) ? undefined : core.platform.directSender?.();
  if (direct !== undefined) {
    // No per-attempt AbortController: the direct sender follows the parent and times itself.
    const response = await direct({
      url,
      method: send.method,
      headers: send.headers,
      body: body.body as DirectBody,
      parent: send.parent,
      timeoutMs: send.timeoutMs,
    });
    core.authenticator.observeResponse(url, response.headers);
    return { status: response.status, headers: response.headers, parsed: parseResponseText(response.text, response.headers) };
  }
  const attempt = startAttemptSignal(send.timeoutMs, send.parent);
  try {
    const response = await fetchOf(core)(url, {
      method: send.method,
      headers: send.headers,
      body: body.body,
      redirect: 'manual',
      signal: attempt.signal,
      ...(body.replayable ? {} : { duplex: 'half' }),
    } as RequestInit);
    core.authenticator.observeResponse(url, response.headers);
    // The attempt timer keeps running while the body streams in: a server that stalls mid-body times out too.
    return { status: response.status, headers: response.headers, parsed: await readResponseBody(response) };
  } catch (error) {
    // Our timer ended it, not the caller nor close(): say so, as transportFailure would with
    // the timer's signal (a KnoxCallError, such as the timer's own reason, is passed on as is).
    if (attempt.timedOut() && !send.parent.aborted && !(error instanceof KnoxCallError)) {
      throw new APIConnectionTimeoutError('Request timed out', { cause: error });
    }
    throw error;
  } finally {
    attempt.clear();
  }
}
