import type { KnoxCall, KnoxCallOptions } from '@knoxcall/core';
import type { KnoxRequestOptions, KnoxWebhookSecret, ReplayStore, WebhookHmacFormat } from '@knoxcall/core/adapter';

/**
 * The incoming request as Nest hands it to guards and interceptors: an Express `Request`
 * or a Fastify `FastifyRequest`. Only what the adapter reads is typed here.
 */
export interface KnoxHttpRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Set by Nest when the app was created with `{ rawBody: true }`. */
  readonly rawBody?: unknown;
}

/**
 * Webhook options shared by the module (`options.webhooks`, defaults) and `@KnoxWebhook(overrides)`
 * (per handler, over the defaults). The same names and meanings as every KnoxCall adapter.
 */
export interface KnoxWebhookOptions {
  /** The webhook's `secret_key`, several during a rotation, or a function of the request. */
  secret?: KnoxWebhookSecret<KnoxHttpRequest>;
  /** Signature format of the webhook (`hmac_format`); default `legacy`. */
  format?: WebhookHmacFormat;
  /** Signature header for `format: 'custom'` (the webhook's `hmac_header_name`). */
  headerName?: string;
  /** Replay window in seconds (default 300; `null` or 0 turns timestamp checks off). */
  toleranceSeconds?: number | null;
  /**
   * Rejects a delivery already processed: an in-progress lease is taken before the handler
   * runs, marked done when it succeeds and released when it fails. A retry meeting the lease
   * is answered 409 `delivery_in_progress` with `Retry-After`; one meeting a done delivery
   * 200 `{ received: true, duplicate: true }`.
   */
  replayStore?: ReplayStore;
  /** How long an in-progress lease lasts (default 60 s); keep it above your slowest handler. */
  replayLeaseSeconds?: number;
  /** Deadline of each replay-store operation in ms (default 2000); past it: 503 `replay_store_unavailable`. */
  replayStoreTimeoutMs?: number;
  /** Largest accepted body in bytes (default 1 MiB); larger deliveries get 413. */
  maxBodyBytes?: number;
  /** The clock in epoch milliseconds (tests); default `Date.now`. */
  now?: () => number;
}

/** What `KnoxCallModule.forRoot(options)` takes (and what a `forRootAsync` factory returns). */
export interface KnoxCallModuleOptions {
  /** A client the app built; shared by every request and never closed by the module. */
  client?: KnoxCall;
  /** Options for a client the module builds; it is closed when the application shuts down. */
  clientOptions?: KnoxCallOptions;
  /**
   * Per-request defaults for the request's KnoxCall calls (synchronous), merged over the
   * forwarded `traceparent` / `x-request-id`; its headers win.
   */
  requestOptions?: (req: KnoxHttpRequest) => KnoxRequestOptions | undefined;
  /**
   * Run each request inside an AsyncLocalStorage scope, so that `getKnox()` works in services
   * (default true). On Node 20 an active AsyncLocalStorage adds a hook to every promise the
   * process creates; an app that only uses `@Knox()` and `KNOXCALL_REQUEST_CLIENT` can set
   * false to avoid that cost (`getKnox()` then throws, naming this option).
   */
  asyncContext?: boolean;
  /** Defaults for every `@KnoxWebhook()` handler and for the module's own webhook controller. */
  webhooks?: KnoxWebhookOptions;
}

/** Synchronous extras of `forRoot` / `forRootAsync` (routes are fixed before async factories run). */
export interface KnoxCallModuleExtras {
  /** Registers the module globally (its tokens injectable everywhere without importing it). */
  isGlobal?: boolean;
  /**
   * Mounts the module's own webhook controller (POST) at this path, which verifies deliveries
   * with `options.webhooks` and runs the discovered `@OnKnoxEvent` handlers.
   */
  webhookPath?: string;
}
