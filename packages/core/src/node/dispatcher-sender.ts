import { APIConnectionTimeoutError } from '../errors.js';
import { subscribeAbort } from '../transport/abort.js';
import { AttemptDeadline } from '../transport/attempt-timeout.js';
import type { DirectRequest, DirectResponse, DirectSender } from '../transport/direct-sender.js';
import { decodeContent } from './decode-content.js';
import { type RawHeaderLines, RawResponseHeaders } from './raw-response-headers.js';
import { type DispatchHandler, dispatchAttempt, dispatcherUsable, dispatchFailure, dispatchHeaders } from './undici-dispatch.js';

/**
 * Management attempts through undici's dispatcher: the HTTP client under Node's own fetch,
 * without fetch's WHATWG Request/Response/Headers objects and body streams. A management
 * call reads its whole answer as text, so nothing of those is needed. Which dispatcher, when
 * it may be used, targets and failure shapes: undici-dispatch.ts (shared with the data plane).
 */
export function dispatcherSender(): DirectSender | undefined {
  return dispatcherUsable() ? sendThroughDispatcher : undefined;
}

function sendThroughDispatcher(request: DirectRequest): Promise<DirectResponse> {
  const { parent } = request;
  if (parent.aborted) return Promise.reject(parent.reason);
  return dispatchAttempt<DirectResponse>(request, dispatchHeaders, (resolve, reject) => new CollectingHandler(request, resolve, reject));
}

const utf8 = new TextDecoder();

/**
 * Collects one response whole. Failures read as fetch's do (dispatchFailure); an abort of the
 * parent (caller, close()) rejects with its reason, the attempt timeout (which runs until the
 * whole answer is in, as fetch's signal does for a management call) with
 * APIConnectionTimeoutError, and either stops the request, mid-body included. No AbortController
 * per attempt: the handler follows the parent and keeps the deadline itself.
 */
class CollectingHandler extends AttemptDeadline implements DispatchHandler {
  readonly #method: string;
  readonly #resolve: (response: DirectResponse) => void;
  readonly #reject: (error: unknown) => void;
  readonly #unsubscribe: () => void;
  #abort: ((reason?: unknown) => void) | undefined;
  #abortReason: unknown;
  #settled = false;
  #status = 0;
  #lines: RawHeaderLines | undefined;
  readonly #chunks: Buffer[] = [];
  #length = 0;

  constructor(request: DirectRequest, resolve: (response: DirectResponse) => void, reject: (error: unknown) => void) {
    super();
    this.#method = request.method;
    this.#resolve = resolve;
    this.#reject = reject;
    const { parent } = request;
    this.#unsubscribe = subscribeAbort(parent, () => this.#stop(parent.reason));
    this.startTimer(request.timeoutMs);
  }

  /** The attempt's timeout elapsed. */
  expire(): void {
    this.#stop(new APIConnectionTimeoutError());
  }

  /** Reject now with `reason`, and stop the request if it has started. */
  #stop(reason: unknown): void {
    if (this.#settled) return;
    this.#abortReason = reason;
    this.#settle();
    this.#reject(reason);
    this.#abort?.(reason);
  }

  onConnect(abort: (reason?: unknown) => void): void {
    if (this.#settled) abort(this.#abortReason);
    else this.#abort = abort;
  }

  onHeaders(status: number, lines: RawHeaderLines): boolean {
    // 1xx interim answers (100 Continue, 103 Early Hints) are not the response.
    if (status < 200) return true;
    this.#status = status;
    this.#lines = lines;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settle();
    let response: DirectResponse;
    try {
      const headers = new RawResponseHeaders(this.#lines ?? []);
      const chunks = this.#chunks;
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#length);
      const body = decodeContent(raw, headers.get('content-encoding'), this.#method, this.#status);
      response = { status: this.#status, headers, text: utf8.decode(body) };
    } catch (error) {
      this.#reject(dispatchFailure(error, true));
      return;
    }
    this.#resolve(response);
  }

  onError(error: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#reject(dispatchFailure(error, this.#lines !== undefined));
  }

  #settle(): void {
    this.#settled = true;
    this.stopTimer();
    this.#unsubscribe();
  }
}
