/**
 * The seam between core's webhook processor and a framework: the table of actions an adapter
 * supplies, in its framework's terms. Core's processor owns the whole reply rule — which
 * status, when to close the connection, when to pass on, when to complete or release a
 * replay lease — and decides which action to call when; an adapter only says what its
 * framework calls each action.
 *
 * Every action takes the adapter's per-request `State` as its first argument (an Express
 * `{ req, res, next }`, a Fastify reply, a Nest execution context…), so the table is built
 * once per middleware / plugin / guard and a request allocates no closures for it.
 */
import type { ReceivedHeaders } from '../http/headers.js';
import type { KnoxWebhookEvent } from './verify-delivery.js';
import type { KnoxWebhookError, WebhookErrorBody } from './webhook-errors.js';

/** The 200 body of a delivery received (or, with `duplicate`, received before). */
export interface WebhookReceivedBody {
  received: true;
  duplicate?: true;
}

/** An answer core tells the adapter to give. */
export interface WebhookReply {
  readonly status: number;
  /** Sent as JSON. */
  readonly body: WebhookErrorBody | WebhookReceivedBody;
  /** Response headers besides the JSON Content-Type (`retry-after`, `connection: close`), if any. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /**
   * The rest of an oversize body may still be on the wire: the answer closes the connection
   * (see `headers`), and what still arrives must be discarded rather than read or left to
   * fill the socket — a Node adapter resumes the request stream.
   */
  readonly discardBody: boolean;
  /** The failure answered, for frameworks that hand failures to their own error handling; undefined for a 200. */
  readonly error: KnoxWebhookError | undefined;
}

/**
 * How the route a delivery was passed on to ended: the status it answered, `'threw'`, or
 * `'closed'` (the connection closed before it answered). Below 500 the delivery counts as
 * processed; anything else releases its replay lease so that the sender's retry runs.
 */
export type RouteEnd = number | 'threw' | 'closed';

/** Where an adapter reports how the route ended (once; later reports are ignored). */
export interface RouteWatch {
  ended(end: RouteEnd): Promise<void>;
}

export interface WebhookActions<State, Ctx, Args extends unknown[], Result> {
  /** The request's headers as the framework holds them: Node's `IncomingHttpHeaders` or a fetch `Headers`. */
  headers(state: State): ReceivedHeaders;
  /**
   * The exact bytes received, enforcing `maxBodyBytes` (see `readBodyWithLimit`,
   * `readUnconsumedBody`, `keptBodyWithin`), or a throw (`payload_too_large`, `raw_body_unavailable`).
   */
  readBody(state: State, maxBodyBytes: number): Uint8Array | Promise<Uint8Array>;
  /** What a `secret` function receives (Express: `req`; Hono: `c`). */
  secretContext(state: State): Ctx;
  /** Calls an `on` handler with the event, or `onError` with the error, plus the framework's arguments. */
  callHandler<First>(state: State, handler: (first: First, ...args: Args) => unknown, first: First): unknown;
  /** Puts the verified event (already branded by core) on the request, before the handlers and the route run. */
  attachEvent(state: State, event: KnoxWebhookEvent): void;
  /**
   * Whether the request is answered already, after a handler or `onError` returned `returned`
   * — a response already sent, or (Hono) a returned `Response` the adapter keeps.
   */
  answeredBy(state: State, returned: unknown): boolean;
  /** Answers `reply` the framework's way (send it, return it, or throw it to the error handling). */
  answer(state: State, reply: WebhookReply): Result | Promise<Result>;
  /**
   * Hands the request on to the route (Express `next()`, the Fastify route `handler`, a Nest
   * controller method) and reports through `route` how it ended — when the response is over,
   * for frameworks that only tell then. A throw is reported by core itself.
   */
  passOn(state: State, route: RouteWatch): Result | Promise<Result>;
}
