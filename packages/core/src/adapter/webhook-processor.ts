import { WebhookSignatureVerificationError } from '../errors.js';
import type { KnoxWebhookEvent } from './verify-delivery.js';
import { isAcceptedWebhookContentType } from './content-type.js';
import { type ReceivedHeaders, readHeader, receivedHeaders } from '../webhooks/header-lookup.js';
import { secretProblem } from '../webhooks/verify-options.js';
import { assertContentLengthWithin, resolveMaxBodyBytes } from './read-body.js';
import {
  type KnoxWebhookError,
  type WebhookErrorBody,
  WebhookHandlerError,
  asWebhookError,
  unsupportedMediaTypeError,
  webhookErrorResponse,
} from './webhook-errors.js';
import { type KnoxEventHandlers, assertEventHandlers, handlersFor } from './webhook-handlers.js';
import { type ReplayStore, type WebhookHmacFormat, verifyDelivery } from './verify-delivery.js';

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
  /** Rejects a delivery already processed (claimed before handlers run, released if they fail). */
  replayStore?: ReplayStore;
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
 * - `respond`: answer `status` with the JSON `body` (`error` is there for logging);
 * - `answered`: a handler or `onError` already answered through the framework — do nothing more;
 * - `next`: no `on` handlers were given — attach `event`, pass the request on, and call
 *   `releaseReplay()` if the route's own handler fails so that KnoxCall's retry is accepted.
 */
export type WebhookOutcome =
  | {
      kind: 'respond';
      status: number;
      body: WebhookErrorBody | WebhookReceivedBody;
      event?: KnoxWebhookEvent;
      error?: KnoxWebhookError;
    }
  | { kind: 'answered'; event?: KnoxWebhookEvent; error?: KnoxWebhookError }
  | { kind: 'next'; event: KnoxWebhookEvent; releaseReplay: () => Promise<void> };

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
}

export interface WebhookProcessor<Ctx, Args extends unknown[]> {
  process(delivery: WebhookDelivery<Ctx, Args>): Promise<WebhookOutcome>;
  readonly maxBodyBytes: number;
}

/**
 * The whole webhook protocol for adapters, framework-neutral: content type, size limit,
 * secret resolution, verification over the exact bytes, the replay claim, typed handlers,
 * and the reply rule. Options are checked once here, so a misconfigured app fails at boot.
 */
export function createWebhookProcessor<Ctx, Args extends unknown[]>(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  { where = 'knoxWebhook', verify = verifyDelivery }: WebhookProcessorSetup = {},
): WebhookProcessor<Ctx, Args> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}(options): options must be an object with at least \`secret\``);
  }
  assertSecretOption(options.secret, where);
  assertEventHandlers(options.on);
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new TypeError(`${where}: \`onError\` must be a function`);
  }
  const store = options.replayStore;
  if (store !== undefined && (typeof store?.claim !== 'function' || typeof store.release !== 'function')) {
    throw new TypeError(`${where}: \`replayStore\` must have claim(key, ttlSeconds) and release(key)`);
  }
  const maxBodyBytes = resolveMaxBodyBytes(options.maxBodyBytes);
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
    const { status, body } = webhookErrorResponse(error);
    return { kind: 'respond', status, body, error, event };
  }

  async function process(delivery: WebhookDelivery<Ctx, Args>): Promise<WebhookOutcome> {
    const headers = receivedHeaders(delivery.headers);
    const contentType = readHeader(headers, 'content-type'); // null: present, but not ASCII text
    if (contentType === null || !isAcceptedWebhookContentType(contentType)) {
      return fail(unsupportedMediaTypeError(contentType ?? '?'), delivery);
    }

    let body: Uint8Array;
    let secret: string | readonly string[];
    try {
      assertContentLengthWithin(readHeader(headers, 'content-length') ?? undefined, maxBodyBytes);
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
      return fail(new WebhookSignatureVerificationError(message, 'invalid_configuration', cause), delivery);
    }

    let event: KnoxWebhookEvent;
    let replayKey: string;
    let replayTtlSeconds: number;
    try {
      ({ event, replayKey, replayTtlSeconds } = await verify(body, delivery.headers, secret, options));
    } catch (error) {
      return fail(asWebhookError(error), delivery);
    }
    delivery.attach?.(event);

    if (store !== undefined) {
      let claimed: boolean;
      try {
        claimed = await store.claim(replayKey, replayTtlSeconds);
      } catch (cause) {
        return fail(new WebhookHandlerError(cause, event.event, 'the replay store failed to claim the delivery'), delivery, event);
      }
      if (!claimed) {
        return { kind: 'respond', status: 200, body: { received: true, duplicate: true }, event };
      }
    }
    const releaseReplay = async (): Promise<void> => {
      if (store !== undefined) await store.release(replayKey).catch(() => {});
    };

    if (!hasHandlers) return { kind: 'next', event, releaseReplay };

    try {
      for (const handler of handlersFor(on, event)) {
        const answer = await handler(event, ...delivery.args);
        delivery.answerWith?.(answer); // not inlined: `?.()` would skip the handler call too
      }
    } catch (cause) {
      await releaseReplay();
      return fail(new WebhookHandlerError(cause, event.event), delivery, event);
    }
    if (delivery.isAnswered()) return { kind: 'answered', event };
    return { kind: 'respond', status: 200, body: { received: true }, event };
  }

  return { process, maxBodyBytes };
}

function assertSecretOption(secret: unknown, where: string): void {
  const problem = typeof secret === 'function' ? undefined : secretProblem(secret);
  if (problem !== undefined) throw new TypeError(`${where}: \`secret\` is required — ${problem}, or a function of the request returning one`);
}
