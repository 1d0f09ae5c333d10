/**
 * `client.webhooks` management methods (contract resources §3). `constructEvent` /
 * `constructEventAsync` are the webhook verifier functions of `webhooks.md`, reachable here.
 */
import type { Page, PageParams } from '../transport/pagination.js';
import type { KnoxWebhookEvent } from '../webhooks/event-types.js';
import { constructWebhookEventAsync } from '../webhooks/index.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from '../webhooks/verify-options.js';
import { constructWebhookEvent as syncVerifierUnavailable } from '../webhooks/web-sync-unavailable.js';
import type { DeleteResult } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  CreateWebhookInput,
  CreateWebhookResponse,
  UpdateWebhookInput,
  UpdateWebhookResponse,
  Webhook,
  WebhookDetail,
  WebhookEventTypeList,
  WebhookHmacFormatList,
  WebhookLogEntry,
  WebhookTestResult,
} from './webhooks.types.js';

export interface WebhooksManagement {
  list(params?: PageParams, opts?: RequestOptions): Promise<Page<Webhook>>;
  iterate(params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<Webhook>;
  get(id: string, opts?: RequestOptions): Promise<WebhookDetail>;
  /** The result carries the one-time `secret_key`. */
  create(input: CreateWebhookInput, opts?: RequestOptions): Promise<CreateWebhookResponse>;
  update(id: string, input: UpdateWebhookInput, opts?: RequestOptions): Promise<UpdateWebhookResponse>;
  delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
  getLogs(id: string, params?: PageParams, opts?: RequestOptions): Promise<Page<WebhookLogEntry>>;
  /** An object `{event_types: [...]}`, not a bare array. */
  listEventTypes(opts?: RequestOptions): Promise<WebhookEventTypeList>;
  listHmacFormats(opts?: RequestOptions): Promise<WebhookHmacFormatList>;
  /** Fires a synthetic `webhook.test` delivery and reports the outcome. */
  test(id: string, opts?: RequestOptions): Promise<WebhookTestResult>;
}

export function createWebhooksManagement(api: Endpoints): WebhooksManagement {
  return {
    list: (params, opts) => api.listPage('/v1/webhooks', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/webhooks', params, opts),
    get: (id, opts) => api.getOne(path`/v1/webhooks/${id}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/webhooks', fields(input), opts),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/webhooks/${id}`, fields(input), opts),
    delete: (id, opts) => api.mutate('DELETE', path`/v1/webhooks/${id}`, NO_BODY, opts),
    getLogs: (id, params, opts) => api.listPage(path`/v1/webhooks/${id}/logs`, params, opts),
    listEventTypes: (opts) => api.getOne('/v1/webhooks/event-types', undefined, opts),
    listHmacFormats: (opts) => api.getOne('/v1/webhooks/hmac-formats', undefined, opts),
    test: (id, opts) => api.mutate('POST', path`/v1/webhooks/${id}/test`, NO_BODY, opts),
  };
}

/** The synchronous verifier's signature (`constructWebhookEvent` of `webhooks.md`). */
export type ConstructWebhookEvent = (
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
) => KnoxWebhookEvent;

/** `client.webhooks`: the management methods plus the two webhook verifiers. */
export interface WebhooksResource extends WebhooksManagement {
  /**
   * Verifies a delivery over the exact bytes received and returns its event; synchronous
   * (node:crypto). On Web runtimes it throws and names `constructEventAsync`.
   */
  constructEvent: ConstructWebhookEvent;
  /** The same on Web Crypto: works on every runtime; rejects with `WebhookSignatureVerificationError`. */
  constructEventAsync(rawBody: WebhookRawBody, headers: WebhookHeaders, secret: WebhookSecret, options?: ConstructEventOptions): Promise<KnoxWebhookEvent>;
}

/**
 * `constructEvent` is injected (the Node build passes its node:crypto verifier); without one
 * it is the Web build's stand-in, which explains to use `constructEventAsync`.
 */
export function createWebhooks(api: Endpoints, constructEvent: ConstructWebhookEvent = syncVerifierUnavailable): WebhooksResource {
  return {
    ...createWebhooksManagement(api),
    constructEvent: (rawBody, headers, secret, options) => constructEvent(rawBody, headers, secret, options),
    constructEventAsync: (rawBody, headers, secret, options) => constructWebhookEventAsync(rawBody, headers, secret, options),
  };
}
