/**
 * The seam through which a platform may carry an attempt without `fetch`. A management call
 * reads its whole answer as text and never hands a `Response` to the caller, so a runtime with
 * a cheaper HTTP client (Node: the dispatcher its own fetch is built on) can skip fetch's
 * WHATWG Request/Response machinery (`DirectSender`); a data-plane call hands its Response on,
 * which such a client can build itself (`StreamingSender`). The platform decides per attempt
 * (see `Platform.directSender`, `Platform.streamingSender`); fetch remains the transport
 * everywhere else.
 *
 * Edge-safe: types and one body check, no node: imports.
 */

/** The response headers a management attempt reads (a WHATWG `Headers` is one). Names are case-insensitive. */
export interface ResponseHeaderReader {
  /** The value, several values of one name joined with ", ", or null when absent. */
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** A body a direct sender can send as it is: bytes or text, replayable, no streaming. */
export type DirectBody = string | ArrayBuffer | ArrayBufferView | undefined;

export interface DirectRequest {
  url: string;
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  body: DirectBody;
  /** The caller's signal and close(): its abort abandons the attempt, the promise rejecting with its reason. */
  parent: import('./abort.js').AbortSource;
  /** The attempt's timeout, until the whole answer is in; the promise then rejects with APIConnectionTimeoutError. */
  timeoutMs: number;
}

/** A whole answer: status, headers and the body decoded to text the way `Response.text()` would. */
export interface DirectResponse {
  status: number;
  headers: ResponseHeaderReader;
  text: string;
}

export type DirectSender = (request: DirectRequest) => Promise<DirectResponse>;

/**
 * One data-plane attempt for a platform's streaming sender: its Response (body unread) is
 * handed to the caller, so the attempt follows `caller` and `closed` until that body ends.
 */
export interface StreamingRequest {
  url: string;
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  body: DirectBody;
  /** The attempt's timeout until the response headers are in; the promise then rejects with APIConnectionTimeoutError. */
  timeoutMs: number;
  /** Aborting either rejects with its reason before the headers, and errors the body with it after. */
  caller: AbortSignal | undefined;
  closed: import('./abort.js').AbortSource;
}

/** Sends one data-plane attempt; failures read as fetch's (TypeError "fetch failed" with the cause). */
export type StreamingSender = (request: StreamingRequest) => Promise<Response>;

/**
 * True when fetch must carry the request whatever the platform offers: a `fetchImpl` option is
 * the caller's transport, used as given, and some bodies need fetch's own encoding (needsFetch).
 */
export function mustUseFetch(fetchImpl: unknown, body: unknown): boolean {
  return fetchImpl !== undefined || needsFetch(body);
}

/**
 * True when `body` needs fetch: Blob, FormData and URLSearchParams bodies carry their own
 * encoding rules (multipart boundaries, default content types) and a stream is sent once.
 */
export function needsFetch(body: unknown): boolean {
  return !(body === undefined || typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body));
}
