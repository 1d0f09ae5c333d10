import { WebhookSignatureVerificationError } from '../errors.js';
import type { KnoxWebhookEvent } from './verify-delivery.js';
import { isAcceptedWebhookContentType } from './content-type.js';
import { type ReceivedHeaders, readWebhookHeader, readWebhookHeaderFirstValue, receivedHeaders } from '../http/headers.js';
import { assertContentLengthWithin } from './read-body.js';
import {
  type KnoxWebhookError,
  type WebhookErrorBody,
  WebhookHandlerError,
  asWebhookError,
  unsupportedContentEncodingError,
  unsupportedMediaTypeError,
  webhookErrorResponse,
} from './webhook-errors.js';
import { type KnoxEventHandlers, handlersFor } from './webhook-handlers.js';
import { type ReplayStore, type WebhookHmacFormat, verifyDelivery, verifyDeliveryWithoutReplayKey } from './verify-delivery.js';
import { resolveWebhookOptions } from './webhook-options.js';
import { beginReplay } from './webhook-replay.js';

/** One secret, several during a rotation, or a function of the request (sync or async) for per-request secrets. */
export type KnoxWebhookSecret<Ctx> =
  | string
  | readonly string[]
  | ((ctx: Ctx) => string | readonly string[] | Promise<string | readonly string[]>);

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

/** What an adapter hands the processor for one delivery. */
export interface WebhookDelivery<Ctx, Args extends unknown[]> {
  /** Passed to a secret function. */
  ctx: Ctx;
  /** A fetch `Headers`, or Node's `IncomingHttpHeaders` (lower-case names, as Node gives them). */
  headers: ReceivedHeaders;
  /**
   * Produces the exact received bytes, enforcing `maxBodyBytes` (see `readBodyWithLimit`),
   * or throws (`payload_too_large`, `raw_body_unavailable`).
   */
  readBody: (maxBodyBytes: number) => Uint8Array | Promise<Uint8Array>;
  /** What `on` handlers and `onError` receive after the event or error. */
  args: Args;
  /** True once a handler (or `onError`) answered the request itself. */
  isAnswered: () => boolean;
  /**
   * Receives what each `on` handler and `onError` returned, for frameworks whose handlers
   * answer by returning (a Hono `Response`): keep it, and report it from `isAnswered`.
   */
  answerWith?: (result: unknown) => void;
  /**
   * Called with the verified event before the replay claim and the handlers, so the
   * framework's request carries it (e.g. `req.knoxEvent`) while they run.
   */
  attach?: (event: KnoxWebhookEvent) => void;
}

/**
 * What the adapter does next:
 * - `respond`: answer `status` with the JSON `body` and the extra `headers` (`Retry-After`)
 *   (`error` is there for logging);
 * - `answered`: a handler or `onError` already answered through the framework — do nothing more;
 * - `next`: no `on` handlers were given — attach `event`, pass the request on, and once the
 *   route's own handler finished call `finishReplay(succeeded)` (succeeded: it answered below
 *   500 without throwing), which records the delivery as processed or releases its lease.
 */
export type WebhookOutcome =
  | {
      kind: 'respond';
      status: number;
      body: WebhookErrorBody | WebhookReceivedBody;
      headers?: Record<string, string>;
      event?: KnoxWebhookEvent;
      error?: KnoxWebhookError;
    }
  | { kind: 'answered'; event?: KnoxWebhookEvent; error?: KnoxWebhookError }
  | {
      kind: 'next';
      event: KnoxWebhookEvent;
      finishReplay: (succeeded: boolean) => Promise<void>;
      /** `finishReplay(false)`, kept for adapters written before `finishReplay`. */
      releaseReplay: () => Promise<void>;
    };

export interface WebhookReceivedBody {
  received: true;
  duplicate?: true;
}

/** The verifier the processor calls; Node-only adapters may pass core's synchronous `verifyWebhookSync`. */
export type DeliveryVerifier = (
  body: Uint8Array,
  headers: ReceivedHeaders,
  secret: string | readonly string[],
  options: { format?: WebhookHmacFormat; headerName?: string; toleranceSeconds?: number | null; now?: () => number },
) => { event: KnoxWebhookEvent; replayKey: string; replayTtlSeconds: number } | Promise<{ event: KnoxWebhookEvent; replayKey: string; replayTtlSeconds: number }>;

export interface WebhookProcessorSetup {
  /** Names the adapter's function in setup errors (default `knoxWebhook`). */
  where?: string;
  /** Defaults to core's Web Crypto `verifyWebhook`; both verifiers give identical results. */
  verify?: DeliveryVerifier;
  /**
   * Where a failure of a `secret` function is logged when no `onError` handles it (default
   * `console.error`): the sender only sees a 500, so the app's operator must see the cause.
   */
  log?: (message: string, error: unknown) => void;
}

export interface WebhookProcessor<Ctx, Args extends unknown[]> {
  process(delivery: WebhookDelivery<Ctx, Args>): Promise<WebhookOutcome>;
  readonly maxBodyBytes: number;
}

