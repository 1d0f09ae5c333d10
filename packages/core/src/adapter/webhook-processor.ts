import { WebhookSignatureVerificationError } from '../errors.js';
import { stampAttached } from './brand.js';
import type { WebhookActions, WebhookReply } from './webhook-actions.js';
import type { VerifiedDelivery } from './verify-delivery.js';
import { isAcceptedWebhookContentType } from './content-type.js';
import { readWebhookHeader, readWebhookHeaderFirstValue, receivedHeaders } from '../http/headers.js';
import { assertContentLengthWithin } from './read-body.js';
import {
  type KnoxWebhookError,
  WebhookHandlerError,
  asWebhookError,
  unsupportedContentEncodingError,
  unsupportedMediaTypeError,
  webhookErrorResponse,
} from './webhook-errors.js';
import { type KnoxEventHandlers, handlerFor } from './webhook-handlers.js';
import { type ReplayStore, type WebhookHmacFormat, resolveSecrets, verifyDelivery } from './verify-delivery.js';
import { resolveWebhookOptions } from './webhook-options.js';
import { beginReplay } from './webhook-replay.js';
import { runSteps } from './run-steps.js';

/** One secret, several during a rotation, or a function of the request (sync or async) for per-request secrets. */
export type KnoxWebhookSecret<Ctx> = string | readonly string[] | ((ctx: Ctx) => string | readonly string[] | Promise<string | readonly string[]>);

/**
 * The webhook options every adapter accepts (ARCHITECTURE, "The adapter contract").
 * `Ctx` is what a secret function receives (Express: `req`; Hono: `c`); `Args` are what
 * `on` handlers and `onError` receive after the event or error (Express: `req, res`).
 */
export interface KnoxWebhookCoreOptions<Ctx, Args extends unknown[]> {
  secret: KnoxWebhookSecret<Ctx>;
  /** Signature format of the webhook (`hmac_format`); default `legacy`. */
  format?: WebhookHmacFormat;
  /** Signature header for `format: 'custom'` (the webhook's `hmac_header_name`). */
  headerName?: string;
  /** Replay window in seconds (default 300; `null` or 0 turns timestamp checks off). */
  toleranceSeconds?: number | null;
  /** Typed per-event handlers; when given, the adapter answers 200 `{ received: true }` itself. */
  on?: KnoxEventHandlers<Args>;
  /**
   * Rejects a delivery already processed: an in-progress lease is taken before the handlers
   * run, turned into a done marker when they succeed and released when they fail. A retry
   * meeting a lease is answered 409 `delivery_in_progress` with `Retry-After`; one meeting a
   * done marker 200 `{ received: true, duplicate: true }`.
   */
  replayStore?: ReplayStore;
  /**
   * How long an in-progress lease lasts (default 60 s): a process that dies mid-handler
   * blocks the delivery's retries for at most this long. Keep it above your slowest handler.
   */
  replayLeaseSeconds?: number;
  /**
   * Deadline of each replay-store operation in ms (default 2000). A store that fails or does
   * not answer in time gets the delivery answered 503 `replay_store_unavailable` with
   * `Retry-After`, so the sender retries.
   */
  replayStoreTimeoutMs?: number;
  /** Largest accepted body in bytes (default 1 MiB); larger deliveries get 413. */
  maxBodyBytes?: number;
  /**
   * Called with every failure before the adapter answers. Answer the request yourself to
   * replace the default JSON error; otherwise the default answer follows.
   */
  onError?: (error: KnoxWebhookError, ...args: Args) => unknown;
  /** The clock in epoch milliseconds (tests); default `Date.now`. */
  now?: () => number;
}

export type { WebhookReceivedBody } from './webhook-actions.js';

export interface WebhookProcessorSetup {
  /** Names the adapter's function in setup errors (default `knoxWebhook`). */
  where?: string;
  /**
   * Where a failure of a `secret` function is logged when no `onError` handles it (default
   * `console.error`): the sender only sees a 500, so the app's operator must see the cause.
   */
  log?: (message: string, error: unknown) => void;
  /**
   * The route runs after the `on` handlers too (Fastify's `handler` option). By default a
   * delivery is passed on to the route only when no `on` handlers were given; with them, the
   * processor answers 200 `{ received: true }` itself.
   */
  routeAfterHandlers?: boolean;
}

export interface WebhookProcessor<State, Result> {
  /**
   * Runs one delivery through the whole rule, calling the adapter's actions. Gives what
   * `answer` or `passOn` returned, or undefined when a handler or `onError` answered itself —
   * at once when every step answered at once (a body already read, a static secret,
   * node:crypto, no replay store, synchronous handlers), else a promise of it. Throws (or
   * rejects) only with what `answer` or the route (`passOn`) threw.
   */
  handle(state: State): Result | undefined | Promise<Result | undefined>;
  /**
   * Answers a failure the framework found before `handle` could run (Fastify rejecting a
   * body itself): `onError` gets the chance to answer first, then the default answer.
   */
  answerFailure(state: State, error: KnoxWebhookError): Result | undefined | Promise<Result | undefined>;
  readonly maxBodyBytes: number;
}

const logToConsole = (message: string, error: unknown): void => console.error(message, error);

/** The answers that never change, built once (adapters only read them). */
export const RECEIVED: WebhookReply = { status: 200, body: { received: true }, headers: undefined, discardBody: false, error: undefined };
export const DUPLICATE: WebhookReply = { ...RECEIVED, body: { received: true, duplicate: true } };

/**
 * The whole webhook protocol for adapters, framework-neutral: content type and encoding, size
 * limit, secret resolution, verification over the exact bytes, the replay lease, typed
 * handlers, and the reply rule — carried out through the adapter's `actions`. Static options
 * are resolved once here (webhook-options.ts), so a misconfigured app fails at boot.
 */
