import { APIConnectionTimeoutError } from '../errors.js';
import { AttemptDeadline } from '../transport/attempt-timeout.js';
import type { StreamingRequest, StreamingSender } from '../transport/direct-sender.js';
import { FOLLOWER, followSources, type SourceFollower } from '../transport/response-signal.js';
import { codingsToUndo, hasNullBody } from './content-codings.js';
import { type DecodeChain, decodeChain } from './decode-stream.js';
import { forEachRawHeader, type RawHeaderLines } from './raw-response-headers.js';
import { type DispatchHandler, dispatchAttempt, dispatcherUsable, dispatchFailure, fetchLikeHeaders } from './undici-dispatch.js';

/**
 * Data-plane attempts through undici's dispatcher: the Response handed to the caller is built
 * here, its body a ReadableStream fed by the dispatch, so no fetch Request, no fetch body
 * pipeline and — the point on Node 20, where every AbortSignal gets a hidden class of its own
 * and misses every inline cache — no AbortController or AbortSignal per attempt. The attempt
 * follows the caller's signal and close() through the same weak fan-out fetch attempts use
 * (response-signal.ts), and its timeout is a deadline on the shared timer; each aborts the
 * dispatch directly.
 */
export function streamingDispatchSender(): StreamingSender | undefined {
  return dispatcherUsable() ? sendStreaming : undefined;
}

function sendStreaming(request: StreamingRequest): Promise<Response> {
  const { caller, closed } = request;
  if (caller?.aborted) return Promise.reject(caller.reason);
  if (closed.aborted) return Promise.reject(closed.reason);
  return dispatchAttempt<Response>(request, fetchLikeHeaders, (resolve, reject) => new StreamingAttempt(request, resolve, reject));
}

/**
 * The Response of a dispatched attempt. fetch's Response reads its URL from its fetch state,
 * which only fetch can fill: the getter is shadowed so `url` is the request URL, as fetch's.
 * (`redirected` is false, as it is for fetch with redirects refused.) The constructor takes
 * only 200–599, where HTTP allows any three digits and fetch hands a 999 over as it came: such
 * a status is shown as received (never `ok`). Made on first use: reading the
 * global `Response` loads Node's undici bundle, which importing the SDK should not.
 */
type DispatchedResponseClass = new (body: ReadableStream<Uint8Array> | null, init: ResponseInit, url: string) => Response;
let dispatchedResponse: DispatchedResponseClass | undefined;