const logToConsole = (message: string, error: unknown): void => console.error(message, error);

/**
 * The whole webhook protocol for adapters, framework-neutral: content type and encoding, size
 * limit, secret resolution, verification over the exact bytes, the replay lease, typed
 * handlers, and the reply rule. Static options are resolved once here (webhook-options.ts),
 * so a misconfigured app fails at boot.
 */
export function createWebhookProcessor<Ctx, Args extends unknown[]>(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  { where = 'knoxWebhook', verify: givenVerify, log = logToConsole }: WebhookProcessorSetup = {},
): WebhookProcessor<Ctx, Args> {
  const resolved = resolveWebhookOptions(options, where);
  // Without a replay store nothing reads the replay key: skip the HMAC it is made of.
  const verify = givenVerify ?? (resolved.replayStore === undefined ? verifyDeliveryWithoutReplayKey : verifyDelivery);
  const { maxBodyBytes, verifyOptions } = resolved;
  const on = options.on;
  const hasHandlers = on !== undefined && Object.keys(on).length > 0;

  async function fail<A extends unknown[]>(
    error: KnoxWebhookError,
    delivery: WebhookDelivery<Ctx, A>,
    event?: KnoxWebhookEvent,
  ): Promise<WebhookOutcome> {
    if (options.onError !== undefined) {
      // The hook's own failure must not turn a 401 into a crash; the default answer follows.
      const onError = options.onError as unknown as (e: KnoxWebhookError, ...a: A) => unknown;
      let answer: unknown;
      try {
        answer = await onError(error, ...delivery.args);
      } catch {}
      delivery.answerWith?.(answer);
      if (delivery.isAnswered()) return { kind: 'answered', error, event };
    }
    return { kind: 'respond', ...webhookErrorResponse(error), error, event };
  }

  async function process(delivery: WebhookDelivery<Ctx, Args>): Promise<WebhookOutcome> {
    const headers = receivedHeaders(delivery.headers);
    const contentType = readWebhookHeaderFirstValue(headers, 'content-type'); // null: present, but not ASCII text
    if (contentType === null || !isAcceptedWebhookContentType(contentType)) {
      return fail(unsupportedMediaTypeError(contentType ?? '?'), delivery);
    }
    const encoding = readWebhookHeader(headers, 'content-encoding');
    // Every coding listed (a repeated header is joined with ", ") must be identity: the
    // signature covers the bytes as sent, which another coding leaves compressed.
    if (encoding !== undefined && (encoding === null || !/^[\s,]*(?:identity(?:[\s,]+|$))*$/i.test(encoding))) {
      return fail(unsupportedContentEncodingError(encoding ?? '?'), delivery);
    }

    let body: Uint8Array;
    let secret: string | readonly string[];
    try {
      assertContentLengthWithin(readWebhookHeader(headers, 'content-length') ?? undefined, maxBodyBytes);
      body = await delivery.readBody(maxBodyBytes);
    } catch (error) {
      // A webhook error from reading (413, raw_body_unavailable) stays as it is; anything else
      // means the sender's stream broke off (aborted, reset): a 400, never a 500.
      return fail(asWebhookError(error, 'the webhook body could not be read completely', 'invalid_payload'), delivery);
    }
    try {
      secret = typeof options.secret === 'function' ? await options.secret(delivery.ctx) : options.secret;
    } catch (cause) {
      const message = 'the `secret` function threw for this request (see the error cause)';
      // The sender sees only a 500: unless onError takes it, the operator sees the cause here.
      if (options.onError === undefined) log(`${where}: ${message}`, cause);
      return fail(new WebhookSignatureVerificationError(message, 'invalid_configuration', cause), delivery);
    }

    let event: KnoxWebhookEvent;
    let replayKey: string;
    let replayTtlSeconds: number;
    try {
      // The options resolved at setup: the verifier takes them as they are (not checked again).
      ({ event, replayKey, replayTtlSeconds } = await verify(body, delivery.headers, secret, verifyOptions as never));
    } catch (error) {
      return fail(asWebhookError(error), delivery);
    }
    delivery.attach?.(event);

    const attempt = await beginReplay(resolved, replayKey, replayTtlSeconds);
    if (attempt === 'done') return { kind: 'respond', status: 200, body: { received: true, duplicate: true }, event };
    if (!('finish' in attempt)) return fail(attempt, delivery, event);

    if (!hasHandlers) {
      return { kind: 'next', event, finishReplay: attempt.finish, releaseReplay: () => attempt.finish(false) };
    }

    try {
      for (const handler of handlersFor(on, event)) {
        const answer = await handler(event, ...delivery.args);
        delivery.answerWith?.(answer); // not inlined: `?.()` would skip the handler call too
      }
    } catch (cause) {
      await attempt.finish(false);
      return fail(new WebhookHandlerError(cause, event.event), delivery, event);
    }
    await attempt.finish(true);
    if (delivery.isAnswered()) return { kind: 'answered', event };
    return { kind: 'respond', status: 200, body: { received: true }, event };
  }

  return { process, maxBodyBytes };
}