export function createWebhookProcessor<State, Ctx, Args extends unknown[], Result>(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  actions: WebhookActions<State, Ctx, Args, Result>,
  { where = 'knoxWebhook', log = logToConsole, routeAfterHandlers }: WebhookProcessorSetup = {},
): WebhookProcessor<State, Result> {
  const resolved = resolveWebhookOptions(options, where);
  const { maxBodyBytes, verifyOptions } = resolved;
  // Without a replay store nothing reads the replay key: the verifier skips the HMAC it is made of.
  const withReplayKey = resolved.replayStore !== undefined;
  // A static secret is checked once here (resolveWebhookOptions refused a bad one); a secret
  // function's answer is checked per delivery, by the same rule.
  const staticSecrets = typeof options.secret === 'function' ? undefined : resolveSecrets(options.secret);
  const { on, onError } = options;
  const hasHandlers = on !== undefined && Object.keys(on).length > 0;
  type Steps = Generator<unknown, Result | undefined, unknown>;

  // Each step below is written as `yield value` where an async function would `await value`:
  // runSteps continues at once with a value that is already there (see run-steps.ts).
  function* failureSteps(state: State, error: KnoxWebhookError): Steps {
    if (onError !== undefined) {
      // The hook's own failure must not turn a 401 into a crash; the default answer follows.
      let returned: unknown;
      try {
        returned = yield actions.callHandler(state, onError, error);
      } catch {}
      if (actions.answeredBy(state, returned)) return undefined;
    }
    // A promise `answer` gives is the caller's to wait for, as an async function's return.
    return actions.answer(state, webhookErrorResponse(error)) as Result;
  }

  function* deliverySteps(state: State): Steps {
    const headers = receivedHeaders(actions.headers(state));
    const contentType = readWebhookHeaderFirstValue(headers, 'content-type'); // null: present, but not ASCII text
    if (contentType === null || !isAcceptedWebhookContentType(contentType)) {
      return yield* failureSteps(state, unsupportedMediaTypeError(contentType ?? '?'));
    }
    const encoding = readWebhookHeader(headers, 'content-encoding');
    // Every coding listed (a repeated header is joined with ", ") must be identity: the
    // signature covers the bytes as sent, which another coding leaves compressed.
    if (encoding !== undefined && (encoding === null || !/^[\s,]*(?:identity(?:[\s,]+|$))*$/i.test(encoding))) {
      return yield* failureSteps(state, unsupportedContentEncodingError(encoding ?? '?'));
    }

    let body: Uint8Array;
    let secret: unknown;
    try {
      assertContentLengthWithin(readWebhookHeader(headers, 'content-length') ?? undefined, maxBodyBytes);
      body = (yield actions.readBody(state, maxBodyBytes)) as Uint8Array;
    } catch (error) {
      // A webhook error from reading (413, raw_body_unavailable) stays as it is; anything else
      // means the sender's stream broke off (aborted, reset): a 400, never a 500.
      return yield* failureSteps(state, asWebhookError(error, 'the webhook body could not be read completely', 'invalid_payload'));
    }
    try {
      secret = typeof options.secret === 'function' ? yield options.secret(actions.secretContext(state)) : undefined;
    } catch (cause) {
      const message = 'the `secret` function threw (see the error cause)';
      // The sender sees only a 500: unless onError takes it, the operator sees the cause here.
      if (onError === undefined) log(`${where}: ${message}`, cause);
      return yield* failureSteps(state, new WebhookSignatureVerificationError(message, 'invalid_configuration', cause));
    }

    let verified: VerifiedDelivery;
    try {
      // The options resolved at setup and the headers as wrapped above: nothing checked or converted twice.
      verified = (yield verifyDelivery(body, headers, staticSecrets ?? resolveSecrets(secret), verifyOptions, withReplayKey)) as VerifiedDelivery;
    } catch (error) {
      return yield* failureSteps(state, asWebhookError(error));
    }
    // Branded here for every adapter, so accessors can tell it from a `knoxEvent` set by anything else.
    const event = stampAttached(verified.event);
    actions.attachEvent(state, event);

    const attempt = (yield beginReplay(resolved, verified.replayKey, verified.replayTtlSeconds)) as Awaited<ReturnType<typeof beginReplay>>;
    if (attempt === 'done') return actions.answer(state, DUPLICATE) as Result;
    if (!('finish' in attempt)) return yield* failureSteps(state, attempt);

    if (hasHandlers) {
      // The event's own handler, then `'*'`, each awaited; answered: the last of them answered
      // the request itself. Written out here, not as a generator of its own: `yield*` would
      // make a second generator per delivery and pass every step through both.
      let answered = false;
      try {
        const own = event.event === '*' ? undefined : handlerFor(on as KnoxEventHandlers<Args>, event.event);
        if (own !== undefined) answered = actions.answeredBy(state, yield actions.callHandler(state, own, event));
        const every = handlerFor(on as KnoxEventHandlers<Args>, '*');
        if (every !== undefined) answered = actions.answeredBy(state, yield actions.callHandler(state, every, event));
      } catch (cause) {
        yield attempt.finish(false);
        return yield* failureSteps(state, new WebhookHandlerError(cause, event.event));
      }
      if (!routeAfterHandlers) {
        yield attempt.finish(true);
        return answered ? undefined : (actions.answer(state, RECEIVED) as Result);
      }
    }
    try {
      return (yield actions.passOn(state, attempt)) as Result;
    } catch (error) {
      yield attempt.ended('threw');
      throw error;
    }
  }

  return {
    handle: (state) => runSteps(deliverySteps(state)),
    answerFailure: (state, error) => runSteps(failureSteps(state, error)),
    maxBodyBytes,
  };
}