function dispatchedResponseClass(): DispatchedResponseClass {
  dispatchedResponse ??= class DispatchedResponse extends Response {
    readonly #url: string;

    constructor(body: ReadableStream<Uint8Array> | null, init: ResponseInit, url: string) {
      const status = init.status as number;
      super(body, status > 599 ? { ...init, status: 599 } : init);
      this.#url = url;
      // Own properties, on these rare responses only: overriding the getters would cost every
      // response a check.
      if (status > 599) showStatus(this, status);
    }

    override get url(): string {
      return this.#url;
    }

    override clone(): Response {
      const copy = super.clone();
      Object.defineProperty(copy, 'url', { value: this.#url });
      if (this.status > 599) showStatus(copy, this.status);
      return copy;
    }
  };
  return dispatchedResponse;
}

/** A status past 599 shown as received; never `ok`. */
function showStatus(response: Response, status: number): void {
  Object.defineProperties(response, { status: { value: status }, ok: { value: false } });
}

// A Response nobody reads: once it is garbage, its dispatch is stopped (as fetch does), so a
// paused socket is not left holding the attempt. A body whose reader was taken is being read.
const unread = new FinalizationRegistry<{ attempt: StreamingAttempt; body: ReadableStream<Uint8Array> }>(({ attempt, body }) => {
  if (!body.locked) attempt.cancel(new DOMException('Response object has been garbage collected', 'AbortError'));
});

// Where an attempt is (plain numbers: a small-integer field keeps the handler's shape fixed).
const Phase = {
  /** Waiting for the response headers: the attempt timer runs; failures reject the promise. */
  Headers: 0,
  /** The body streams to the caller: failures error the stream. */
  Body: 1,
  /** Settled: ended, failed, aborted or cancelled. Nothing else is reported. */
  Done: 2,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * One attempt: the dispatch handler (legacy protocol), the body stream's source, the target
 * the caller's signal and close() abort (FOLLOWER) and the attempt's deadline, in one object.
 * Failures read as fetch's (dispatchFailure): the promise rejects with a TypeError "fetch
 * failed", a body stream errors with a TypeError "terminated"; an abort rejects (or errors the
 * body) with the source's reason, a timeout rejects with APIConnectionTimeoutError.
 */
class StreamingAttempt extends AttemptDeadline implements DispatchHandler, SourceFollower, UnderlyingDefaultSource<Uint8Array> {
  [FOLLOWER]: StreamingAttempt | undefined;
  readonly #method: string;
  readonly #url: string;
  // Dropped once settled: they hold the promise, which holds the Response, and undici holds this
  // attempt while the body is in flight — a Response nobody reads could never be collected.
  #resolve: (response: Response) => void;
  #reject: (error: unknown) => void;
  #phase: Phase = Phase.Headers;
  /** Ends the dispatch (undici's); undefined before the connection and once it completed. */
  #abortDispatch: ((reason?: unknown) => void) | undefined;
  #resume: (() => void) | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #decode: DecodeChain | undefined;
  /** Why the attempt ended early, for a connection that comes after it did. */
  #abortReason: unknown;

  constructor(request: StreamingRequest, resolve: (response: Response) => void, reject: (error: unknown) => void) {
    super();
    this.#method = request.method;
    this.#url = request.url;
    this.#resolve = resolve;
    this.#reject = reject;
    this[FOLLOWER] = this;
    followSources(this, request.caller, request.closed);
    this.startTimer(request.timeoutMs);
  }

  /** The caller's signal or close() aborted (the fan-out's call): stop with its reason. */
  abort(reason: unknown): void {
    this.#fail(reason);
  }

  /** The attempt's timeout elapsed (only before the headers: the timer stops there). */
  expire(): void {
    this.#fail(new APIConnectionTimeoutError());
  }

  onConnect(abort: (reason?: unknown) => void): void {
    if (this.#phase === Phase.Done) abort(this.#abortReason);
    else this.#abortDispatch = abort;
  }

  onHeaders(status: number, lines: RawHeaderLines, resume: () => void, statusText: string): boolean {
    // 1xx interim answers (100 Continue, 103 Early Hints) are not the response.
    if (status < 200 || this.#phase !== Phase.Headers) return true;
    this.stopTimer();
    let response: Response;
    try {
      const headers = headersOf(lines);
      const nullBody = hasNullBody(this.#method, status);
      const codings = nullBody ? undefined : codingsToUndo(headers.get('content-encoding'), this.#method, status);
      const body = nullBody ? null : new ReadableStream<Uint8Array>(this);
      if (codings !== undefined) this.#decode = this.#startDecoding(codings);
      response = new (dispatchedResponseClass())(body, responseInit(status, statusText, headers), this.#url);
      if (body !== null) unread.register(response, { attempt: this, body });
    } catch (error) {
      this.#fail(dispatchFailure(error, false));
      return false;
    }
    this.#resume = resume;
    this.#phase = response.body === null ? Phase.Done : Phase.Body;
    // A response without a body follows nothing more (the dispatch still completes on its own).
    if (response.body === null) this[FOLLOWER] = undefined;
    const resolve = this.#resolve;
    this.#settled();
    resolve(response);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#phase !== Phase.Body) return true;
    // A resumed parser may hand over an empty chunk: as a chunk of its own it would fill the
    // queue, pause the socket again and be read as nothing, over and over.
    if (chunk.length === 0) return this.#wantsMore();
    const decode = this.#decode;
    if (decode !== undefined) return decode.input.write(chunk) && this.#wantsMore();
    // A copy, as fetch's: the chunk is a view of the socket's read buffer.
    (this.#controller as ReadableStreamDefaultController<Uint8Array>).enqueue(new Uint8Array(chunk));
    return this.#wantsMore();
  }

  onComplete(): void {
    this.#abortDispatch = undefined;
    if (this.#phase !== Phase.Body) return;
    if (this.#decode !== undefined) {
      // Ends once the decoder has handed on its last bytes ('end' below).
      this.#decode.input.end();
      return;
    }
    this.#phase = Phase.Done;
    this.#finish();
    (this.#controller as ReadableStreamDefaultController<Uint8Array>).close();
  }

  onError(error: unknown): void {
    this.#abortDispatch = undefined;
    this.#fail(dispatchFailure(error, this.#phase === Phase.Body));
  }

  // The body stream's source: `start` runs inside the ReadableStream constructor.
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
  }

  /** The reader wants more: let the socket (and the decoder) go on. */
  pull(): void {
    this.#decode?.output.resume();
    this.#resume?.();
  }

  /** The body was cancelled (by the caller, or unread and collected): stop the dispatch. */
  cancel(reason?: unknown): void {
    if (this.#phase === Phase.Done) return;
    this.#phase = Phase.Done;
    this.#abortReason = reason;
    this.#finish();
    this.#abortDispatch?.(reason);
  }

  #wantsMore(): boolean {
    return ((this.#controller as ReadableStreamDefaultController<Uint8Array>).desiredSize ?? 0) > 0;
  }

  #startDecoding(codings: Parameters<typeof decodeChain>[0]): DecodeChain {
    const chain = decodeChain(codings);
    chain.output.on('data', (decoded: Buffer) => {
      const controller = this.#controller as ReadableStreamDefaultController<Uint8Array>;
      if (this.#phase !== Phase.Body) return;
      controller.enqueue(new Uint8Array(decoded));
      // A small body can decode to a large one: the decoder waits for the reader too.
      if (!this.#wantsMore()) chain.output.pause();
    });
    chain.output.on('end', () => {
      if (this.#phase !== Phase.Body) return;
      this.#phase = Phase.Done;
      this.#finish();
      (this.#controller as ReadableStreamDefaultController<Uint8Array>).close();
    });
    // The socket waits while the decoder's input is full; it drains as the decoder works.
    chain.input.on('drain', () => {
      if (this.#wantsMore()) this.#resume?.();
    });
    for (const stage of chain.stages) stage.on('error', (error) => this.#fail(dispatchFailure(error, true)));
    return chain;
  }

  /** Ends the attempt with `error`: rejects, or errors the body, then stops the dispatch. */
  #fail(error: unknown): void {
    const phase = this.#phase;
    if (phase === Phase.Done) return;
    this.#phase = Phase.Done;
    this.#abortReason = error;
    this.#finish();
    if (phase === Phase.Headers) {
      const reject = this.#reject;
      this.#settled();
      reject(error);
    } else (this.#controller as ReadableStreamDefaultController<Uint8Array>).error(error);
    this.#abortDispatch?.(error);
  }

  #settled(): void {
    this.#resolve = noop;
    this.#reject = noop;
  }

  /** No more signals, timer or decoding for this attempt. */
  #finish(): void {
    this.stopTimer();
    this[FOLLOWER] = undefined;
    if (this.#decode !== undefined) for (const stage of this.#decode.stages) stage.destroy();
  }
}

function noop(): void {}

/** The response headers as fetch's: repeated names kept (get() joins them, getSetCookie() splits). */
function headersOf(lines: RawHeaderLines): Headers {
  const headers = new Headers();
  forEachRawHeader(lines, (name, value) => headers.append(name, value));
  return headers;
}

// A reason phrase fetch's Response constructor refuses (it accepts fewer bytes than HTTP/1.1
// allows) is dropped rather than failing the call.
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

function responseInit(status: number, statusText: string, headers: Headers): ResponseInit {
  return REASON_PHRASE.test(statusText) ? { status, statusText, headers } : { status, headers };
}
